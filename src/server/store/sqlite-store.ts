// Owns the embedded store: the SQLite file under DATA_DIR behind kysely. One connection; kysely serialises use of it.
import { Kysely, SqliteDialect } from 'kysely';
import { openSqlite } from '../sqlite';
import type { ServerDatabase } from './schema';
import { Store } from './store';

export interface SqliteOptions {
  /** Told the text of every statement the store runs (tests count statements per push with it). */
  onQuery?: (sql: string) => void;
}

export async function openSqliteStore(dataDir: string, options: SqliteOptions = {}): Promise<Store> {
  const database = openSqlite(dataDir);
  const { onQuery } = options;
  const db = new Kysely<ServerDatabase>({ dialect: new SqliteDialect({ database }), ...(onQuery ? { log: (event) => onQuery(event.query.sql) } : {}) });
  const store = new Store('sqlite', db);
  await store.migrate();
  return store;
}
