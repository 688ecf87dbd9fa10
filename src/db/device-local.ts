// Owns everything this tablet keeps for itself and never syncs: ONE registry of its keys — each key's value type and
// the place it lives — and the typed reads and writes. Three places, each for a reason:
//  - 'database': the `syncState` table of the app's database (src/db/db.ts), so a value changes in one transaction
//    with the records it goes with (the clock, the outbox numbering, the enrolment);
//  - 'keyval': a small IndexedDB database of its own (idb-keyval), for the participant side's settings, read soon
//    after the first paint without loading the database code (the home's first paint must not pull Dexie);
//  - 'localStorage': what must be read synchronously — the first paint's mirror of the settings, the guide editor's
//    journal of unsaved typing, the sync lease between tabs (their modules write them through readStored and
//    writeStored; each key's type is here, with its name and its check of what is found here or in the lists).
// The keys listed one by one, the places of earlier versions and what a wipe empties are in device-local-places.ts
// (loaded only by the instructor area), so the participant home's first JavaScript carries none of it.
import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { DigitukiDB } from './db';
import { endedOnLeave } from './leave-page';
import type { DeviceKey, Enrolment, LastSync } from './sync';

/** The app's database (Dexie, src/db/db.ts); named here so that code without Dexie (the wipe) knows it. */
export const DB_NAME = 'digituki';

interface StoredLockout {
  failures: number;
  lastFailureAt: number;
}

/** Keys in the app database's `syncState` table, with their values' types. */
export interface DatabaseValues {
  /** What the server answered at enrolment (db/sync.ts). */
  enrolment: Enrolment;
  /** Protocol v2: this device's key pair. */
  deviceKey: DeviceKey;
  /** The organisation and site new records are written for. */
  place: { org: string; site: string };
  nextMutationId: number;
  /**
   * The outbox rows numbered for a push and not yet acknowledged, as [seq, mutationId] pairs in seq order (db/sync.ts):
   * kept here in one value, so numbering 500 rows writes one value instead of rewriting 500 rows (issue 16).
   */
  numbered: [seq: number, mutationId: number][];
  pullCursor: string;
  lastSync: LastSync;
  lastAcknowledged: { deviceId: string; mutationId: number };
  /** When the next full sync check is due (db/reconcile.ts). */
  reconcile: { deviceId: string; lastAt?: number; due?: boolean };
  refusedClocks: string[];
  /** This tablet's node in its hybrid logical clock, and the clock itself (changes.ts). */
  nodeId: string;
  clock: string;
  clockOffset: { offsetMs: number; learnedAt: number };
  /** The organisation's public key that session notes are sealed to (org-note-key.ts). */
  orgNoteKey: { orgId: string; publicKey: string };
  builtinContentVersion: string;
  'sessions.lastFormat': string;
  /** The lock's settings and wrong-PIN counts (src/lock/settings.ts); kept in idb-keyval database digituki-lock before. */
  idleMinutes: number;
  retentionMonths: number;
  lockout: StoredLockout;
  [profileLockout: `lockout:${string}`]: StoredLockout;
}

/** Keys in the participant side's own idb-keyval database. */
export interface KeyvalValues {
  language: string;
  textSize: string;
  /** Slugs of the guides opened last, newest first (no person is linked to them). */
  recentGuides: string[];
}

/** A typed change of the guide editor not yet in IndexedDB (guides/editor/autosave.ts). */
export interface GuideEditorJournalEntry {
  table: 'guides' | 'guideSteps';
  id: string;
  fields: Record<string, unknown>;
  /** When the latest of these fields was typed. */
  at: number;
}

/** Keys in localStorage (read synchronously), with their values' types; each is stored as JSON. */
export interface StoredValues {
  /** What the first paint shows (db/device-settings.ts); each setting is checked again where it is used. */
  deviceSettingsMirror: { language?: string; textSize?: string };
  /** How many recent guides the home keeps room for at its first paint. */
  recentGuideCount: number;
  /** Typed changes not yet in IndexedDB (guides/editor/autosave.ts). */
  guideEditorJournal: GuideEditorJournalEntry[];
  /** Which tab syncs, without Web Locks (sync/tab-lease.ts). */
  syncLease: { holder: string; until: number };
}

/** A key of the localStorage place: its name there, and how a stored value is checked on reading. */
export interface StoredKey<T> {
  name: string;
  /** The parsed JSON as found (from any version, or damaged); undefined when it is not a T. */
  parse(found: unknown): T | undefined;
}
type StoredKeyOf<K extends keyof StoredValues> = StoredKey<StoredValues[K]>;

export const isRecord = (found: unknown): found is Record<string, unknown> => typeof found === 'object' && found !== null && !Array.isArray(found);
const textOrNone = (found: unknown) => (typeof found === 'string' ? found : undefined);

// The two keys the first paint reads are here; the others, with the list of them all, in device-local-places.ts.
export const DEVICE_SETTINGS_MIRROR: StoredKeyOf<'deviceSettingsMirror'> = {
  name: 'digituki.deviceSettings',
  parse: (found) => (isRecord(found) ? { language: textOrNone(found.language), textSize: textOrNone(found.textSize) } : undefined),
};
export const RECENT_GUIDE_COUNT: StoredKeyOf<'recentGuideCount'> = {
  name: 'digituki.recentGuideCount',
  parse: (found) => (Number.isInteger(found) && (found as number) >= 0 ? (found as number) : undefined),
};
/** The value under a key, read at once: undefined when there is none, it is damaged or of the wrong type, or storage is blocked. */
export function readStored<T>(key: StoredKey<T>, storage: Storage | undefined = globalThis.localStorage): T | undefined {
  try {
    const text = storage?.getItem(key.name);
    return text == null ? undefined : key.parse(JSON.parse(text));
  } catch {
    return undefined; // blocked or not JSON: as if nothing were stored
  }
}

/** Stores a value under a key (undefined removes it). False when storage is blocked or full: each caller has its fallback. */
export function writeStored<T>(key: StoredKey<T>, value: T | undefined, storage: Storage | undefined = globalThis.localStorage): boolean {
  try {
    if (!storage) return false;
    if (value === undefined) storage.removeItem(key.name);
    else storage.setItem(key.name, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

type FixedKeys<T> = { [K in keyof T]: string extends K ? never : K extends `${string}:${string}` ? never : K }[keyof T];
export type DatabaseKey = FixedKeys<DatabaseValues>;
export type DatabaseFamily = `lockout:${string}`;

// --- the database place: inside a caller's transaction when there is one (it must include syncState) -------------

export type DatabaseName = DatabaseKey | DatabaseFamily;

export async function readLocal<K extends DatabaseName>(database: DigitukiDB, key: K): Promise<DatabaseValues[K] | undefined> {
  return (await database.syncState.get(key))?.value as DatabaseValues[K] | undefined;
}

export async function writeLocal<K extends DatabaseName>(database: DigitukiDB, key: K, value: DatabaseValues[K]): Promise<void> {
  await database.syncState.put({ key, value });
}

export async function forgetLocal(database: DigitukiDB, ...keys: DatabaseName[]): Promise<void> {
  await database.syncState.bulkDelete(keys);
}

// --- the keyval place ------------------------------------------------------------------------------------------

/** The participant side's idb-keyval database and store. */
export const KEYVAL_PLACE = { database: 'digituki-device', store: 'settings' } as const;

let keyvalStore: UseStore | undefined;
// Its transactions are counted too: one frozen in WebKit's back-forward cache would hold up the next page (leave-page.ts).
const keyval = () => (keyvalStore ??= endedOnLeave(createStore(KEYVAL_PLACE.database, KEYVAL_PLACE.store)));

export function readKeyval<K extends keyof KeyvalValues>(key: K): Promise<KeyvalValues[K] | undefined> {
  return get<KeyvalValues[K]>(key, keyval());
}

export function writeKeyval<K extends keyof KeyvalValues>(key: K, value: KeyvalValues[K]): Promise<void> {
  return set(key, value, keyval());
}
