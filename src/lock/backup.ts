// Owns the encrypted backup of this tablet's own data, for tablets that are never online: a JSON file whose data
// part is AES-GCM encrypted with a key derived from a passphrase (PBKDF2-SHA256). Restoring checks EVERYTHING —
// the file's form, the passphrase, the decryption, every row and every picture's hash — before it writes anything,
// and then writes in one transaction that merges field by field (later clock wins per field, nothing newer on the
// tablet is lost).
// The sync state (device token, clock) is left out on purpose: a token must not travel in a file, and a restored
// tablet enrols as itself. Unsynced changes travel with their outbox rows so they still reach the server later.
// Only an unlocked site admin may export or restore. Profiles travel as nicknames only (no role, nothing of a PIN):
// they come back as instructors without a PIN, and a site admin gives each a new one.
import { forgetRemembered } from '../db/changes';
import * as z from 'zod/mini';
import { db } from '../db/db';
import { readOwnData, writeRestored } from '../db/lock';
import type { BlobRecord, FeedbackRecord, GuideRecord, GuideStepRecord, OutboxEntry, ProfileRecord, SessionLogRecord } from '../db/records';
import { fromBase64, randomBytes, toBase64, utf8 } from './encoding';
import { sha256Hex } from '../lib/sha256';
import { requireUnlockedAdmin } from './profiles';
import { isLocalCiphertext } from './data-key';
import { protectStoredNotes, readNote, withReadableNotes } from '../sessions/notes';

export const BACKUP_FORMAT = 'digituki-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_ITERATIONS = 310_000;
export const PASSPHRASE_MIN_LENGTH = 10;
// Our own files always use BACKUP_ITERATIONS; a lower count only weakens the file that carries it, so restore accepts it.
const MIN_ITERATIONS = 1_000;
const MAX_ITERATIONS = 5_000_000; // a hostile file must not make the tablet derive keys for minutes
const CHECK_TEXT = 'digituki-backup-passphrase-check';

export type BackupProblem = 'damaged' | 'wrongPassphrase' | 'newerVersion' | 'passphraseShort' | 'passphraseMismatch';

export class BackupError extends Error {
  constructor(readonly code: BackupProblem) {
    super(code);
  }
}

// --- what a backup holds -------------------------------------------------------------------------------------

const id = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
const clock = z.string().check(z.maxLength(200)); // '' for content that has never changed on any tablet
const time = z.number().check(z.gte(0), z.lte(8_640_000_000_000));
const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/));
const synced = {
  id,
  org: z.string().check(z.maxLength(200)),
  site: z.string().check(z.maxLength(200)),
  updatedAt: time,
  hlc: clock,
  fieldClocks: z.record(z.string(), clock),
  deleted: z.union([z.literal(0), z.literal(1)]),
};

const payloadSchema = z.strictObject({
  format: z.literal('digituki-backup-data'),
  createdAt: time,
  tables: z.strictObject({
    guides: z.array(z.looseObject({ ...synced })),
    guideSteps: z.array(z.looseObject({ ...synced, guideId: id })),
    sessions: z.array(z.looseObject({ ...synced, startedAt: time })),
    feedback: z.array(z.looseObject({ id, org: z.string(), site: z.string(), createdAt: time, lang: z.string(), answers: z.record(z.string(), z.unknown()) })),
    blobs: z.array(
      z.strictObject({
        hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
        type: z.string().check(z.maxLength(200)),
        size: z.int().check(z.gte(0)),
        uploaded: z.union([z.literal(0), z.literal(1)]),
        bytes: base64,
      }),
    ),
    outbox: z.array(
      z.strictObject({
        table: z.enum(['guides', 'guideSteps', 'sessions', 'feedback']),
        recordId: id,
        hlc: clock,
        fields: z.record(z.string(), z.unknown()),
        fieldClocks: z.optional(z.record(z.string(), clock)),
      }),
    ),
    // A file carries nicknames only. Files made before that also carry a role and a PIN hash: both are read past and
    // dropped (see BackupProfile).
    profiles: z.array(
      z.strictObject({
        id,
        nickname: z.string().check(z.minLength(1), z.maxLength(40)),
        createdAt: time,
        role: z.optional(z.enum(['instructor', 'admin'])),
        pinHash: z.optional(base64),
        salt: z.optional(base64),
        iterations: z.optional(z.int().check(z.gte(MIN_ITERATIONS), z.lte(MAX_ITERATIONS))),
        pinDigits: z.optional(z.int().check(z.gte(6), z.lte(12))),
      }),
    ),
  }),
});

const envelopeSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.int(),
  kdf: z.strictObject({
    name: z.literal('PBKDF2'),
    hash: z.literal('SHA-256'),
    iterations: z.int().check(z.gte(MIN_ITERATIONS), z.lte(MAX_ITERATIONS)),
    salt: base64,
  }),
  cipher: z.strictObject({ name: z.literal('AES-GCM'), checkIv: base64, check: base64, iv: base64, data: base64 }),
});

type Envelope = z.infer<typeof envelopeSchema>;

interface BackupBlob {
  hash: string;
  type: string;
  size: number;
  uploaded: 0 | 1;
  bytes: string;
}

/**
 * A profile as a backup carries it: who, never a role or anything of a PIN. A restored profile comes in as an
 * instructor with no PIN, and opens once a site admin gives it one (Ohjaajaprofiilit → Anna uusi PIN-koodi).
 */
export type BackupProfile = Pick<ProfileRecord, 'id' | 'nickname' | 'createdAt'>;

/** The decrypted, checked contents of a backup, ready to write. */
/** fieldClocks: fields of a row merged from several saves that were written before its clock (issue 16). */
export type BackupOutboxRow = Pick<OutboxEntry, 'table' | 'recordId' | 'hlc' | 'fields' | 'fieldClocks'>;

export interface BackupContents {
  createdAt: number;
  tables: {
    guides: GuideRecord[];
    guideSteps: GuideStepRecord[];
    sessions: SessionLogRecord[];
    feedback: FeedbackRecord[];
    blobs: BackupBlob[];
    /** Waiting changes as the file carries them: the place they belong to is their record's (see writeBackup). */
    outbox: BackupOutboxRow[];
    profiles: BackupProfile[];
  };
}

export type BackupCounts = Record<keyof BackupContents['tables'], number>;

// --- the cryptography ----------------------------------------------------------------------------------------

async function passphraseKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', utf8(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

/** Binds the header to both ciphertexts, so a changed salt, count or swapped part fails to decrypt. */
function associatedData(envelope: Pick<Envelope, 'version' | 'kdf'>, part: 'check' | 'data'): Uint8Array<ArrayBuffer> {
  return utf8([BACKUP_FORMAT, envelope.version, envelope.kdf.name, envelope.kdf.hash, envelope.kdf.iterations, envelope.kdf.salt, part].join('/'));
}

async function encrypt(key: CryptoKey, iv: Uint8Array<ArrayBuffer>, plain: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, plain)));
}

async function decrypt(key: CryptoKey, iv: string, data: string, aad: Uint8Array<ArrayBuffer>): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv), additionalData: aad }, key, fromBase64(data)));
  } catch {
    return undefined;
  }
}

export function passphraseProblem(passphrase: string, again: string): BackupProblem | undefined {
  if (passphrase.length < PASSPHRASE_MIN_LENGTH) return 'passphraseShort';
  return passphrase === again ? undefined : 'passphraseMismatch';
}

// --- export --------------------------------------------------------------------------------------------------

async function readContents(now: number): Promise<BackupContents> {
  const tables = await readOwnData();
  // Built-in guides ship with the app (the same on every tablet): only the organisation's own guides travel.
  const builtin = new Set(tables.guides.filter((guide) => guide.source === 'builtin').map((guide) => guide.id));
  tables.guides = tables.guides.filter((guide) => !builtin.has(guide.id));
  tables.guideSteps = tables.guideSteps.filter((step) => !builtin.has(step.guideId));
  const blobs: BackupBlob[] = [];
  for (const blob of tables.blobs)
    blobs.push({ hash: blob.hash, type: blob.type, size: blob.size, uploaded: blob.uploaded, bytes: toBase64(new Uint8Array(await blob.bytes.arrayBuffer())) });
  const profiles = tables.profiles.map(({ id, nickname, createdAt }) => ({ id, nickname, createdAt }));
  // Notes travel as text inside the encrypted file: this tablet's data key stays here (the admin's unlock opened it).
  const sessions = await withReadableNotes(tables.sessions);
  const outbox = await Promise.all(
    tables.outbox.map(async ({ table, recordId, hlc, fields, fieldClocks }) => ({
      table,
      recordId,
      hlc,
      fields: isLocalCiphertext(fields.note) ? { ...fields, note: await readNote(fields.note) } : fields,
      ...(fieldClocks ? { fieldClocks } : {}),
    })),
  );
  return { createdAt: now, tables: { ...tables, sessions, blobs, profiles, outbox } };
}

/** Encrypts given contents into the text of a backup file. */
export async function sealBackup(contents: BackupContents, passphrase: string, iterations = BACKUP_ITERATIONS): Promise<string> {
  const salt = randomBytes(16);
  const kdf = { name: 'PBKDF2' as const, hash: 'SHA-256' as const, iterations, salt: toBase64(salt) };
  const key = await passphraseKey(passphrase, salt, iterations);
  const header = { version: BACKUP_VERSION, kdf };
  const checkIv = randomBytes(12);
  const iv = randomBytes(12);
  const payload = utf8(JSON.stringify({ format: 'digituki-backup-data', createdAt: contents.createdAt, tables: contents.tables }));
  const envelope: Envelope = {
    format: BACKUP_FORMAT,
    ...header,
    cipher: {
      name: 'AES-GCM',
      checkIv: toBase64(checkIv),
      check: await encrypt(key, checkIv, utf8(CHECK_TEXT), associatedData(header, 'check')),
      iv: toBase64(iv),
      data: await encrypt(key, iv, payload, associatedData(header, 'data')),
    },
  };
  return JSON.stringify(envelope);
}

/** The whole tablet's own data as the text of an encrypted backup file. Only an unlocked site admin may make one. */
export async function exportBackup(
  passphrase: string,
  passphraseAgain: string,
  iterations = BACKUP_ITERATIONS,
  now = Date.now(),
): Promise<{ text: string; counts: BackupCounts }> {
  await requireUnlockedAdmin();
  const problem = passphraseProblem(passphrase, passphraseAgain);
  if (problem) throw new BackupError(problem);
  const contents = await readContents(now);
  return { text: await sealBackup(contents, passphrase, iterations), counts: countsOf(contents) };
}

export function backupFileName(now: number): string {
  return `digituki-backup-${new Date(now).toISOString().slice(0, 10)}.digituki`;
}

function countsOf(contents: BackupContents): BackupCounts {
  const t = contents.tables;
  return {
    guides: t.guides.length,
    guideSteps: t.guideSteps.length,
    sessions: t.sessions.length,
    feedback: t.feedback.length,
    blobs: t.blobs.length,
    outbox: t.outbox.length,
    profiles: t.profiles.length,
  };
}

// --- import --------------------------------------------------------------------------------------------------

/** Opens and checks a backup file; writes nothing. Throws BackupError saying what is wrong. */
export async function openBackup(text: string, passphrase: string): Promise<BackupContents> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BackupError('damaged');
  }
  if (
    raw &&
    typeof raw === 'object' &&
    (raw as { format?: unknown }).format === BACKUP_FORMAT &&
    typeof (raw as { version?: unknown }).version === 'number' &&
    (raw as { version: number }).version > BACKUP_VERSION
  ) {
    throw new BackupError('newerVersion');
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success || parsed.data.version !== BACKUP_VERSION) throw new BackupError('damaged');
  const envelope = parsed.data;
  let key: CryptoKey;
  try {
    key = await passphraseKey(passphrase, fromBase64(envelope.kdf.salt), envelope.kdf.iterations);
  } catch {
    throw new BackupError('damaged');
  }
  const check = await decrypt(key, envelope.cipher.checkIv, envelope.cipher.check, associatedData(envelope, 'check'));
  if (!check || new TextDecoder().decode(check) !== CHECK_TEXT) throw new BackupError('wrongPassphrase');
  const plain = await decrypt(key, envelope.cipher.iv, envelope.cipher.data, associatedData(envelope, 'data'));
  if (!plain) throw new BackupError('damaged');
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    throw new BackupError('damaged');
  }
  const checked = payloadSchema.safeParse(payload);
  if (!checked.success) throw new BackupError('damaged');
  for (const blob of checked.data.tables.blobs) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = fromBase64(blob.bytes);
    } catch {
      throw new BackupError('damaged');
    }
    if (bytes.length !== blob.size || (await sha256Hex(bytes)) !== blob.hash) throw new BackupError('damaged');
  }
  const tables = { ...checked.data.tables, profiles: checked.data.tables.profiles.map(({ id, nickname, createdAt }) => ({ id, nickname, createdAt })) };
  return { createdAt: checked.data.createdAt, tables: tables as unknown as BackupContents['tables'] };
}

/** Writes checked contents in ONE transaction: records merge field by field, feedback and pictures are added once, pending changes stay pending. */
export async function writeBackup(contents: BackupContents): Promise<BackupCounts> {
  const t = contents.tables;
  const blobs: BlobRecord[] = t.blobs.map((b) => ({
    hash: b.hash,
    type: b.type,
    size: b.size,
    uploaded: b.uploaded,
    bytes: new Blob([fromBase64(b.bytes)], { type: b.type }),
  }));
  const written = await writeRestored({ ...t, blobs }, (enrolment) => restoredPlaces(t, enrolment));
  forgetRemembered(db()); // restored changes may carry later clocks than this tablet's: it reads them again
  return written;
}

/**
 * Where each record of the file belongs, by table and id: the place its waiting changes were written for (a backup
 * carries no token, but its records say where they belong), so a change of another organisation or site is held
 * back, never sent here. A record never placed (written before its tablet was enrolled) is adopted by the enrolment in
 * force, or, with none, by the next one.
 */
function restoredPlaces(
  t: BackupContents['tables'],
  enrolment: { orgId?: unknown; siteId?: unknown } | undefined,
): (row: BackupOutboxRow) => { org: string; site: string } {
  const places = new Map<string, { org: string; site: string }>();
  for (const name of ['guides', 'guideSteps', 'sessions', 'feedback'] as const) {
    for (const record of t[name] as { id: string; org?: string; site?: string }[])
      if (record.org) places.set(`${name}/${record.id}`, { org: record.org, site: record.site ?? '' });
  }
  const adopted =
    typeof enrolment?.orgId === 'string' && typeof enrolment.siteId === 'string' ? { org: enrolment.orgId, site: enrolment.siteId } : { org: '', site: '' };
  return (row) => places.get(`${row.table}/${row.recordId}`) ?? adopted;
}

/** Opens, checks and then writes a backup; on any problem nothing on the tablet has changed. Site admin only. */
export async function restoreBackup(text: string, passphrase: string): Promise<{ counts: BackupCounts; profiles: string[] }> {
  await requireUnlockedAdmin();
  const contents = await openBackup(text, passphrase);
  const counts = await writeBackup(contents);
  await protectStoredNotes(); // the file's notes go under this tablet's data key at once
  return { counts, profiles: contents.tables.profiles.map((p) => p.nickname) };
}
