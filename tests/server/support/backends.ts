// Test support: the same suite runs on every storage backend — a real SQLite file, and real PostgreSQL when DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it } from 'vitest';
import { SQLITE_FILE } from '../../../src/server/sqlite';
import type { Store } from '../../../src/server/store';
import { dropPostgresSchema, openPostgresStore } from '../../../src/server/store/postgres-store';
import { openSqliteStore } from '../../../src/server/store/sqlite-store';
import { backendTest, type BackendTest } from './fixtures';

/** How a test's store is opened: `onQuery` hears the text of every SQL statement that store runs. */
export interface StoreOptions {
  onQuery?: (sql: string) => void;
}

export interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty store; `reopen` opens the same data again (a server restart); `cleanup` removes it all. */
  open(options?: StoreOptions): Promise<{
    store: Store;
    reopen: () => Promise<Store>;
    cleanup: () => Promise<void>;
    config: { dataDir: string; databaseUrl: string | undefined };
    /**
     * Copies the whole database aside, as an administrator's backup would; `restore` puts that copy back over
     * whatever is there then (a database restored from a backup). Close every store on it before both calls.
     */
    snapshot: () => Promise<{ restore: () => Promise<void> }>;
  }>;
}

export const DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;

const sqlite: Backend = {
  name: 'SQLite',
  async open(options = {}) {
    const dataDir = mkdtempSync(join(tmpdir(), 'digituki-store-'));
    return {
      store: await openSqliteStore(dataDir, options),
      reopen: () => openSqliteStore(dataDir),
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      config: { dataDir, databaseUrl: undefined },
      snapshot: async () => {
        const copy = mkdtempSync(join(tmpdir(), 'digituki-snapshot-'));
        copyFileSync(join(dataDir, SQLITE_FILE), join(copy, SQLITE_FILE));
        return {
          restore: async () => {
            for (const suffix of ['-wal', '-shm']) if (existsSync(join(dataDir, SQLITE_FILE + suffix))) rmSync(join(dataDir, SQLITE_FILE + suffix));
            copyFileSync(join(copy, SQLITE_FILE), join(dataDir, SQLITE_FILE));
            rmSync(copy, { recursive: true, force: true });
          },
        };
      },
    };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  async open(options = {}) {
    // A fresh schema per test keeps tests independent without truncating anyone else's tables.
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = DATABASE_URL!;
    const withSchema = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return {
      store: await openPostgresStore(url, { schema, poolSize: 4, ...options }),
      reopen: () => openPostgresStore(url, { schema, poolSize: 4 }),
      cleanup: () => dropPostgresSchema(url, schema),
      config: { dataDir: mkdtempSync(join(tmpdir(), 'digituki-pgdata-')), databaseUrl: withSchema },
      // A dump and reload of every row, kept in a copy schema next to the test's own.
      snapshot: async () => {
        const copy = `${schema}_copy`;
        const tables = await copyTables(url, schema, copy);
        return {
          restore: async () => {
            await copyTables(url, copy, schema, tables);
            await dropPostgresSchema(url, copy);
          },
        };
      },
    };
  },
};

/** Copies every row of every table (kysely's own bookkeeping aside) from one schema to another, replacing what is there. */
async function copyTables(url: string, from: string, to: string, known?: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Parents before children, so foreign keys hold while rows go back in.
    const parentsFirst = ['organisations', 'sites', 'enrolment_codes', 'devices'];
    const rank = (table: string) => (parentsFirst.includes(table) ? parentsFirst.indexOf(table) : parentsFirst.length);
    const tables =
      known ??
      (
        await client.query<{ name: string }>(
          `select table_name as name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' and table_name not like 'kysely%'`,
          [from],
        )
      ).rows
        .map((row) => row.name)
        .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    await client.query('begin');
    await client.query(`create schema if not exists ${to}`);
    for (const table of tables) await client.query(`create table if not exists ${to}.${table} (like ${from}.${table} including all)`);
    await client.query(`truncate ${tables.map((table) => `${to}.${table}`).join(', ')}`);
    for (const table of tables) await client.query(`insert into ${to}.${table} select * from ${from}.${table}`);
    await client.query('commit');
    return tables;
  } finally {
    await client.end();
  }
}

export const BACKENDS: Backend[] = DATABASE_URL ? [sqlite, postgres] : [sqlite];

/**
 * Runs `suite` once per backend, handing it that backend's `it` with the fixtures of support/fixtures.ts; without
 * DATABASE_URL the PostgreSQL run is reported as skipped, with the reason.
 */
export function describeEachBackend(title: string, suite: (backend: Backend, it: BackendTest) => void): void {
  describe.each(BACKENDS)(`${title} ($name)`, (backend) => suite(backend, backendTest(backend)));
  if (!DATABASE_URL) {
    console.warn(`${title}: PostgreSQL suite skipped because DATABASE_URL is not set (e.g. postgres://digituki:digituki@127.0.0.1:5432/digituki_test).`);
    describe(`${title} (PostgreSQL)`, () => {
      it.skip('PostgreSQL suite skipped: DATABASE_URL is not set', () => {});
    });
  }
}
