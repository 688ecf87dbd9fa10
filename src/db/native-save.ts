// Owns the short path of a local save: the record and its outbox row in ONE native IndexedDB transaction with two
// reads sent together and two writes sent together, then Dexie's live queries told. Dexie's own transaction costs a
// save about four times a raw put (issue 16); this is the same one transaction, without Dexie's layers around it.
import Dexie, { RangeSet } from 'dexie';
import type { DigitukiDB } from './db';
import type { DatabaseKey } from './device-local';
import { endOnLeave } from './leave-page';

/** What a save writes, decided from the record and its waiting outbox row: the record, and the row (`seq` to merge). */
export interface NativeWrite {
  record: { hlc: string } & object;
  outbox: { seq?: number } & object;
}

/** What a save wrote: the record, and its outbox row with the `seq` it is stored under. */
export interface NativeWritten {
  record: { hlc: string } & object;
  outbox: { seq: number } & object;
}

/** What a save takes a record and its waiting row to be, without reading them: `record` null is a record never stored. */
export interface Expected {
  record: object | null;
  waiting: ({ seq: number } & object) | null;
}

/** `numbered`: the seqs of the outbox rows numbered for a push (db/sync.ts), never merged into. */
type Decide = (current: ({ hlc?: string } & Record<string, unknown>) | undefined, last: object | undefined, numbered: NumberedSeqs) => NativeWrite;

/** The outbox seqs numbered for a push: a change is never merged into one of those rows. */
export type NumberedSeqs = ReadonlySet<number>;
export const NONE_NUMBERED: NumberedSeqs = new Set();

/** The seqs of the stored `numbered` value ([seq, mutationId] pairs, db/sync.ts); none when nothing is numbered. */
export function numberedSeqs(stored: unknown): NumberedSeqs {
  if (!Array.isArray(stored) || !stored.length) return NONE_NUMBERED;
  return new Set(stored.map((pair: unknown) => (Array.isArray(pair) ? pair[0] : pair) as number));
}

/** Where the outbox numbering is kept: the `numbered` key of the syncState table (db/device-local.ts). */
const NUMBERED_KEY = 'numbered' satisfies DatabaseKey; // the compiler checks it against the registry's keys

/**
 * Reads the record and its newest outbox row, asks `decide` what to write (synchronously: a transaction must not wait
 * on anything else), writes both, and resolves once the transaction committed.
 */
export async function saveNatively(database: DigitukiDB, table: string, id: string, decide: Decide): Promise<NativeWritten> {
  const idb = database.backendDB();
  const written = await new Promise<NativeWritten>((resolve, reject) => {
    const tx = idb.transaction([table, 'outbox', 'syncState'], 'readwrite');
    endOnLeave(tx);
    const records = tx.objectStore(table);
    const outbox = tx.objectStore('outbox');
    const current = records.get(id);
    // A key is a query of that key alone; 'prev' gives the record's newest row, the only one that can be waiting.
    const last = outbox.index('[table+recordId]').openCursor([table, id], 'prev');
    const numbered = tx.objectStore('syncState').get(NUMBERED_KEY);
    let decided: NativeWrite | undefined;
    let row: IDBRequest<IDBValidKey> | undefined;
    let reads = 0;
    const read = () => {
      reads += 1;
      if (reads < 3) return;
      try {
        decided = decide(current.result, last.result?.value, numberedSeqs(numbered.result?.value));
        records.put(decided.record);
        row = outbox.put(decided.outbox);
        tx.commit?.(); // nothing more will be asked of it: commit now instead of after the next turn of the event loop
      } catch (error) {
        tx.abort();
        reject(error);
      }
    };
    current.onsuccess = read;
    last.onsuccess = read;
    numbered.onsuccess = read;
    tx.oncomplete = () => resolve(writtenOf(decided!, row!));
    tx.onabort = () => reject(tx.error ?? new Error('The save was cut before it was written.'));
  });
  announce(database, [table, 'outbox']);
  return written;
}

/**
 * The same save without waiting for a read (issue 16): the write is decided from what the record and its waiting row
 * are expected to be, sent at once, and kept only if they were: a record expected new is added (refused if it exists);
 * an expected record and row are read in the same transaction, before the writes, and compared, and the row must not
 * be numbered for a push. Returns 'stale' (and writes nothing) when they were not as expected: another tab, a pull or
 * a push changed them.
 */
export async function saveExpecting(database: DigitukiDB, table: string, id: string, expected: Expected, write: NativeWrite): Promise<NativeWritten | 'stale'> {
  const idb = database.backendDB();
  const written = await new Promise<NativeWritten | 'stale'>((resolve, reject) => {
    // The numbering is read only to merge into a waiting row: a new row needs no check of it.
    const tx = idb.transaction(expected.waiting ? [table, 'outbox', 'syncState'] : [table, 'outbox'], 'readwrite');
    endOnLeave(tx);
    const records = tx.objectStore(table);
    const outbox = tx.objectStore('outbox');
    let stale = false;
    let row: IDBRequest<IDBValidKey>;
    try {
      const reads: [IDBRequest, unknown][] = [];
      if (expected.record === null) {
        // A record never stored is added: the store itself refuses it if it exists, so nothing needs reading.
        const adding = records.add(write.record);
        adding.onerror = () => {
          stale = adding.error?.name === 'ConstraintError';
        };
      } else reads.push([records.get(id), expected.record]);
      if (expected.waiting) reads.push([outbox.get(expected.waiting.seq), expected.waiting]);
      // A row numbered for a push is sent as it is: merging into it would change a change the server may have.
      const numbered = expected.waiting ? tx.objectStore('syncState').get(NUMBERED_KEY) : undefined;
      const waitingSeq = expected.waiting?.seq;
      if (expected.record !== null) records.put(write.record);
      row = outbox.put(write.outbox);
      const lastRead = numbered ?? reads.at(-1)?.[0];
      if (!lastRead) tx.commit?.();
      else {
        // Requests answer in the order they were made: when the last read is in, every read is.
        lastRead.onsuccess = () => {
          const unnumbered = !numbered || !numberedSeqs(numbered.result?.value).has(waitingSeq!);
          if (unnumbered && reads.every(([read, value]) => sameStored(read.result, value))) tx.commit?.();
          else {
            stale = true;
            tx.abort();
          }
        };
      }
    } catch (error) {
      // A write refused at once (a value that cannot be stored): nothing of the save may stay.
      tx.abort();
      reject(error);
      return;
    }
    tx.oncomplete = () => resolve(writtenOf(write, row));
    tx.onabort = () => (stale ? resolve('stale') : reject(tx.error ?? new Error('The save was cut before it was written.')));
  });
  if (written !== 'stale') announce(database, [table, 'outbox']);
  return written;
}

function writtenOf(write: NativeWrite, row: IDBRequest<IDBValidKey>): NativeWritten {
  return { record: write.record, outbox: { ...write.outbox, seq: row.result as number } };
}

/**
 * Whether a stored value (as IndexedDB gives it back) is the one expected: plain data compared field by field, in any
 * order. Anything else (a Blob, a buffer, a date) counts as different, so such a record is read, never assumed.
 */
export function sameStored(stored: unknown, expected: unknown): boolean {
  if (stored === expected) return true;
  if (typeof stored !== 'object' || typeof expected !== 'object' || stored === null || expected === null) return false;
  if (Array.isArray(stored)) {
    if (!Array.isArray(expected) || stored.length !== expected.length) return false;
    return stored.every((item, index) => sameStored(item, expected[index]));
  }
  if (Array.isArray(expected) || !isPlain(stored) || !isPlain(expected)) return false;
  const names = Object.keys(stored);
  if (names.length !== Object.keys(expected).length) return false;
  const other = expected as Record<string, unknown>;
  return names.every((name) => Object.hasOwn(other, name) && sameStored((stored as Record<string, unknown>)[name], other[name]));
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
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
