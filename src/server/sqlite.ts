// Owns the embedded SQLite file under DATA_DIR: where it lives, who may read it (its owner only), and how it is
// opened (WAL, foreign keys).
import { chmodSync, existsSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const SQLITE_FILE = 'digituki.sqlite';
/** The database and the files SQLite keeps beside it (write-ahead log, shared memory index, rollback journal). */
const SQLITE_FILES = [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`, `${SQLITE_FILE}-journal`];

export function openSqlite(dataDir: string): Database.Database {
  // A DATA_DIR made here is its owner's only; one the operator made is left as they set it.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, SQLITE_FILE);
  // Created before SQLite opens it, so it is never readable by others, not even for a moment; SQLite gives its
  // write-ahead log and shared-memory files the database file's permissions.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const name of SQLITE_FILES) {
    const path = join(dataDir, name);
    if (existsSync(path)) chmodSync(path, 0o600); // tightens what an older version left readable
  }
  const database = new Database(file);
  database.pragma('journal_mode = WAL'); // readers never block the writer; survives a crash mid-write
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return database;
}
