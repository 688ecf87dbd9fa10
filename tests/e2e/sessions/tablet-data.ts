// Reads the tablet's IndexedDB from inside the page, for browser tests that check what was really stored.
import type { Page } from 'playwright-core';

/** Every row of one table of the app's database, read with plain IndexedDB (no app code involved). */
export function readTable<T = Record<string, unknown>>(page: Page, table: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const request = indexedDB.open('digituki');
        request.onsuccess = () => {
          const database = request.result;
          const read = database.transaction(name).objectStore(name).getAll();
          read.onsuccess = () => {
            database.close();
            resolve(read.result as T[]);
          };
          read.onerror = () => reject(read.error);
        };
        request.onerror = () => reject(request.error);
      }),
    table,
  );
}

/** Counts the taps a test makes, the way an instructor would count them. */
export function tapCounter(): { tap: (target: { click: () => Promise<void> }) => Promise<void>; count: () => number } {
  let taps = 0;
  return {
    async tap(target) {
      taps += 1;
      await target.click();
    },
    count: () => taps,
  };
}
