// Owns the shapes of the rows stored on the tablet. Synced rows share SyncedFields; their own fields are derived from
// the protocol's table schemas (src/protocol/tables.ts), so a field is described once for the tablet and the server.
import type { FeedbackFields, GUIDE_CATEGORIES, GuideFields, GuideStepFields, SessionFields, STEP_KINDS } from '../protocol';

/** Fields every synced record carries (see docs/architecture.md and src/protocol/README.md: sync and merge). */
export interface SyncedFields {
  id: string; // UUID made on the device
  org: string;
  site: string;
  updatedAt: number; // ms since epoch, for people; merge uses hlc
  hlc: string; // hybrid logical clock of the last change
  fieldClocks: Record<string, string>; // per-field HLC for last-writer-wins merge
  deleted: 0 | 1; // tombstone; 0/1 because IndexedDB cannot index booleans
}

/** A synced table's fields as the protocol defines them, all present on a stored row except the optional ones named. */
type Stored<F, Optional extends keyof F = never> = Required<Omit<F, Optional | 'updatedAt' | 'deleted'>> & Pick<F, Optional>;

export type GuideCategory = (typeof GUIDE_CATEGORIES)[number];
export type StepKind = (typeof STEP_KINDS)[number];

/** A guide on the tablet: the protocol's guide fields (src/protocol/tables.ts), written once, plus the bookkeeping.
 * source 'builtin' exists only here: built-in guides ship with the app and never travel (protocol: builtin.ts). */
// originId: the built-in guide a copy was made from.
export type GuideRecord = SyncedFields & Omit<Stored<GuideFields, 'originId'>, 'source'> & { source: 'builtin' | 'org' };

/** A step: orderKey is a fractional index (reordering touches one row); imageHash names a picture in the blobs table.
 * imageUrl, only on built-in steps, is the precached picture file shipped with the app: local, never synced. */
export type GuideStepRecord = SyncedFields & Stored<GuideStepFields, 'practice' | 'imageHash'> & { imageUrl?: string };

export interface BlobRecord {
  hash: string; // SHA-256 of the bytes, hex
  type: string;
  bytes: Blob;
  size: number;
  uploaded: 0 | 1;
}

/** A session log: every field a mutation may set; a draft may still lack the optional ones. */
export type SessionLogRecord = SyncedFields &
  Stored<SessionFields, Exclude<keyof SessionFields, 'status' | 'startedAt' | 'format' | 'topics'>> & { [field: string]: unknown };

/** Feedback as given (insert-only): no clocks. A missing session is `undefined` here (IndexedDB indexes no null). */
export type FeedbackRecord = { id: string; org: string; site: string; sessionId?: string } & Omit<FeedbackFields, 'sessionId'>;

export interface OutboxEntry {
  seq?: number;
  /**
   * Given at the first push attempt, consecutive per device, then never changed unless the server asks (409). Stored
   * in the `numbered` value (db/sync.ts) since version 5, never in the row: set here only on a batch in memory.
   */
  mutationId?: number;
  table: string;
  recordId: string;
  /** The latest clock of its fields: the clock of every field that `fieldClocks` does not name. */
  hlc: string;
  fields: Record<string, unknown>;
  /** The fields written at an earlier clock than `hlc` (several saves of one record merged into this row). */
  fieldClocks?: Record<string, string>;
  /**
   * The organisation and site the change was written for: the place of its record ('' for both before the tablet was
   * ever enrolled; the next enrolment adopts such rows). Only changes of the tablet's current place are sent; others
   * are held back until the instructor exports or discards them.
   */
  org: string;
  site: string;
}

export interface ProfileRecord {
  id: string;
  nickname: string;
  role: 'instructor' | 'admin';
  /** PBKDF2 salt and count of the PIN. Absent on a profile that came in from a backup: no PIN until an admin gives one. */
  salt?: string;
  iterations?: number;
  /** The tablet data key wrapped under this PIN (src/lock/data-key.ts): opening it is how the PIN is checked. */
  wrappedKey?: string;
  /** Only on profiles made before issue 13, until the first unlock after the update turns it into a wrappedKey. */
  pinHash?: string;
  /** The PIN's length (not the PIN): the PIN screen opens on the last digit without an extra tap. */
  pinDigits?: number;
  /** true: opened with a longer passcode of letters and digits instead of a PIN (a site admin's choice). */
  passcode?: boolean;
  createdAt: number;
}

export interface SyncStateRow {
  key: string;
  value: unknown;
}
