// Fetches the built-in content of this build (data files, precached) and turns it into rows.
// Content is data, not code: the guides travel as JSON files so the start-up JavaScript stays small.
import type { BuiltinGuide } from './content/types';
import { CONTENT_VERSION } from './content/version';
import { fetchPictureAddresses } from './builtin-pictures';
import { toRecords } from './builtin-records';

// Each guide file becomes its own hashed file, precached by the service worker; the pictures' addresses come from
// /builtin-pictures.json (see builtin-pictures.ts and vite.config.ts).
const guideFiles = import.meta.glob<string>('./content/guides/*.json', { query: '?url', import: 'default', eager: true });

export async function fetchBuiltinGuides(): Promise<BuiltinGuide[]> {
  const guides = await Promise.all(
    Object.values(guideFiles).map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`Built-in guide file ${url} could not be read (${response.status}).`);
      return (await response.json()) as BuiltinGuide;
    }),
  );
  return guides.sort((a, b) => a.slug.localeCompare(b.slug));
}

export async function builtinRows(now = Date.now()) {
  const [guides, imageUrl] = await Promise.all([fetchBuiltinGuides(), fetchPictureAddresses()]);
  return toRecords(guides, CONTENT_VERSION, imageUrl, now);
}
