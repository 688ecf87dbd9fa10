// @vitest-environment node
// Load on the sync server over loopback: 200 tablets each push 100 session logs at once and then pull everything of
// their site. Prints throughput and p50/p99 latency per request kind, for SQLite and (with DATABASE_URL) PostgreSQL.
// A second run on a fresh database spreads the same 200 tablets' syncs over a minute, as a morning's sync arrives:
// each tablet starts at its own moment (seeded, uniform), pushes its logs and pulls. ARRIVAL_SCALE shortens the minute
// (the same arrivals, closer together: a harsher load), and the line says which it was. A third run hands the same
// pushes to the app in its own process (no HTTP, no pulls, no tablets' thread on the same cores): the server's own work.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { afterAll, bench, describe } from 'vitest';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src/protocol/version';
import { serializeHlc } from '../../src/protocol/hlc';
import { createEnrolmentCode, createOrganisation, createSite } from '../../src/server/admin';
import { createApp } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import type { Store } from '../../src/server/store';
import { dropPostgresSchema, openPostgresStore } from '../../src/server/store/postgres-store';
import { openSqliteStore } from '../../src/server/store/sqlite-store';

const DEVICES = 200;
const MUTATIONS = 100;
const SITES = 10;
const DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;
const ARRIVAL_SECONDS = 60;
const ARRIVAL_SCALE = Math.max(1, Number(process.env.ARRIVAL_SCALE) || 4);
const report: string[] = [];

/** What the tablets' thread (load-tablets.mjs) answers. */
interface TabletsAnswer {
  latencies: Record<'push' | 'pull', number[]>;
  seconds: number;
  pushSeconds: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** A seeded uniform number in [0, 1), so every run spreads the tablets the same way. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** How the tablets reach the server: all at once or spread over a minute over HTTP, or all at once in the server's own process. */
type Run = 'all at once' | 'arrivals' | 'in-process';

async function loadRun(name: string, store: Store, run: Run): Promise<void> {
  const arrival = run === 'arrivals';
  const app = createApp({
    staticDir: tmpdir(),
    version: 'bench',
    store,
    logger: createLogger('silent'),
    deviceRateLimit: { burst: 1e6, perSecond: 1e6 },
    enrolRateLimit: { burst: 1e6, perSecond: 1e6 },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const instance = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(instance));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), 'Content-Type': 'application/json' };
  try {
    const organisation = await createOrganisation(store, 'Load');
    const sites = await Promise.all(Array.from({ length: SITES }, (_, i) => createSite(store, organisation.id, `Site ${i}`)));
    const tokens: string[] = [];
    for (let i = 0; i < DEVICES; i += 1) {
      const { code } = await createEnrolmentCode(store, sites[i % SITES]!.id);
      const response = await fetch(`${url}/v1/enrol`, { method: 'POST', headers, body: JSON.stringify({ code, deviceName: `Tablet ${i}` }) });
      tokens.push(((await response.json()) as { token: string }).token);
    }
    const random = seeded(16);
    const tablets = tokens.map((token, device) => {
      const mutations = Array.from({ length: MUTATIONS }, (_, i) => ({
        mutationId: i + 1,
        table: 'sessions',
        id: `d${device}-log${i}`,
        hlc: serializeHlc({ wallMs: 1_767_000_000_000 + i, counter: 0, node: `d${device}` }),
        fields: {
          status: 'final',
          startedAt: 1_767_000_000_000 + i * 60_000,
          format: 'walk-in',
          topics: ['security'],
          participants: { member: { new: 1, returning: 0 } },
          updatedAt: 1_767_000_000_000,
        },
      }));
      return {
        auth: { ...headers, Authorization: `Bearer ${token}` },
        push: JSON.stringify({ protocol: PROTOCOL_VERSION, mutations }),
        startsAt: arrival ? (random() * ARRIVAL_SECONDS * 1000) / ARRIVAL_SCALE : 0,
      };
    });
    if (run === 'in-process') {
      // The server's own work: the same pushes handed to the app in its own process, no HTTP, no pulls, no tablets'
      // thread on the same cores (what the all-at-once line costs beyond this is the load generator and the wire).
      const started = performance.now();
      const statuses = await Promise.all(
        tablets.map(async ({ auth, push }) => (await app.fetch(new Request(`${url}/v1/push`, { method: 'POST', headers: auth, body: push }))).status),
      );
      const seconds = (performance.now() - started) / 1000;
      if (statuses.some((status) => status !== 200)) throw new Error(`a push failed: ${statuses.find((status) => status !== 200)}`);
      report.push(
        `${name}, the server's own work (the same pushes to app.fetch in its process, no HTTP, no pulls): ` +
          `${seconds.toFixed(1)} s = ${Math.round((DEVICES * MUTATIONS) / seconds)} mutations/s`,
      );
      return;
    }
    // The tablets run in a thread of their own, so the server's event loop does the server's work only.
    const { latencies, seconds, pushSeconds } = await new Promise<TabletsAnswer>((resolve, reject) => {
      const worker = new Worker(new URL('./load-tablets.mjs', import.meta.url), { workerData: { url, tablets } });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`the tablets' thread stopped with ${code}`)));
    });
    const line = (kind: 'push' | 'pull') => {
      const sorted = [...latencies[kind]].sort((a, b) => a - b);
      return `${kind} ×${sorted.length}: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`;
    };
    if (arrival) {
      report.push(
        `${name}, arrivals: ${DEVICES} tablets syncing spread over ${ARRIVAL_SECONDS} s, ` +
          `scaled ${ARRIVAL_SCALE}× to ${(ARRIVAL_SECONDS / ARRIVAL_SCALE).toFixed(0)} s (ARRIVAL_SCALE); ${line('push')}; ${line('pull')}`,
      );
    } else {
      report.push(
        `${name}: ${DEVICES} tablets × ${MUTATIONS} logs in ${seconds.toFixed(1)} s = ${Math.round((DEVICES * MUTATIONS) / seconds)} mutations/s ` +
          `with the pulls; pushes alone answered in ${pushSeconds.toFixed(1)} s = ${Math.round((DEVICES * MUTATIONS) / pushSeconds)} mutations/s; ` +
          `${line('push')}; ${line('pull')}`,
      );
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

afterAll(() => {
  console.log(
    [
      `Sync server under load (loopback, the tablets in a thread of their own; load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores):`,
      ...report.map((l) => `  ${l}`),
    ].join('\n'),
  );
});

describe(`${DEVICES} tablets push ${MUTATIONS} logs each, then pull`, () => {
  for (const run of ['all at once', 'arrivals', 'in-process'] as const) {
    const kind = run === 'arrivals' ? `syncs spread over ${ARRIVAL_SECONDS} s` : run;
    bench(
      `SQLite (embedded default), ${kind}`,
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'digituki-load-'));
        const store = await openSqliteStore(dir);
        try {
          await loadRun('SQLite', store, run);
        } finally {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      },
      { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 },
    );
    bench(
      `PostgreSQL (DATABASE_URL), ${kind}`,
      async () => {
        if (!DATABASE_URL) {
          report.push(`PostgreSQL (${kind}): skipped, DATABASE_URL is not set`);
          return;
        }
        const schema = `load_${randomBytes(4).toString('hex')}`;
        const store = await openPostgresStore(DATABASE_URL, { schema, poolSize: 10 });
        try {
          await loadRun('PostgreSQL', store, run);
        } finally {
          await store.close();
          await dropPostgresSchema(DATABASE_URL, schema);
        }
      },
      { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 },
    );
  }
});
