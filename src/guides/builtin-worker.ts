// A worker that loads the built-in guides into IndexedDB: reading the content files and writing some 800 rows stay off
// the main thread, so the participant home answers at once while a first start (or a content update) fills the library.
// It imports no UI; the library on screen sees the new rows through Dexie's live queries, which follow other contexts.
import { ensureBuiltinGuides } from './builtin-loader';

void ensureBuiltinGuides().then(
  (outcome) => postMessage({ outcome }),
  (error: unknown) => postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
