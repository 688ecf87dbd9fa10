// What the sync must survive without losing a record, tablet against the real server (in-process, real SQLite file):
// a server restored from an earlier copy, a tablet whose storage went back to an earlier copy, and records gone from
// either side for no known reason — reconciliation notices and repairs them within one sync.
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addFeedback, saveRecord } from '../../../src/db/changes';
import { readCursor } from '../../../src/db/sync';
import type { ServerDatabase } from '../../../src/server/store/schema';
import { syncOnce } from '../../../src/sync/engine';
import { contents, makeWorld, sessionLog, type Tablet, type World } from './support';

let world: World;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(async () => {
  await world.close();
});

const DAY = 86_400_000;
const guide = { slug: 'tulostin', lang: 'fi', title: 'Tulostin', summary: 'Oma ohje', category: 'device', tags: [], source: 'org', version: 1 };

async function serverIds(table: string): Promise<string[]> {
  return (await world.store.recordsOfOrganisation(world.orgId, table)).map((record) => record.id).sort();
}
async function tabletIds(tablet: Tablet, table: 'sessions' | 'guides' | 'guideSteps' | 'feedback'): Promise<string[]> {
  return (await tablet.database.table(table).toArray()).map((row: { id: string }) => row.id).sort();
}
/** Everything in the tablet's IndexedDB, to put back later: the tablet's storage going back to an earlier copy. */
async function copyOfTablet(tablet: Tablet): Promise<() => Promise<void>> {
  const copy = await Promise.all(tablet.database.tables.map(async (table) => [table, await table.toArray()] as const));
  return async () => {
    for (const [table, rows] of copy) {
      await table.clear();
      await table.bulkPut(rows);
    }
  };
}

describe('reconciliation', () => {
  it("makes both sides whole after rows vanish from the server behind its back and from a tablet's storage", async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(async () => {
      for (const n of [1, 2, 3, 4]) await saveRecord('sessions', `log${n}`, sessionLog('walk-in'));
      await saveRecord('sessions', 'log1', { outcome: 'with-support' }); // a record with two field clocks
      await saveRecord('guides', 'g1', guide);
      await saveRecord('guideSteps', 's1', { guideId: 'g1', orderKey: 'V', kind: 'step', text: 'Paina nappia.', alt: '' });
      await addFeedback('fb1', { createdAt: 1_767_000_000_000, lang: 'fi', answers: { mood: 4 } });
      await addFeedback('fb2', { createdAt: 1_767_000_001_000, lang: 'fi', answers: { mood: 5 } });
    });
    expect((await a.sync()).repaired ?? 0).toBe(0); // the first check finds nothing wrong and says nothing
    await b.sync();
    const serverBefore = await world.store.recordsOfOrganisation(world.orgId);

    // Behind the server's back: two logs, the guide and a feedback are gone from its database.
    const db = (world.store as unknown as { db: Kysely<ServerDatabase> }).db;
    await db.deleteFrom('records').where('id', 'in', ['log1', 'log2', 'g1', 'fb1']).execute();
    // And tablet A's storage lost a log, a step and a feedback.
    await a.database.sessions.delete('log3');
    await a.database.guideSteps.delete('s1');
    await a.database.feedback.delete('fb2');

    // A day later, one sync of A puts everything right on both sides.
    const result = await syncOnce({ database: a.database, fetch: a.network.fetch, now: () => Date.now() + DAY + 1 });
    expect(result.repaired).toBe(7);
    expect(await serverIds('sessions')).toEqual(['log1', 'log2', 'log3', 'log4']);
    expect(await serverIds('guides')).toEqual(['g1']);
    expect(await serverIds('guideSteps')).toEqual(['s1']);
    expect(await serverIds('feedback')).toEqual(['fb1', 'fb2']);
    const serverAfter = await world.store.recordsOfOrganisation(world.orgId);
    // Every field with its own clock, as before (feedback is insert-only and keeps no clock on the tablet: its fields).
    const stateOf = (records: typeof serverAfter) =>
      records
        .map(({ table, id, fields, fieldClocks, hlc }) => (table === 'feedback' ? { table, id, fields } : { table, id, fields, fieldClocks, hlc }))
        .sort((x, y) => `${x.table}/${x.id}`.localeCompare(`${y.table}/${y.id}`));
    expect(stateOf(serverAfter)).toEqual(stateOf(serverBefore));
    expect(await tabletIds(a, 'sessions')).toEqual(['log1', 'log2', 'log3', 'log4']);
    expect(await tabletIds(a, 'guideSteps')).toEqual(['s1']);
    expect(await tabletIds(a, 'feedback')).toEqual(['fb1', 'fb2']);
    expect(await a.database.outbox.count()).toBe(0);
    await b.sync();
    for (const table of ['sessions', 'guides', 'guideSteps', 'feedback'] as const) expect(await contents(a, table), table).toEqual(await contents(b, table));

    // Nothing is wrong any more: the next check repairs nothing.
    const again = await syncOnce({ database: a.database, fetch: a.network.fetch, now: () => Date.now() + 2 * DAY + 2 });
    expect(again.repaired).toBe(0);
  });

  it('runs at most once a day when nothing went wrong', async () => {
    const a = await world.tablet('A');
    await a.sync();
    a.network.requests.length = 0;
    await a.sync();
    expect(a.network.requests.filter((request) => request.includes('/v1/digest'))).toEqual([]);
    await syncOnce({ database: a.database, fetch: a.network.fetch, now: () => Date.now() + DAY + 1 });
    expect(a.network.requests.filter((request) => request.includes('/v1/digest'))).toEqual(['GET /v1/digest']);
  });

  it('does not send again, day after day, a change the server refused', async () => {
    const a = await world.tablet('A');
    await a.use(() => saveRecord('sessions', 'log1', sessionLog('walk-in')));
    await a.sync();
    // Written past the form's check (an older app): the server quarantines a note with a phone number.
    await a.use(() => saveRecord('sessions', 'log1', { note: 'Soita 040 123 4567' }));
    const refused = await a.sync();
    expect(refused.quarantined).toBe(1);
    for (const day of [1, 2]) {
      const later = await syncOnce({ database: a.database, fetch: a.network.fetch, now: () => Date.now() + day * DAY + day });
      expect(later).toMatchObject({ repaired: 0, quarantined: 0 });
    }
    expect((await world.store.quarantined(world.orgId)).length).toBe(1);
  });

  it('is skipped without a word against a server that does not offer it', async () => {
    const a = await world.tablet('A');
    await a.use(() => saveRecord('sessions', 'log1', sessionLog('group')));
    const older: typeof fetch = async (input, init) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      if (url.pathname.startsWith('/v1/digest') || url.pathname === '/v1/records')
        return Response.json({ error: 'not_found', message: 'No such API endpoint.' }, { status: 404 });
      return a.network.fetch(input, init);
    };
    const result = await syncOnce({ database: a.database, fetch: older });
    expect(result.pushed).toBe(1);
    expect(result.repaired ?? 0).toBe(0);
  });
});

describe('a server restored from an earlier copy', () => {
  it('gets again from the tablet what it had acknowledged and lost, and no tablet misses the changes that reuse its numbers', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    const c = await world.tablet('C');
    await a.use(() => saveRecord('sessions', 'log1', sessionLog('walk-in')));
    await a.sync();
    const backup = await world.snapshot(); // the nightly copy: log1
    await a.use(async () => {
      await saveRecord('sessions', 'log2', sessionLog('group'));
      await saveRecord('sessions', 'log3', sessionLog('pop-up'));
    });
    await a.sync(); // acknowledged: 2 and 3
    await b.sync();
    expect(await tabletIds(b, 'sessions')).toEqual(['log1', 'log2', 'log3']);

    await backup.restore(); // log2 and log3 are gone from the server, and their change numbers are free again
    await c.use(async () => {
      await saveRecord('sessions', 'log4', sessionLog('one-to-one'));
      await saveRecord('sessions', 'log5', sessionLog('group'));
    });
    await c.sync(); // reuses the numbers B's cursor has passed
    await a.sync(); // A shows the server is behind: it renumbers, pulls everything and reconciles
    expect(await serverIds('sessions')).toEqual(['log1', 'log2', 'log3', 'log4', 'log5']);
    for (const tablet of [b, c, a]) await tablet.sync();
    for (const tablet of [a, b, c]) expect(await tabletIds(tablet, 'sessions'), tablet.name).toEqual(['log1', 'log2', 'log3', 'log4', 'log5']);
    expect(await contents(a, 'sessions')).toEqual(await contents(b, 'sessions'));
    expect(await contents(c, 'sessions')).toEqual(await contents(b, 'sessions'));
  });

  it('gets back the older fields of a record when a colleague’s newer edit of it reached the restored server first', async () => {
    // Found by the convergence property: the digest compared only the record clock, which the colleague's edit made equal.
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    const backup = await world.snapshot(); // the nightly copy, from before the log
    await a.use(() => saveRecord('sessions', 'log1', sessionLog('walk-in')));
    await a.sync();
    await b.sync();
    await backup.restore(); // log1 is gone from the server
    await b.use(() => saveRecord('sessions', 'log1', { outcome: 'with-support' }));
    await b.sync(); // the server now holds log1 with only the outcome, under the newest clock both tablets know
    await a.sync(); // A shows the server is behind: it pulls everything and reconciles at once
    const [onServer] = await world.store.recordsOfOrganisation(world.orgId, 'sessions');
    expect(onServer!.fields).toMatchObject({ status: 'final', format: 'walk-in', outcome: 'with-support', topics: ['security'] });
    await b.sync();
    expect(await contents(b, 'sessions')).toEqual(await contents(a, 'sessions'));
  });

  it('keeps a tablet’s acknowledged later edit when a colleague gave the restored server its older copy first', async () => {
    // Found by the convergence property: the pull after "server behind" replaced the sent field with the server's older copy.
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    const backup = await world.snapshot(); // from before the log
    await b.use(() => saveRecord('sessions', 'log1', sessionLog('walk-in')));
    await b.sync();
    await a.sync(); // A holds walk-in
    await b.use(() => saveRecord('sessions', 'log1', { format: 'group' }));
    await b.sync(); // acknowledged
    await backup.restore(); // both of B's changes are gone from the server
    await syncOnce({ database: a.database, fetch: a.network.fetch, now: () => Date.now() + DAY + 1 }); // A's daily check sends walk-in
    await b.sync(); // B shows the server is behind
    const [onServer] = await world.store.recordsOfOrganisation(world.orgId, 'sessions');
    expect(onServer!.fields.format).toBe('group');
    expect((await b.database.sessions.get('log1'))?.format).toBe('group');
    await a.sync();
    expect((await a.database.sessions.get('log1'))?.format).toBe('group');
  });

  it('sends the changes it was waiting to send with numbers the restored server accepts', async () => {
    const a = await world.tablet('A');
    await a.use(() => saveRecord('sessions', 'log1', sessionLog('walk-in')));
    await a.sync();
    const backup = await world.snapshot();
    await a.use(() => saveRecord('sessions', 'log2', sessionLog('group')));
    await a.sync();
    await backup.restore();
    await a.use(() => saveRecord('sessions', 'log3', sessionLog('pop-up'))); // numbered 3 here; the server expects 2
    await a.sync();
    expect(await serverIds('sessions')).toEqual(['log1', 'log2', 'log3']);
    expect(await a.database.outbox.count()).toBe(0);
    expect(await readCursor(a.database)).toBeDefined();
  });
});

describe('a tablet whose storage went back to an earlier copy', () => {
  it('loses nothing written afterwards, though the new changes reuse mutation ids the server has seen', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(() => saveRecord('sessions', 'log1', sessionLog('walk-in')));
    await a.sync();
    const putBack = await copyOfTablet(a);
    await a.use(() => saveRecord('sessions', 'log2', sessionLog('group')));
    await a.sync(); // mutation 2: log2
    await putBack(); // the tablet's storage is as it was before log2
    await a.use(() => saveRecord('sessions', 'log3', sessionLog('pop-up'))); // numbered 2 again
    await a.sync();
    expect(await serverIds('sessions')).toEqual(['log1', 'log2', 'log3']);
    expect(await tabletIds(a, 'sessions')).toEqual(['log1', 'log2', 'log3']);
    await b.sync();
    expect(await contents(b, 'sessions')).toEqual(await contents(a, 'sessions'));
  });
});
