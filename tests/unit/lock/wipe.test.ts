import { createStore, get, set } from 'idb-keyval';
import { describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { loadDeviceSettings, saveLanguage } from '../../../src/db/device-settings';
import { dispatchMode, mode } from '../../../src/lock/mode';
import { loadLockout, saveLockout } from '../../../src/lock/settings';
import { isAppShellCache, wipeTablet } from '../../../src/lock/wipe';

describe('wipeTablet(), as the sync engine calls it on {error: "revoked", wipe: true}', () => {
  it('locks the instructor area and empties every table, every idb-keyval store and local storage', async () => {
    await db().sessions.add({
      id: 'log-1',
      org: 'o',
      site: 's',
      updatedAt: 1,
      hlc: '1',
      fieldClocks: {},
      deleted: 0,
      status: 'final',
      startedAt: 1,
      format: 'walk-in',
      topics: [],
    });
    await db().outbox.add({ table: 'sessions', recordId: 'log-1', hlc: '1', fields: {}, org: '', site: '' });
    await db().profiles.add({ id: 'p-1', nickname: 'Anna', role: 'admin', pinHash: 'x', salt: 'y', iterations: 310_000, createdAt: 1 });
    await db().syncState.put({ key: 'device', value: { token: 'device-token' } });
    await saveLanguage('sv');
    await saveLockout({ failures: 3, lastFailureAt: 5 });
    const syncStore = createStore('digituki-sync', 'keyval'); // a store some other feature might add later
    await set('token', 'another-token', syncStore);
    localStorage.setItem('draft', 'x');
    dispatchMode({ type: 'unlock', profileId: 'p-1', at: Date.now() });

    await wipeTablet();

    expect(mode.get().kind).toBe('participant');
    for (const table of db().tables) expect(await table.count(), table.name).toBe(0);
    expect((await loadDeviceSettings()).language).toBeUndefined();
    expect(await loadLockout()).toEqual({ failures: 0, lastFailureAt: 0 });
    expect(await get('token', syncStore)).toBeUndefined();
    expect(localStorage.length).toBe(0);
  });

  it('keeps only the app shell precache among the caches', () => {
    expect(isAppShellCache('workbox-precache-v2-https://tablet.example/')).toBe(true);
    expect(isAppShellCache('digituki-pictures')).toBe(false);
    expect(isAppShellCache('workbox-runtime-https://tablet.example/')).toBe(false);
  });
});
