// Schema upgrades with real data: a tablet that skips releases opens its old database and keeps every row.
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DigitukiDB } from '../../../src/db/db';
import { waitingChanges } from '../../../src/db/sync';

/** The database exactly as version 1 of the app declared and left it. */
function versionOne(indexedDB: IDBFactory): Dexie {
  const old = new Dexie('digituki-upgrade', { indexedDB, IDBKeyRange });
  old.version(1).stores({
    guides: 'id, slug, [lang+slug], category, source, updatedAt, deleted',
    guideSteps: 'id, [guideId+orderKey], imageHash',
    blobs: 'hash, uploaded',
    sessions: 'id, startedAt, status, format, *topics, site, updatedAt, deleted',
    feedback: 'id, sessionId, createdAt, site',
    outbox: '++seq, [table+recordId]',
    profiles: 'id, nickname',
    syncState: 'key',
  });
  return old;
}

const synced = (org: string, site: string, hlc = '001767000000000-0000-tab') => ({ org, site, hlc, fieldClocks: { format: hlc }, updatedAt: 1, deleted: 0 });

describe('upgrading the tablet database from version 1 to 2', () => {
  it('stamps each waiting change with the place of its record, or the tablet’s place when the record has none', async () => {
    const indexedDB = new IDBFactory();
    const old = versionOne(indexedDB);
    await old.table('syncState').bulkPut([
      { key: 'place', value: { org: 'org-now', site: 'site-now' } },
      { key: 'nextMutationId', value: 4 },
    ]);
    await old.table('sessions').bulkPut([
      { id: 'log-here', format: 'group', startedAt: 1, status: 'final', topics: [], ...synced('org-now', 'site-now') },
      { id: 'log-earlier-site', format: 'walk-in', startedAt: 1, status: 'final', topics: [], ...synced('org-before', 'site-before') },
      { id: 'log-never-placed', format: 'pop-up', startedAt: 1, status: 'final', topics: [], ...synced('', '') },
    ]);
    await old.table('guides').put({ id: 'g1', slug: 'tulostin', lang: 'fi', title: 'Tulostin', source: 'org', ...synced('org-now', '') });
    await old.table('feedback').put({ id: 'fb1', org: 'org-before', site: 'site-before', createdAt: 1, lang: 'fi', answers: { mood: 4 } });
    await old.table('outbox').bulkAdd([
      { table: 'sessions', recordId: 'log-here', hlc: 'h1', fields: { format: 'group' }, mutationId: 3 },
      { table: 'sessions', recordId: 'log-earlier-site', hlc: 'h2', fields: { format: 'walk-in' } },
      { table: 'sessions', recordId: 'log-never-placed', hlc: 'h3', fields: { format: 'pop-up' } },
      { table: 'guides', recordId: 'g1', hlc: 'h4', fields: { title: 'Tulostin' } },
      { table: 'feedback', recordId: 'fb1', hlc: 'h5', fields: { createdAt: 1, lang: 'fi', answers: { mood: 4 } } },
      { table: 'sessions', recordId: 'log-gone', hlc: 'h6', fields: { format: 'group' } },
    ]);
    old.close();

    const upgraded = new DigitukiDB('digituki-upgrade', { indexedDB, IDBKeyRange });
    const rows = await upgraded.outbox.orderBy('seq').toArray();
    expect(rows.map((row) => [row.recordId, row.org, row.site])).toEqual([
      ['log-here', 'org-now', 'site-now'],
      ['log-earlier-site', 'org-before', 'site-before'],
      ['log-never-placed', 'org-now', 'site-now'],
      ['g1', 'org-now', ''],
      ['fb1', 'org-before', 'site-before'],
      ['log-gone', 'org-now', 'site-now'],
    ]);
    // Nothing else changed: order, ids given, fields, records, the sync state.
    expect(rows.map((row) => row.hlc)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
    // Version 7: the rows are found by clock, the newest first (the tablet's clock after a restart).
    expect((await upgraded.outbox.orderBy('hlc').reverse().first())?.hlc).toBe('h6');
    // Version 5: the id a push gave a row is kept in syncState's `numbered`, no longer in the row.
    expect(rows[0]).toMatchObject({ fields: { format: 'group' } });
    expect(rows[0]).not.toHaveProperty('mutationId');
    expect((await waitingChanges(upgraded)).map((row) => row.mutationId)).toEqual([3, undefined, undefined, undefined, undefined, undefined]);
    expect((await upgraded.syncState.get('numbered'))?.value).toEqual([[1, 3]]);
    expect(await upgraded.sessions.count()).toBe(3);
    expect((await upgraded.sessions.get('log-never-placed'))?.org).toBe('');
    expect((await upgraded.syncState.get('nextMutationId'))?.value).toBe(4);
    upgraded.close();
  });

  it('opens an empty version 1 database and a tablet that was never enrolled', async () => {
    const indexedDB = new IDBFactory();
    const old = versionOne(indexedDB);
    await old.table('outbox').add({ table: 'sessions', recordId: 'x', hlc: 'h', fields: {} });
    old.close();
    const upgraded = new DigitukiDB('digituki-upgrade', { indexedDB, IDBKeyRange });
    expect(await upgraded.outbox.toArray()).toEqual([{ seq: 1, table: 'sessions', recordId: 'x', hlc: 'h', fields: {}, org: '', site: '' }]);
    expect(upgraded.verno).toBe(7);
    expect(await upgraded.syncState.get('numbered')).toBeUndefined();
    upgraded.close();
  });
});

describe('upgrading the tablet database from version 2 to 3', () => {
  it('merges the waiting changes of each record and place into one row, each field at its own clock; numbered rows stay', async () => {
    const indexedDB = new IDBFactory();
    const old = versionOne(indexedDB);
    await old.table('outbox').bulkAdd([
      { table: 'sessions', recordId: 'log1', hlc: '001767000000001-0000-tab', fields: { format: 'group' }, mutationId: 7 },
      { table: 'sessions', recordId: 'log1', hlc: '001767000000002-0000-tab', fields: { format: 'walk-in', topics: ['security'], updatedAt: 2 } },
      { table: 'sessions', recordId: 'log2', hlc: '001767000000003-0000-tab', fields: { format: 'pop-up' } },
      { table: 'sessions', recordId: 'log1', hlc: '001767000000004-0000-tab', fields: { format: 'one-to-one', updatedAt: 4 } },
    ]);
    old.close();
    const upgraded = new DigitukiDB('digituki-upgrade', { indexedDB, IDBKeyRange });
    const rows = await upgraded.outbox.orderBy('seq').toArray();
    expect(rows).toEqual([
      { seq: 1, table: 'sessions', recordId: 'log1', hlc: '001767000000001-0000-tab', fields: { format: 'group' }, org: '', site: '' },
      {
        seq: 2,
        table: 'sessions',
        recordId: 'log1',
        hlc: '001767000000004-0000-tab',
        fields: { format: 'one-to-one', topics: ['security'], updatedAt: 4 },
        fieldClocks: { topics: '001767000000002-0000-tab' },
        org: '',
        site: '',
      },
      { seq: 3, table: 'sessions', recordId: 'log2', hlc: '001767000000003-0000-tab', fields: { format: 'pop-up' }, org: '', site: '' },
    ]);
    expect((await waitingChanges(upgraded)).map((row) => [row.seq, row.mutationId])).toEqual([
      [1, 7],
      [2, undefined],
      [3, undefined],
    ]);
    upgraded.close();
  });
});

describe('upgrading the tablet database from version 3 to 4 and on to 6', () => {
  it('keeps every log and drops the indexes (status, format, updatedAt, deleted; topics in 6); logs are still found by date and site', async () => {
    const indexedDB = new IDBFactory();
    const old = versionOne(indexedDB);
    await old.table('sessions').bulkPut([
      { id: 'log-a', format: 'group', startedAt: 5, status: 'final', topics: ['security'], ...synced('org', 'site-1') },
      { id: 'log-b', format: 'walk-in', startedAt: 9, status: 'draft', topics: ['kela', 'security'], ...synced('org', 'site-2') },
    ]);
    old.close();
    const upgraded = new DigitukiDB('digituki-upgrade', { indexedDB, IDBKeyRange });
    await upgraded.open();
    expect(upgraded.sessions.schema.indexes.map((index) => index.name).sort()).toEqual(['site', 'startedAt']);
    expect(await upgraded.sessions.orderBy('id').toArray()).toEqual([
      { id: 'log-a', format: 'group', startedAt: 5, status: 'final', topics: ['security'], ...synced('org', 'site-1') },
      { id: 'log-b', format: 'walk-in', startedAt: 9, status: 'draft', topics: ['kela', 'security'], ...synced('org', 'site-2') },
    ]);
    expect(await upgraded.sessions.where('startedAt').above(6).primaryKeys()).toEqual(['log-b']);
    expect(await upgraded.sessions.orderBy('site').uniqueKeys()).toEqual(['site-1', 'site-2']);
    upgraded.close();
    // The index is gone from IndexedDB itself, not only from Dexie's view of it.
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('digituki-upgrade');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    expect([...raw.transaction('sessions').objectStore('sessions').indexNames].sort()).toEqual(['site', 'startedAt']);
    raw.close();
  });
});
