// Owns the unit tests' tablet database: every test gets a fresh, empty fake IndexedDB of its own as the app's database
// (what `db()` returns), closed after the test. Test files import `it` from here instead of from vitest.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { test } from 'vitest';
import { DigitukiDB, replaceDatabase } from '../../../src/db/db';

/** A new tablet database on a fake IndexedDB factory of its own (it shares nothing), made the app's database. */
export function freshDatabase(name = 'digituki-test'): DigitukiDB {
  const database = new DigitukiDB(name, { indexedDB: new IDBFactory(), IDBKeyRange });
  replaceDatabase(database);
  return database;
}

/** `it` with the fixture `database`: set up for every test (auto), before the file's beforeEach hooks run. */
// biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this pattern; it has none.
export const it = test.extend('database', { auto: true }, async ({}, { onCleanup }) => {
  const database = freshDatabase();
  onCleanup(() => database.close());
  return database;
});
