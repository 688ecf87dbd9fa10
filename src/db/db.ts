// Owns the tablet's IndexedDB database: every table, its indexes and the full schema history.
// The rule for data access: only src/db imports Dexie, names a table or opens a transaction; every read and write of a
// feature is a function in src/db/<feature>.ts (guides, sessions, reports, lock; sync and reconcile for
// sync), which the feature calls. A feature may hold the connection (db()) only to hand it to those functions.
// Keep every old version() block: a tablet may skip releases and upgrade from any of them.
import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import { compactClocks, expandClocks } from '../protocol/compact-clocks'; // not the index: it would bring zod to the home
import { DB_NAME } from './device-local';
import { endTransactionsOnLeave } from './leave-page';
import type { BlobRecord, FeedbackRecord, GuideRecord, GuideStepRecord, OutboxEntry, ProfileRecord, SessionLogRecord, SyncStateRow } from './records';

export { DB_NAME };

export class DigitukiDB extends Dexie {
  guides!: EntityTable<GuideRecord, 'id'>;
  guideSteps!: EntityTable<GuideStepRecord, 'id'>;
  blobs!: EntityTable<BlobRecord, 'hash'>;
  sessions!: EntityTable<SessionLogRecord, 'id'>;
  feedback!: EntityTable<FeedbackRecord, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  profiles!: EntityTable<ProfileRecord, 'id'>;
  syncState!: EntityTable<SyncStateRow, 'key'>;

  constructor(name = DB_NAME, options?: DexieOptions) {
    // No query cache: a save's native transaction (native-save.ts) tells live queries what changed, and they read again.
    super(name, { cache: 'disabled', ...options });
    // WebKit would keep a cached page's transactions frozen and every later page waiting on them (leave-page.ts).
    this.use(endTransactionsOnLeave);
    // Version 1: the tables of docs/architecture.md ("Local data") with the indexes the library, logs, reports and sync read by.
    this.version(1).stores({
      guides: 'id, slug, [lang+slug], category, source, updatedAt, deleted',
      guideSteps: 'id, [guideId+orderKey], imageHash',
      blobs: 'hash, uploaded',
      sessions: 'id, startedAt, status, format, *topics, site, updatedAt, deleted',
      feedback: 'id, sessionId, createdAt, site',
      outbox: '++seq, [table+recordId]',
      profiles: 'id, nickname',
      syncState: 'key',
    });
    // Version 2: each outbox row carries the place it was written for (issue 11), so a later enrolment elsewhere never
    // sends it. Rows from version 1 take the place of their record, or the tablet's place when the record has none.
    this.version(2)
      .stores({ outbox: '++seq, [table+recordId]' })
      .upgrade(async (tx) => {
        const stored = (await tx.table('syncState').get('place'))?.value as { org?: unknown; site?: unknown } | undefined;
        const current = { org: typeof stored?.org === 'string' ? stored.org : '', site: typeof stored?.site === 'string' ? stored.site : '' };
        const rows = (await tx.table('outbox').toArray()) as OutboxEntry[];
        const records = new Map<string, { org?: unknown; site?: unknown } | undefined>();
        for (const row of rows) {
          const key = `${row.table}/${row.recordId}`;
          if (!records.has(key)) records.set(key, UPGRADE_TABLES.includes(row.table) ? await tx.table(row.table).get(row.recordId) : undefined);
          const record = records.get(key);
          const own = typeof record?.org === 'string' && record.org !== '';
          row.org = own ? (record!.org as string) : current.org;
          row.site = own ? (typeof record!.site === 'string' ? record!.site : '') : current.site;
        }
        await tx.table('outbox').bulkPut(rows);
      });
    // Version 3 (issue 16): one waiting row per record and place until it is numbered for a push, its fields each with
    // their own clock (`fieldClocks`, only where they differ from the row's clock); the index on mutationId lets an
    // acknowledgement drop the sent rows as one key range. Waiting rows of version 2 are merged, oldest first.
    this.version(3)
      .stores({ outbox: '++seq, [table+recordId], mutationId' })
      .upgrade(async (tx) => {
        const rows = (await tx.table('outbox').orderBy('seq').toArray()) as OutboxEntry[];
        const { kept, merged } = coalesceOutbox(rows);
        if (!merged.length) return;
        await tx.table('outbox').bulkPut(kept);
        await tx.table('outbox').bulkDelete(merged);
      });
    // Version 4 (issue 16): logs keep only the indexes something reads them by (date, topic, site). The other four
    // (status, format, updatedAt, deleted) cost every save and every pulled log an index write each, for nothing.
    this.version(4).stores({ sessions: 'id, startedAt, *topics, site' });
    // Version 5 (issue 16): the ids a push gave waiting rows live in one `numbered` value (db/sync.ts), not in each row:
    // numbering 500 rows rewrote all 500. Rows numbered by version 4 keep their ids there, in seq order.
    this.version(5)
      .stores({ outbox: '++seq, [table+recordId]' })
      .upgrade(async (tx) => {
        const rows = (await tx.table('outbox').orderBy('seq').toArray()) as OutboxEntry[];
        const numbered = rows.filter((row) => row.mutationId !== undefined);
        if (!numbered.length) return;
        const pairs: [number, number][] = numbered.map((row) => [row.seq!, row.mutationId!]);
        await tx.table('syncState').put({ key: 'numbered', value: pairs });
        await tx.table('outbox').bulkPut(numbered.map(({ mutationId: _id, ...row }) => row));
      });
    // Version 6 (issue 16): logs lose the topics index. Its two or three entries per log were more than half of what
    // the indexes added to storing a pulled page, and were written again on every save of a log, for the list's topic
    // filter, which now reads newest first through startedAt (sessions.ts).
    this.version(6).stores({ sessions: 'id, startedAt, site' });
    // Version 7 (issue 16): the outbox is indexed by clock. Its clocks are the newest this tablet gave (the clock is kept
    // in memory and stored with each change): after a restart the newest is one index read, not a read of every row.
    this.version(7).stores({ outbox: '++seq, [table+recordId], hlc' });
  }
}

/**
 * Merges the waiting (not yet numbered) rows of each record and place into its first one, fields in clock order.
 * Returns the rows to keep (changed or not) and the seqs of the rows merged away.
 */
export function coalesceOutbox(rows: readonly OutboxEntry[]): { kept: OutboxEntry[]; merged: number[] } {
  const open = new Map<string, OutboxEntry>();
  const kept: OutboxEntry[] = [];
  const merged: number[] = [];
  for (const row of rows) {
    if (row.mutationId !== undefined) {
      kept.push(row);
      continue;
    }
    const key = JSON.stringify([row.table, row.recordId, row.org, row.site]);
    const first = open.get(key);
    if (!first) {
      const copy = { ...row, fields: { ...row.fields } };
      open.set(key, copy);
      kept.push(copy);
      continue;
    }
    const next = mergeOutboxRows(first, row);
    delete first.fieldClocks;
    Object.assign(first, next);
    merged.push(row.seq!);
  }
  return { kept, merged };
}

/** Two waiting rows of one record as one: per field the later clock's value, the row clock the latest. */
export function mergeOutboxRows(
  into: Pick<OutboxEntry, 'hlc' | 'fields' | 'fieldClocks'>,
  from: Pick<OutboxEntry, 'hlc' | 'fields' | 'fieldClocks'>,
): Pick<OutboxEntry, 'hlc' | 'fields' | 'fieldClocks'> {
  const fields = { ...into.fields };
  const clocks = expandClocks(into.hlc, into.fields, into.fieldClocks);
  const incoming = expandClocks(from.hlc, from.fields, from.fieldClocks);
  for (const [name, clock] of Object.entries(incoming)) {
    if (Object.hasOwn(clocks, name) && clocks[name]! > clock) continue;
    fields[name] = from.fields[name];
    clocks[name] = clock;
  }
  const hlc = from.hlc > into.hlc ? from.hlc : into.hlc;
  const fieldClocks = compactClocks(hlc, clocks);
  return fieldClocks ? { hlc, fields, fieldClocks } : { hlc, fields };
}

const UPGRADE_TABLES = ['guides', 'guideSteps', 'sessions', 'feedback'];

let instance: DigitukiDB | undefined;

/** The app's single database connection, opened lazily. */
export function db(): DigitukiDB {
  instance ??= new DigitukiDB();
  return instance;
}

/** Tests swap in a fresh database; the app never calls this. */
export function replaceDatabase(next: DigitukiDB): void {
  instance = next;
}
