// Reconciliation endpoints: the digest of what a tablet may see, the (id, clock) lists of buckets, and whole records by
// id. A tablet computes the same digest from what it pulled (src/protocol/digest.ts), so equal holdings give equal
// digests and a record deleted behind the server's back shows up as a differing bucket.
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import {
  bucketOf,
  differingBuckets,
  digestClock,
  tableDigests,
  type BucketsResponse,
  type DigestResponse,
  type RecordsResponse,
  type SyncedTable,
} from '../../src/protocol';
import type { ServerDatabase } from '../../src/server/store/schema';
import { describeEachBackend, type Backend } from './support/backends';
import { FEEDBACK, GUIDE, SESSION, T0, change, hlcAt, type Tablet, type World } from './support/world';

describeEachBackend('reconciliation endpoints', (_backend: Backend, it) => {
  const json = async <T>(tablet: Tablet, path: string, body?: unknown) => {
    const response = await tablet.request(
      path,
      body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    );
    return { status: response.status, body: (await response.json()) as T & { error?: string } };
  };

  async function fill({ world }: { world: World }) {
    const { a1, a2 } = world;
    await a1.push([
      change(a1, 'guides', 'g1', GUIDE, hlcAt(T0 - 5, 'a1')),
      change(a1, 'sessions', 'log1', SESSION, hlcAt(T0 - 4, 'a1')),
      change(a1, 'sessions', 'log2', SESSION, hlcAt(T0 - 3, 'a1')),
      change(a1, 'feedback', 'fb1', FEEDBACK, hlcAt(T0 - 2, 'a1')),
      change(a1, 'guides', 'g1', { title: 'Uusi otsikko' }, hlcAt(T0 - 1, 'a1')),
    ]);
    await a2.push([change(a2, 'sessions', 'other-site-log', SESSION)]);
  }

  it('gives the digest a tablet computes from what it pulled, and only of what the tablet may see', async ({ world }) => {
    await fill({ world });
    const { a1b } = world;
    const pulled = (await a1b.pullAll()).changes;
    const digest = await json<DigestResponse>(a1b, '/v1/digest');
    expect(digest.status).toBe(200);
    expect(digest.body.bucketChars).toBe(2);
    expect(digest.body.tables).toEqual(tableDigests(pulled.map((c) => ({ table: c.table, id: c.id, hlc: c.hlc, fieldClocks: c.fieldClocks }))));
    expect(differingBuckets(tableDigests(pulled), digest.body.tables)).toEqual({});
    const everything = Object.fromEntries(Object.entries(digest.body.tables).map(([table, buckets]) => [table, Object.keys(buckets!)]));
    const lists = await json<BucketsResponse>(a1b, '/v1/digest/buckets', { buckets: everything });
    const ids = Object.values(lists.body.records)
      .flatMap((pairs) => pairs!.map(([id]) => id))
      .sort();
    expect(ids).toEqual(['fb1', 'g1', 'log1', 'log2']); // never another site's log
    expect(lists.body.records.feedback).toEqual([['fb1', '']]); // feedback is insert-only: only presence counts
    const guide = pulled.find((c) => c.id === 'g1')!;
    // The record clock and its field clocks' fingerprint.
    expect(lists.body.records.guides).toEqual([['g1', digestClock('guides', hlcAt(T0 - 1, 'a1'), guide.fieldClocks)]]);
  });

  it("shows a record deleted behind its back as a differing bucket, and gives whole records by id within the tablet's reach", async ({ store, world }) => {
    await fill({ world });
    const { a1, a1b, b1 } = world;
    const before = await json<DigestResponse>(a1b, '/v1/digest');
    await (store as unknown as { db: Kysely<ServerDatabase> }).db.deleteFrom('records').where('id', '=', 'log2').execute();
    const after = await json<DigestResponse>(a1b, '/v1/digest');
    expect(differingBuckets(before.body.tables, after.body.tables)).toEqual({ sessions: [bucketOf('log2')] });
    const bucket = await json<BucketsResponse>(a1b, '/v1/digest/buckets', { buckets: { sessions: [bucketOf('log2')] } });
    expect((bucket.body.records.sessions ?? []).map(([id]) => id)).not.toContain('log2');

    const records = await json<RecordsResponse>(a1, '/v1/records', { records: { guides: ['g1'], sessions: ['log1', 'log2', 'other-site-log', 'nobody'] } });
    expect(records.status).toBe(200);
    expect(records.body.changes.map((c) => `${c.table}/${c.id}`).sort()).toEqual(['guides/g1', 'sessions/log1']);
    const guide = records.body.changes.find((c) => c.id === 'g1')!;
    expect(guide.fields).toMatchObject({ ...GUIDE, title: 'Uusi otsikko' });
    expect(guide.fieldClocks.title).toBe(hlcAt(T0 - 1, 'a1'));
    // Another organisation's tablet gets nothing of it, not even by id.
    expect((await json<RecordsResponse>(b1, '/v1/records', { records: { guides: ['g1'] } })).body.changes).toEqual([]);
    expect(Object.keys((await json<DigestResponse>(b1, '/v1/digest')).body.tables)).toEqual([]);
  });

  it('answers bad requests with 400 in plain words and needs a token', async ({ world }) => {
    const { a1 } = world;
    const bad: unknown[] = [
      { buckets: { guides: ['zz'] } },
      { buckets: { participants: ['00'] } },
      { buckets: { guides: '00' } },
      { records: { guides: ['ok'] } },
    ];
    for (const body of bad) expect((await json(a1, '/v1/digest/buckets', body)).status).toBe(400);
    const tooMany = { records: { guides: Array.from({ length: 300 }, (_, i) => `g${i}`), sessions: Array.from({ length: 300 }, (_, i) => `s${i}`) } };
    const refused = await json(a1, '/v1/records', tooMany);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('bad_request');
    expect((await json(a1, '/v1/records', { records: { guides: ['../etc'] } })).status).toBe(400);
    const anonymous = await world.app.request('/v1/digest', { headers: { 'Digituki-Protocol': '1' } });
    expect(anonymous.status).toBe(401);
    const tables: SyncedTable[] = ['guides'];
    expect((await json(a1, '/v1/records', { records: { [tables[0]!]: [] } })).status).toBe(200);
  });
});
