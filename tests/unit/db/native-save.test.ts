// A save after the connection's first is one IndexedDB transaction over the record's table and the outbox (issue 16),
// live queries still see it, and a save inside a caller's transaction stays part of that transaction.
import Dexie, { liveQuery } from 'dexie';
import { describe, expect } from 'vitest';
import { saveRecord, setPlace } from '../../../src/db/changes';
import { db } from '../../../src/db/db';
import { savesTold } from '../../../src/db/native-save';
import { it } from '../support/database';

/** Counts the transactions opened on the database's IndexedDB connection, with their tables and mode. */
function countTransactions(): { opened: string[][] } {
  const backend = db().backendDB();
  const original = backend.transaction.bind(backend);
  const seen = { opened: [] as string[][] };
  backend.transaction = ((names: string | string[], mode?: IDBTransactionMode) => {
    seen.opened.push([...(typeof names === 'string' ? [names] : names)].sort().concat(mode ?? 'readonly'));
    return original(names, mode);
  }) as typeof backend.transaction;
  return seen;
}

describe('a local save', () => {
  it('is one read-write transaction over the record, the outbox and its numbering, once the connection knows its clock and place', async () => {
    await setPlace('org-1', 'site-1');
    await saveRecord('sessions', 's1', { status: 'draft', format: 'walk-in' }, 1_000); // the first reads clock and place
    const seen = countTransactions();
    await saveRecord('sessions', 's1', { format: 'group' }, 2_000);
    await saveRecord('sessions', 's2', { format: 'pop-up' }, 3_000);
    expect(seen.opened).toEqual([
      ['outbox', 'sessions', 'syncState', 'readwrite'],
      ['outbox', 'sessions', 'syncState', 'readwrite'],
    ]);
    expect((await db().sessions.get('s1'))?.format).toBe('group');
    expect(await db().outbox.count()).toBe(2); // s1's two saves wait as one row
  });

  it('reaches a live query that reads by an index', async () => {
    await setPlace('org-1', 'site-1');
    await saveRecord('sessions', 's1', { status: 'draft', format: 'walk-in', startedAt: 10 }, 1_000);
    const formats: string[][] = [];
    const subscription = liveQuery(() => db().sessions.orderBy('startedAt').toArray()).subscribe((rows) => formats.push(rows.map((r) => r.format)));
    await expect.poll(() => formats.at(-1)).toEqual(['walk-in']);
    await saveRecord('sessions', 's1', { format: 'group' }, 2_000);
    await expect.poll(() => formats.at(-1)).toEqual(['group']);
    await saveRecord('sessions', 's2', { format: 'pop-up', startedAt: 20 }, 3_000);
    await expect.poll(() => formats.at(-1)).toEqual(['group', 'pop-up']);
    subscription.unsubscribe();
  });

  it('is told to live queries in the next task after a quiet moment, and saves in quick succession at most once a frame', async () => {
    await setPlace('org-1', 'site-1');
    await saveRecord('sessions', 'warm', { format: 'walk-in' }, 1_000); // the first save reads clock and place
    await savesTold();
    let tellings = 0;
    const count = (parts: Record<string, unknown>) => {
      if (Object.keys(parts).some((part) => part.startsWith(`idb://${db().name}/sessions/`))) tellings += 1;
    };
    Dexie.on('storagemutated').subscribe(count);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20)); // a quiet frame
      await saveRecord('sessions', 'tapped', { format: 'group' }, 2_000);
      await new Promise((resolve) => setTimeout(resolve, 0)); // the next task: told by now
      expect(tellings).toBe(1);
      const started = performance.now();
      for (let n = 0; n < 60; n += 1) await saveRecord('sessions', `typed${n}`, { format: 'pop-up' }, 3_000 + n);
      await savesTold();
      const frames = (performance.now() - started) / 16;
      expect(tellings - 1).toBeGreaterThanOrEqual(1);
      expect(tellings - 1).toBeLessThanOrEqual(Math.ceil(frames) + 1); // at most one telling a frame, not one a save
    } finally {
      Dexie.on('storagemutated').unsubscribe(count);
    }
  });

  it("inside a caller's transaction is part of it: a failure after it leaves nothing", async () => {
    await setPlace('org-1', 'site-1');
    await saveRecord('sessions', 's1', { format: 'walk-in' }, 1_000);
    const database = db();
    await expect(
      database.transaction('rw', [database.sessions, database.outbox, database.syncState], async () => {
        await saveRecord('sessions', 's1', { format: 'group' }, 2_000);
        await saveRecord('sessions', 's2', { format: 'pop-up' }, 3_000);
        throw new Error('the import found a bad file');
      }),
    ).rejects.toThrow('the import found a bad file');
    expect((await database.sessions.get('s1'))?.format).toBe('walk-in');
    expect(await database.sessions.get('s2')).toBeUndefined();
    expect((await database.outbox.toArray()).map((row) => row.fields.format)).toEqual(['walk-in']);
  });
});
