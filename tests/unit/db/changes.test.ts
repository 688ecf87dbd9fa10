import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { addFeedback, deleteRecord, isPending, pendingChanges, saveRecord, setPlace } from '../../../src/db/changes';
import { DigitukiDB, useDatabase } from '../../../src/db/db';

let database: DigitukiDB;

beforeEach(() => {
  database = new DigitukiDB('digituki-changes', { indexedDB: new IDBFactory() }); // a fresh, empty IndexedDB per test
  useDatabase(database);
});

describe('saving a synced record', () => {
  it('writes the record and its outbox row together, with a clock per field', async () => {
    await setPlace('org-1', 'site-1');
    const first = await saveRecord('sessions', 's1', { status: 'draft', format: 'walk-in', topics: ['security'] }, 1_000);
    const second = await saveRecord('sessions', 's1', { format: 'group' }, 2_000);
    const row = await database.sessions.get('s1');
    expect(row).toMatchObject({ id: 's1', org: 'org-1', site: 'site-1', status: 'draft', format: 'group', topics: ['security'], deleted: 0, hlc: second.hlc, updatedAt: 2_000 });
    expect(row!.fieldClocks).toMatchObject({ status: first.hlc, topics: first.hlc, format: second.hlc });
    expect(second.hlc > first.hlc).toBe(true);
    const outbox = await database.outbox.orderBy('seq').toArray();
    expect(outbox.map((entry) => entry.fields)).toEqual([
      { status: 'draft', format: 'walk-in', topics: ['security'], updatedAt: 1_000 },
      { format: 'group', updatedAt: 2_000 },
    ]);
    expect(await pendingChanges()).toBe(2);
    expect(await isPending('sessions', 's1')).toBe(true);
  });

  it('keeps clocks increasing even when the tablet clock goes backwards', async () => {
    const a = await saveRecord('sessions', 's1', { format: 'group' }, 5_000);
    const b = await saveRecord('sessions', 's1', { format: 'pop-up' }, 1_000);
    expect(b.hlc > a.hlc).toBe(true);
    expect((await database.sessions.get('s1'))!.format).toBe('pop-up');
  });

  it('never lets a caller overwrite the bookkeeping fields', async () => {
    await saveRecord('sessions', 's1', { id: 'other', hlc: 'x', fieldClocks: {}, org: 'evil', format: 'group' });
    const row = await database.sessions.get('s1');
    expect(row!.id).toBe('s1');
    expect(row!.org).toBe('');
    expect(await database.sessions.get('other')).toBeUndefined();
  });

  it('deletes with a tombstone that is itself a queued change', async () => {
    await saveRecord('sessions', 's1', { format: 'group' });
    await deleteRecord('sessions', 's1');
    expect((await database.sessions.get('s1'))!.deleted).toBe(1);
    expect((await database.outbox.orderBy('seq').last())!.fields).toMatchObject({ deleted: 1 });
  });
});

describe('feedback', () => {
  it('is stored once and queued whole; a second save of the same answer changes nothing', async () => {
    await addFeedback('f1', { createdAt: 10, lang: 'fi', answers: { mood: 4 } });
    await expect(addFeedback('f1', { createdAt: 11, lang: 'fi', answers: { mood: 1 } })).rejects.toThrow();
    expect((await database.feedback.get('f1'))!.answers).toEqual({ mood: 4 });
    expect(await database.outbox.count()).toBe(1);
  });
});
