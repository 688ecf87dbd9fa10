// Owns the embedded store: the SQLite file under DATA_DIR behind kysely. One connection; kysely serialises use of it.
import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
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
  const db = new Kysely<ServerDatabase>({
    dialect: new SqliteDialect({ database: reusingStatements(database) }),
    ...(onQuery ? { log: (event) => onQuery(event.query.sql) } : {}),
  });
  const store = new Store('sqlite', db);
  await store.migrate();
  return store;
}

// Statements the store runs again and again (a push's few, the pull's page) are compiled once, not per call.
const KEPT_STATEMENTS = 200;

/** The database as kysely sees it, keeping the last KEPT_STATEMENTS prepared statements by their text. */
function reusingStatements(database: Database.Database): SqliteDatabase {
  const kept = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare: (text: string) => {
      let statement = kept.get(text);
      if (statement) kept.delete(text);
      else statement = database.prepare(text);
      // Most recently used last: the first key is the one to forget.
      kept.set(text, statement);
      if (kept.size > KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
      return statement;
    },
  };
}
