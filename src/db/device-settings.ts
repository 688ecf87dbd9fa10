// Owns the small per-tablet settings (language, text size) kept in idb-keyval, outside the synced tables.
import { createStore, get, set } from 'idb-keyval';
import { createStore as createValueStore } from '../lib/store';

export const TEXT_SIZES = ['normal', 'large', 'xlarge'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

export interface DeviceSettings {
  language: string | undefined;
  textSize: TextSize;
}

const store = () => createStore('digituki-device', 'settings');
let cachedStore: ReturnType<typeof createStore> | undefined;
const deviceStore = () => (cachedStore ??= store());

export async function loadDeviceSettings(): Promise<DeviceSettings> {
  const [language, textSize] = await Promise.all([get<string>('language', deviceStore()), get<string>('textSize', deviceStore())]);
  return {
    language,
    textSize: (TEXT_SIZES as readonly string[]).includes(textSize ?? '') ? (textSize as TextSize) : 'normal',
  };
}

export function saveLanguage(language: string): Promise<void> {
  return set('language', language, deviceStore());
}

export function saveTextSize(textSize: TextSize): Promise<void> {
  return set('textSize', textSize, deviceStore());
}

const RECENT_LIMIT = 5;

/** Slugs of the guides opened last on this tablet, newest first (no person is linked to them). */
export async function loadRecentGuides(): Promise<string[]> {
  const recent = await get<string[]>('recentGuides', deviceStore());
  return Array.isArray(recent) ? recent.filter((slug) => typeof slug === 'string') : [];
}

export async function rememberGuideOpened(slug: string): Promise<void> {
  const recent = await loadRecentGuides();
  await set('recentGuides', [slug, ...recent.filter((s) => s !== slug)].slice(0, RECENT_LIMIT), deviceStore());
}

/** Forgets the recently opened guides: the shared tablet shows no one the previous person's guides. */
export async function forgetRecentGuides(): Promise<void> {
  await set('recentGuides', [], deviceStore());
  recentGuidesForgotten.set(recentGuidesForgotten.get() + 1);
}

/** Counts the forgettings, so a library on screen empties its "Viimeksi avatut" at once. */
export const recentGuidesForgotten = createValueStore(0);
