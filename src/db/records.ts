// Owns the shapes of the rows stored on the tablet. Synced rows share SyncedFields.

/** Fields every synced record carries (see DESIGN.md: sync and merge). */
export interface SyncedFields {
  id: string; // UUID made on the device
  org: string;
  site: string;
  updatedAt: number; // ms since epoch, for people; merge uses hlc
  hlc: string; // hybrid logical clock of the last change
  fieldClocks: Record<string, string>; // per-field HLC for last-writer-wins merge
  deleted: 0 | 1; // tombstone; 0/1 because IndexedDB cannot index booleans
}

export type GuideCategory = 'contact' | 'authorities' | 'books' | 'safety' | 'device' | 'say';
export type StepKind = 'step' | 'tip' | 'warning' | 'practice';

export interface GuideRecord extends SyncedFields {
  slug: string;
  lang: 'fi' | 'sv' | 'en';
  title: string;
  summary: string;
  category: GuideCategory;
  tags: string[];
  source: 'builtin' | 'org';
  version: number;
  originId?: string; // the built-in guide an organisation copy was made from
}

export interface GuideStepRecord extends SyncedFields {
  guideId: string;
  orderKey: string; // fractional index: reordering touches one row
  kind: StepKind;
  practice?: 'tap' | 'swipe';
  text: string;
  alt: string;
  imageHash?: string; // picture in the blobs table (organisation guides)
  imageUrl?: string; // precached picture shipped with the app (built-in guides)
}

export interface BlobRecord {
  hash: string; // SHA-256 of the bytes, hex
  type: string;
  bytes: Blob;
  size: number;
  uploaded: 0 | 1;
}

export interface SessionLogRecord extends SyncedFields {
  status: 'draft' | 'final';
  startedAt: number;
  format: string;
  topics: string[];
  [field: string]: unknown;
}

export interface FeedbackRecord {
  id: string;
  org: string;
  site: string;
  sessionId?: string;
  createdAt: number;
  lang: string;
  answers: Record<string, unknown>;
}

export interface OutboxEntry {
  seq?: number;
  /** Given at the first push attempt, consecutive per device, then never changed unless the server asks (409). */
  mutationId?: number;
  table: string;
  recordId: string;
  hlc: string;
  fields: Record<string, unknown>;
}

export interface ProfileRecord {
  id: string;
  nickname: string;
  role: 'instructor' | 'admin';
  pinHash: string;
  salt: string;
  iterations: number;
  createdAt: number;
}

export interface SyncStateRow {
  key: string;
  value: unknown;
}
