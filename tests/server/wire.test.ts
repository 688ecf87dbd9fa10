// The compact wire of issue 16, on SQLite and PostgreSQL: gzip request bodies (the limit applies to what they inflate
// to), mutations with their own field clocks, compact clocks in pulls, and a push answer that spares the tablet its
// own changes — while bodies of the first release are taken exactly as before.
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { expect } from 'vitest';
import { CURSOR_HEADER, expandClocks, LIMITS, SERVER_FEATURES } from '../../src/protocol';
import { describeEachBackend, type Backend } from './support/backends';
import { GUIDE, SESSION, T0, change, hlcAt, type World } from './support/world';

describeEachBackend('the compact wire', (_backend: Backend, it) => {
  const gzipPush = ({ world }: { world: World }, body: string | Buffer, token: string, encoding = 'gzip') =>
    world.app.request('/v1/push', {
      method: 'POST',
      headers: { 'Digituki-Protocol': '1', Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Encoding': encoding },
      body: new Uint8Array(typeof body === 'string' ? gzipSync(body) : body),
    });

  it('answers a gzip-accepting tablet with a valid gzip body and one that accepts none with plain JSON, with the same headers otherwise', async ({ world }) => {
    const { a1, a1b } = world;
    await a1.push(Array.from({ length: 20 }, (_, n) => change(a1, 'sessions', `log${n}`, SESSION)));
    const pull = (acceptEncoding?: string) => a1b.request('/v1/pull', acceptEncoding === undefined ? {} : { headers: { 'Accept-Encoding': acceptEncoding } });
    const plain = await pull();
    const gzipped = await pull('gzip, deflate, br');
    const deflated = await pull('deflate');
    expect(plain.headers.get('Content-Encoding')).toBeNull();
    expect(gzipped.headers.get('Content-Encoding')).toBe('gzip');
    expect(deflated.headers.get('Content-Encoding')).toBe('deflate');
    const plainPage = JSON.parse(await plain.text());
    const gzippedBytes = Buffer.from(await gzipped.arrayBuffer());
    expect(Number(gzipped.headers.get('Content-Length'))).toBe(gzippedBytes.length);
    const gzippedPage = JSON.parse(gunzipSync(gzippedBytes).toString('utf8'));
    const deflatedPage = JSON.parse(inflateSync(Buffer.from(await deflated.arrayBuffer())).toString('utf8'));
    expect(plainPage.changes).toHaveLength(20);
    for (const page of [gzippedPage, deflatedPage]) expect({ ...page, serverTime: 0 }).toEqual({ ...plainPage, serverTime: 0 });
    for (const response of [plain, gzipped, deflated]) {
      expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect(response.headers.get('Vary')).toBe('Accept-Encoding');
      expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    }
    // An answer under 1 KiB is not worth packing.
    const small = await a1b.request('/v1/health', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(small.headers.get('Content-Encoding')).toBeNull();
    expect((await small.json()).features).toEqual([...SERVER_FEATURES]);
  });

  it('names what it understands in the health check', async ({ world }) => {
    const health = await (await world.app.request('/v1/health')).json();
    expect(health.features).toEqual([...SERVER_FEATURES]);
  });

  it('takes a gzip-compressed push like a plain one', async ({ world }) => {
    const { a1, a1b } = world;
    const response = await gzipPush({ world }, JSON.stringify({ protocol: 1, mutations: [change(a1, 'sessions', 'log1', SESSION)] }), a1.token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ lastMutationId: 1, applied: 1 });
    expect((await a1b.pullAll()).changes.map((c) => c.id)).toEqual(['log1']);
  });

  it('refuses a body that inflates past the limit with 413 (a zip bomb), and changes nothing', async ({ store, world }) => {
    const { a1 } = world;
    // About 1 KiB on the wire, 8 MiB inflated: spaces are valid JSON padding.
    const bomb = `{"protocol":1,"mutations":[${JSON.stringify(change(a1, 'sessions', 'log1', SESSION))}]${' '.repeat(8 * 1024 * 1024)}}`;
    const compressed = gzipSync(bomb);
    expect(compressed.length).toBeLessThan(LIMITS.pushBodyBytes / 100);
    const response = await gzipPush({ world }, compressed, a1.token);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe('payload_too_large');
    expect(await store.recordsOfOrganisation(world.orgA)).toEqual([]);
    // Just within the limit once inflated: taken.
    a1.nextMutationId = 1;
    const fits = `{"protocol":1,"mutations":[${JSON.stringify(change(a1, 'sessions', 'log1', SESSION))}]}`;
    expect((await gzipPush({ world }, fits + ' '.repeat(LIMITS.pushBodyBytes - fits.length), a1.token)).status).toBe(200);
  });

  it('answers broken gzip with 400 and another encoding with 415, in plain words', async ({ world }) => {
    const { a1 } = world;
    const broken = await gzipPush({ world }, Buffer.from('not gzip at all'), a1.token);
    expect(broken.status).toBe(400);
    expect((await broken.json()).message).toContain('gzip');
    const brotli = await gzipPush({ world }, Buffer.from('{}'), a1.token, 'br');
    expect(brotli.status).toBe(415);
    expect((await brotli.json()).error).toBe('unsupported_media_type');
  });

  it('numbers mutations from firstMutationId as if each carried its id, and refuses a push that gives both or neither', async ({ store, world }) => {
    const { a1, a1b } = world;
    const bare = (id: string, hlc: string) => ({ table: 'sessions', id, hlc, fields: SESSION });
    const first = await a1.push([bare('log1', hlcAt(T0, 'tablet', 1)), bare('log2', hlcAt(T0, 'tablet', 2))], { firstMutationId: 1 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ lastMutationId: 2, applied: 2, duplicates: 0 });
    // A resend of id 2 with the same content is a duplicate, as with its own id; id 3 is new.
    const again = await a1.push([bare('log2', hlcAt(T0, 'tablet', 2)), bare('log3', hlcAt(T0, 'tablet', 3))], { firstMutationId: 2 });
    expect(again.body).toMatchObject({ lastMutationId: 3, applied: 1, duplicates: 1 });
    // The same id with other content is a reused id, as with its own id.
    const reused = await a1.push([bare('log-other', hlcAt(T0, 'tablet', 3))], { firstMutationId: 3 });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ error: 'mutation_conflict', expected: 4 });
    const both = await a1.push([{ ...bare('log4', hlcAt(T0, 'tablet', 4)), mutationId: 4 }], { firstMutationId: 4 });
    expect(both.status).toBe(400);
    expect((both.body as { message?: string }).message).toContain('not both');
    const neither = await a1.push([bare('log4', hlcAt(T0, 'tablet', 4))]);
    expect(neither.status).toBe(400);
    expect((neither.body as { message?: string }).message).toContain('mutationId');
    expect((await store.recordsOfOrganisation(world.orgA)).map((record) => record.id).sort()).toEqual(['log1', 'log2', 'log3']);
    expect((await a1b.pullAll()).changes.map((c) => c.id)).toEqual(['log1', 'log2', 'log3']);
  });

  it('keeps the field clocks a merged change carries, and refuses ones that name no field or come after the change', async ({ world }) => {
    const { a1, a1b } = world;
    const early = hlcAt(T0, 'tablet', 1);
    const late = hlcAt(T0 + 5, 'tablet', 2);
    const merged = { ...change(a1, 'sessions', 'log1', SESSION, late), fieldClocks: { topics: early, startedAt: early } };
    const strayField = { ...change(a1, 'sessions', 'log2', SESSION, late), fieldClocks: { note: early } };
    const future = { ...change(a1, 'sessions', 'log3', SESSION, early), fieldClocks: { topics: late } };
    const result = await a1.push([merged, strayField, future]);
    expect(result.status).toBe(200);
    expect(result.body.quarantined.map((q) => [q.mutationId, q.reason])).toEqual([
      [2, 'malformed_mutation'],
      [3, 'malformed_mutation'],
    ]);
    const [log1] = (await a1b.pullAll()).changes;
    expect(log1!.fieldClocks).toEqual({ ...Object.fromEntries(Object.keys(SESSION).map((name) => [name, late])), topics: early, startedAt: early });
    expect(log1!.hlc).toBe(late);
  });

  it('sends compact clocks only to a tablet that asks, and they expand to the full ones', async ({ world }) => {
    const { a1, a1b } = world;
    const early = hlcAt(T0, 'tablet', 1);
    await a1.push([change(a1, 'sessions', 'log1', SESSION, early), change(a1, 'sessions', 'log1', { outcome: 'with-support' }, hlcAt(T0 + 5, 'tablet', 2))]);
    const full = (await a1b.pull()).body;
    expect(full.compactClocks).toBeUndefined();
    const compact = (await (await a1b.request('/v1/pull?clocks=compact')).json()) as typeof full;
    expect(compact.compactClocks).toBe(true);
    const [record] = compact.changes;
    expect(record!.fieldClocks).toEqual(Object.fromEntries(Object.keys(SESSION).map((name) => [name, early])));
    expect(expandClocks(record!.hlc, record!.fields, record!.fieldClocks)).toEqual(full.changes[0]!.fieldClocks);
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(full).length);
  });

  it('answers a push with the cursor after it when nothing else came in between: a pull then downloads none of the pushed records', async ({ world }) => {
    const { a1, a1b } = world;
    const first = await a1.pullAll();
    const pushed = await a1.push(
      Array.from({ length: 20 }, (_, n) => change(a1, 'sessions', `log${n}`, SESSION)),
      {},
      { [CURSOR_HEADER]: first.cursor },
    );
    expect(pushed.body.cursor).toEqual(expect.any(String));
    expect((await a1.pullAll(pushed.body.cursor)).changes).toHaveLength(0); // no echo
    // A colleague's change in between: no cursor, and the next pull brings both.
    await a1b.push([change(a1b, 'guides', 'g1', GUIDE)]);
    const second = await a1.push([change(a1, 'sessions', 'log-late', SESSION)], {}, { [CURSOR_HEADER]: pushed.body.cursor! });
    expect(second.body.cursor).toBeUndefined();
    expect((await a1.pullAll(pushed.body.cursor)).changes.map((c) => c.id).sort()).toEqual(['g1', 'log-late']);
    // "0": a tablet that has pulled nothing yet is caught up only with an empty organisation; another organisation is.
    const { b1 } = world;
    const empty = await b1.push([change(b1, 'sessions', 'b-log', SESSION)], {}, { [CURSOR_HEADER]: '0' });
    expect((await b1.pullAll(empty.body.cursor)).changes).toHaveLength(0);
    expect((await a1.push([change(a1, 'sessions', 'log-x', SESSION)], {}, { [CURSOR_HEADER]: '0' })).body.cursor).toBeUndefined();
  });

  it("takes the first release's bodies as before and gives old tablets no new fields", async ({ world }) => {
    const { a1, a1b } = world;
    const plain = await a1.push([change(a1, 'sessions', 'log1', SESSION)]);
    expect(plain.status).toBe(200);
    expect(plain.body.cursor).toBeUndefined(); // no cursor sent, none answered
    const pulled = await a1b.pull();
    expect(pulled.body.compactClocks).toBeUndefined();
    expect(Object.keys(pulled.body.changes[0]!.fieldClocks).sort()).toEqual(Object.keys(SESSION).sort());
  });
});
