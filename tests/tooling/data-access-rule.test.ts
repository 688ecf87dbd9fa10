// Proves the data-access rule of src/db/db.ts holds: outside src/db no tablet code names a table of the app's database,
// opens a transaction or an IndexedDB database, or imports Dexie (the import rules cannot see a table name, so this
// reads the code). The server and the console have no tablet database and are left out.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TABLES = 'guides|guideSteps|blobs|sessions|feedback|outbox|profiles|syncState|tables?';
const BREACHES = [
  new RegExp(`\\b(db\\(\\)|database)\\.(${TABLES})\\b`), // a table through the connection
  /\.transaction\(/, // a transaction, Dexie's or IndexedDB's
  /\bindexedDB\.open\(/,
  /from 'dexie'/,
];

/** The lines of a source text that break the rule, as "line: text". */
function breachesIn(source: string): string[] {
  return source.split('\n').flatMap((line, index) => (BREACHES.some((pattern) => pattern.test(line)) ? [`${index + 1}: ${line.trim()}`] : []));
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('only src/db reads and writes the tablet database', () => {
  it('finds a table, a transaction, an IndexedDB open or a Dexie import in a planted line', () => {
    expect(breachesIn('const rows = await db().sessions.toArray();\nconst ok = 1;')).toEqual(['1: const rows = await db().sessions.toArray();']);
    expect(breachesIn("await database.transaction('rw', stores, work);")).toHaveLength(1);
    expect(breachesIn("const request = indexedDB.open('digituki');")).toHaveLength(1);
    expect(breachesIn("import Dexie from 'dexie';")).toHaveLength(1);
    expect(breachesIn('const sessions = await logRowsStartedIn(from, to);')).toEqual([]);
  });

  it('finds none in the tablet code outside src/db', () => {
    const outside = sourceFiles(join(root, 'src')).filter((path) => !/^src\/(db|server|console)\//.test(relative(root, path)));
    expect(outside.length).toBeGreaterThan(50);
    const found = outside.flatMap((path) => breachesIn(readFileSync(path, 'utf8')).map((line) => `${relative(root, path)}:${line}`));
    expect(found).toEqual([]);
  });
});
