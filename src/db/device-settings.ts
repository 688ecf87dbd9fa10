// Owns the small per-tablet settings (language, text size, the recently opened guides) in the device-local keyval place
// (device-local.ts: outside the synced tables, without the database code), and their synchronous mirror in
// localStorage that the first paint reads (it must not wait for IndexedDB to open).
import { DEVICE_SETTINGS_MIRROR, RECENT_GUIDE_COUNT, readKeyval, readStored, writeKeyval, writeStored } from './device-local';
import { createObservable } from '../lib/observable';

export const TEXT_SIZES = ['normal', 'large', 'xlarge'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

export interface DeviceSettings {
  language: string | undefined;
  textSize: TextSize;
}

export async function loadDeviceSettings(): Promise<DeviceSettings> {
  const [language, textSize] = await Promise.all([readKeyval('language'), readKeyval('textSize')]);
  return {
    language,
    textSize: validTextSize(textSize),
  };
}

function validTextSize(value: unknown): TextSize {
  return (TEXT_SIZES as readonly unknown[]).includes(value) ? (value as TextSize) : 'normal';
}

/**
 * The settings as last mirrored, read at once (no IndexedDB): what the first frame shows. A tablet that never had a
 * mirror (first start, an update from an older app, storage cleared) gets the defaults until loadDeviceSettings answers.
 */
export function mirroredDeviceSettings(): DeviceSettings {
  const stored = readStored(DEVICE_SETTINGS_MIRROR); // none when blocked or unreadable: IndexedDB still has the truth
  return { language: stored?.language, textSize: validTextSize(stored?.textSize) };
}

/** Copies the stored settings to the synchronous mirror (IndexedDB stays the truth; the mirror may lag one write). */
export function mirrorDeviceSettings(settings: DeviceSettings): void {
  // Not written when localStorage is blocked or full: the next start shows the defaults until IndexedDB answers.
  writeStored(DEVICE_SETTINGS_MIRROR, { language: settings.language, textSize: settings.textSize });
}

export async function saveLanguage(language: string): Promise<void> {
  await writeKeyval('language', language);
  mirrorDeviceSettings({ ...mirroredDeviceSettings(), language });
}

export async function saveTextSize(textSize: TextSize): Promise<void> {
  await writeKeyval('textSize', textSize);
  mirrorDeviceSettings({ ...mirroredDeviceSettings(), textSize });
}

const RECENT_LIMIT = 5;

/** Slugs of the guides opened last on this tablet, newest first (no person is linked to them). */
export async function loadRecentGuides(): Promise<string[]> {
  const recent = await readKeyval('recentGuides');
  return Array.isArray(recent) ? recent.filter((slug) => typeof slug === 'string') : [];
}

/**
 * How many recently opened guides the home will show, known at once (a count only, mirrored in localStorage): the
 * home keeps their place empty until they are read, instead of pushing the topics down when they arrive.
 */
export function expectedRecentGuideCount(): number {
  return readStored(RECENT_GUIDE_COUNT) ?? 0;
}

function mirrorRecentCount(count: number): void {
  // Not written when localStorage is blocked or full: the home shows its topics at once and the recent guides when read.
  writeStored(RECENT_GUIDE_COUNT, count);
}

export async function rememberGuideOpened(slug: string): Promise<void> {
  const recent = await loadRecentGuides();
  const next = [slug, ...recent.filter((s) => s !== slug)].slice(0, RECENT_LIMIT);
  // The count first: if the page closes before the write ends, the home only waits for what is stored.
  mirrorRecentCount(next.length);
  await writeKeyval('recentGuides', next);
}

/** Forgets the recently opened guides: the shared tablet shows no one the previous person's guides. */
export async function forgetRecentGuides(): Promise<void> {
  await writeKeyval('recentGuides', []);
  mirrorRecentCount(0);
  recentGuidesForgotten.set(recentGuidesForgotten.get() + 1);
}

/** Counts the forgettings, so a library on screen empties its "Viimeksi avatut" at once. */
export const recentGuidesForgotten = createObservable(0);
