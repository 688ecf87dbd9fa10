// @vitest-environment node
// 10,000 session logs from one tablet to a second tablet through the sync server, against the limit: a plain HTTP
// POST and GET of the same logs as one JSON document. Prints time (the summary gives the ratio) and bytes on the wire.
// The tablets run on fake-indexeddb (Node has no IndexedDB), which is several times slower than a browser's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { afterAll, bench, describe } from 'vitest';
import { saveRecord, setPlace } from '../../src/db/changes';
import { DigitukiDB, replaceDatabase } from '../../src/db/db';
import type { OutboxEntry, SessionLogRecord } from '../../src/db/records';
import { serializeHlc } from '../../src/protocol/hlc';
import { createEnrolmentCode, createOrganisation, createSite } from '../../src/server/admin';
import { createApp } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { openSqliteStore } from '../../src/server/store/sqlite-store';
import { enrol, syncOnce } from '../../src/sync/engine';
import { logFields, logId } from './session-logs';

const LOGS = 10_000;
const dirs: string[] = [];

/** Bytes that cross the network: request bodies as sent, response bodies gzip-compressed as the server sends them. */
function meteredFetch(app: { fetch: (request: Request) => Response | Promise<Response> }, meter: Meter): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const sent = init?.body;
    const body =
      sent instanceof Blob
        ? new Uint8Array(await sent.arrayBuffer())
        : typeof sent === 'string'
          ? new TextEncoder().encode(sent)
          : sent instanceof ArrayBuffer
            ? new Uint8Array(sent)
            : sent instanceof Uint8Array
              ? sent
              : undefined;
    meter.bytes += body?.length ?? 0;
    const headers = new Headers(init?.headers);
    headers.set('Accept-Encoding', 'gzip');
    const response = await app.fetch(new Request(String(input), { ...init, headers, body }));
    const raw = new Uint8Array(await response.arrayBuffer());
    meter.bytes += raw.length;
    if (String(input).includes('/v1/pull') && response.status === 200)
      meter.pulled = (meter.pulled ?? 0) + pulledCount(response.headers.get('content-encoding') === 'gzip' ? gunzipSync(raw) : raw);
    const plain = response.headers.get('content-encoding') === 'gzip' ? gunzipSync(raw) : raw;
    const out = new Headers(response.headers);
    out.delete('content-encoding');
    return new Response(response.status === 204 || response.status === 304 ? null : plain, { status: response.status, headers: out });
  }) as typeof fetch;
}

interface Meter {
  bytes: number;
  /** Records that came down in pull answers. */
  pulled?: number;
}

function pulledCount(body: Uint8Array): number {
  const page = JSON.parse(new TextDecoder().decode(body)) as { changes?: unknown[] };
  return page.changes?.length ?? 0;
}

interface Round {
  run: () => Promise<void>;
  meter: Meter;
  /** Milliseconds of the last run, and of its parts. */
  took?: Record<string, number>;
}

async function syncRound(): Promise<Round> {
  const dataDir = mkdtempSync(join(tmpdir(), 'digituki-bench-sync-'));
  dirs.push(dataDir);
  const store = await openSqliteStore(dataDir);
  const app = createApp({ staticDir: dataDir, version: 'bench', store, logger: createLogger('silent'), deviceRateLimit: { burst: 1e6, perSecond: 1e6 } });
  const organisation = await createOrganisation(store, 'Bench');
  const site = await createSite(store, organisation.id, 'Site');
  const meter: Meter = { bytes: 0 };
  const tablet = async (name: string) => {
    const database = new DigitukiDB(`bench-${name}-${dataDir}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    await enrol(
      database,
      { serverUrl: 'http://sync.bench', code: (await createEnrolmentCode(store, site.id)).code, deviceName: name },
      meteredFetch(app, { bytes: 0 }),
    );
    return database;
  };
  const a = await tablet('A');
  const b = await tablet('B');
  // Tablet A wrote 10,000 logs offline: the records and their outbox rows, as saveRecord leaves them.
  const logs: SessionLogRecord[] = [];
  const outbox: OutboxEntry[] = [];
  for (let i = 0; i < LOGS; i += 1) {
    const hlc = serializeHlc({ wallMs: 1_767_000_000_000 + i, counter: 0, node: 'benchA' });
    const fields = logFields(i);
    const fieldClocks = Object.fromEntries(Object.keys(fields).map((name) => [name, hlc]));
    logs.push({ ...fields, id: logId(i), org: organisation.id, site: site.id, hlc, fieldClocks, deleted: 0 } as SessionLogRecord);
    outbox.push({ table: 'sessions', recordId: logId(i), hlc, fields, org: organisation.id, site: site.id });
  }
  await a.sessions.bulkPut(logs);
  await a.outbox.bulkAdd(outbox);
  const echo: Meter = { bytes: 0 };
  const round: Round = {
    meter,
    async run() {
      const started = performance.now();
      await syncOnce({ database: a, fetch: meteredFetch(app, meter) });
      const pushed = performance.now();
      const aPulled = meter.pulled ?? 0;
      await syncOnce({ database: a, fetch: meteredFetch(app, echo) }); // A syncs again: what comes back of its own
      const again = performance.now();
      await syncOnce({ database: b, fetch: meteredFetch(app, meter) });
      const done = performance.now();
      if ((await b.sessions.count()) !== LOGS) throw new Error('tablet B did not receive every log');
      round.took = {
        'push A (with its pull)': pushed - started,
        'A again (echo)': again - pushed,
        'pull to B': done - again,
        total: pushed - started + (done - again),
      };
      if (!printed.some((line) => line.startsWith('  echo:')))
        printed.push(`  echo: A's own round pulled ${aPulled} records, its next sync ${echo.pulled ?? 0} (${echo.bytes.toLocaleString('en')} bytes)`);
    },
  };
  return round;
}

async function plainRound(): Promise<Round> {
  let stored = '';
  const app = new Hono();
  app.use('*', compress());
  app.post('/logs', async (c) => {
    stored = await c.req.text();
    return c.json({ ok: true });
  });
  app.get('/logs', (c) => c.body(stored, 200, { 'Content-Type': 'application/json' }));
  const document = JSON.stringify(Array.from({ length: LOGS }, (_, i) => ({ id: logId(i), ...logFields(i) })));
  const meter: Meter = { bytes: 0 };
  const doFetch = meteredFetch(app, meter);
  const database = new DigitukiDB(`bench-plain-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const round: Round = {
    meter,
    async run() {
      const started = performance.now();
      await doFetch('http://plain.bench/logs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: document });
      const received = (await (await doFetch('http://plain.bench/logs')).json()) as SessionLogRecord[];
      if (received.length !== LOGS) throw new Error('the plain GET lost logs');
      // …and one IndexedDB transaction storing them: the limit the issue names.
      await database.transaction('rw', database.sessions, () => database.sessions.bulkPut(received));
      round.took = { total: performance.now() - started };
    },
  };
  return round;
}

const printed: string[] = [];
let syncBytes = 0;
let plainBytes = 0;

let syncTook: Record<string, number> | undefined;
let plainTook: Record<string, number> | undefined;

afterAll(() => {
  // The gzipped plain JSON: the same logs POSTed and GOT as one document, both ways compressed.
  const gzipped = 2 * gzipSync(JSON.stringify(Array.from({ length: LOGS }, (_, i) => ({ id: logId(i), ...logFields(i) })))).length;
  console.log(
    [
      `Bytes on the wire for ${LOGS.toLocaleString('en')} logs, one tablet to another (request bodies + gzip response bodies):`,
      ...printed,
      syncBytes && plainBytes ? `  ratio sync / plain: ${(syncBytes / plainBytes).toFixed(2)}` : '',
      syncBytes ? `  ratio sync / gzipped plain JSON both ways (${gzipped.toLocaleString('en')} bytes): ${(syncBytes / gzipped).toFixed(2)} (goal ≤ 1.2)` : '',
      syncTook
        ? `  sync times (ms, fake-indexeddb): ${Object.entries(syncTook)
            .map(([name, ms]) => `${name} ${Math.round(ms)}`)
            .join(', ')}`
        : '',
      syncTook && plainTook
        ? `  ratio sync (push + pull) / (POST + GET + one IndexedDB transaction): ${(syncTook.total! / plainTook.total!).toFixed(2)} (goal ≤ 2, ` +
          `measured in Chromium by npm run bench:browser)`
        : '',
      writeRatio
        ? `  local write, ${WRITES} saves: saveRecord / raw put in its own transaction: ${writeRatio.toFixed(2)} (goal ≤ 1.5 in Chromium); ` +
          `outbox rows per log edited field by field: ${rowsPerLog}`
        : '',
    ].join('\n'),
  );
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe(`${LOGS.toLocaleString('en')} logs from tablet A to tablet B`, () => {
  let sync: Round;
  let plain: Round;
  bench(
    'sync: push from A, pull to B (the app)',
    async () => {
      await sync.run();
    },
    {
      iterations: 1, // each round drains the outbox it measures
      warmupIterations: 0,
      time: 0,
      setup: async () => {
        sync = await syncRound();
      },
      teardown: () => {
        if (syncBytes) return;
        syncBytes = sync.meter.bytes;
        syncTook = sync.took;
        printed.push(`  sync:  ${sync.meter.bytes.toLocaleString('en')} bytes`);
      },
    },
  );
  bench(
    'plain POST + GET of the same JSON (the limit)',
    async () => {
      await plain.run();
    },
    {
      iterations: 1, // each round drains the outbox it measures
      warmupIterations: 0,
      time: 0,
      setup: async () => {
        plain = await plainRound();
      },
      teardown: () => {
        if (plainBytes) return;
        plainBytes = plain.meter.bytes;
        plainTook = plain.took;
        printed.push(`  plain: ${plain.meter.bytes.toLocaleString('en')} bytes`);
      },
    },
  );
});

// --- Local writes: saveRecord against a raw put of the same record in its own transaction ---------------------------
const WRITES = 2_000;
let writeRatio = 0;
let rowsPerLog = 0;

describe(`${WRITES.toLocaleString('en')} local saves`, () => {
  bench(
    'saveRecord (record + outbox row + clock, one transaction) vs raw put',
    async () => {
      const app = new DigitukiDB(`bench-write-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
      const raw = new DigitukiDB(`bench-raw-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
      replaceDatabase(app);
      await setPlace('org', 'site');
      const records = Array.from(
        { length: WRITES },
        (_, i) => ({ ...logFields(i), id: logId(i), org: 'org', site: 'site', hlc: '', fieldClocks: {}, deleted: 0 }) as unknown as SessionLogRecord,
      );
      let started = performance.now();
      for (const record of records) await raw.transaction('rw', raw.sessions, () => raw.sessions.put(record));
      const rawMs = performance.now() - started;
      started = performance.now();
      for (let i = 0; i < WRITES; i += 1) await saveRecord('sessions', logId(i), logFields(i));
      writeRatio = (performance.now() - started) / rawMs;
      // A log as the screen writes it: created, then field by field.
      for (const fields of [{ durationBand: '30-60' }, { topics: ['security'] }, { outcome: 'referred' }, { note: 'Uusi' }, { status: 'final' }])
        await saveRecord('sessions', 'log-0', fields);
      rowsPerLog = await app.outbox.where('[table+recordId]').equals(['sessions', 'log-0']).count();
    },
    { iterations: 1, warmupIterations: 0, time: 0 },
  );
});
