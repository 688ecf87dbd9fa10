// Test support for the tablet's sync engine: tablets (each its own IndexedDB) against the real server in-process,
// with a network that can lose a request, lose an answer or deliver twice.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Hono } from 'hono';
import { afterEach, beforeEach } from 'vitest';
import { DigitukiDB, replaceDatabase } from '../../../src/db/db';
import { createEnrolmentCode, createOrganisation, createSite } from '../../../src/server/admin';
import { createApp } from '../../../src/server/app';
import { createLogger } from '../../../src/server/log';
import type { Store } from '../../../src/server/store';
import { SQLITE_FILE } from '../../../src/server/sqlite';
import { openSqliteStore } from '../../../src/server/store/sqlite-store';
import { enrol, syncOnce, type SyncResult } from '../../../src/sync/engine';
import { dispatchMode, lockNow } from '../../../src/lock/mode';

export type Fault = 'lose-request' | 'lose-answer' | 'duplicate';

export interface Network {
  fetch: typeof fetch;
  /** Faults for the next requests, in order; an empty list means a good network. */
  faults: Fault[];
  requests: string[];
}

export const SERVER = 'http://sync.test';

/** A network to the app; give a function when the server may be replaced (restored) while tablets keep their network. */
export function networkTo(target: Hono | (() => Hono)): Network {
  const appNow = () => (typeof target === 'function' ? target() : target);
  const network: Network = {
    faults: [],
    requests: [],
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      network.requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      // Faults are meant for the sync exchange: the round's health check (what the server understands) and signing in
      // for an access token (protocol v2) pass, so a fault lands where the test means it (credential.test.ts loses the
      // answer to a bind on purpose).
      const passes = ['/v1/health', '/v1/auth/challenge', '/v1/auth/token'].includes(url.pathname);
      const fault = passes ? undefined : network.faults.shift();
      if (fault === 'lose-request') throw new TypeError('Failed to fetch');
      const body = init?.body instanceof Blob ? await init.body.arrayBuffer() : (init?.body as string | undefined);
      const send = () => appNow().fetch(new Request(url, { ...init, body }));
      const response = await send();
      if (fault === 'duplicate') return send();
      if (fault === 'lose-answer') throw new TypeError('Failed to fetch');
      return response;
    }) as typeof fetch,
  };
  return network;
}

export interface Tablet {
  name: string;
  database: DigitukiDB;
  network: Network;
  /** The tablet's own date; unset: the real one. */
  now?: () => number;
  /** Runs local work with this tablet's database as the app's database. */
  use<T>(work: () => Promise<T>): Promise<T>;
  /** Like use, with the tablet's site admin unlocked (backup export and restore are site-admin only). */
  asAdmin<T>(work: () => Promise<T>): Promise<T>;
  sync(): Promise<SyncResult>;
}

export interface World {
  store: Store;
  app: Hono;
  siteId: string;
  orgId: string;
  tablet(name: string, siteId?: string): Promise<Tablet>;
  code(siteId?: string): Promise<string>;
  close(): Promise<void>;
  /**
   * Copies the server's SQLite file aside (an administrator's backup); `restore` stops the server, puts the copy back
   * and starts it again on it, without the start check, so only what tablets tell it can reveal the loss.
   */
  snapshot(): Promise<{ restore: () => Promise<void> }>;
}

const TABLET_ADMIN = 'tablet-admin';

/**
 * `now`: the server's clock (the real one unless given). These tests write logs at fixed dates (December 2025), so the
 * server's pull window reaches back far enough for them (100 years unless given); the window itself is tested in
 * tests/server/window-retention.test.ts.
 */
export async function makeWorld(options: { now?: () => number; pullWindowMonths?: number } = {}): Promise<World> {
  const dataDir = mkdtempSync(join(tmpdir(), 'digituki-tablet-sync-'));
  const store = await openSqliteStore(dataDir);
  const appOf = (on: Store) =>
    createApp({
      staticDir: dataDir,
      version: 'test',
      store: on,
      logger: createLogger('silent'),
      deviceRateLimit: { burst: 100_000, perSecond: 100_000 },
      enrolRateLimit: { burst: 1000, perSecond: 1000 },
      pullWindowMonths: options.pullWindowMonths ?? 1200,
      ...(options.now ? { now: options.now } : {}),
    }) as unknown as Hono;
  const app = appOf(store);
  const organisation = await createOrganisation(store, 'Helsingin Digituki');
  const site = await createSite(store, organisation.id, 'Päiväkeskus Kallio');
  const world: World = {
    store,
    app,
    siteId: site.id,
    orgId: organisation.id,
    async code(siteId = site.id) {
      return (await createEnrolmentCode(world.store, siteId)).code;
    },
    async tablet(name, siteId = site.id) {
      const database = new DigitukiDB(`tablet-${name}`, { indexedDB: new IDBFactory(), IDBKeyRange });
      const network = networkTo(() => world.app);
      await enrol(database, { serverUrl: SERVER, code: await world.code(siteId), deviceName: name }, network.fetch);
      const tablet: Tablet = {
        name,
        database,
        network,
        async use(work) {
          replaceDatabase(database);
          return work();
        },
        async asAdmin(work) {
          replaceDatabase(database);
          if (!(await database.profiles.get(TABLET_ADMIN)))
            await database.profiles.add({ id: TABLET_ADMIN, nickname: 'Pääkäyttäjä', role: 'admin', createdAt: 0 });
          dispatchMode({ type: 'unlock', profileId: TABLET_ADMIN, at: Date.now() });
          try {
            return await work();
          } finally {
            lockNow();
          }
        },
        sync: () => syncOnce({ database, fetch: network.fetch, ...(tablet.now ? { now: tablet.now } : {}) }),
      };
      return tablet;
    },
    async close() {
      await world.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async snapshot() {
      await world.store.close();
      const copy = mkdtempSync(join(tmpdir(), 'digituki-server-copy-'));
      copyFileSync(join(dataDir, SQLITE_FILE), join(copy, SQLITE_FILE));
      world.store = await openSqliteStore(dataDir);
      world.app = appOf(world.store);
      return {
        async restore() {
          await world.store.close();
          for (const suffix of ['-wal', '-shm']) rmSync(join(dataDir, SQLITE_FILE + suffix), { force: true });
          copyFileSync(join(copy, SQLITE_FILE), join(dataDir, SQLITE_FILE));
          rmSync(copy, { recursive: true, force: true });
          world.store = await openSqliteStore(dataDir);
          world.app = appOf(world.store);
        },
      };
    },
  };
  return world;
}

/** What a tablet holds of a table, without the bookkeeping that differs per device (org/site stamps are compared). */
/** Gives each test of the file a fresh world (server, store, tablets), closed after the test. */
export function eachTestInAWorld(use: (world: World) => void, options: Parameters<typeof makeWorld>[0] = {}): void {
  let current: World | undefined;
  beforeEach(async () => {
    current = await makeWorld(options);
    use(current);
  });
  afterEach(async () => {
    await current?.close();
  });
}

/** A finished session log of one format, started at a fixed moment so clocks in the tests are easy to read. */
export function sessionLog(format: string) {
  return { status: 'final', startedAt: 1_767_000_000_000, format, topics: ['security'], participants: { member: { new: 1, returning: 0 } } };
}

export async function contents(tablet: Tablet, table: 'sessions' | 'guides' | 'guideSteps' | 'feedback'): Promise<Record<string, unknown>[]> {
  const rows = (await tablet.database.table(table).toArray()) as Record<string, unknown>[];
  return rows
    .map((row) => {
      const copy = { ...row };
      delete copy.updatedAt; // a field like any other, but compared through fieldClocks already
      return copy;
    })
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** A push body as the tablet sent it, read as JSON: a text, or gzip when the server takes compressed bodies. */
export function sentPushBody<T>(init: RequestInit | undefined): T {
  const body = init?.body;
  return JSON.parse(typeof body === 'string' ? body : gunzipSync(Buffer.from(body as ArrayBuffer)).toString('utf8')) as T;
}
