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
  }
}

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
