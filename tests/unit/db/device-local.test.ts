// The device-local registry (src/db/device-local.ts and its lists in device-local-places.ts): every key it names is gone after a wipe, the wipe finds the
// databases through the registry alone, and values an earlier version kept elsewhere move on their first read.
import { createStore, entries, get, set } from 'idb-keyval';
import { afterEach, describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { readKeyval, readLocal, writeKeyval, writeLocal, type DatabaseKey } from '../../../src/db/device-local';
import { registeredKeys, wipePlaces } from '../../../src/db/device-local-places';
import { loadLockout, loadLockSettings, saveIdleMinutes } from '../../../src/lock/settings';
import { wipeTablet } from '../../../src/lock/wipe';
import { it } from '../support/database';

const listDatabases = indexedDB.databases;
afterEach(() => {
  indexedDB.databases = listDatabases;
  localStorage.clear();
});

/** The name a registered key is written under: a family's prefix with an id after it. */
const nameOf = (entry: { key: string; family?: true }) => (entry.family ? `${entry.key}profile-1` : entry.key);

describe('the device-local registry', () => {
  it('names each key once, in one place', () => {
    const keys = registeredKeys().map((entry) => `${entry.where}/${entry.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      registeredKeys()
        .filter((entry) => entry.where === 'localStorage')
        .map((entry) => entry.key),
    ).toContain('digituki.deviceSettings');
  });

  it('wipe empties every registered key in every place, finding the databases through the registry when the browser cannot list them', async () => {
    for (const entry of registeredKeys()) {
      if (entry.where === 'database') await writeLocal(db(), nameOf(entry) as DatabaseKey, 'something' as never);
      else if (entry.where === 'keyval') await writeKeyval(entry.key as 'language', 'something');
      else localStorage.setItem(entry.key, 'something');
    }
    await set('idleMinutes', 30, createStore('digituki-lock', 'state')); // a place of an earlier version, not moved yet
    // @ts-expect-error a browser without indexedDB.databases() (older Safari): only the registry's list is left
    indexedDB.databases = undefined;

    await wipeTablet();

    for (const entry of registeredKeys()) {
      const left =
        entry.where === 'database'
          ? await readLocal(db(), nameOf(entry) as DatabaseKey)
          : entry.where === 'keyval'
            ? await readKeyval(entry.key as 'language')
            : localStorage.getItem(entry.key);
      expect(left ?? undefined, `${entry.where}/${entry.key}`).toBeUndefined();
    }
    expect(await entries(createStore('digituki-lock', 'state'))).toEqual([]);
    expect(wipePlaces().otherDatabases).toEqual(expect.arrayContaining(['digituki-device', 'digituki-lock']));
  });
});

describe('values an earlier version kept in idb-keyval database digituki-lock', () => {
  it('move to the app database at their first read, and the old store is emptied', async () => {
    const former = createStore('digituki-lock', 'state');
    await set('idleMinutes', 10, former);
    await set('retentionMonths', 12, former);
    await set('lockout', { failures: 2, lastFailureAt: 500 }, former);
    await set('lockout:profile-1', { failures: 4, lastFailureAt: 900 }, former);

    expect(await loadLockSettings()).toEqual({ idleMinutes: 10, retentionMonths: 12 });
    expect(await loadLockout()).toEqual({ failures: 2, lastFailureAt: 500 });
    expect(await loadLockout('profile-1')).toEqual({ failures: 4, lastFailureAt: 900 });
    expect(await readLocal(db(), 'retentionMonths')).toBe(12);
    expect(await entries(former)).toEqual([]);
  });

  it('never overwrite a value written in the new place since', async () => {
    const former = createStore('digituki-lock', 'state');
    await set('idleMinutes', 10, former);
    await saveIdleMinutes(2);
    expect((await loadLockSettings()).idleMinutes).toBe(2);
    expect(await get('idleMinutes', former)).toBeUndefined();
  });
});
