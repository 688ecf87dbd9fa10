// Owns the embedded store: the SQLite file under DATA_DIR behind kysely. One connection; kysely serialises use of it.
import { Kysely, SqliteDialect } from 'kysely';
import { openSqlite } from '../sqlite';
import type { ServerDatabase } from './schema';
import { Store } from './store';

export async function openSqliteStore(dataDir: string): Promise<Store> {
  const database = openSqlite(dataDir);
  const db = new Kysely<ServerDatabase>({ dialect: new SqliteDialect({ database }) });
  const store = new Store('sqlite', db);
  await store.migrate();
  return store;
}
