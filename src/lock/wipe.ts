// Owns "wipe this tablet": everything the app stored about its people and its work goes — the Dexie tables
// (logs, feedback, guides made here, profiles, outbox, sync state with its token), every other IndexedDB database the
// device-local registry names (src/db/device-local-places.ts) and any other one of this origin, local/session storage, and
// every Cache Storage cache that is not the app shell's precache. The precache holds only the app's own code, styles
// and fonts (built files, the same on every tablet, no data), so it stays: a wiped tablet still opens offline and can
// be set up or enrolled again.
// The sync engine calls wipeTablet() when the server answers a revoked device with {error:'revoked', wipe:true} (the
// server's word is the permission); on the tablet itself only an unlocked site admin may wipe (wipeTabletAsAdmin).
import { emptyDatabase, wipePlaces } from '../db/device-local-places';
import { clearEveryTable } from '../db/lock';
import { lockNow } from './mode';
import { requireUnlockedAdmin } from './profiles';

/** Workbox names its precache "workbox-precache-v2-<scope>"; everything else may hold data. */
export function isAppShellCache(name: string): boolean {
  return name.startsWith('workbox-precache');
}

/** The databases the registry names, and any other of this origin where the browser can list them. */
async function otherDatabases(): Promise<string[]> {
  const { appDatabase, otherDatabases: named } = wipePlaces();
  const listed = typeof indexedDB.databases === 'function' ? (await indexedDB.databases()).map((info) => info.name ?? '') : [];
  return [...new Set([...named, ...listed])].filter((name) => name !== '' && name !== appDatabase);
}

export interface WipeReport {
  databasesCleared: number;
  cachesDeleted: number;
}

/**
 * Locks the instructor area and erases the tablet's data. Safe to call twice; a failure in one place does not stop
 * the others (a half-wiped tablet is worse than one that says it failed), and the first error is thrown at the end.
 */
export async function wipeTablet(): Promise<WipeReport> {
  lockNow(); // forgets the data key; clearing the profiles below destroys every wrapped copy of it
  const problems: unknown[] = [];
  const attempt = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      problems.push(error);
      return fallback;
    }
  };
  await attempt(clearEveryTable, undefined);
  const others = await attempt(otherDatabases, wipePlaces().otherDatabases);
  for (const name of others) await attempt(() => emptyDatabase(name), undefined);
  let cachesDeleted = 0;
  if (typeof caches !== 'undefined') {
    const names = await attempt(() => caches.keys(), [] as string[]);
    for (const name of names.filter((n) => !isAppShellCache(n))) if (await attempt(() => caches.delete(name), false)) cachesDeleted += 1;
  }
  await attempt(async () => {
    localStorage.clear(); // the registry's keys and whatever an older version left there
    sessionStorage.clear();
  }, undefined);
  if (problems.length > 0) throw problems[0];
  return { databasesCleared: others.length + 1, cachesDeleted };
}

/** "Wipe this tablet" from the tablet settings: refused unless the unlocked profile is a site admin. */
export async function wipeTabletAsAdmin(): Promise<WipeReport> {
  await requireUnlockedAdmin();
  return wipeTablet();
}
