// Running it safely: HSTS when the public address is HTTPS, an SQLite file and DATA_DIR only their owner can read,
// enrolment links that keep the code out of server and proxy logs, and logs that name route patterns, not paths.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolmentLink } from '../../src/server/admin';
import { ConfigError, readConfig } from '../../src/server/config';
import { API_ROUTES, routeOf } from '../../src/server/log';
import { SQLITE_FILE } from '../../src/server/sqlite';
import { openSqliteStore } from '../../src/server/store/sqlite-store';
import { describeEachBackend, type Backend } from './support/backends';
import { GUIDE, T0, buildWorld, captureLogs, change, makeApp, tabletOf } from './support/world';

const mode = (path: string) => statSync(path).mode & 0o777;

describeEachBackend('running it safely', (_backend: Backend, it) => {
  it('sends Strict-Transport-Security when PUBLIC_URL is https, and not otherwise', async ({ store }) => {
    const secure = makeApp(store, { publicUrl: 'https://digi.example.fi' });
    for (const path of ['/', '/v1/health', '/v1/nothing']) {
      expect((await secure.request(path)).headers.get('strict-transport-security'), path).toBe('max-age=31536000');
    }
    for (const publicUrl of [undefined, 'http://192.168.1.20:8080']) {
      expect((await makeApp(store, { publicUrl }).request('/')).headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('logs the route pattern of an unknown address, never the address itself', async ({ store, world }) => {
    const { logger, lines } = captureLogs();
    const app = makeApp(store, { now: () => T0, logger });
    const tablet = tabletOf(app, world.a1);
    const secrets = ['/v1/7KQ2M9XD3RFA', '/v1/enrolK7Q2', '/v1/push/extra-secret', '/v1/blobsecret', '/enrol?code=7KQ2-M9XD-3RFA', '/guides/private-slug/3'];
    for (const path of secrets) await tablet.request(path);
    await tablet.push([change(tablet, 'guides', 'g1', GUIDE)]);
    const routes = lines.map((line) => (JSON.parse(line) as { route: string }).route);
    expect(new Set(routes)).toEqual(new Set(['/v1/*', 'app', '/v1/push']));
    const log = lines.join('\n');
    for (const secret of ['7KQ2', 'K7Q2', 'extra-secret', 'blobsecret', 'private-slug']) expect(log).not.toContain(secret);
  });
});

describe('the SQLite file and DATA_DIR', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'digituki-modes-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('are created readable by their owner only (0700 and 0600), the write-ahead log too', async () => {
    const dataDir = join(root, 'data', 'nested');
    const store = await openSqliteStore(dataDir);
    try {
      await buildWorld(store); // writes, so the write-ahead log and shared-memory files exist
      expect(mode(dataDir)).toBe(0o700);
      for (const file of [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`]) expect(mode(join(dataDir, file)), file).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('tightens a database file an older version left readable by others', async () => {
    const dataDir = join(root, 'data');
    await (await openSqliteStore(dataDir)).close();
    chmodSync(join(dataDir, SQLITE_FILE), 0o644);
    writeFileSync(join(dataDir, `${SQLITE_FILE}-wal`), '', { mode: 0o644 });
    chmodSync(join(dataDir, `${SQLITE_FILE}-wal`), 0o644);
    const store = await openSqliteStore(dataDir);
    try {
      expect(mode(join(dataDir, SQLITE_FILE))).toBe(0o600);
      expect(mode(join(dataDir, `${SQLITE_FILE}-wal`))).toBe(0o600);
    } finally {
      await store.close();
    }
  });
});

describe('enrolment links and configuration', () => {
  it('put the code in the fragment, which browsers never send to the server or a proxy', () => {
    expect(enrolmentLink('https://digi.example.fi/', 'ABCD-EFGH-JK2M')).toBe('https://digi.example.fi/enrol#code=ABCD-EFGH-JK2M');
    expect(new URL(enrolmentLink('https://digi.example.fi', 'ABCD-EFGH-JK2M')).search).toBe('');
  });

  it('reads PUBLIC_URL and PICTURE_QUOTA_MB, in plain words when they are wrong', () => {
    expect(readConfig({ PUBLIC_URL: 'https://digi.example.fi' }).publicUrl).toBe('https://digi.example.fi');
    expect(() => readConfig({ PUBLIC_URL: 'digi.example.fi' })).toThrow(/PUBLIC_URL must be the address people open/);
    expect(readConfig({}).blobQuotaBytes).toBe(2 * 1024 ** 3);
    expect(readConfig({ PICTURE_QUOTA_MB: '512' }).blobQuotaBytes).toBe(512 * 1024 ** 2);
    for (const wrong of ['lots', '0', '-5', '1.5']) expect(() => readConfig({ PICTURE_QUOTA_MB: wrong }), wrong).toThrow(ConfigError);
  });

  it('routeOf knows only the real routes', () => {
    expect([...API_ROUTES].map(routeOf)).toEqual([...API_ROUTES]);
    expect(routeOf(`/v1/blobs/${'a'.repeat(64)}`)).toBe('/v1/blobs/:sha256');
    expect(['/v1/pushy', '/v1/abcdefgh', '/v1/blobs', '/v1/blobsx/1'].map(routeOf)).toEqual(['/v1/*', '/v1/*', '/v1/*', '/v1/*']);
    expect(routeOf('/assets/index-abc.js')).toBe('/assets/*');
    expect(routeOf('/enrol')).toBe('app');
  });

  it('routeOf names every API route the app has, each as itself', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'digituki-routes-'));
    const store = await openSqliteStore(dataDir);
    try {
      const paths = new Set(
        (makeApp(store).routes as { path: string }[]).map((route) => route.path).filter((path) => path.startsWith('/v1/') && !path.includes('*')),
      );
      expect(paths.size).toBeGreaterThanOrEqual(API_ROUTES.size);
      for (const path of paths) expect(routeOf(path.replace(':sha256', 'a'.repeat(64))), path).toBe(path);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
