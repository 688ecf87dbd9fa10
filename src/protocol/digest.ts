// Owns the reconciliation digest: a cheap way for a tablet and the server to find the records one of them lacks or
// holds older, whatever the reason (a lost or skipped change, a restored database, a tablet's storage rolled back).
//
// Records are put in buckets by their id (the bucket never changes when a record is edited). Each side hashes, per
// table and bucket, the sorted list of (id, record clock with a fingerprint of its field clocks); only buckets whose
// hashes differ are compared record by record. The same pure functions run on the tablet and on the server, so equal
// contents give equal hashes. The fingerprint matters: a record the server lost can come back through a colleague's
// newer edit of one field, with the record clock both sides know and none of the older fields.
import { compareHlc } from './hlc';
import { isWriteOnlyField } from './sealed-note';
import { INSERT_ONLY_TABLES, SYNCED_TABLES, type SyncedTable } from './tables';

/** Two hex digits: 256 buckets per table. */
export const DIGEST_BUCKET_CHARS = 2;

/** One record as the digest sees it. */
export interface DigestEntry {
  table: SyncedTable;
  id: string;
  /** The record clock (its latest field clock). */
  hlc: string;
  /** Each field's clock; absent for insert-only tables. */
  fieldClocks?: Record<string, string>;
}

/** Per table, per bucket, the hash of that bucket's (id, clock) list; empty buckets are left out. */
export type TableDigests = Partial<Record<SyncedTable, Record<string, string>>>;
/** Per table, the (id, clock) pairs of some buckets. */
export type BucketRecords = Partial<Record<SyncedTable, [id: string, clock: string][]>>;

/**
 * 64-bit non-cryptographic hash as 16 hex digits (two independent 32-bit multiply–xor lanes). Not a security
 * boundary: a collision only means a difference is found at the next check instead of this one.
 */
export function hash64(text: string): string {
  let a = 0x811c9dc5 ^ text.length;
  let b = 0x9e3779b9 ^ text.length;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 16), 0x27d4eb2f);
  b = Math.imul(b ^ (b >>> 13), 0x165667b1);
  b ^= b >>> 16;
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** The bucket of a record id: stable across edits, spread evenly. */
export function bucketOf(id: string): string {
  return hash64(id).slice(0, DIGEST_BUCKET_CHARS);
}

/** Separates the record clock from the field-clock fingerprint in a digest clock. */
const FINGERPRINT_MARK = '~';

/**
 * Insert-only records (feedback) are never edited: only whether they exist counts, not their clock. Others: the
 * record clock, then a hash of every field's clock (updatedAt aside: its clock is kept on some tablets and not others;
 * write-only fields such as the note aside too: only their author and the server have their clocks).
 */
export function digestClock(table: SyncedTable, hlc: string, fieldClocks?: Readonly<Record<string, string>>): string {
  if (INSERT_ONLY_TABLES.includes(table)) return '';
  if (!fieldClocks) return hlc;
  const lines = Object.entries(fieldClocks)
    .filter(([name]) => name !== 'updatedAt' && !isWriteOnlyField(table, name)) // write-only: never pulled, so never on the other tablets
    .map(([name, clock]) => `${name}=${clock}`)
    .sort();
  return `${hlc}${FINGERPRINT_MARK}${hash64(lines.join('\n'))}`;
}

function recordClockOf(digest: string): string {
  const mark = digest.indexOf(FINGERPRINT_MARK);
  return mark < 0 ? digest : digest.slice(0, mark);
}

/** Groups entries by table and bucket, each bucket sorted by id. */
export function bucketsOf(entries: Iterable<DigestEntry>): Map<SyncedTable, Map<string, [string, string][]>> {
  const tables = new Map<SyncedTable, Map<string, [string, string][]>>();
  for (const entry of entries) {
    let buckets = tables.get(entry.table);
    if (!buckets) tables.set(entry.table, (buckets = new Map()));
    const bucket = bucketOf(entry.id);
    let list = buckets.get(bucket);
    if (!list) buckets.set(bucket, (list = []));
    list.push([entry.id, digestClock(entry.table, entry.hlc, entry.fieldClocks)]);
  }
  for (const buckets of tables.values()) for (const list of buckets.values()) list.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return tables;
}

/** The digests of a set of records: per table, per non-empty bucket, a hash of its sorted (id, clock) lines. */
export function tableDigests(entries: Iterable<DigestEntry>): TableDigests {
  const digests: TableDigests = {};
  for (const [table, buckets] of bucketsOf(entries)) {
    const hashes: Record<string, string> = {};
    for (const [bucket, list] of [...buckets].sort((x, y) => (x[0] < y[0] ? -1 : 1)))
      hashes[bucket] = hash64(list.map(([id, clock]) => `${id}\t${clock}`).join('\n'));
    digests[table] = hashes;
  }
  return digests;
}

/** The buckets, per table, whose hashes differ (or that only one side has). */
export function differingBuckets(local: TableDigests, remote: TableDigests): Partial<Record<SyncedTable, string[]>> {
  const differing: Partial<Record<SyncedTable, string[]>> = {};
  for (const table of SYNCED_TABLES) {
    const mine = local[table] ?? {};
    const theirs = remote[table] ?? {};
    const buckets = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter((bucket) => mine[bucket] !== theirs[bucket]).sort();
    if (buckets.length) differing[table] = buckets;
  }
  return differing;
}

/**
 * Compares one table's (id, clock) pairs of the same buckets on both sides. `send`: records the server lacks or
 * holds with an older record clock; `fetch`: records the tablet lacks or holds older. Equal clocks: nothing to do.
 * The same record clock with other field clocks: each side may hold fields the other lacks, so both (the per-field
 * merge keeps the newer of each field, whichever way it travels).
 */
export function recordsToRepair(local: Iterable<[string, string]>, remote: Iterable<[string, string]>): { send: string[]; fetch: string[] } {
  const mine = new Map(local);
  const theirs = new Map(remote);
  const send: string[] = [];
  const fetch: string[] = [];
  const newer = (clock: string, other: string | undefined) => {
    if (other === undefined) return true;
    const order = compareHlc(recordClockOf(clock), recordClockOf(other));
    return order > 0 || (order === 0 && clock !== other);
  };
  for (const [id, clock] of mine) if (newer(clock, theirs.get(id))) send.push(id);
  for (const [id, clock] of theirs) if (newer(clock, mine.get(id))) fetch.push(id);
  return { send: send.sort(), fetch: fetch.sort() };
}
