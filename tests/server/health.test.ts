// The skeleton server: one URL for the app and the health check, data in an SQLite file under DATA_DIR.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/server/config';
import { startServer, type RunningServer } from '../../src/server/main';
import { SQLITE_FILE } from '../../src/server/sqlite';
import { SERVER_FEATURES } from '../../src/protocol';

let dir: string;
let server: RunningServer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digituki-server-'));
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>Digituki shell</title>');
  writeFileSync(join(dir, 'dist', 'assets', 'app-abc.js'), 'console.log(1)');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('configuration', () => {
  it('defaults to port 8080 and ./data', () => {
    const config = readConfig({}, '/srv/digituki');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe('/srv/digituki/data');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('refuses a port that is not a number, in plain words', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/1 to 65535/);
    expect(() => readConfig({ PORT: '-1' })).toThrow(ConfigError);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    expect(() => readConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/postgres/);
  });
});

describe('the running server', () => {
  beforeEach(async () => {
    server = await startServer(readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dir, 'data'), STATIC_DIR: join(dir, 'dist') }), '9.9.9');
  });

  it('answers the health check and keeps its data in an SQLite file under DATA_DIR', async () => {
    const response = await fetch(`${server!.url}/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: '9.9.9', storage: 'sqlite', features: [...SERVER_FEATURES] });
    expect(existsSync(join(dir, 'data', SQLITE_FILE))).toBe(true);
  });

  it('serves the app shell for any in-app address, so deep links work', async () => {
    const response = await fetch(`${server!.url}/guides/celia/3`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Digituki shell');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('lets hashed assets be cached for good', async () => {
    const response = await fetch(`${server!.url}/assets/app-abc.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('answers an unknown API address with a JSON 404, never the app shell', async () => {
    const response = await fetch(`${server!.url}/v1/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});
