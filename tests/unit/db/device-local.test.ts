// The device-local registry (src/db/device-local.ts and its lists in device-local-places.ts): every key it names is gone after a wipe, the wipe finds the
// databases through the registry alone, and values an earlier version kept elsewhere move on their first read.
import fc from 'fast-check';
import { createStore, entries, get, set } from 'idb-keyval';
import { afterEach, describe, expect, it as plainIt } from 'vitest';
import { db } from '../../../src/db/db';
import {
  type DatabaseKey,
  readKeyval,
  readLocal,
  readStored,
  type StoredKey,
  type StoredValues,
  writeKeyval,
  writeLocal,
  writeStored,
} from '../../../src/db/device-local';
import { GUIDE_EDITOR_JOURNAL, registeredKeys, STORED_KEYS, wipePlaces } from '../../../src/db/device-local-places';
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

/** A value of the right type for every localStorage key. */
const GOOD: StoredValues = {
  deviceSettingsMirror: { language: 'sv', textSize: 'large' },
  recentGuideCount: 3,
  guideEditorJournal: [{ table: 'guides', id: 'g1', fields: { title: 'Uusi' }, at: 500 }],
  syncLease: { holder: 'tab-a', until: 31_000 },
};

/** Every localStorage key with its name in the registry, for loops (each key's own type is checked in the registry). */
const storedEntries = Object.entries(STORED_KEYS) as [keyof StoredValues, StoredKey<unknown>][];

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
    }
    for (const [name, key] of storedEntries) expect(writeStored(key, GOOD[name]), name).toBe(true);
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
    for (const [name, key] of storedEntries) expect(readStored(key), name).toBeUndefined();
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

describe('the localStorage place: typed reads and writes', () => {
  plainIt('gives back what was written, for every key', () => {
    for (const [name, key] of storedEntries) {
      expect(writeStored(key, GOOD[name]), name).toBe(true);
      expect(readStored(key), name).toEqual(GOOD[name]);
      expect(writeStored(key, undefined), name).toBe(true);
      expect(localStorage.getItem(key.name), name).toBeNull();
    }
  });

  plainIt('reads a stored value of the wrong type, or damaged text, as none', () => {
    const wrong: Record<keyof StoredValues, string[]> = {
      deviceSettingsMirror: ['null', '"sv"', '[1]', '{not json'],
      recentGuideCount: ['"many"', '-1', '2.5', 'null', '{}'],
      guideEditorJournal: ['{"table":"guides"}', '"[]"', 'null', '[1'],
      syncLease: ['{"holder":1,"until":2}', '{"holder":"tab-a"}', '[]', '{not json'],
    };
    for (const [name, key] of storedEntries)
      for (const text of wrong[name]) {
        localStorage.setItem(key.name, text);
        expect(readStored(key), `${name}: ${text}`).toBeUndefined();
      }
    // A settings mirror keeps only its settings that are text; the journal keeps only its entries of the right shape.
    localStorage.setItem(STORED_KEYS.deviceSettingsMirror.name, '{"language":3,"textSize":"large"}');
    expect(readStored(STORED_KEYS.deviceSettingsMirror)).toEqual({ language: undefined, textSize: 'large' });
    const journal = [GOOD.guideEditorJournal[0], { table: 'sessions', id: 's1', fields: {}, at: 1 }, { table: 'guides', id: 'g2', fields: 'x', at: 1 }];
    localStorage.setItem(GUIDE_EDITOR_JOURNAL.name, JSON.stringify(journal));
    expect(readStored(GUIDE_EDITOR_JOURNAL)).toEqual(GOOD.guideEditorJournal);
  });

  plainIt('never throws on anything stored: a value read is one its key accepts again as it is', () => {
    fc.assert(
      fc.property(fc.constantFrom(...storedEntries.map(([, key]) => key)), fc.oneof(fc.json(), fc.string()), (key, text) => {
        localStorage.setItem(key.name, text);
        const value = readStored(key);
        if (value !== undefined) expect(key.parse(JSON.parse(JSON.stringify(value)))).toEqual(value);
      }),
    );
  });

  plainIt('without usable storage reads none and says the write did not happen', () => {
    const blocked = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    } as unknown as Storage;
    for (const [, key] of storedEntries) {
      expect(readStored(key, blocked)).toBeUndefined();
      expect(writeStored(key, GOOD.syncLease, blocked)).toBe(false);
    }
  });
});
