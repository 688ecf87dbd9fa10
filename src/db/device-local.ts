// Owns everything this tablet keeps for itself and never syncs: ONE registry of its keys — each key's value type and
// the place it lives — and the typed reads and writes. Three places, each for a reason:
//  - 'database': the `syncState` table of the app's database (src/db/db.ts), so a value changes in one transaction
//    with the records it goes with (the clock, the outbox numbering, the enrolment);
//  - 'keyval': a small IndexedDB database of its own (idb-keyval), for the participant side's settings, read soon
//    after the first paint without loading the database code (the home's first paint must not pull Dexie);
//  - 'localStorage': what must be read synchronously — the first paint's mirror of the settings, the guide editor's
//    journal of unsaved typing, the sync lease between tabs (their modules write them; the names are here).
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

/** Keys in localStorage (read synchronously), with what their modules store there as text. */
export const LOCAL_STORAGE_KEYS = {
  /** JSON {language, textSize}: what the first paint shows (db/device-settings.ts). */
  deviceSettingsMirror: 'digituki.deviceSettings',
  /** How many recent guides the home keeps room for at its first paint. */
  recentGuideCount: 'digituki.recentGuideCount',
  /** JSON of typed changes not yet in IndexedDB (guides/editor/autosave.ts). */
  guideEditorJournal: 'digituki.guideEditor.unsaved',
  /** JSON {holder, until}: which tab syncs, without Web Locks (sync/tab-lease.ts). */
  syncLease: 'digituki-sync-lease',
} as const;

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
