// Owns the synced tables: their names, who may see them (organisation or site) and the fields a mutation may set.
//
// Only fields listed here travel. Feedback has no free text at all, and a session log only a short instructor's
// note: what a participant says or who they are never reaches the server (see docs/domain.md, "Session logs: what to record, and what never to record").
import * as z from 'zod/mini';
import { FEEDBACK_QUESTIONS } from './feedback';
import { GUIDE_CATEGORIES, LANGUAGES, STEP_KINDS } from './lists';

export const SYNCED_TABLES = ['guides', 'guideSteps', 'sessions', 'feedback'] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** Guides and their steps are shared by an organisation's sites; logs and feedback stay within their site. */
export const TABLE_SCOPE: Record<SyncedTable, 'organisation' | 'site'> = {
  guides: 'organisation',
  guideSteps: 'organisation',
  sessions: 'site',
  feedback: 'site',
};

/** Feedback is written once by a participant and never edited: a second write to the same id is refused. */
export const INSERT_ONLY_TABLES: readonly SyncedTable[] = ['feedback'];

export function isSyncedTable(name: unknown): name is SyncedTable {
  return typeof name === 'string' && (SYNCED_TABLES as readonly string[]).includes(name);
}

/** Record ids are made on the device: a UUID, or a short stable id such as a built-in guide's. */
export const recordId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
/** A picture's SHA-256 in lowercase hex: the name of a blob. */
export const sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/));
/** A short machine word from a known list (topics, barriers, feedback chips): never room for a sentence. */
export const slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/));

const text = (max: number) => z.string().check(z.maxLength(max));
const count = z.int().check(z.gte(0), z.lte(9999));
const timestampMs = z.int().check(z.gte(0), z.lte(8_640_000_000_000));
const slugList = z.array(slug).check(z.maxLength(40));
/** 0 = alive, 1 = deleted; a delete is this one field with its own clock, so a later edit can bring a record back. */
const tombstone = z.union([z.literal(0), z.literal(1)]);

export { GUIDE_CATEGORIES, LANGUAGES, STEP_KINDS };

export const guideFields = z.strictObject({
  slug: z.optional(text(120)),
  lang: z.optional(z.enum(LANGUAGES)),
  title: z.optional(text(200)),
  summary: z.optional(text(2000)),
  category: z.optional(z.enum(GUIDE_CATEGORIES)),
  tags: z.optional(z.array(text(60)).check(z.maxLength(30))),
  /** Only 'org': built-in guides ship with the app and never travel (see builtin.ts). */
  source: z.optional(z.enum(['org'])),
  version: z.optional(z.int().check(z.gte(0))),
  originId: z.optional(z.nullable(recordId)),
  updatedAt: z.optional(timestampMs),
  deleted: z.optional(tombstone),
});

export const guideStepFields = z.strictObject({
  guideId: z.optional(recordId),
  orderKey: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  kind: z.optional(z.enum(STEP_KINDS)),
  practice: z.optional(z.nullable(z.enum(['tap', 'swipe']))),
  text: z.optional(text(4000)),
  alt: z.optional(text(500)),
  /** A picture the organisation uploaded; there is no picture address: a built-in picture ships with the app. */
  imageHash: z.optional(z.nullable(sha256Hex)),
  updatedAt: z.optional(timestampMs),
  deleted: z.optional(tombstone),
});

/** Known values of the session log lists; other slugs are accepted so a newer app can add one without breaking sync. */
export const SESSION_VOCABULARY = {
  durationBand: ['under-15', '15-30', '30-60', 'over-60'],
  format: ['group', 'walk-in', 'pop-up', 'one-to-one'],
  channel: ['in-person', 'remote'],
  roles: ['onlooker', 'member', 'peer', 'participant'], // 'participant' (people helped) came last so stored columns keep their order
  topics: [
    'device-basics',
    'keeping-in-touch',
    'e-identification',
    'authority-services',
    'attachments',
    'banking-referred',
    'entertainment',
    'library-celia',
    'civic-participation',
    'buying-a-device',
    'updates-maintenance',
    'security',
    'media-literacy',
    'other',
  ],
  devicesUsed: ['own', 'loan', 'centre'],
  outcome: ['did-it-alone', 'with-support', 'unfinished', 'referred'],
  referredTo: ['kela', 'bank', 'library', 'citizens-advice', 'police', 'operator', 'other'],
  barriers: ['no-e-id', 'no-id-document', 'no-device', 'no-data', 'forgotten-pin', 'device-wont-update'],
} as const;

/** Head-counts of one role in a session: people new to the service and people returning. */
const headCount = z.strictObject({ new: count, returning: count });

export const sessionFields = z.strictObject({
  status: z.optional(z.enum(['draft', 'final'])),
  startedAt: z.optional(timestampMs),
  durationBand: z.optional(slug),
  format: z.optional(slug),
  channel: z.optional(slug),
  /** The instructor profile's id on the tablet, never a name. */
  instructorId: z.optional(z.nullable(recordId)),
  participants: z.optional(z.record(slug, headCount).check(z.refine((roles) => Object.keys(roles).length <= 10))),
  topics: z.optional(slugList),
  guidesUsed: z.optional(z.array(recordId).check(z.maxLength(50))),
  devicesUsed: z.optional(slugList),
  outcome: z.optional(z.nullable(slug)),
  referredTo: z.optional(slugList),
  barriers: z.optional(slugList),
  note: z.optional(text(280)), // the instructor's short note; the app flags identity codes, phones and emails before saving it
  updatedAt: z.optional(timestampMs),
  deleted: z.optional(tombstone),
});

/** A feedback answer: a mood 1–5, one chip, or several chips. Never free text. */
const feedbackAnswer = z.union([z.int().check(z.gte(1), z.lte(5)), slug, z.array(slug).check(z.maxLength(20))]);
/** Answers only to the app's questions (FEEDBACK_QUESTIONS): any other key is refused, so it can never become a column. */
const feedbackAnswers = z.strictObject(
  Object.fromEntries(FEEDBACK_QUESTIONS.map((question) => [question, z.optional(feedbackAnswer)])) as Record<
    (typeof FEEDBACK_QUESTIONS)[number],
    z.ZodMiniOptional<typeof feedbackAnswer>
  >,
);

/** Feedback arrives whole in one mutation, since it is never edited. */
export const feedbackFields = z.strictObject({
  sessionId: z.optional(z.nullable(recordId)),
  createdAt: timestampMs,
  lang: z.enum(LANGUAGES),
  answers: feedbackAnswers,
});

export const TABLE_FIELDS = {
  guides: guideFields,
  guideSteps: guideStepFields,
  sessions: sessionFields,
  feedback: feedbackFields,
} as const;

export type GuideFields = z.infer<typeof guideFields>;
export type GuideStepFields = z.infer<typeof guideStepFields>;
export type SessionFields = z.infer<typeof sessionFields>;
export type FeedbackFields = z.infer<typeof feedbackFields>;
export type TableFields = { [T in SyncedTable]: z.infer<(typeof TABLE_FIELDS)[T]> };

/** Fields of a table that name a blob, so the server can tell a client which pictures it still has to upload. */
export const BLOB_REFERENCE_FIELDS: Partial<Record<SyncedTable, readonly string[]>> = {
  guideSteps: ['imageHash'],
};
