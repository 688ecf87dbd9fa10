// Owns the tablet's IndexedDB database: every table, its indexes and the full schema history.
// Keep every old version() block: a tablet may skip releases and upgrade from any of them.
import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import type { BlobRecord, FeedbackRecord, GuideRecord, GuideStepRecord, OutboxEntry, ProfileRecord, SessionLogRecord, SyncStateRow } from './records';

export const DB_NAME = 'digituki';

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
    super(name, options);
    // Version 1: the tables of DESIGN.md with the indexes the library, logs, reports and sync read by.
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
  }
}

const UPGRADE_TABLES = ['guides', 'guideSteps', 'sessions', 'feedback'];

let instance: DigitukiDB | undefined;

/** The app's single database connection, opened lazily. */
export function db(): DigitukiDB {
  instance ??= new DigitukiDB();
  return instance;
}

/** Tests swap in a fresh database; the app never calls this. */
export function useDatabase(next: DigitukiDB): void {
  instance = next;
}
