// Owns everything this tablet keeps for itself and never syncs: ONE registry of its keys — each key's value type and
// the place it lives — and the typed reads and writes. Three places, each for a reason:
//  - 'database': the `syncState` table of the app's database (src/db/db.ts), so a value changes in one transaction
//    with the records it goes with (the clock, the outbox numbering, the enrolment);
//  - 'keyval': a small IndexedDB database of its own (idb-keyval), for the participant side's settings, read soon
//    after the first paint without loading the database code (the home's first paint must not pull Dexie);
//  - 'localStorage': what must be read synchronously — the first paint's mirror of the settings, the guide editor's
//    journal of unsaved typing, the sync lease between tabs (their modules write them; the names are here).
// A wipe (src/lock/wipe.ts) erases the places this registry names (wipePlaces); nothing else lists them.
import { clear, createStore, entries, get, set, type UseStore } from 'idb-keyval';
import type { DigitukiDB } from './db';
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

/** Every fixed key of the database place (the compiler refuses a key missing here or one too many). */
const DATABASE_KEYS: Record<DatabaseKey, true> = {
  enrolment: true,
  deviceKey: true,
  place: true,
  nextMutationId: true,
  pullCursor: true,
  lastSync: true,
  lastAcknowledged: true,
  reconcile: true,
  refusedClocks: true,
  nodeId: true,
  clock: true,
  clockOffset: true,
  orgNoteKey: true,
  builtinContentVersion: true,
  'sessions.lastFormat': true,
  idleMinutes: true,
  retentionMonths: true,
  lockout: true,
};
/** Key families of the database place: a prefix and, after it, an id (one wrong-PIN count per profile). */
const DATABASE_FAMILIES = ['lockout:'] as const;
const KEYVAL_KEYS: Record<keyof KeyvalValues, true> = { language: true, textSize: true, recentGuides: true };

/** The participant side's idb-keyval database and store. */
const KEYVAL_PLACE = { database: 'digituki-device', store: 'settings' } as const;

/**
 * Places that held device-local values in earlier versions. Their values move on the first read (moveFormerValues);
 * a wipe still empties them, in case a tablet is wiped before that read.
 */
const FORMER_PLACES = [
  { database: 'digituki-lock', store: 'state', movedTo: 'database' },
  { database: 'keyval-store', store: 'keyval', movedTo: undefined }, // idb-keyval's default, used by no version now
] as const;

/** The registry as a list: every key (a family as its prefix), and where it lives. */
export function registeredKeys(): { key: string; where: 'database' | 'keyval' | 'localStorage'; family?: true }[] {
  return [
    ...Object.keys(DATABASE_KEYS).map((key) => ({ key, where: 'database' as const })),
    ...DATABASE_FAMILIES.map((key) => ({ key, where: 'database' as const, family: true as const })),
    ...Object.keys(KEYVAL_KEYS).map((key) => ({ key, where: 'keyval' as const })),
    ...Object.values(LOCAL_STORAGE_KEYS).map((key) => ({ key, where: 'localStorage' as const })),
  ];
}

/** The IndexedDB databases a wipe must empty: the app's database and the others this registry names (now or before). */
export function wipePlaces(): { appDatabase: string; otherDatabases: string[] } {
  return { appDatabase: DB_NAME, otherDatabases: [KEYVAL_PLACE.database, ...FORMER_PLACES.map((place) => place.database)] };
}

// --- the database place: inside a caller's transaction when there is one (it must include syncState) -------------

type DatabaseName = DatabaseKey | DatabaseFamily;

export async function readLocal<K extends DatabaseName>(database: DigitukiDB, key: K): Promise<DatabaseValues[K] | undefined> {
  if (movedFromLock(key)) await moveFormerValues(database);
  return (await database.syncState.get(key))?.value as DatabaseValues[K] | undefined;
}

export async function writeLocal<K extends DatabaseName>(database: DigitukiDB, key: K, value: DatabaseValues[K]): Promise<void> {
  await database.syncState.put({ key, value });
}

export async function forgetLocal(database: DigitukiDB, ...keys: DatabaseName[]): Promise<void> {
  await database.syncState.bulkDelete(keys);
}

const movedFromLock = (key: string) => key === 'idleMinutes' || key === 'retentionMonths' || key === 'lockout' || key.startsWith('lockout:');

const moves = new WeakMap<DigitukiDB, Promise<void>>();

/**
 * Moves the values an earlier version kept in idb-keyval database digituki-lock into the database place, once per
 * connection, before the first read of one of them: a value already in the database place (written since) wins, then
 * the old store is emptied. A tablet that never had that database gets none (opening does not create it).
 */
export function moveFormerValues(database: DigitukiDB): Promise<void> {
  let move = moves.get(database);
  if (!move) {
    move = (async () => {
      const former = FORMER_PLACES[0];
      const found = await readFormerStore(former.database, former.store);
      if (found.length === 0) return;
      await database.transaction('rw', database.syncState, async () => {
        for (const [key, value] of found) if (typeof key === 'string' && !(await database.syncState.get(key))) await database.syncState.put({ key, value });
      });
      await emptyFormerStore(former.database, former.store);
    })();
    moves.set(database, move);
  }
  return move;
}

/** Opens an IndexedDB database only if it exists with the store (an open that would create it is called off). */
function openExisting(name: string, store: string): Promise<IDBDatabase | undefined> {
  return new Promise((resolve) => {
    const request = indexedDB.open(name);
    request.onupgradeneeded = () => request.transaction?.abort(); // it did not exist: do not create it
    request.onerror = () => resolve(undefined);
    request.onsuccess = () => {
      const opened = request.result;
      if (opened.objectStoreNames.contains(store)) return resolve(opened);
      opened.close();
      resolve(undefined);
    };
  });
}

async function readFormerStore(name: string, store: string): Promise<[IDBValidKey, unknown][]> {
  const opened = await openExisting(name, store);
  if (!opened) return [];
  opened.close(); // idb-keyval reads it through its own connection
  return entries(createStore(name, store));
}

async function emptyFormerStore(name: string, store: string): Promise<void> {
  await clear(createStore(name, store));
}

/** Empties every object store of a database without deleting it (deleting would wait for open connections): a wipe. */
export function emptyDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onupgradeneeded = () => request.transaction?.abort(); // it did not exist: do not create it
    request.onerror = () => resolve(); // aborted creation, or nothing to clear
    request.onsuccess = () => {
      const database = request.result;
      const stores = [...database.objectStoreNames];
      if (stores.length === 0) {
        database.close();
        resolve();
        return;
      }
      const tx = database.transaction(stores, 'readwrite');
      for (const store of stores) tx.objectStore(store).clear();
      tx.oncomplete = () => {
        database.close();
        resolve();
      };
      tx.onerror = () => {
        database.close();
        reject(tx.error ?? new Error(`Could not clear ${name}`));
      };
    };
  });
}

// --- the keyval place ------------------------------------------------------------------------------------------

let keyvalStore: UseStore | undefined;
const keyval = () => (keyvalStore ??= createStore(KEYVAL_PLACE.database, KEYVAL_PLACE.store));

export function readKeyval<K extends keyof KeyvalValues>(key: K): Promise<KeyvalValues[K] | undefined> {
  return get<KeyvalValues[K]>(key, keyval());
}

export function writeKeyval<K extends keyof KeyvalValues>(key: K, value: KeyvalValues[K]): Promise<void> {
  return set(key, value, keyval());
}
