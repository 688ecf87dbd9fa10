// Owns the schemas of the server's answers, which the tablet checks before it keeps anything from them (README:
// "clients validate"). The server's answer types (messages.ts, auth.ts) are checked against these at compile time, so
// what the server sends always passes. Deliberately not re-exported from the protocol's index: the index reaches the
// participant home through the database, and these schemas are for the lazily loaded sync code and the server only.
import * as z from 'zod/mini';
import type { ChallengeResponse, TokenResponse } from './auth';
import type {
  BucketsResponse,
  DigestResponse,
  EnrolResponse,
  ErrorBody,
  OrgNoteKeyResponse,
  PulledRecord,
  PullResponse,
  PushResponse,
  RecordsResponse,
} from './messages';
import { expandClocks } from './compact-clocks';
import { isHlc } from './hlc';
import { BLOB_TYPES } from './version';

const hlcString = z.string().check(z.refine(isHlc, 'not a hybrid logical clock'));
const count = z.int().check(z.gte(0));
const time = z.number().check(z.refine(Number.isFinite, 'not a time'));
const sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const cursor = z.string().check(z.maxLength(200));
const text = z.string().check(z.maxLength(10_000));

// Unknown fields are allowed everywhere (README, "Versioning": clients ignore fields they do not know) and dropped.

// --- GET /v1/health ---------------------------------------------------------------------------------------------
/** `features` names what the server understands; names this app does not know are ignored. */
export const healthAnswer = z.object({
  status: z.string(),
  version: z.optional(z.string()),
  storage: z.optional(z.string()),
  features: z.optional(z.array(z.string())),
});
export type HealthResponse = z.infer<typeof healthAnswer>;

// --- Errors: read for the fields a tablet acts on; an answer of another shape tells only its status ----------------
export const errorAnswer = z.object({
  error: z.optional(z.string()),
  message: z.optional(z.string()),
  expected: z.optional(z.number()),
  serverBehind: z.optional(z.boolean()),
  wipe: z.optional(z.boolean()),
});

// --- POST /v1/enrol ---------------------------------------------------------------------------------------------
export const enrolAnswer = z.object({
  deviceId: z.string().check(z.regex(/^[0-9a-f-]{36}$/)),
  token: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  orgId: z.string().check(z.minLength(1), z.maxLength(64)),
  siteId: z.string().check(z.minLength(1), z.maxLength(64)),
  orgName: text,
  siteName: text,
  orgNoteKey: z.optional(z.string().check(z.maxLength(200))),
});

// --- Device keys: POST /v1/auth/challenge, /v1/auth/token, /v1/auth/bind -----------------------------------------
export const challengeAnswer = z.object({ nonce: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)), expiresAt: time });
export const tokenAnswer = z.object({ accessToken: z.string().check(z.minLength(1), z.maxLength(200)), expiresAt: time });
export const bindAnswer = z.object({ deviceId: z.string(), bound: z.literal(true) });
export type BindResponse = z.infer<typeof bindAnswer>;

// --- GET /v1/org-note-key ---------------------------------------------------------------------------------------
export const orgNoteKeyAnswer = z.object({ orgNoteKey: z.string().check(z.maxLength(200)) });

// --- POST /v1/push ----------------------------------------------------------------------------------------------
export const pushAnswer = z.object({
  lastMutationId: count,
  applied: z.optional(count),
  duplicates: z.optional(count),
  /** `reason` may be one a newer server added: shown as "refused" without a why (knownQuarantineReason). */
  quarantined: z.array(z.object({ mutationId: z.int().check(z.gte(1)), reason: z.string(), message: z.optional(text) })),
  clamped: z.array(
    z.object({ mutationId: z.int().check(z.gte(1)), hlc: hlcString, fieldClocks: z.optional(z.record(z.string().check(z.maxLength(64)), hlcString)) }),
  ),
  /** '' before the device's first change; servers before it never send it. */
  lastHlc: z.optional(z.union([z.literal(''), hlcString])),
  missingBlobs: z.array(sha256),
  serverTime: time,
  cursor: z.optional(cursor),
});

// --- GET /v1/pull and POST /v1/records ----------------------------------------------------------------------------
/** One record's whole state; `table` may be one a newer server added (kept out, the cursor still moves). */
const pulledChange = z.object({
  table: z.string().check(z.maxLength(64)),
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  fields: z.record(z.string(), z.unknown()),
  /** Absent only in a compact page when every field is at `hlc`. */
  fieldClocks: z.optional(z.record(z.string(), hlcString)),
  hlc: hlcString,
});

export type PulledChange = z.infer<typeof pulledChange>;

/** A checked page's changes as whole states: with compact clocks, a field the change does not name is at its clock. */
export function wholeStates(changes: readonly PulledChange[], compact: boolean): PulledRecord[] {
  return changes.map((change) => ({
    // A table this app does not know (a newer server's) stays as it came: applyPulledPage skips it.
    table: change.table as PulledRecord['table'],
    id: change.id,
    fields: change.fields,
    fieldClocks: compact || !change.fieldClocks ? expandClocks(change.hlc, change.fields, change.fieldClocks) : change.fieldClocks,
    hlc: change.hlc,
  }));
}

const everyChangeHasClocks = (changes: readonly { fieldClocks?: unknown }[]) => changes.every((change) => change.fieldClocks !== undefined);

export const pullAnswer = z
  .object({
    changes: z.array(pulledChange),
    cursor,
    more: z.boolean(),
    reset: z.boolean(),
    compactClocks: z.optional(z.boolean()),
    serverTime: time,
    missingBlobs: z.optional(z.array(sha256)),
  })
  .check(z.refine((page) => page.compactClocks === true || everyChangeHasClocks(page.changes), 'a change without field clocks'));

// --- Reconciliation: GET /v1/digest, POST /v1/digest/buckets, POST /v1/records -----------------------------------
export const digestAnswer = z.object({
  tables: z.record(z.string(), z.record(z.string(), z.string())),
  bucketChars: z.int().check(z.gte(1), z.lte(8)),
  serverTime: time,
  datedFrom: z.optional(time),
});
export const bucketsAnswer = z.object({ records: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))) });
export const recordsAnswer = z.object({
  changes: z.array(pulledChange).check(z.refine(everyChangeHasClocks, 'a change without field clocks')),
  serverTime: time,
});

// --- PUT /v1/blobs/{sha256} and GET /v1/blobs/{sha256} -------------------------------------------------------------
export const pictureStoredAnswer = z.object({ hash: sha256, size: count, stored: z.enum(['new', 'already']) });
export type PictureStoredResponse = z.infer<typeof pictureStoredAnswer>;
/** A picture's Content-Type as the server answers it (without parameters): one of the types pictures may have. */
export const pictureType = z.enum(BLOB_TYPES);

// The server's answer types must pass these schemas: a compile error here means the two have drifted apart.
type Passes<Schema extends z.ZodMiniType, Answer extends z.input<Schema>> = [Schema, Answer];
export type ServerAnswersPass = [
  Passes<typeof enrolAnswer, EnrolResponse>,
  Passes<typeof challengeAnswer, ChallengeResponse>,
  Passes<typeof tokenAnswer, TokenResponse>,
  Passes<typeof orgNoteKeyAnswer, OrgNoteKeyResponse>,
  Passes<typeof pushAnswer, PushResponse>,
  Passes<typeof pullAnswer, PullResponse>,
  Passes<typeof digestAnswer, DigestResponse>,
  Passes<typeof bucketsAnswer, BucketsResponse>,
  Passes<typeof recordsAnswer, RecordsResponse>,
  Passes<typeof errorAnswer, ErrorBody>,
];
