// Owns every local change to a synced record: the record, its field clocks and its outbox row are written in ONE
// IndexedDB transaction, so a change is never saved without being queued for sync, nor queued without being saved.
import { isHlc, LIMITS, parseHlc, receiveHlc, serializeHlc, TABLE_SCOPE, tickHlc, type Hlc, type SyncedTable } from '../protocol';
import Dexie from 'dexie';
import { db, mergeOutboxRows, type DigitukiDB } from './db';
import {
  NONE_NUMBERED,
  numberedSeqs,
  saveExpecting,
  saveNatively,
  type Expected,
  type NativeWrite,
  type NativeWritten,
  type NumberedSeqs,
} from './native-save';
import { readLocal, writeLocal } from './device-local';
import type { FeedbackRecord, OutboxEntry, SyncedFields } from './records';
import { guardWrite } from './storage-problem';

type Row = SyncedFields & Record<string, unknown>;

/** Fields a caller may not set: the bookkeeping this module owns. */
const BOOKKEEPING = new Set(['id', 'org', 'site', 'hlc', 'fieldClocks']);

function randomNodeId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 16);
}

/**
 * What a write needs besides the record, kept in memory per database connection so a save reads and writes only its
 * record and its outbox row: the clock (persisted with every change: a change's clock is its outbox row's), the
 * correction of the tablet's date and the tablet's place. Whatever sets one of them here updates it here too.
 */
interface Remembered {
  clock?: Hlc;
  offset?: StoredOffset | null;
  place?: { org: string; site: string };
  /** The records this connection saved last, as written with their waiting rows: the next save of one need not read. */
  written?: Map<string, Expected>;
  /** The save of each record under way: the next save of the same record starts after it, in the order they were asked. */
  saving?: Map<string, Promise<unknown>>;
}
const remembered = new WeakMap<DigitukiDB, Remembered>();

function memoryOf(database: DigitukiDB): Remembered {
  let memory = remembered.get(database);
  if (!memory) remembered.set(database, (memory = {}));
  return memory;
}

/** Forgets what this connection remembers (another tab or a restore changed the sync state underneath). */
export function forgetRemembered(database: DigitukiDB): void {
  remembered.delete(database);
}

/**
 * This tablet's clock; a tablet that has none yet gets its node id now. The first call of a connection reads the stored
 * clock and the newest waiting change's clock (each change stores its clock in its outbox row, in the change's
 * transaction; the outbox's hlc index finds the newest).
 * Call inside a transaction with syncState and outbox.
 */
export async function storedClock(database: DigitukiDB): Promise<Hlc> {
  const memory = memoryOf(database);
  if (memory.clock) return memory.clock;
  const stored = await readLocal(database, 'clock');
  let clock = typeof stored === 'string' ? parseHlc(stored) : undefined;
  if (!clock) {
    const node = (await readLocal(database, 'nodeId')) ?? randomNodeId();
    await writeLocal(database, 'nodeId', node);
    clock = { wallMs: 0, counter: 0, node };
  }
  let latest = serializeHlc(clock);
  // The newest waiting clock through the outbox's hlc index: reading every row cost about 200 ms for 10,000 of them.
  const newest = await database.outbox
    .orderBy('hlc')
    .reverse()
    .filter((row) => isHlc(row.hlc))
    .first();
  if (newest && newest.hlc > latest) latest = newest.hlc;
  const seen = parseHlc(latest)!;
  memory.clock = { wallMs: seen.wallMs, counter: seen.counter, node: clock.node };
  return memory.clock;
}

export async function storeClock(database: DigitukiDB, clock: Hlc): Promise<void> {
  memoryOf(database).clock = clock;
  await writeLocal(database, 'clock', serializeHlc(clock));
}

interface StoredOffset {
  /** Server time minus the tablet's date at the last sync (0 when they agree within the allowed drift). */
  offsetMs: number;
  /** The tablet's date at that sync. */
  learnedAt: number;
}

/** Remembers how far the tablet's date is from the server's (see clockOffset in the protocol). */
export async function storeClockOffset(database: DigitukiDB, offsetMs: number, learnedAt: number): Promise<void> {
  memoryOf(database).offset = { offsetMs, learnedAt };
  await writeLocal(database, 'clockOffset', { offsetMs, learnedAt } satisfies StoredOffset);
}

/**
 * The time to stamp changes with: the tablet's date corrected by what the last sync learned, so a tablet with a wrong
 * date stops making clocks in the future after one sync. A date put back by more than the drift since then (someone
 * corrected it) makes the correction stale, so it is dropped until the next sync.
 */
export async function correctedNow(database: DigitukiDB, now: number): Promise<number> {
  const memory = memoryOf(database);
  if (memory.offset === undefined) {
    const value = await readLocal(database, 'clockOffset');
    memory.offset = value && typeof value.offsetMs === 'number' ? value : null;
  }
  return corrected(memory.offset, now);
}

function corrected(stored: StoredOffset | null, now: number): number {
  if (!stored || now < stored.learnedAt - LIMITS.clockDriftMs) return now;
  return now + stored.offsetMs;
}

/**
 * Next HLC of this tablet for a change of a record last written at `recordClock`: after the tablet's clock and after
 * the record's (another tab may have written it), kept in memory; the change's outbox row stores it.
 */
async function nextClock(database: DigitukiDB, now: number, recordClock?: string): Promise<string> {
  await storedClock(database);
  await correctedNow(database, now);
  return nextClockNow(database, now, recordClock);
}

/** nextClock from memory alone (the clock and the date correction are known), so a native transaction never waits. */
function nextClockNow(database: DigitukiDB, now: number, recordClock?: string): string {
  const memory = memoryOf(database);
  let clock = memory.clock!;
  const record = recordClock ? parseHlc(recordClock) : undefined;
  if (record && serializeHlc(record) > serializeHlc(clock)) clock = { wallMs: record.wallMs, counter: record.counter, node: clock.node };
  memory.clock = tickHlc(clock, corrected(memory.offset ?? null, now));
  return serializeHlc(memory.clock);
}

/**
 * Moves this tablet's clock past a clock seen from another tablet, so a later local edit wins over it.
 * Call inside a transaction that includes syncState and outbox (the pull does, together with the records it merges).
 */
export async function observeRemoteClock(database: DigitukiDB, remote: string, now = Date.now()): Promise<void> {
  const seen = parseHlc(remote);
  if (!seen) return;
  await storeClock(database, receiveHlc(await storedClock(database), seen, await correctedNow(database, now)));
}

/** The organisation and site this tablet belongs to ('' until it is enrolled). */
async function place(database: DigitukiDB): Promise<{ org: string; site: string }> {
  const memory = memoryOf(database);
  if (memory.place) return memory.place;
  const value = (await readLocal(database, 'place')) as { org?: string; site?: string } | undefined;
  memory.place = { org: value?.org ?? '', site: value?.site ?? '' };
  return memory.place;
}

export async function setPlace(org: string, site: string): Promise<void> {
  await writeLocal(db(), 'place', { org, site });
  memoryOf(db()).place = { org, site };
}

/** The tablet's place changed in IndexedDB (enrolment): what this connection remembers of it goes. */
export function placeChanged(database: DigitukiDB): void {
  delete memoryOf(database).place;
  delete memoryOf(database).written;
}

/** How many saved records a connection remembers: a screen edits one log or one guide's steps at a time. */
const WRITTEN_KEPT = 64;

/** What a save expects its record and waiting row to be: as this connection last wrote them, or known never stored. */
function expectedOf(memory: Remembered, key: string): Expected | undefined {
  return memory.written?.get(key);
}

function keep(memory: Remembered, key: string, expected: Expected): void {
  const kept = (memory.written ??= new Map());
  kept.delete(key); // re-inserted last: the Map's order is the order of use
  kept.set(key, expected);
  if (kept.size > WRITTEN_KEPT) kept.delete(kept.keys().next().value!);
}

/**
 * Remembers an id this tablet has just made for a new record (a random id: no record has it), so the record's first
 * save adds it without reading first. Should a record with it exist after all, the store refuses the add and the save
 * reads. Returns the id.
 */
export function rememberNewRecord(table: 'guides' | 'guideSteps' | 'sessions', id: string): string {
  keep(memoryOf(db()), `${table}/${id}`, { record: null, waiting: null });
  return id;
}

function rememberWritten(memory: Remembered, key: string, written: NativeWritten): void {
  keep(memory, key, { record: written.record, waiting: written.outbox });
}

export interface SavedChange {
  id: string;
  hlc: string;
}

/**
 * Creates or updates a synced record with the given fields and queues them for sync.
 * Only the fields given travel; a field set to its current value is still sent (the user meant it).
 * `queued`: a field whose value for the server differs from the one kept here, under the same clock — a session note
 * is kept under the tablet's data key and queued sealed to the organisation's key (src/sessions/notes.ts).
 */
export async function saveRecord<T extends 'guides' | 'guideSteps' | 'sessions'>(
  table: T,
  id: string,
  fields: Record<string, unknown>,
  now = Date.now(),
  queued: Record<string, unknown> = {},
): Promise<SavedChange> {
  const database = db();
  const changed = Object.fromEntries(Object.entries(fields).filter(([name, value]) => !BOOKKEEPING.has(name) && value !== undefined));
  const sent = Object.fromEntries(Object.entries(queued).filter(([name]) => Object.hasOwn(changed, name))); // only fields of this change
  // Inside a caller's transaction (a pack import, a move of steps) the save must be part of it: Dexie's path.
  if (Dexie.currentTransaction || !warmedUp(database)) {
    const inCallers = Dexie.currentTransaction !== null;
    const key = `${table}/${id}`;
    memoryOf(database).written?.delete(key); // a caller's transaction may yet be undone: the next native save reads
    return guardWrite(async () => {
      const written = await database.transaction('rw', [database.table(table), database.outbox, database.syncState], async () => {
        const current = (await database.table(table).get(id)) as Row | undefined;
        const { next, change } = nextChange(table, id, current, changed, sent, await nextClock(database, now, current?.hlc), now, await place(database));
        await database.table(table).put(next);
        return { record: next, outbox: await queueChange(database, change) };
      });
      if (!inCallers) rememberWritten(memoryOf(database), key, written); // committed: the next save need not read
      return { id, hlc: written.record.hlc };
    });
  }
  const memory = memoryOf(database);
  const key = `${table}/${id}`;
  return afterEarlierSave(memory, key, () =>
    guardWrite(async () => {
      const decide = (current: Row | undefined, last: OutboxEntry | undefined, numbered: NumberedSeqs): NativeWrite => {
        const clock = nextClockNow(database, now, current?.hlc);
        const { next, change } = nextChange(table, id, current, changed, sent, clock, now, memory.place!);
        return { record: next, outbox: waitingRow(last, change, numbered) ?? change };
      };
      // Decided from what this connection wrote last, checked in the same transaction; read first when it is not known.
      const expected = expectedOf(memory, key);
      let written: NativeWritten | 'stale' = 'stale';
      // A record clock after the tablet's means the clock was set back since (a sync's restamp rewrote the record too):
      // guessing would move the tablet's clock past the old stamp, so the record is read instead.
      if (expected && (!expected.record || (expected.record as Row).hlc <= serializeHlc(memory.clock!))) {
        // Its waiting row is taken as not numbered for a push: saveExpecting checks that too.
        const guessed = decide((expected.record ?? undefined) as Row | undefined, (expected.waiting ?? undefined) as OutboxEntry | undefined, NONE_NUMBERED);
        written = await saveExpecting(database, table, id, expected, guessed);
      }
      if (written === 'stale')
        written = await saveNatively(database, table, id, (current, last, numbered) => decide(current as Row | undefined, last as OutboxEntry, numbered));
      rememberWritten(memory, key, written);
      return { id, hlc: written.record.hlc };
    }),
  );
}

/**
 * Runs a save once the record's save before it has ended: each then expects what the one before wrote, and two quick
 * saves of one field (typing) can never land in the other order.
 */
function afterEarlierSave<T>(memory: Remembered, key: string, save: () => Promise<T>): Promise<T> {
  const saving = (memory.saving ??= new Map());
  const earlier = saving.get(key);
  const mine = earlier ? earlier.then(save, save) : save();
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  saving.set(key, settled);
  void settled.then(() => {
    if (saving.get(key) === settled) saving.delete(key);
  }); // cannot reject: both outcomes are turned into undefined above
  return mine;
}

/** The record after a change and the outbox change that queues it: the rule both paths of saveRecord share. */
function nextChange(
  table: 'guides' | 'guideSteps' | 'sessions',
  id: string,
  current: Row | undefined,
  changed: Record<string, unknown>,
  sent: Record<string, unknown>,
  hlc: string,
  now: number,
  tabletPlace: { org: string; site: string },
): { next: Row; change: Omit<OutboxEntry, 'seq' | 'mutationId'> } {
  const fieldClocks = { ...(current?.fieldClocks ?? {}) };
  // updatedAt travels with every change at its clock: the record keeps that clock too, as the server does.
  for (const name of [...Object.keys(changed), 'updatedAt']) fieldClocks[name] = hlc;
  // A record keeps the place it was written for; one written before any enrolment takes the tablet's place now.
  const where = current?.org ? { org: current.org, site: current.site ?? '' } : tabletPlace;
  // Organisation-wide records (guides, steps) are stored with no site, as a pull stores them.
  const stored = TABLE_SCOPE[table] === 'site' ? where : { org: where.org, site: '' };
  const next: Row = { deleted: 0, ...current, ...changed, ...stored, id, hlc, fieldClocks, updatedAt: now } as Row;
  return { next, change: { table: table satisfies SyncedTable, recordId: id, hlc, fields: { ...changed, ...sent, updatedAt: now }, ...where } };
}

/**
 * The record's waiting row with the change merged in, when the record has one for the same place that is not numbered
 * for a push (`numbered`: the seqs that are, db/sync.ts); else undefined.
 */
function waitingRow(last: OutboxEntry | undefined, change: Omit<OutboxEntry, 'seq' | 'mutationId'>, numbered: NumberedSeqs): OutboxEntry | undefined {
  if (!last || numbered.has(last.seq!) || last.org !== change.org || last.site !== change.site) return undefined;
  return { seq: last.seq, table: last.table, recordId: last.recordId, org: last.org, site: last.site, ...mergeOutboxRows(last, change) };
}

/**
 * True when this connection knows its clock, date correction and place, so a save needs no read of them (the first
 * save of a connection reads them in Dexie's transaction; every later one takes the short path).
 */
function warmedUp(database: DigitukiDB): boolean {
  const memory = memoryOf(database);
  return memory.clock !== undefined && memory.offset !== undefined && memory.place !== undefined && database.isOpen();
}

/**
 * Queues a change: merged into its record's waiting row (same place, not yet numbered for a push) when there is one,
 * so a log edited field by field waits as one row; else a new row. Inside the change's transaction; returns the row.
 */
async function queueChange(database: DigitukiDB, change: Omit<OutboxEntry, 'seq' | 'mutationId'>): Promise<OutboxEntry & { seq: number }> {
  const last = await database.outbox.where('[table+recordId]').equals([change.table, change.recordId]).last();
  const merged = waitingRow(last, change, numberedSeqs(last ? await readLocal(database, 'numbered') : undefined));
  // The outbox's key is its auto-incremented seq: a put or add always answers with it.
  if (merged) return { ...merged, seq: (await database.outbox.put(merged)) as number };
  return { ...change, seq: (await database.outbox.add(change)) as number };
}

/** Deletes by tombstone: the record stays (hidden) so the delete can sync and be undone. */
export function deleteRecord(table: 'guides' | 'guideSteps' | 'sessions', id: string, now = Date.now()): Promise<SavedChange> {
  return saveRecord(table, id, { deleted: 1 }, now);
}

export function restoreRecord(table: 'guides' | 'guideSteps' | 'sessions', id: string, now = Date.now()): Promise<SavedChange> {
  return saveRecord(table, id, { deleted: 0 }, now);
}

/** Stores one participant's feedback once (insert-only) and queues it whole. */
export async function addFeedback(
  id: string,
  fields: { sessionId?: string | null; createdAt: number; lang: 'fi' | 'sv' | 'en'; answers: FeedbackRecord['answers'] },
): Promise<SavedChange> {
  const database = db();
  return guardWrite(() =>
    database.transaction('rw', [database.feedback, database.outbox, database.syncState], async () => {
      if (await database.feedback.get(id)) throw new Error('This feedback was already saved.');
      const hlc = await nextClock(database, fields.createdAt);
      const where = await place(database);
      await database.feedback.add({
        id,
        ...where,
        sessionId: fields.sessionId ?? undefined,
        createdAt: fields.createdAt,
        lang: fields.lang,
        answers: fields.answers,
      });
      await database.outbox.add({
        table: 'feedback',
        recordId: id,
        hlc,
        fields: { sessionId: fields.sessionId ?? null, createdAt: fields.createdAt, lang: fields.lang, answers: fields.answers },
        ...where,
      });
      return { id, hlc };
    }),
  );
}

export async function isPending(table: SyncedTable, recordId: string): Promise<boolean> {
  return (await db().outbox.where('[table+recordId]').equals([table, recordId]).count()) > 0;
}
