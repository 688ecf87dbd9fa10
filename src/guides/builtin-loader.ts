// Loads the built-in guides into the database on first start and again whenever this build's content changed.
import { builtinContentVersion, replaceBuiltinGuides } from '../db/guides';
import type { GuideRecord, GuideStepRecord } from '../db/records';

/**
 * Fingerprint of src/guides/content, computed at build time (vite.config.ts), so a content edit always reloads; the
 * loader generation after it reloads every tablet once when the loading itself changes ("2": built-in rows that an
 * earlier app let sync change are put back as shipped).
 */
export const BUILD_CONTENT_VERSION: string = `${__GUIDE_CONTENT_VERSION__}.2`;

type Rows = { guides: GuideRecord[]; steps: GuideStepRecord[] };
const fromThisBuild = async (): Promise<Rows> => (await import('./builtin-content')).builtinRows();

export async function ensureBuiltinGuides(version = BUILD_CONTENT_VERSION, load: () => Promise<Rows> = fromThisBuild): Promise<'current' | 'loaded'> {
  if ((await builtinContentVersion()) === version) return 'current';
  const { guides, steps } = await load();
  await replaceBuiltinGuides(guides, steps, version);
  return 'loaded';
}
