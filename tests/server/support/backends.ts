// Test support: the same suite runs on every storage backend — a real SQLite file, and real PostgreSQL when DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import type { Store } from '../../../src/server/store';
import { dropPostgresSchema, openPostgresStore } from '../../../src/server/store/postgres-store';
import { openSqliteStore } from '../../../src/server/store/sqlite-store';

export interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty store; `reopen` opens the same data again (a server restart); `cleanup` removes it all. */
  open(): Promise<{ store: Store; reopen: () => Promise<Store>; cleanup: () => Promise<void>; config: { dataDir: string; databaseUrl: string | undefined } }>;
}

export const DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;

const sqlite: Backend = {
  name: 'SQLite',
  async open() {
    const dataDir = mkdtempSync(join(tmpdir(), 'digituki-store-'));
    return {
      store: await openSqliteStore(dataDir),
      reopen: () => openSqliteStore(dataDir),
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      config: { dataDir, databaseUrl: undefined },
    };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  async open() {
    // A fresh schema per test keeps tests independent without truncating anyone else's tables.
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = DATABASE_URL!;
    const withSchema = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return {
      store: await openPostgresStore(url, { schema, poolSize: 4 }),
      reopen: () => openPostgresStore(url, { schema, poolSize: 4 }),
      cleanup: () => dropPostgresSchema(url, schema),
      config: { dataDir: mkdtempSync(join(tmpdir(), 'digituki-pgdata-')), databaseUrl: withSchema },
    };
  },
};

export const BACKENDS: Backend[] = DATABASE_URL ? [sqlite, postgres] : [sqlite];

/** Runs `suite` once per backend; without DATABASE_URL the PostgreSQL run is reported as skipped, with the reason. */
export function describeEachBackend(title: string, suite: (backend: Backend) => void): void {
  describe.each(BACKENDS)(`${title} ($name)`, suite);
  if (!DATABASE_URL) {
    console.warn(`${title}: PostgreSQL suite skipped because DATABASE_URL is not set (e.g. postgres://digituki:digituki@127.0.0.1:5432/digituki_test).`);
    describe(`${title} (PostgreSQL)`, () => {
      it.skip('PostgreSQL suite skipped: DATABASE_URL is not set', () => {});
    });
  }
}
