// Fetches the built-in content of this build (data files, precached) and turns it into rows.
// Content is data, not code: the guides travel as JSON files so the start-up JavaScript stays small.
import type { BuiltinGuide } from './content/types';
import { CONTENT_VERSION } from './content/version';
import { toRecords } from './builtin-records';

// Each guide file and picture becomes its own hashed file, precached by the service worker (see vite.config.ts).
const guideFiles = import.meta.glob<string>('./content/guides/*.json', { query: '?url', import: 'default', eager: true });
const imageUrls = import.meta.glob<string>('./content/images/*.svg', { query: '?url', import: 'default', eager: true });

export function imageUrl(file: string): string {
  const url = imageUrls[`./content/images/${file}`];
  if (!url) throw new Error(`Built-in guide picture missing: ${file}`);
  return url;
}

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
  return toRecords(await fetchBuiltinGuides(), CONTENT_VERSION, imageUrl, now);
}
