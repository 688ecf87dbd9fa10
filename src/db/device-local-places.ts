// Owns the device-local registry's lists (device-local.ts holds its types, names and typed reads and writes): every
// key one by one, checked by the compiler against the types, with the localStorage keys the first paint never reads;
// the places earlier versions kept values in, and moving those values on their first read; and the IndexedDB databases
// a wipe (src/lock/wipe.ts) empties. Only the instructor area and the sync code (loaded after the first paint) load it.
import type { DigitukiDB } from './db';
import {
  DB_NAME,
  DEVICE_SETTINGS_MIRROR,
  type GuideEditorJournalEntry,
  isRecord,
  KEYVAL_PLACE,
  RECENT_GUIDE_COUNT,
  type DatabaseKey,
  type KeyvalValues,
  type StoredKey,
  type StoredValues,
} from './device-local';

/** Every fixed key of the database place (the compiler refuses a key missing here or one too many). */
const DATABASE_KEYS: Record<DatabaseKey, true> = {
  enrolment: true,
  deviceKey: true,
  place: true,
  nextMutationId: true,
  numbered: true,
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
// The localStorage keys that only the instructor area reads (the first paint's two are in device-local.ts).
export const GUIDE_EDITOR_JOURNAL: StoredKey<StoredValues['guideEditorJournal']> = {
  name: 'digituki.guideEditor.unsaved',
  // An entry of the wrong shape is left out; the others are still replayed.
  parse: (found) =>
    Array.isArray(found)
      ? found.filter(
          (entry): entry is GuideEditorJournalEntry =>
            isRecord(entry) &&
            (entry.table === 'guides' || entry.table === 'guideSteps') &&
            typeof entry.id === 'string' &&
            isRecord(entry.fields) &&
            typeof entry.at === 'number',
        )
      : undefined,
};
export const SYNC_LEASE: StoredKey<StoredValues['syncLease']> = {
  name: 'digituki-sync-lease',
  parse: (found) =>
    isRecord(found) && typeof found.holder === 'string' && typeof found.until === 'number' ? { holder: found.holder, until: found.until } : undefined,
};

/** Every key of the localStorage place (the compiler refuses one missing here or of another type). */
export const STORED_KEYS: { [K in keyof StoredValues]: StoredKey<StoredValues[K]> } = {
  deviceSettingsMirror: DEVICE_SETTINGS_MIRROR,
  recentGuideCount: RECENT_GUIDE_COUNT,
  guideEditorJournal: GUIDE_EDITOR_JOURNAL,
  syncLease: SYNC_LEASE,
};

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
    ...Object.values(STORED_KEYS).map(({ name }) => ({ key: name, where: 'localStorage' as const })),
  ];
}

/** The IndexedDB databases a wipe must empty: the app's database and the others this registry names (now or before). */
export function wipePlaces(): { appDatabase: string; otherDatabases: string[] } {
  return { appDatabase: DB_NAME, otherDatabases: [KEYVAL_PLACE.database, ...FORMER_PLACES.map((place) => place.database)] };
}

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
      await emptyDatabase(former.database);
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

/** Every key and value of a store of an earlier version's database; none when it does not exist. */
async function readFormerStore(name: string, store: string): Promise<[IDBValidKey, unknown][]> {
  const opened = await openExisting(name, store);
  if (!opened) return [];
  try {
    const tx = opened.transaction(store, 'readonly');
    const asked = (request: IDBRequest) =>
      new Promise<unknown>((resolve, reject) => ((request.onsuccess = () => resolve(request.result)), (request.onerror = () => reject(request.error))));
    const [keys, values] = (await Promise.all([asked(tx.objectStore(store).getAllKeys()), asked(tx.objectStore(store).getAll())])) as [
      IDBValidKey[],
      unknown[],
    ];
    return keys.map((key, index) => [key, values[index]]);
  } finally {
    opened.close();
  }
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
