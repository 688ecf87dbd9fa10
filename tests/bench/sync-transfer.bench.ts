// @vitest-environment node
// 10,000 session logs from one tablet to a second tablet through the sync server, against the limit: a plain HTTP
// POST and GET of the same logs as one JSON document. Prints time (the summary gives the ratio) and bytes on the wire.
// The tablets run on fake-indexeddb (Node has no IndexedDB), which is several times slower than a browser's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { afterAll, bench, describe } from 'vitest';
import { DigitukiDB } from '../../src/db/db';
import type { OutboxEntry, SessionLogRecord } from '../../src/db/records';
import { serializeHlc } from '../../src/protocol/hlc';
import { createEnrolmentCode, createOrganisation, createSite } from '../../src/server/admin';
import { createApp } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { openSqliteStore } from '../../src/server/store/sqlite-store';
import { enrol, syncOnce } from '../../src/sync/engine';

const LOGS = 10_000;
const dirs: string[] = [];

function logFields(i: number) {
  return {
    status: 'final',
    startedAt: 1_767_000_000_000 + i * 3_600_000,
    durationBand: ['under-15', '15-30', '30-60', 'over-60'][i % 4],
    format: ['group', 'walk-in', 'pop-up', 'one-to-one'][i % 4],
    channel: 'in-person',
    participants: { member: { new: i % 3, returning: (i * 7) % 5 }, onlooker: { new: 0, returning: i % 2 } },
    topics: [['security', 'e-identification'], ['keeping-in-touch'], ['attachments', 'authority-services', 'other']][i % 3],
    guidesUsed: [],
    devicesUsed: ['own'],
    outcome: 'with-support',
    referredTo: [],
    barriers: i % 5 === 0 ? ['no-e-id'] : [],
    note: i % 4 === 0 ? 'Päivitykset ja huijausviestit' : '',
    updatedAt: 1_767_000_000_000 + i,
  };
}

/** Bytes that cross the network: request bodies as sent, response bodies gzip-compressed as the server sends them. */
function meteredFetch(app: { fetch: (request: Request) => Response | Promise<Response> }, meter: { bytes: number }): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = init?.body instanceof Blob ? new Uint8Array(await init.body.arrayBuffer()) : typeof init?.body === 'string' ? new TextEncoder().encode(init.body) : undefined;
    meter.bytes += body?.length ?? 0;
    const headers = new Headers(init?.headers);
    headers.set('Accept-Encoding', 'gzip');
    const response = await app.fetch(new Request(String(input), { ...init, headers, body }));
    const raw = new Uint8Array(await response.arrayBuffer());
    meter.bytes += raw.length;
    const plain = response.headers.get('content-encoding') === 'gzip' ? gunzipSync(raw) : raw;
    const out = new Headers(response.headers);
    out.delete('content-encoding');
    return new Response(response.status === 204 || response.status === 304 ? null : plain, { status: response.status, headers: out });
  }) as typeof fetch;
}

interface Round {
  run: () => Promise<void>;
  meter: { bytes: number };
}

async function syncRound(): Promise<Round> {
  const dataDir = mkdtempSync(join(tmpdir(), 'digituki-bench-sync-'));
  dirs.push(dataDir);
  const store = await openSqliteStore(dataDir);
  const app = createApp({ staticDir: dataDir, version: 'bench', store, logger: createLogger('silent'), deviceRateLimit: { burst: 1e6, perSecond: 1e6 } });
  const organisation = await createOrganisation(store, 'Bench');
  const site = await createSite(store, organisation.id, 'Site');
  const meter = { bytes: 0 };
  const tablet = async (name: string) => {
    const database = new DigitukiDB(`bench-${name}-${dataDir}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    await enrol(database, { serverUrl: 'http://sync.bench', code: (await createEnrolmentCode(store, site.id)).code, deviceName: name }, meteredFetch(app, { bytes: 0 }));
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
    logs.push({ ...fields, id: `log-${i}`, org: organisation.id, site: site.id, hlc, fieldClocks, deleted: 0 } as SessionLogRecord);
    outbox.push({ table: 'sessions', recordId: `log-${i}`, hlc, fields, org: organisation.id, site: site.id });
  }
  await a.sessions.bulkPut(logs);
  await a.outbox.bulkAdd(outbox);
  return {
    meter,
    async run() {
      await syncOnce({ database: a, fetch: meteredFetch(app, meter) });
      await syncOnce({ database: b, fetch: meteredFetch(app, meter) });
      if ((await b.sessions.count()) !== LOGS) throw new Error('tablet B did not receive every log');
    },
  };
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
  const document = JSON.stringify(Array.from({ length: LOGS }, (_, i) => ({ id: `log-${i}`, ...logFields(i) })));
  const meter = { bytes: 0 };
  const doFetch = meteredFetch(app, meter);
  return {
    meter,
    async run() {
      await doFetch('http://plain.bench/logs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: document });
      const received = (await (await doFetch('http://plain.bench/logs')).json()) as unknown[];
      if (received.length !== LOGS) throw new Error('the plain GET lost logs');
    },
  };
}

const printed: string[] = [];
let syncBytes = 0;
let plainBytes = 0;

afterAll(() => {
  console.log(
    [
      `Bytes on the wire for ${LOGS.toLocaleString('en')} logs, one tablet to another (request bodies + gzip response bodies):`,
      ...printed,
      syncBytes && plainBytes ? `  ratio sync / plain: ${(syncBytes / plainBytes).toFixed(2)}` : '',
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
        printed.push(`  plain: ${plain.meter.bytes.toLocaleString('en')} bytes`);
      },
    },
  );
});
