// Owns what the tablet's database does when the page goes into the back-forward cache. WebKit (Safari on iPads) keeps
// a cached page's open IndexedDB transactions frozen, and every later page's transaction on the same tables waits for
// them for as long as the cached page lives: a tablet that followed an enrolment link while a list was being read
// could save nothing more. So a page entering that cache aborts its open transactions (frozen, they would not commit
// anyway), and a page brought back from it after that starts again, because the reads it was showing were cut.
import type { DBCore, DBCoreTransaction, Middleware } from 'dexie';
import type { UseStore } from 'idb-keyval';

/** The transactions this page has begun and that have not ended yet. */
const open = new Set<IDBTransaction>();
let cutOnLeave = false;
let watching = false;

function isIndexedDbTransaction(transaction: unknown): transaction is IDBTransaction {
  return typeof (transaction as Partial<IDBTransaction> | null)?.abort === 'function' && 'addEventListener' in (transaction as object);
}

/** Counts a native transaction (one opened without Dexie) until it ends, so leaving the page ends it too. */
export function endOnLeave(transaction: IDBTransaction): void {
  track(transaction);
}

function track(transaction: IDBTransaction): void {
  watchPageLeave();
  open.add(transaction);
  const ended = () => open.delete(transaction);
  for (const event of ['complete', 'abort', 'error']) transaction.addEventListener(event, ended);
}

/** A Dexie middleware that keeps count of the open transactions, so leaving the page can end them. */
export const endTransactionsOnLeave: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'EndTransactionsOnLeave',
  create: (down) => ({
    ...down,
    transaction(stores, mode, options): DBCoreTransaction {
      const transaction = down.transaction(stores, mode, options);
      if (isIndexedDbTransaction(transaction)) track(transaction);
      return transaction;
    },
  }),
};

/** The same for an idb-keyval store: each transaction it begins is counted until it ends. */
export function endedOnLeave(store: UseStore): UseStore {
  return (mode, callback) =>
    store(mode, (objectStore) => {
      track(objectStore.transaction);
      return callback(objectStore);
    });
}

/** Aborts what is still open; returns how many were. */
function abortOpenTransactions(): number {
  let aborted = 0;
  for (const transaction of open) {
    try {
      transaction.abort();
      aborted += 1;
    } catch {
      // It finished between the count and the abort: nothing is left waiting on it.
    }
  }
  open.clear();
  return aborted;
}

/** Listens once per page: `pagehide` into the back-forward cache ends the open transactions, `pageshow` back reloads. */
function watchPageLeave(page: Pick<Window, 'addEventListener' | 'location'> | undefined = globalThis.window): void {
  if (watching || !page) return; // a worker has no page to leave
  watching = true;
  page.addEventListener('pagehide', (event) => {
    if ((event as PageTransitionEvent).persisted && abortOpenTransactions() > 0) cutOnLeave = true;
  });
  page.addEventListener('pageshow', (event) => {
    if ((event as PageTransitionEvent).persisted && cutOnLeave) page.location.reload();
  });
}
