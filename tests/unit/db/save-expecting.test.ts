// A save of a record this connection wrote last does not wait for a read (issue 16): it is decided from what was
// written, sent with its checks in one transaction, and read first only when the record or its waiting row changed
// underneath (another tab, a pull, a push). These tests change them underneath and look at what is stored.
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { IDBKeyRange } from 'fake-indexeddb';
import { rememberNewRecord, saveRecord, setPlace } from '../../../src/db/changes';
import { db, DigitukiDB, replaceDatabase } from '../../../src/db/db';
import { sameStored } from '../../../src/db/native-save';
import { nextBatch, waitingChanges } from '../../../src/db/sync';
import { it } from '../support/database';

/** Every request made on an object store or index, in order, as "method store". */
function watchRequests(): { made: string[]; stop: () => void } {
  const made: string[] = [];
  const methods = ['get', 'put', 'add', 'openCursor'] as const;
  const store = IDBObjectStore.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const index = IDBIndex.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = methods.map((name) => [name, store[name], index[name]] as const);
  for (const [name, onStore, onIndex] of originals) {
    store[name] = function (this: IDBObjectStore, ...args: unknown[]) {
      made.push(`${name} ${this.name}`);
      return onStore!.apply(this, args);
    };
    if (onIndex)
      index[name] = function (this: IDBIndex, ...args: unknown[]) {
        made.push(`${name} ${this.objectStore.name} index`);
        return onIndex.apply(this, args);
      };
  }
  return {
    made,
    stop: () => {
      for (const [name, onStore, onIndex] of originals) {
        store[name] = onStore!;
        if (onIndex) index[name] = onIndex;
      }
    },
  };
}

async function warmTablet(): Promise<void> {
  await setPlace('org-1', 'site-1');
  await saveRecord('sessions', 'warm', { format: 'walk-in' }, 1_000); // the first save reads clock and place
}

describe('a save that need not read first', () => {
  it('adds a new log and its row with no read, and saves a log saved before with three reads sent with its writes', async () => {
    await warmTablet();
    const watched = watchRequests();
    try {
      await saveRecord('sessions', rememberNewRecord('sessions', 'log1'), { format: 'group' }, 2_000);
      expect(watched.made).toEqual(['add sessions', 'put outbox']);
      watched.made.length = 0;
      await saveRecord('sessions', 'log1', { channel: 'phone' }, 3_000);
      // No index cursor, nothing waited for: the checks are plain key reads made together with the writes (the
      // record, its waiting row, and whether a push numbered that row).
      expect(watched.made).toEqual(['get sessions', 'get outbox', 'get syncState', 'put sessions', 'put outbox']);
    } finally {
      watched.stop();
    }
    expect(await db().sessions.get('log1')).toMatchObject({ format: 'group', channel: 'phone', org: 'org-1', site: 'site-1' });
    const rows = await db()
      .outbox.filter((row) => row.recordId === 'log1')
      .toArray();
    expect(rows).toHaveLength(1); // the two saves wait as one row
    expect(rows[0]!.fields).toMatchObject({ format: 'group', channel: 'phone' });
  });

  it('reads first a log this connection neither made nor saved, and one made here that another tab stored meanwhile', async () => {
    await warmTablet();
    await db().sessions.put({ ...(await db().sessions.get('warm'))!, id: 'old', format: 'pop-up', channel: 'phone' }); // from a backup
    const watched = watchRequests();
    try {
      await saveRecord('sessions', 'old', { format: 'group' }, 2_000);
      expect(watched.made).toEqual(['get sessions', 'openCursor outbox index', 'get syncState', 'put sessions', 'put outbox']);
      watched.made.length = 0;
      // An id remembered as new, but a record has it: the store refuses the add, and the save reads it and merges.
      await saveRecord('sessions', rememberNewRecord('sessions', 'old'), { outcome: 'with-support' }, 3_000);
      expect(watched.made).toEqual(['add sessions', 'put outbox', 'get sessions', 'openCursor outbox index', 'get syncState', 'put sessions', 'put outbox']);
    } finally {
      watched.stop();
    }
    expect(await db().sessions.get('old')).toMatchObject({ format: 'group', channel: 'phone', outcome: 'with-support' });
    const rows = await db()
      .outbox.filter((row) => row.recordId === 'old')
      .toArray();
    expect(rows.map((row) => Object.keys(row.fields).sort())).toEqual([['format', 'outcome', 'updatedAt']]);
  });

  it('keeps a field a pull wrote underneath, and queues only its own change', async () => {
    await warmTablet();
    await saveRecord('sessions', 'log1', { format: 'group' }, 2_000);
    const stored = (await db().sessions.get('log1'))!;
    // A pull merges another tablet's topics into the log (a later clock than the log's own).
    const remote = '000000000005000-0000-0123456789abcdef';
    await db().sessions.put({ ...stored, topics: ['security'], hlc: remote, fieldClocks: { ...stored.fieldClocks, topics: remote } });
    await saveRecord('sessions', 'log1', { channel: 'phone' }, 6_000);
    const log = (await db().sessions.get('log1'))!;
    expect(log).toMatchObject({ format: 'group', topics: ['security'], channel: 'phone' });
    expect(log.hlc > remote).toBe(true); // the change is after the clock it saw
    const rows = await db()
      .outbox.filter((row) => row.recordId === 'log1')
      .toArray();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!.fields).sort()).toEqual(['channel', 'format', 'updatedAt']);
  });

  it('starts a new row when a push numbered the waiting one, and when the server acknowledged it', async () => {
    await warmTablet();
    await saveRecord('sessions', 'log1', { format: 'group' }, 2_000);
    const first = await db()
      .outbox.filter((row) => row.recordId === 'log1')
      .first();
    // Numbered for a push: sent as it is. The row itself is not rewritten (its id is in syncState's `numbered`).
    const numbered = await nextBatch(db(), 500, { org: first!.org, site: first!.site });
    expect(numbered.map((entry) => [entry.recordId, entry.mutationId])).toEqual([
      ['warm', 1],
      ['log1', 2],
    ]);
    await saveRecord('sessions', 'log1', { channel: 'phone' }, 3_000);
    const rows = (await waitingChanges(db())).filter((row) => row.recordId === 'log1');
    expect(rows.map((row) => [row.mutationId, Object.keys(row.fields).sort()])).toEqual([
      [2, ['format', 'updatedAt']],
      [undefined, ['channel', 'updatedAt']],
    ]);
    await db().outbox.bulkDelete(rows.map((row) => row.seq!)); // acknowledged
    await saveRecord('sessions', 'log1', { outcome: 'with-support' }, 4_000);
    const after = await db()
      .outbox.filter((row) => row.recordId === 'log1')
      .sortBy('seq');
    expect(after.map((row) => Object.keys(row.fields).sort())).toEqual([['outcome', 'updatedAt']]);
    expect(await db().sessions.get('log1')).toMatchObject({ format: 'group', channel: 'phone', outcome: 'with-support' });
  });

  it('never merges into a row numbered by another tab: neither after a restart (first save) nor from a tab that read it', async () => {
    await warmTablet();
    const first = db();
    const factory = (first as unknown as { _options: { indexedDB: IDBFactory } })._options.indexedDB;
    await saveRecord('sessions', 'log1', { format: 'group' }, 2_000);
    await saveRecord('sessions', 'log2', { format: 'group' }, 2_001);
    const sync = new DigitukiDB(first.name, { indexedDB: factory, IDBKeyRange }); // the tab that syncs
    await nextBatch(sync, 500, { org: 'org-1', site: 'site-1' });
    sync.close();
    // This tab read log2's row before (its own save): it must see the numbering, not only an unchanged row.
    await saveRecord('sessions', 'log2', { channel: 'phone' }, 3_000);
    first.close();
    const restarted = new DigitukiDB(first.name, { indexedDB: factory, IDBKeyRange }); // remembers nothing yet
    replaceDatabase(restarted);
    await saveRecord('sessions', 'log1', { channel: 'phone' }, 4_000); // the connection's first save: Dexie's path
    await saveRecord('sessions', 'log1', { outcome: 'with-support' }, 5_000); // merged into the new row
    const rows = await waitingChanges(restarted);
    expect(rows.map((row) => [row.recordId, row.mutationId, Object.keys(row.fields).sort()])).toEqual([
      ['warm', 1, ['format', 'updatedAt']],
      ['log1', 2, ['format', 'updatedAt']],
      ['log2', 3, ['format', 'updatedAt']],
      ['log2', undefined, ['channel', 'updatedAt']],
      ['log1', undefined, ['channel', 'outcome', 'updatedAt']],
    ]);
    restarted.close();
  });

  it('reads a log it did not write: written by another tab of the same tablet', async () => {
    await warmTablet();
    const first = db();
    const other = new DigitukiDB(first.name, { indexedDB: (first as unknown as { _options: { indexedDB: IDBFactory } })._options.indexedDB, IDBKeyRange });
    try {
      await saveRecord('sessions', 'log1', { format: 'group' }, 2_000);
      replaceDatabase(other); // the other tab saves the same log twice, then this one again
      await setPlace('org-1', 'site-1');
      await saveRecord('sessions', 'log1', { channel: 'phone' }, 3_000);
      await saveRecord('sessions', 'log1', { outcome: 'with-support' }, 4_000);
      replaceDatabase(first);
      await saveRecord('sessions', 'log1', { format: 'pop-up' }, 5_000);
      await saveRecord('sessions', rememberNewRecord('sessions', 'log2'), { format: 'walk-in' }, 6_000);
      replaceDatabase(other);
      await saveRecord('sessions', 'log2', { channel: 'phone' }, 7_000); // never written by this tab: it exists
    } finally {
      replaceDatabase(first);
      other.close();
    }
    expect(await first.sessions.get('log1')).toMatchObject({ format: 'pop-up', channel: 'phone', outcome: 'with-support' });
    expect(await first.sessions.get('log2')).toMatchObject({ format: 'walk-in', channel: 'phone' });
    const rows = await first.outbox.filter((row) => row.recordId !== 'warm').toArray();
    expect(rows.map((row) => [row.recordId, row.fields.format, row.fields.channel])).toEqual([
      ['log1', 'pop-up', 'phone'],
      ['log2', 'walk-in', 'phone'],
    ]);
  });

  it('lands quick saves of one field in the order they were asked, not awaited one by one', async () => {
    await warmTablet();
    await saveRecord('sessions', 'log1', { note: '' }, 2_000);
    // Another tab wrote the log just before: the first quick save finds it changed and reads, the others follow it.
    const stored = (await db().sessions.get('log1'))!;
    await db().sessions.put({ ...stored, channel: 'phone' });
    await Promise.all(['H', 'He', 'Hei'].map((note, n) => saveRecord('sessions', 'log1', { note }, 3_000 + n)));
    expect(await db().sessions.get('log1')).toMatchObject({ note: 'Hei', channel: 'phone' });
    const rows = await db()
      .outbox.filter((row) => row.recordId === 'log1')
      .toArray();
    expect(rows.map((row) => row.fields.note)).toEqual(['Hei']);
  });

  it('sends quick saves of one log one after the other, each expecting what the one before wrote: one transaction each', async () => {
    await warmTablet();
    await saveRecord('sessions', 'log1', { note: '' }, 2_000);
    const backend = db().backendDB();
    const open = backend.transaction.bind(backend);
    let opened = 0;
    backend.transaction = ((...args: Parameters<typeof open>) => {
      opened += 1;
      return open(...args);
    }) as typeof open;
    await Promise.all(['H', 'He', 'Hei', 'Hei!'].map((note, n) => saveRecord('sessions', 'log1', { note }, 3_000 + n)));
    expect(opened).toBe(4); // sent all at once, three would find the log changed under them and be read again
    expect((await db().sessions.get('log1'))?.note).toBe('Hei!');
  });
});

/** Plain stored data: what a record and an outbox row hold. */
const storedValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('sameStored', () => {
  it('finds a value the same as its stored copy, whatever the order of its fields', () => {
    fc.assert(
      fc.property(storedValue, (value) => {
        const copy = structuredClone(value);
        const reordered = copy && typeof copy === 'object' && !Array.isArray(copy) ? Object.fromEntries(Object.entries(copy).reverse()) : copy;
        return sameStored(copy, value) && sameStored(reordered, value);
      }),
    );
  });

  it('finds two values different when their JSON differs, or one has a field the other lacks', () => {
    fc.assert(
      fc.property(storedValue, storedValue, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        const sortedJson = (v: unknown): string =>
          JSON.stringify(v, (_k, x) =>
            x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) : x,
          );
        fc.pre(sortedJson(a) !== sortedJson(b));
        return !sameStored(a, b);
      }),
    );
    expect(sameStored({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameStored({ a: undefined }, { b: undefined })).toBe(false);
  });

  it('never assumes a value that is not plain data is unchanged', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(sameStored({ note: new Uint8Array([1, 2]) }, { note: bytes })).toBe(false);
    expect(sameStored(new Date(1), new Date(1))).toBe(false);
    expect(sameStored([1, 2], { 0: 1, 1: 2 })).toBe(false);
  });
});
