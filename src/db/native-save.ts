// Owns the short path of a local save: the record and its outbox row in ONE native IndexedDB transaction with two
// reads sent together and two writes sent together, then Dexie's live queries told. Dexie's own transaction costs a
// save about four times a raw put (issue 16); this is the same one transaction, without Dexie's layers around it.
import Dexie, { RangeSet } from 'dexie';
import type { DigitukiDB } from './db';
import { endOnLeave } from './leave-page';

/** What a save writes, decided from what its transaction read: the record and the outbox row (with `seq` to merge). */
export interface NativeWrite {
  record: { hlc: string } & object;
  outbox: { seq?: number } & object;
}

/**
 * Reads the record and its newest outbox row, asks `decide` what to write (synchronously: a transaction must not wait
 * on anything else), writes both, and resolves once the transaction committed. Returns the record's new clock.
 */
export async function saveNatively(
  database: DigitukiDB,
  table: string,
  id: string,
  decide: (current: ({ hlc?: string } & Record<string, unknown>) | undefined, last: object | undefined) => NativeWrite,
): Promise<string> {
  const idb = database.backendDB();
  const hlc = await new Promise<string>((resolve, reject) => {
    const tx = idb.transaction([table, 'outbox'], 'readwrite');
    endOnLeave(tx);
    const records = tx.objectStore(table);
    const outbox = tx.objectStore('outbox');
    const current = records.get(id);
    // A key is a query of that key alone; 'prev' gives the record's newest row, the only one that can be waiting.
    const last = outbox.index('[table+recordId]').openCursor([table, id], 'prev');
    let decided: string | undefined;
    let reads = 0;
    const read = () => {
      reads += 1;
      if (reads < 2) return;
      try {
        const write = decide(current.result, last.result?.value);
        records.put(write.record);
        outbox.put(write.outbox);
        decided = write.record.hlc;
        tx.commit?.(); // nothing more will be asked of it: commit now instead of after the next turn of the event loop
      } catch (error) {
        tx.abort();
        reject(error);
      }
    };
    current.onsuccess = read;
    last.onsuccess = read;
    tx.oncomplete = () => resolve(decided!);
    tx.onabort = () => reject(tx.error ?? new Error('The save was cut before it was written.'));
  });
  announce(database, [table, 'outbox']);
  return hlc;
}

/** Tables saved since the last announcement, per database: announced together in one telling. */
const unannounced = new Map<DigitukiDB, Set<string>>();

/** Settles once the saves so far are told (tests wait for it before their page goes away). */
let told: Promise<void> = Promise.resolve();

export function savesTold(): Promise<void> {
  return told;
}

/** One frame: saves in quick succession are told at most once a frame, as a screen cannot show them sooner. */
const ANNOUNCE_EVERY_MS = 16;
let lastAnnounced = -Infinity;

/**
 * Tells Dexie's live queries (this tab's and, through Dexie's channel, other tabs') that these tables changed. A save
 * after a quiet frame is told in the next task, so a tapped choice shows at once; saves in quick succession are told
 * together once a frame: each telling posts a message to the other tabs, which cost a save as much as a third of a
 * raw put when told per save (issue 16).
 */
function announce(database: DigitukiDB, tables: readonly string[]): void {
  if (!unannounced.size) {
    const wait = Math.max(0, lastAnnounced + ANNOUNCE_EVERY_MS - performance.now());
    told = new Promise((resolve) => setTimeout(() => resolve(announceNow()), wait));
  }
  const names = unannounced.get(database) ?? new Set<string>();
  for (const name of tables) names.add(name);
  unannounced.set(database, names);
}

function announceNow(): void {
  lastAnnounced = performance.now();
  const everything = () => new RangeSet(-Infinity, [[[]]]);
  const parts: Record<string, RangeSet> = {};
  for (const [database, tables] of unannounced) {
    for (const name of tables) {
      const base = `idb://${database.name}/${name}/`;
      for (const index of database.table(name).schema.indexes) if (index.name) parts[`${base}${index.name}`] = everything();
      parts[base] = everything();
      parts[`${base}:dels`] = everything();
    }
  }
  unannounced.clear();
  Dexie.on('storagemutated').fire(parts);
}
