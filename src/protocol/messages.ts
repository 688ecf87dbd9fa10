// Owns the request and response bodies of protocol v1 and the error codes, as schemas both sides validate against.
import * as z from 'zod/mini';
import type { BucketRecords, TableDigests } from './digest';
import { devicePublicKey } from './auth';
import { isHlc } from './hlc';
import { SYNCED_TABLES } from './tables';
import { escapeControlCharacters, hasControlCharacters } from './untrusted';
import { LIMITS, OLDEST_PROTOCOL_VERSION, PROTOCOL_VERSION } from './version';

const hlcString = z.string().check(z.refine(isHlc, 'not a hybrid logical clock'));
const id = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));

// --- POST /v1/enrol -------------------------------------------------------------------------------------------
export const enrolRequest = z.strictObject({
  /** The one-time code the administrator gave; spaces, dashes and letter case do not matter. */
  code: z.string().check(z.minLength(1), z.maxLength(64)),
  /** What the tablet is called at its site, e.g. "Olohuone tablet 2". Never a person's name. */
  deviceName: z.string().check(
    z.minLength(1),
    z.maxLength(80),
    z.refine((name) => !hasControlCharacters(name), 'the name may not contain control characters (such as a line break)'),
  ),
  /** Protocol v2: the tablet's public key; the device is bound to it and gets no bearer token. Absent: a v1 tablet. */
  publicKey: z.optional(devicePublicKey),
});
export type EnrolRequest = z.infer<typeof enrolRequest>;

export interface EnrolResponse {
  deviceId: string;
  /** Only for a v1 enrolment (no public key): shown once, sent as `Authorization: Bearer <token>`. */
  token?: string;
  orgId: string;
  siteId: string;
  orgName: string;
  siteName: string;
  /** The organisation's note key (P-256, raw, base64url): notes are sealed to it (README, "Session notes"). */
  orgNoteKey?: string;
}

// --- GET /v1/org-note-key -------------------------------------------------------------------------------------
/** For tablets enrolled before the note key: the same key the enrolment answer carries. */
export interface OrgNoteKeyResponse {
  orgNoteKey: string;
}

// --- POST /v1/push --------------------------------------------------------------------------------------------
/** One change from the outbox: the fields it set on one record, all at the same clock. */
export const mutation = z.strictObject({
  /** Per device, consecutive from 1: the server applies each at most once. */
  mutationId: z.int().check(z.gte(1)),
  table: z.enum(SYNCED_TABLES),
  id,
  hlc: hlcString,
  fields: z.record(z.string(), z.unknown()),
  /**
   * Fields written before `hlc` (several saves of one record sent as one change), each with its own clock, which is
   * not after `hlc`; every other field is at `hlc`. Only for servers that list `fieldClocks` in health `features`.
   */
  fieldClocks: z.optional(z.record(z.string(), hlcString)),
});
export type Mutation = z.infer<typeof mutation>;

/** The outer shape is checked for the whole request; each mutation is checked on its own so one bad one is quarantined. */
export const pushRequest = z.strictObject({
  protocol: z.optional(z.int().check(z.gte(OLDEST_PROTOCOL_VERSION), z.lte(PROTOCOL_VERSION))),
  deviceId: z.optional(id),
  /**
   * The first mutation's id when the mutations carry none: they are numbered from it, one after another (servers that
   * list `firstMutationId` in health `features`). Either this or every mutation's own `mutationId`, never both.
   */
  firstMutationId: z.optional(z.int().check(z.gte(1))),
  mutations: z.array(z.looseObject({ mutationId: z.optional(z.int().check(z.gte(1))) })).check(z.maxLength(LIMITS.mutationsPerPush)),
});

/**
 * The push's mutations each with its id: as sent, or numbered from `firstMutationId`. A problem in plain words when
 * the push gives both or neither.
 */
export function numberedMutations<M extends { mutationId?: unknown }>(
  push: { firstMutationId?: number | undefined },
  mutations: readonly M[],
): { mutations: (M & { mutationId: number })[] } | { problem: string } {
  const { firstMutationId } = push;
  if (firstMutationId === undefined) {
    if (mutations.every((entry) => typeof entry.mutationId === 'number')) return { mutations: mutations as (M & { mutationId: number })[] };
    return { problem: 'every mutation needs its mutationId (or give firstMutationId and none)' };
  }
  if (mutations.some((entry) => entry.mutationId !== undefined)) return { problem: 'give firstMutationId or each mutation its mutationId, not both' };
  // The id goes first, as a tablet that numbers each mutation writes it; every key the tablet sent is kept as sent.
  return { mutations: mutations.map((entry, index) => ({ mutationId: firstMutationId + index, ...entry })) };
}
export type PushRequest = z.infer<typeof pushRequest>;

export const QUARANTINE_REASONS = [
  'malformed_mutation',
  'unknown_table',
  'invalid_fields',
  'feedback_is_insert_only',
  'builtin_guide_is_read_only', // a change to a built-in guide or its steps: they are the app's, never the organisation's
  'unknown_feedback_question', // a feedback answer to a question the app does not ask
  'personal_data_in_note', // a session note that looks like an identity code, a phone number or an e-mail address
  'older_than_retention', // a log or feedback older than the organisation keeps them, or one its retention deleted
  'sealed_note_unreadable', // a sealed note the server cannot open with its organisation's note key
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** A reason as a client shows it: one it knows, or 'unknown' for one a newer server added. */
export function knownQuarantineReason(reason: unknown): QuarantineReason | 'unknown' {
  return (QUARANTINE_REASONS as readonly unknown[]).includes(reason) ? (reason as QuarantineReason) : 'unknown';
}

export interface QuarantinedMutation {
  mutationId: number;
  reason: QuarantineReason;
  /** Which fields were wrong and how, in plain words (no values are echoed). */
  message: string;
}

export interface PushResponse {
  /** The device's last mutation the server has: the client may drop every outbox entry up to and including it. */
  lastMutationId: number;
  /** Mutations of this request that changed the server's state or were accepted as no-ops. */
  applied: number;
  /** Mutations of this request the server had already seen and ignored. */
  duplicates: number;
  /** Mutations that can never apply; they are consumed (not retried) and kept on the server for an administrator. */
  quarantined: QuarantinedMutation[];
  /**
   * Mutations kept at other clocks than they were sent with: a clock too far ahead of the server's, replaced by `hlc`
   * for every field; or a change the server had kept at other clocks before (sent again, e.g. from a restored backup),
   * kept at those again: every field at `hlc` but those `fieldClocks` names (sent only then).
   */
  clamped: { mutationId: number; hlc: string; fieldClocks?: Record<string, string> }[];
  /**
   * The largest clock the server has kept for this device ('' before its first change). A tablet's next change must
   * come after it; added after protocol 1 was first published, so a tablet must not rely on an old server sending it.
   */
  lastHlc: string;
  /** Pictures that records refer to but the server does not have: upload them with PUT /v1/blobs/{sha256}. */
  missingBlobs: string[];
  /** The server's clock in ms, so a tablet can tell the instructor its date is wrong. */
  serverTime: number;
  /**
   * Only when the push carried the tablet's pull cursor (CURSOR_HEADER) and no other change came in between since it:
   * the cursor after this push's own changes, to store instead of pulling them back. Older servers never send it.
   */
  cursor?: string;
}

// --- GET /v1/pull ---------------------------------------------------------------------------------------------
export const pullQuery = z.object({
  cursor: z.optional(z.string().check(z.maxLength(200))),
  /** `compact`: each change's `fieldClocks` names only the fields whose clock differs from its `hlc` (README). */
  clocks: z.optional(z.literal('compact')),
  limit: z.optional(z.string().check(z.regex(/^\d{1,6}$/))),
});

/** The whole current state of one record, to be merged into the local copy with mergeRecords. */
export interface PulledRecord {
  table: (typeof SYNCED_TABLES)[number];
  id: string;
  fields: Record<string, unknown>;
  fieldClocks: Record<string, string>;
  hlc: string;
}

export interface PullResponse {
  changes: PulledRecord[];
  /** Opaque: store it and send it back as ?cursor= on the next pull. */
  cursor: string;
  /** True when more changes wait: pull again at once with the new cursor. */
  more: boolean;
  /** True when the cursor sent was unknown and this is a full resend from the beginning. */
  reset: boolean;
  /** True when `fieldClocks` are compact (asked with `clocks=compact`): a field not named there is at the change's `hlc`. */
  compactClocks?: boolean;
  serverTime: number;
  /**
   * Pictures that (not deleted) records of this page refer to and the organisation does not have: a tablet that has
   * the bytes uploads them. Only present when there are any; older servers never send it.
   */
  missingBlobs?: string[];
}

// --- Reconciliation: GET /v1/digest, POST /v1/digest/buckets, POST /v1/records (see README) ----------------------
/** Most ids in one POST /v1/records. */
export const RECORDS_PER_REQUEST = 500;

export interface DigestResponse {
  /** Per table, per non-empty bucket, the hash of its sorted (id, record clock) list (`tableDigests` in digest.ts). */
  tables: TableDigests;
  /** How many hex digits name a bucket (DIGEST_BUCKET_CHARS). */
  bucketChars: number;
  serverTime: number;
  /**
   * Logs and feedback dated before this (ms) are outside what the tablet is sent (pull window, retention): the
   * tablet leaves them out of its own digest too. Servers before it never send it.
   */
  datedFrom?: number;
}

const bucketName = z.string().check(z.regex(/^[0-9a-f]{2}$/));

/** The buckets whose (id, clock) lists the tablet wants. */
export const bucketsRequest = z.strictObject({
  buckets: z.partialRecord(z.enum(SYNCED_TABLES), z.array(bucketName).check(z.maxLength(256))),
});
export type BucketsRequest = z.infer<typeof bucketsRequest>;

export interface BucketsResponse {
  /** Per table, the (id, record clock) pairs of the buckets asked for; a feedback clock is always "". */
  records: BucketRecords;
}

/** Records the tablet lacks or holds older, by id; the answer holds whole states like a pull. */
export const recordsRequest = z.strictObject({
  records: z
    .partialRecord(z.enum(SYNCED_TABLES), z.array(id).check(z.maxLength(RECORDS_PER_REQUEST)))
    .check(
      z.refine(
        (tables) => Object.values(tables).reduce((sum, ids) => sum + (ids?.length ?? 0), 0) <= RECORDS_PER_REQUEST,
        `at most ${RECORDS_PER_REQUEST} ids`,
      ),
    ),
});
export type RecordsRequest = z.infer<typeof recordsRequest>;

export interface RecordsResponse {
  /** The records asked for that the tablet may see and the server has (unknown ids are left out). */
  changes: PulledRecord[];
  serverTime: number;
}

// --- Errors ---------------------------------------------------------------------------------------------------
export const ERROR_CODES = [
  'bad_request', // the body or query does not match the protocol; `message` says where
  'unauthorized', // no token, or a token the server does not know
  'revoked', // the device was revoked; with `wipe: true` the tablet must erase its local data
  'forbidden', // the request names another device
  'not_found',
  'code_invalid', // enrolment code unknown, used or expired
  'mutation_gap', // a mutationId was skipped; `expected` is the one the server wants next
  'mutation_conflict', // a seen mutationId came with other content (storage rolled back): renumber from `expected`
  'payload_too_large',
  'unsupported_media_type',
  'protocol_too_old', // 426: the app must be updated
  'protocol_too_new', // 400: the server must be updated
  'hash_mismatch', // a blob's bytes do not hash to its name
  'rate_limited', // 429 with Retry-After seconds
  'quota_exceeded', // 507: the organisation's pictures fill its room on the server; nothing was stored
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: ErrorCode;
  /** Plain words for a person reading a log or an instructor reading the sync status. */
  message: string;
  expected?: number;
  /** With mutation_gap: the server has less than it acknowledged to this tablet (see ACKNOWLEDGED_HEADER). */
  serverBehind?: boolean;
  wipe?: boolean;
}

/**
 * Short, value-free description of what is wrong with an input, for error messages and quarantine reasons.
 * Names a client sent (unknown keys, paths) have their control characters written out, so it can be stored and shown.
 */
export function describeIssues(error: {
  issues: readonly { path?: readonly (PropertyKey | { key: PropertyKey })[]; code?: string; keys?: readonly string[]; message?: string }[];
}): string {
  const described = error.issues
    .slice(0, 5)
    .map((issue) => {
      // zod's issues, also as a Standard Schema validator hands them on (a path part may then be a { key } segment).
      const path = (issue.path ?? []).map((part) => (typeof part === 'object' ? part.key : part));
      const where = path.length ? path.map((part) => String(part).slice(0, 40)).join('.') : 'body';
      // A key is the sender's text: short, so a huge key cannot fill the answer or the quarantine.
      if (issue.code === 'unrecognized_keys' && issue.keys)
        return `${where}: unknown field(s) ${issue.keys
          .slice(0, 5)
          .map((key) => key.slice(0, 40))
          .join(', ')}`;
      // A custom check's message is one of our own sentences, never a value.
      if (issue.code === 'custom' && issue.message && issue.message !== 'Invalid input') return `${where}: ${issue.message}`;
      return `${where}: ${(issue.code ?? 'invalid').replace(/_/g, ' ')}`;
    })
    .join('; ');
  return escapeControlCharacters(described);
}
