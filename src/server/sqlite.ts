// Owns the embedded SQLite file under DATA_DIR: where it lives and how it is opened (WAL, foreign keys).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const SQLITE_FILE = 'digituki.sqlite';

export function openSqlite(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const database = new Database(join(dataDir, SQLITE_FILE));
  database.pragma('journal_mode = WAL'); // readers never block the writer; survives a crash mid-write
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return database;
}
