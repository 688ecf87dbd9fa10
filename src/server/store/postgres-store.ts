// Owns the scale-out store: PostgreSQL through a pg pool behind kysely, for several server processes over one database.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ServerDatabase } from './schema';
import { Store } from './store';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export interface PostgresOptions {
  /** Keep all tables in this schema (created if missing): tests use one fresh schema each. */
  schema?: string;
  poolSize?: number;
  /** Told the text of every statement the store runs (tests count statements per push with it). */
  onQuery?: (sql: string) => void;
}

export async function openPostgresStore(databaseUrl: string, options: PostgresOptions = {}): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Not a usable PostgreSQL schema name: ${schema}`);
  if (schema) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`create schema if not exists ${schema}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Counters and sums are bigint/numeric; our values stay far below 2^53, so plain numbers are safe and simpler.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const { onQuery } = options;
  const db = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool }), ...(onQuery ? { log: (event) => onQuery(event.query.sql) } : {}) });
  const store = new Store('postgres', db);
  try {
    await whileNoSchemaIsDropped(databaseUrl, () => store.migrate());
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return store;
}

// kysely's migrator looks up its tables across every schema of the database, and a schema dropped during that lookup
// fails it ("schema … does not exist"). Migrations hold this advisory lock shared, a schema drop holds it alone.
const SCHEMA_DROP_LOCK = 720_172_026;

async function whileNoSchemaIsDropped<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock_shared($1)', [SCHEMA_DROP_LOCK]);
    return await work();
  } finally {
    await client.end(); // ending the session releases its advisory lock
  }
}

/** Removes a schema made with `schema:` above, and everything in it. */
export async function dropPostgresSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Not a usable PostgreSQL schema name: ${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SCHEMA_DROP_LOCK]); // released when the session ends below
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
