// Owns the tablet side of sync in IndexedDB: the enrolment, numbering and acknowledging outbox entries, merging
// pulled records (the same per-field rule as the server) and the pictures to upload or fetch. Each step is one
// transaction, so sync can be cut at any point and resumed without losing or repeating anything.
import {
  clockOffset,
  compactClocks,
  expandClocks,
  isHlc,
  serializeHlc,
  mergePulled,
  recordHlc,
  restampWaiting,
  settledClock,
  TABLE_FIELDS,
  TABLE_SCOPE,
  touchesBuiltinGuide,
  type EnrolResponse,
  type PulledRecord,
  type PushResponse,
  type SyncedTable,
} from '../protocol';
import { correctedNow, observeRemoteClock, placeChanged, storeClock, storeClockOffset, storedClock } from './changes';
import type { DigitukiDB } from './db';
import { forgetLocal, readLocal, writeLocal } from './device-local';
import { stateOfRow } from './record-state';
import type { BlobRecord, OutboxEntry, SyncedFields } from './records';

import { readyForServer } from './org-note-key';

/** What the server answered at enrolment, plus where and when the tablet joined and under which name. */
export interface Enrolment extends EnrolResponse {
  serverUrl: string;
  deviceName: string;
  enrolledAt: number;
}

export interface LastSync {
  at: number;
  pushed: number;
  pulled: number;
  quarantined: number;
}

export function readEnrolment(database: DigitukiDB): Promise<Enrolment | undefined> {
  return readLocal(database, 'enrolment');
}

/**
 * Protocol v2: the device's key pair (README: "Device keys and access tokens"). IndexedDB keeps the CryptoKey objects
 * themselves; the private key is non-extractable, so no script and no copy of the files can read its bytes out.
 * `bound`: the server knows this public key (a v1 tablet binds one before it forgets its bearer token).
 */
export interface DeviceKey {
  deviceId: string;
  privateKey: CryptoKey;
  publicKey: JsonWebKey;
  bound: boolean;
}

/** The key pair of this enrolment's device, if it has one. */
export async function readDeviceKey(database: DigitukiDB, deviceId: string): Promise<DeviceKey | undefined> {
  const key = await readLocal(database, 'deviceKey');
  return key?.deviceId === deviceId ? key : undefined;
}

/** Keeps a key pair made for an enrolled v1 device, before it is bound (so a lost answer to the bind loses no key). */
export async function saveDeviceKey(database: DigitukiDB, key: DeviceKey): Promise<void> {
  await writeLocal(database, 'deviceKey', key);
}

/** The server bound the key: in ONE transaction the key counts as bound and the v1 bearer token is forgotten. */
export async function markDeviceKeyBound(database: DigitukiDB, deviceId: string): Promise<void> {
  await database.transaction('rw', database.syncState, async () => {
    const key = await readLocal(database, 'deviceKey');
    const enrolment = await readLocal(database, 'enrolment');
    if (key?.deviceId !== deviceId || enrolment?.deviceId !== deviceId) return;
    await writeLocal(database, 'deviceKey', { ...key, bound: true });
    const { token: _forgotten, ...withoutToken } = enrolment;
    await writeLocal(database, 'enrolment', withoutToken);
  });
}

/**
 * Joins the tablet to a site: new records are stamped with its organisation and site from now on. ONE transaction:
 * a new identity's numbering from 1 is never saved without the waiting entries losing their old ids, or the other
 * way round (old ids left ahead of new ones would be refused on every push). Changes and logs written before the
 * tablet was ever enrolled (no place yet) are adopted by this enrolment; changes written for another place stay
 * theirs and are held back.
 */
export async function saveEnrolment(database: DigitukiDB, enrolment: Enrolment, deviceKey?: DeviceKey): Promise<void> {
  await database.transaction('rw', [database.syncState, database.outbox, database.sessions, database.feedback], async () => {
    const previous = await readLocal(database, 'enrolment');
    const place = placeOf(enrolment);
    await writeLocal(database, 'enrolment', enrolment);
    // The key pair goes with the identity it was enrolled with; a v1 enrolment (no key) leaves none behind.
    if (deviceKey) await writeLocal(database, 'deviceKey', deviceKey);
    else await forgetLocal(database, 'deviceKey');
    await writeLocal(database, 'place', place);
    placeChanged(database);
    await database.outbox.filter((entry) => !entry.org).modify({ org: place.org, site: place.site });
    // Logs and feedback are counted per site in reports: those written before any enrolment belong to this one.
    await database.sessions.filter((row) => !row.org).modify({ org: place.org, site: place.site });
    await database.feedback.filter((row) => !row.org).modify({ org: place.org, site: place.site });
    if (previous?.deviceId === enrolment.deviceId) return;
    // A new device identity numbers its mutations from 1 and pulls everything from the start.
    await writeLocal(database, 'nextMutationId', 1);
    await forgetLocal(database, 'pullCursor', 'numbered');
  });
}

/** Leaves the site: the credential (token or key pair) goes, every record and the outbox stay (a later enrolment sends them). */
export async function forgetEnrolment(database: DigitukiDB): Promise<void> {
  await forgetLocal(database, 'enrolment', 'pullCursor', 'lastSync', 'deviceKey');
}

export function readCursor(database: DigitukiDB): Promise<string | undefined> {
  return readLocal(database, 'pullCursor');
}

export function readLastSync(database: DigitukiDB): Promise<LastSync | undefined> {
  return readLocal(database, 'lastSync');
}

export async function saveLastSync(database: DigitukiDB, lastSync: LastSync): Promise<void> {
  await writeLocal(database, 'lastSync', lastSync);
}

export type NumberedEntry = OutboxEntry & { seq: number; mutationId: number };

/** What the server said it understands (GET /v1/health `features`): older servers name none. */
export interface ServerFeatures {
  /** Mutations may carry `fieldClocks` for fields written before the mutation's clock. */
  fieldClocks: boolean;
}

/**
 * The oldest outbox entries, each with its mutationId. Ids are given once, consecutively, in outbox order, and
 * stored before anything is sent: a resend after a lost answer carries the same ids, so the server ignores it.
 * The ids are stored as one `numbered` value of [seq, id] pairs, not in the rows (issue 16: rewriting each numbered
 * row cost a 500-change push about as much as the server's whole work on it); the entries come back with theirs.
 * For a server that takes one clock per mutation, a row merged from several saves is sent at its latest clock: its
 * record's fields take that clock too, as if saved again then (README, "Waiting changes").
 */
export async function nextBatch(
  database: DigitukiDB,
  max: number,
  place: Place,
  features: ServerFeatures = { fieldClocks: true },
  /** Only entries after this outbox place: the next batch, numbered while the one before it is still on its way. */
  afterSeq?: number,
): Promise<NumberedEntry[]> {
  const tables = CLOCKED_TABLES.map((name) => database.table(name));
  return database.transaction('rw', [database.outbox, database.syncState, ...tables], async () => {
    // Only changes written for this place travel; the others are held back (and never get an id).
    // A note not yet sealed to the organisation's key waits too (org-note-key.ts): it is never sent as it is.
    const entries = await oldestReady(database, max, place, afterSeq);
    const numbered = await readNumbered(database);
    const idOf = new Map(numbered);
    let next = (await readLocal(database, 'nextMutationId')) ?? 1;
    const changed: OutboxEntry[] = [];
    for (const entry of entries) {
      if (!features.fieldClocks && entry.fieldClocks) {
        const moves = Object.fromEntries(Object.entries(entry.fieldClocks).map(([name, from]) => [name, { from, to: entry.hlc }]));
        await moveFieldClocks(database, entry.table, entry.recordId, moves);
        delete entry.fieldClocks;
        changed.push({ ...entry });
      }
      const given = idOf.get(entry.seq);
      if (given !== undefined) entry.mutationId = given;
      else {
        entry.mutationId = next;
        numbered.push([entry.seq, next]);
        next += 1;
      }
    }
    if (changed.length) await database.outbox.bulkPut(changed);
    if (numbered.length > idOf.size) {
      await writeNumbered(database, numbered);
      await writeLocal(database, 'nextMutationId', next);
    }
    return entries as NumberedEntry[];
  });
}

/** Every waiting change in outbox order, each numbered one with its mutationId (how the tests read the numbering). */
export async function waitingChanges(database: DigitukiDB): Promise<(OutboxEntry & { seq: number })[]> {
  return database.transaction('r', database.outbox, database.syncState, async () => {
    const idOf = new Map(await readNumbered(database));
    const rows = (await database.outbox.orderBy('seq').toArray()) as (OutboxEntry & { seq: number })[];
    return rows.map((row) => (idOf.has(row.seq) ? { ...row, mutationId: idOf.get(row.seq)! } : row));
  });
}

/** The rows numbered for a push and not yet acknowledged, as [seq, mutationId] pairs in seq order. */
async function readNumbered(database: DigitukiDB): Promise<[number, number][]> {
  return (await readLocal(database, 'numbered')) ?? [];
}

async function writeNumbered(database: DigitukiDB, numbered: [number, number][]): Promise<void> {
  numbered.sort((a, b) => a[0] - b[0]);
  if (numbered.length) await writeLocal(database, 'numbered', numbered);
  else await forgetLocal(database, 'numbered');
}

/**
 * The oldest `max` outbox rows after `afterSeq` that may travel to `place`, read a key range at a time: a range is one
 * getAll, where a filtered cursor visits the rows one by one (a quarter of a 500-change push's time, issue 16).
 */
async function oldestReady(database: DigitukiDB, max: number, place: Place, afterSeq = -Infinity): Promise<(OutboxEntry & { seq: number })[]> {
  const ready: (OutboxEntry & { seq: number })[] = [];
  let after = afterSeq;
  while (ready.length < max) {
    const rows = (await database.outbox.where('seq').above(after).limit(max).toArray()) as (OutboxEntry & { seq: number })[];
    for (const row of rows) if (ready.length < max && belongsTo(row, place) && readyForServer(row)) ready.push(row);
    if (rows.length < max) break;
    after = rows.at(-1)!.seq;
  }
  return ready;
}

async function dropAcknowledged(database: DigitukiDB, lastMutationId: number): Promise<number> {
  // Ids are given in outbox order to the oldest waiting rows, so the acknowledged rows are those with an id up to
  // the last one, usually one run of seqs: then one ranged delete (held-back rows in between: by key instead).
  const numbered = await readNumbered(database);
  const done = numbered.filter(([, id]) => id <= lastMutationId).map(([seq]) => seq);
  if (!done.length) return 0;
  await writeNumbered(
    database,
    numbered.filter(([, id]) => id > lastMutationId),
  );
  const first = Math.min(...done);
  const last = Math.max(...done);
  const run = database.outbox.where(':id').between(first, last, true, true);
  const present = await run.count();
  if (present === done.length) await run.delete();
  else {
    // Held-back rows in between stay; a numbered row deleted meanwhile (its held-back changes discarded) is not counted.
    const keys = new Set((await database.outbox.bulkGet(done)).flatMap((row) => (row ? [row.seq!] : [])));
    await database.outbox.bulkDelete([...keys]);
    return keys.size;
  }
  return done.length;
}

/** Tables whose records keep a clock per field on the tablet (feedback is insert-only and keeps none). */
const CLOCKED_TABLES = ['guides', 'guideSteps', 'sessions'] as const;

/** Clocks a change's fields now carry: each field of its record still at `from` takes `to`. */
async function moveFieldClocks(database: DigitukiDB, table: string, id: string, moves: Record<string, { from: string; to: string }>): Promise<void> {
  if (!(CLOCKED_TABLES as readonly string[]).includes(table)) return;
  const row = (await database.table(table).get(id)) as (Record<string, unknown> & SyncedFields) | undefined;
  if (!row?.fieldClocks) return;
  const fieldClocks = { ...row.fieldClocks };
  let moved = false;
  for (const [name, { from, to }] of Object.entries(moves)) {
    if (fieldClocks[name] !== from || from === to) continue;
    fieldClocks[name] = to;
    moved = true;
  }
  if (moved) await database.table(table).put({ ...row, fieldClocks, hlc: recordHlc({ fields: {}, fieldClocks }) });
}

/** The clock of each field of an outbox entry. */
function entryClocks(entry: Pick<OutboxEntry, 'hlc' | 'fields' | 'fieldClocks'>): Record<string, string> {
  return expandClocks(entry.hlc, entry.fields, entry.fieldClocks);
}

/** What a push answer says about clocks; an older server sends no `lastHlc`. */
export type PushAnswer = Pick<PushResponse, 'lastMutationId'> & Partial<Pick<PushResponse, 'clamped' | 'lastHlc' | 'serverTime' | 'cursor'>>;

/**
 * Takes a push answer in ONE transaction: drops the acknowledged entries; gives local records the clocks the server
 * kept for clamped changes; learns how far the tablet's date is off; brings the tablet's clock back to no more than
 * the allowed drift ahead of the server (never before the last clock the server kept for it); and stamps waiting
 * changes that are now above it again, in outbox order, so they still come after everything sent (README, "Hybrid
 * logical clock"). Returns how many entries were acknowledged.
 */
export async function settlePush(
  database: DigitukiDB,
  sent: readonly NumberedEntry[],
  answer: PushAnswer,
  localNow: number,
  pulled?: { sent: string | undefined },
): Promise<{ removed: number; rewroteWaiting: boolean }> {
  const tables = CLOCKED_TABLES.map((name) => database.table(name));
  return database.transaction('rw', [database.outbox, database.syncState, ...tables], async () => {
    const removed = await dropAcknowledged(database, answer.lastMutationId);
    const settled = (rewroteWaiting = false) => ({ removed, rewroteWaiting });
    // No echo: the answer's cursor stands after this push's own changes; taken only if no pull moved ours meanwhile.
    if (pulled && typeof answer.cursor === 'string' && answer.cursor.length <= 200 && (await readLocal(database, 'pullCursor')) === pulled.sent) {
      await writeLocal(database, 'pullCursor', answer.cursor);
    }
    const sentById = new Map(sent.map((entry) => [entry.mutationId, entry]));
    // A clamped mutation is kept with every field at the clamp's clock; one sent again, at the clocks it was kept at
    // before: every field at `hlc` but those its `fieldClocks` names (README, "Hybrid logical clock").
    for (const clamp of Array.isArray(answer.clamped) ? answer.clamped : []) {
      const entry = sentById.get(clamp?.mutationId);
      if (!entry || !isHlc(clamp.hlc)) continue;
      const keptAt = (name: string) => {
        const clock = clamp.fieldClocks?.[name];
        return typeof clock === 'string' && isHlc(clock) ? clock : clamp.hlc;
      };
      const moves = Object.fromEntries(Object.entries(entryClocks(entry)).map(([name, from]) => [name, { from, to: keptAt(name) }]));
      await moveFieldClocks(database, entry.table, entry.recordId, moves);
    }
    if (typeof answer.serverTime !== 'number' || !Number.isFinite(answer.serverTime)) return settled();
    await storeClockOffset(database, clockOffset(answer.serverTime, localNow), localNow);
    if (typeof answer.lastHlc !== 'string') {
      await storeClock(database, await storedClock(database)); // an older server keeps no clock per device to settle against
      return settled();
    }
    const local = await storedClock(database);
    const settledAt = settledClock(local, answer.lastHlc, answer.serverTime);
    // Every waiting change's clock is at most the tablet's: when that is not above the settled clock, none is.
    if (serializeHlc(local) <= serializeHlc(settledAt)) {
      await storeClock(database, settledAt);
      return settled();
    }
    const waiting = await database.outbox.orderBy('seq').toArray();
    // Every clock still waiting, oldest first: those above the settled clock get fresh ticks in the same order.
    const before = [...new Set(waiting.flatMap((entry) => Object.values(entryClocks(entry)).concat(entry.hlc)))].sort();
    const { clocks, clock } = restampWaiting(before, settledAt, await correctedNow(database, localNow));
    const restamped = new Map(before.map((old, index) => [old, clocks[index]!]));
    const rewritten: OutboxEntry[] = [];
    for (const entry of waiting) {
      const old = entryClocks(entry);
      const hlc = restamped.get(entry.hlc) ?? entry.hlc;
      if (hlc === entry.hlc && Object.values(old).every((value) => restamped.get(value) === value)) continue;
      const now = Object.fromEntries(Object.entries(old).map(([name, value]) => [name, restamped.get(value) ?? value]));
      const fieldClocks = compactClocks(hlc, now);
      const { fieldClocks: _old, ...rest } = entry;
      rewritten.push(fieldClocks ? { ...rest, hlc, fieldClocks } : { ...rest, hlc });
      await moveFieldClocks(
        database,
        entry.table,
        entry.recordId,
        Object.fromEntries(Object.entries(old).map(([name, from]) => [name, { from, to: now[name]! }])),
      );
    }
    await database.outbox.bulkPut(rewritten);
    await storeClock(database, clock);
    return settled(rewritten.length > 0);
  });
}

/**
 * Whether settling this answer would leave every waiting change as it is: no clamp in it, and the tablet's clock within
 * what the answer allows now (so settlePush restamps nothing waiting). The clock only grows meanwhile, by new saves
 * whose clocks alone a restamp could then move: the changes waiting now keep theirs. Lets the next batch travel while
 * this answer is settled (issue 16).
 */
export async function answerKeepsWaitingClocks(database: DigitukiDB, answer: PushAnswer): Promise<boolean> {
  if (!Array.isArray(answer.clamped) || answer.clamped.length) return false;
  if (typeof answer.serverTime !== 'number' || !Number.isFinite(answer.serverTime) || typeof answer.lastHlc !== 'string') return true;
  const local = await storedClock(database);
  return serializeHlc(local) <= serializeHlc(settledClock(local, answer.lastHlc, answer.serverTime));
}

/**
 * After a 409 gap or conflict, or a 400 naming the id it expects (ids out of order), nothing was applied: number the
 * waiting entries again from what the server expects.
 */
export async function renumberFrom(database: DigitukiDB, expected: number): Promise<void> {
  await database.transaction('rw', database.outbox, database.syncState, async () => {
    let next = expected;
    const numbered = await readNumbered(database);
    // Only rows still there keep a number (held-back changes discarded since take theirs with them).
    const present = await database.outbox.bulkGet(numbered.map(([seq]) => seq));
    const renumbered: [number, number][] = [];
    for (const [index, [seq]] of numbered.entries()) {
      if (!present[index]) continue;
      renumbered.push([seq, next]);
      next += 1;
    }
    await writeNumbered(database, renumbered);
    await writeLocal(database, 'nextMutationId', next);
  });
}

const SYNCED_LOCAL_TABLES = ['guides', 'guideSteps', 'sessions', 'feedback'] as const;
const BOOKKEEPING = new Set(['id', 'org', 'site', 'hlc', 'fieldClocks']);

/**
 * Applies one pulled page and stores its cursor in the same transaction: a cut in between repeats the page, harmlessly.
 * Records fetched by reconciliation come without a cursor (undefined): they merge the same way. Per table one bulkGet
 * of the local copies and one bulkPut of the merged ones; the waiting changes of the page's records in one query.
 */
export async function applyPulledPage(
  database: DigitukiDB,
  changes: PulledRecord[],
  cursor: string | undefined,
  place: { org: string; site: string },
  now = Date.now(),
): Promise<number> {
  const tables = SYNCED_LOCAL_TABLES.map((name) => database.table(name));
  return database.transaction('rw', [...tables, database.outbox, database.syncState], async () => {
    // A newer server's table: skip, keep the cursor moving.
    const known = changes.filter((change) => (SYNCED_LOCAL_TABLES as readonly string[]).includes(change.table));
    const keys = known.filter((change) => change.table !== 'feedback').map((change) => [change.table, change.id]);
    // The fields of each record that this tablet changed and has not had acknowledged yet.
    const unsent = new Map<string, Set<string>>();
    for (const entry of keys.length ? await database.outbox.where('[table+recordId]').anyOf(keys).toArray() : []) {
      const key = `${entry.table}/${entry.recordId}`;
      const names = unsent.get(key) ?? new Set<string>();
      for (const name of Object.keys(entry.fields)) names.add(name);
      unsent.set(key, names);
    }
    let applied = 0;
    let latest = '';
    for (const name of SYNCED_LOCAL_TABLES) {
      const ofTable = known.filter((change) => change.table === name);
      if (!ofTable.length) continue;
      const table = database.table(name);
      const scope = TABLE_SCOPE[name];
      const where = { org: place.org, site: scope === 'site' ? place.site : '' };
      const existing = (await table.bulkGet(ofTable.map((change) => change.id))) as ((Record<string, unknown> & Partial<SyncedFields>) | undefined)[];
      // Several copies of one record in a page merge into the latest row, in page order.
      const rows = new Map<string, Record<string, unknown>>();
      for (const [index, change] of ofTable.entries()) {
        const local = rows.get(change.id) ?? existing[index];
        // Built-in guides are the app's: whatever a server sends (an old one may hold such changes), they stay as shipped.
        if (touchesBuiltinGuide(change.table, change.id, change.fields) || local?.source === 'builtin') continue;
        if (name === 'feedback') {
          // Feedback is written once; a copy we already have is the same answer.
          if (!local) rows.set(change.id, { ...change.fields, id: change.id, ...where, sessionId: change.fields.sessionId ?? undefined });
          applied += 1;
          continue;
        }
        // Only the protocol's fields of the table: a field it does not list (such as a picture address) never reaches a row.
        const isKnown = (field: string) => !BOOKKEEPING.has(field) && Object.hasOwn(TABLE_FIELDS[name].shape, field);
        const clean = Object.fromEntries(Object.entries(change.fields).filter(([field]) => isKnown(field)));
        const cleanClocks = Object.fromEntries(Object.entries(change.fieldClocks).filter(([field]) => isKnown(field)));
        const merged = mergePulled(
          local ? stateOfRow(local as Record<string, unknown> & { id: string }) : undefined,
          { fields: clean, fieldClocks: cleanClocks },
          local ? (unsent.get(`${name}/${change.id}`) ?? new Set()) : new Set(),
        );
        const row: Record<string, unknown> = {
          ...(local ?? {}),
          ...merged.fields,
          ...where,
          id: change.id,
          hlc: recordHlc(merged),
          fieldClocks: merged.fieldClocks,
        };
        if (row.deleted !== 1) row.deleted = 0;
        rows.set(change.id, row);
        if (change.hlc > latest) latest = change.hlc;
        applied += 1;
      }
      if (rows.size) await table.bulkPut([...rows.values()]);
    }
    if (cursor !== undefined) await writeLocal(database, 'pullCursor', cursor);
    // Later local edits must win over what we have just seen: move our clock past the newest remote one.
    if (latest) await observeRemoteClock(database, latest, now);
    return applied;
  });
}

/** Picture hashes named by the given outbox entries that this tablet has and has not uploaded yet. */
export async function picturesToUpload(database: DigitukiDB, entries: OutboxEntry[]): Promise<string[]> {
  const hashes = [...new Set(entries.map((entry) => entry.fields.imageHash).filter((hash): hash is string => typeof hash === 'string'))];
  const blobs = await database.blobs.bulkGet(hashes);
  return blobs.filter((blob) => blob && !blob.uploaded).map((blob) => blob!.hash);
}

export async function markUploaded(database: DigitukiDB, hash: string): Promise<void> {
  await database.blobs.update(hash, { uploaded: 1 });
}

/**
 * Pictures on this tablet that the server does not have yet, as far as the tablet knows: not uploaded (no 200/201
 * yet) and still used by a step or a waiting change. Uploaded at the start and end of every round until they are.
 */
export async function picturesWaitingForUpload(database: DigitukiDB, place: Place): Promise<string[]> {
  return database.transaction('r', database.blobs, database.guideSteps, database.outbox, async () => {
    const waiting = await database.blobs.where('uploaded').equals(0).primaryKeys();
    if (!waiting.length) return [];
    // Pictures belong to an organisation: only those of this organisation's guides (or not placed yet) go up.
    const used = new Set<string>();
    for (const step of await database.guideSteps.where('imageHash').anyOf(waiting).toArray()) {
      if (!step.deleted && (step.org === place.org || !step.org)) used.add(step.imageHash!);
    }
    await database.outbox.each((entry) => {
      if (typeof entry.fields.imageHash === 'string' && belongsTo(entry, place)) used.add(entry.fields.imageHash);
    });
    return waiting.filter((hash) => used.has(hash));
  });
}

/** The server named pictures it lacks: those this tablet has are uploaded again (whatever it believed). */
export async function markNotUploaded(database: DigitukiDB, hashes: readonly string[]): Promise<void> {
  if (!hashes.length) return;
  await database.transaction('rw', database.blobs, async () => {
    for (const blob of await database.blobs.bulkGet([...hashes])) if (blob?.uploaded) await database.blobs.update(blob.hash, { uploaded: 0 });
  });
}

/** Pictures that steps on this tablet point at but that are not here yet (pulled from another tablet). */
export async function picturesToFetch(database: DigitukiDB): Promise<string[]> {
  const hashes = new Set<string>();
  await database.guideSteps
    .where('imageHash')
    .above('')
    .each((step) => {
      if (step.imageHash && !step.deleted) hashes.add(step.imageHash);
    });
  const present = await database.blobs.bulkGet([...hashes]);
  return [...hashes].filter((_, index) => !present[index]);
}

/** Keeps a picture fetched from the server under the hash the server gave it; it needs no upload. */
export async function saveFetchedPicture(database: DigitukiDB, hash: string, type: string, bytes: Blob): Promise<void> {
  await database.blobs.put({ hash, type, bytes, size: bytes.size, uploaded: 1 });
}

/** How many outbox rows wait, wherever they belong (the count the server is told, and the one a wipe warns of). */
export function waitingChangeCount(database: DigitukiDB): Promise<number> {
  return database.outbox.count();
}

/** A picture as stored, for its upload. */
export function storedPicture(database: DigitukiDB, hash: string): Promise<BlobRecord | undefined> {
  return database.blobs.get(hash);
}

/** How many records (logs, guides, steps, feedback) have changes waiting: a log tapped eight times counts once. */
export async function pendingCount(database: DigitukiDB): Promise<number> {
  const enrolment = await readEnrolment(database);
  if (!enrolment) return (await database.outbox.orderBy('[table+recordId]').uniqueKeys()).length;
  return countRecords(await database.outbox.filter((entry) => belongsTo(entry, placeOf(enrolment))).toArray());
}

// --- Changes held back: written for another place than the tablet's enrolment (README: "Outbox and place") -------

export interface Place {
  org: string;
  site: string;
}

export function placeOf(enrolment: Pick<Enrolment, 'orgId' | 'siteId'>): Place {
  return { org: enrolment.orgId, site: enrolment.siteId };
}

/** A waiting change travels to this place: the same organisation, and for site tables (logs, feedback) the same site. */
export function belongsTo(entry: Pick<OutboxEntry, 'table' | 'org' | 'site'>, place: Place): boolean {
  if (entry.org !== place.org) return false;
  return TABLE_SCOPE[entry.table as SyncedTable] === 'organisation' || entry.site === place.site;
}

function countRecords(entries: readonly OutboxEntry[]): number {
  return new Set(entries.map((entry) => `${entry.table}/${entry.recordId}`)).size;
}

async function heldBackEntries(database: DigitukiDB): Promise<OutboxEntry[]> {
  const enrolment = await readEnrolment(database);
  if (!enrolment) return []; // not enrolled: everything waits for the next enrolment, nothing is held back yet
  const place = placeOf(enrolment);
  return database.outbox
    .orderBy('seq')
    .filter((entry) => !belongsTo(entry, place))
    .toArray();
}

/** How many records have changes from another place waiting (a log changed eight times counts once). */
export async function heldBackCount(database: DigitukiDB): Promise<number> {
  return countRecords(await heldBackEntries(database));
}

export interface HeldBackChanges {
  format: 'digituki-held-back-changes';
  version: 1;
  exportedAt: number;
  /** Where the changes were written for: organisation and site ids as the server named them. */
  places: Place[];
  /** The waiting changes, oldest first, as they would have been sent. */
  changes: Pick<OutboxEntry, 'table' | 'recordId' | 'hlc' | 'fields' | 'fieldClocks' | 'org' | 'site'>[];
  /** The records those changes belong to, as they are on this tablet now. */
  records: Record<'guides' | 'guideSteps' | 'sessions' | 'feedback', Record<string, unknown>[]>;
}

/** Everything held back, for the instructor to save as a file before deciding. Reads in one transaction. */
export async function heldBackChanges(database: DigitukiDB, now: number): Promise<HeldBackChanges> {
  const tables = SYNCED_LOCAL_TABLES.map((name) => database.table(name));
  return database.transaction('r', [database.outbox, database.syncState, ...tables], async () => {
    const entries = await heldBackEntries(database);
    const records: HeldBackChanges['records'] = { guides: [], guideSteps: [], sessions: [], feedback: [] };
    for (const name of SYNCED_LOCAL_TABLES) {
      const ids = [...new Set(entries.filter((entry) => entry.table === name).map((entry) => entry.recordId))];
      for (const row of await database.table(name).bulkGet(ids)) if (row) records[name].push(row as Record<string, unknown>);
    }
    const places = new Map(entries.map((entry) => [`${entry.org}/${entry.site}`, { org: entry.org, site: entry.site }]));
    return {
      format: 'digituki-held-back-changes',
      version: 1,
      exportedAt: now,
      places: [...places.values()],
      changes: entries.map(({ table, recordId, hlc, fields, fieldClocks, org, site }) => ({
        table,
        recordId,
        hlc,
        fields,
        ...(fieldClocks ? { fieldClocks } : {}),
        org,
        site,
      })),
      records,
    };
  });
}

/** Throws away the held-back changes (the records stay on the tablet). Returns how many records they were for. */
export async function discardHeldBack(database: DigitukiDB): Promise<number> {
  return database.transaction('rw', database.outbox, database.syncState, async () => {
    const entries = await heldBackEntries(database);
    await database.outbox.bulkDelete(entries.map((entry) => entry.seq!));
    return countRecords(entries);
  });
}

// --- What the server acknowledged, and a server found behind it (README: "Database generation") ----------------

/** The last mutationId the server acknowledged to this device identity (0: none yet, or another identity's). */
export async function readAcknowledged(database: DigitukiDB, deviceId: string): Promise<number> {
  const stored = await readLocal(database, 'lastAcknowledged');
  return stored?.deviceId === deviceId ? stored.mutationId : 0;
}

/** Kept after the outbox entries are dropped, never before: a crash in between only leaves it lower, which is safe. */
export async function saveAcknowledged(database: DigitukiDB, deviceId: string, mutationId: number): Promise<void> {
  await writeLocal(database, 'lastAcknowledged', { deviceId, mutationId });
}

/**
 * The server has less than it acknowledged (a restored database): number the waiting entries from what it expects,
 * take that as acknowledged, and forget the cursor (a full pull follows) — in one transaction. Reconciliation then
 * sends again what the server lost.
 */
export async function serverIsBehind(database: DigitukiDB, deviceId: string, expected: number): Promise<void> {
  await database.transaction('rw', database.outbox, database.syncState, async () => {
    await renumberFrom(database, expected);
    await saveAcknowledged(database, deviceId, expected - 1);
    await forgetLocal(database, 'pullCursor');
  });
}
