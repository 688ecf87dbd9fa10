// Owns one sync round with the server: push the outbox (pictures first), pull until nothing more, fetch pictures.
// Stateless between rounds: everything it needs to resume lives in IndexedDB, so it is safe to kill at any point.
import type * as z from 'zod/mini';
import type { DigitukiDB } from '../db/db';
import { isQuotaError, storageFull } from '../db/storage-problem';
import { readOrgNoteKey, saveOrgNoteKey } from '../db/org-note-key';
import {
  answerKeepsWaitingClocks,
  applyPulledPage,
  markNotUploaded,
  placeOf,
  nextBatch,
  picturesToFetch,
  picturesToUpload,
  picturesWaitingForUpload,
  readCursor,
  readEnrolment,
  renumberFrom,
  saveEnrolment,
  saveLastSync,
  settlePush,
  markUploaded,
  saveFetchedPicture,
  type Enrolment,
  type NumberedEntry,
} from '../db/sync';
import { utf8ByteLength } from '../lib/utf8';
import { markReconciled, queueOwnNotesAgain, reconcileDue, rememberRefused, requestReconcile } from '../db/reconcile';
import { readAcknowledged, saveAcknowledged, serverIsBehind, storedPicture, waitingChangeCount } from '../db/sync';
import { markDeviceKeyBound, readDeviceKey, saveDeviceKey, type DeviceKey } from '../db/sync';
import { askDigest, reconcile } from './reconcile';
import { deviceKeysAvailable, newDeviceKey, signNonce } from './device-key';
import {
  ACKNOWLEDGED_HEADER,
  APP_VERSION_HEADER,
  CURSOR_HEADER,
  SERVER_FEATURES,
  type ServerFeature,
  WAITING_HEADER,
  knownQuarantineReason,
  LIMITS,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type QuarantineReason,
  AUTH_LIMITS,
} from '../protocol';
import {
  bindAnswer,
  challengeAnswer,
  enrolAnswer,
  errorAnswer,
  healthAnswer,
  orgNoteKeyAnswer,
  pictureStoredAnswer,
  pictureType,
  pullAnswer,
  pushAnswer,
  tokenAnswer,
  wholeStates,
} from '../protocol/responses';

export type SyncProblem =
  | { code: 'not-enrolled' }
  | { code: 'offline' }
  | { code: 'revoked'; wipe: boolean }
  | { code: 'unauthorized' }
  | { code: 'update-required' }
  | { code: 'server-too-old' }
  | { code: 'rate-limited'; retryAfterSeconds: number }
  /** The organisation's pictures fill its room on the server: logs still sync, new pictures wait. */
  | { code: 'quota-exceeded' }
  | { code: 'server-error'; status: number }
  | { code: 'storage-full' }
  /** One waiting change is larger than the server takes (413 even alone): it cannot be sent, and it is kept. */
  | { code: 'change-too-large' }
  | { code: 'bad-answer' };

export interface SyncResult {
  pushed: number;
  pulled: number;
  quarantined: number;
  /** Why the server refused them, each reason once, for the instructor to read in plain words. */
  refusedBecause?: (QuarantineReason | 'unknown')[];
  clockAheadMs: number;
  /** A picture was refused because the organisation's room for pictures on the server is full. */
  pictureRoomFull?: boolean;
  /** Records that reconciliation put right this round (sent again or fetched); 0 or absent: nothing was wrong. */
  repaired?: number;
}

export class SyncError extends Error {
  constructor(readonly problem: SyncProblem) {
    super(problem.code);
  }
}

export interface SyncOptions {
  database: DigitukiDB;
  fetch?: typeof fetch;
  /** Mutations per push; the server takes at most LIMITS.mutationsPerPush. */
  batchSize?: number;
  pullLimit?: number;
  now?: () => number;
}

/**
 * The answer's JSON as the protocol's schema allows it (README: clients validate). Anything else is a bad answer,
 * thrown before any of it is kept: the tablet never stores part of an answer it does not understand.
 */
async function answerOf<T>(response: Response, schema: z.ZodMiniType<T>): Promise<T> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new SyncError({ code: 'bad-answer' });
  }
  const checked = schema.safeParse(json);
  if (!checked.success) throw new SyncError({ code: 'bad-answer' });
  return checked.data;
}

/** An error answer's fields the tablet acts on; an answer of another shape (a proxy's page) tells only its status. */
async function errorOf(response: Response): Promise<z.infer<typeof errorAnswer>> {
  const checked = errorAnswer.safeParse(await response.json().catch(() => undefined));
  return checked.success ? checked.data : {};
}

async function problemOf(response: Response): Promise<SyncProblem> {
  const body = await errorOf(response);
  if (response.status === 401) return body.error === 'revoked' ? { code: 'revoked', wipe: body.wipe === true } : { code: 'unauthorized' };
  if (response.status === 426) return { code: 'update-required' };
  if (response.status === 400 && body.error === 'protocol_too_new') return { code: 'server-too-old' };
  if (response.status === 429) return { code: 'rate-limited', retryAfterSeconds: Number(response.headers.get('retry-after')) || 30 };
  if (response.status === 507) return { code: 'quota-exceeded' };
  return { code: 'server-error', status: response.status };
}

/** What a signed-in request tells the server besides its body: the acknowledged id and the count of waiting changes. */
interface TabletReports {
  acknowledged: number;
  waiting: number;
}

/** The server has less than it acknowledged to this tablet (409 with serverBehind): it lost mutations. */
class ServerBehind extends Error {
  constructor(readonly expected: number) {
    super('server-behind');
  }
}

// Access tokens live in this module's memory only, never in IndexedDB or localStorage (README: "Device keys and access
// tokens"): a reload or a new tab simply signs a new nonce. Keyed by server and device.
const accessTokens = new Map<string, { token: string; until: number }>();
// Renewed a minute before the server would refuse it; a 401 renews it at once anyway (e.g. the tablet's date moved).
const RENEW_BEFORE_MS = 60_000;

class Connection {
  /** What the server understands beyond protocol 1's first release (GET /v1/health `features`), read once per round. */
  features = new Set<ServerFeature>();

  constructor(
    readonly enrolment: Enrolment,
    private readonly doFetch: typeof fetch,
    private readonly database: DigitukiDB,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Asks the server what it understands; a server that says nothing (an older one) gets the first release's bodies. */
  async learnFeatures(): Promise<void> {
    let response: Response;
    try {
      response = await this.doFetch(new URL('/v1/health', this.enrolment.serverUrl).toString());
    } catch {
      throw new SyncError({ code: 'offline' });
    }
    // A health check that is not ok tells nothing about features: the first release's bodies are understood by all.
    const features = response.status === 200 ? ((await answerOf(response, healthAnswer)).features ?? []) : [];
    this.features = new Set(features.filter((name): name is ServerFeature => (SERVER_FEATURES as readonly string[]).includes(name)));
  }

  private get tokenKey(): string {
    return `${this.enrolment.serverUrl} ${this.enrolment.deviceId}`;
  }

  /**
   * `onSent` is told once the request has left (its headers read): the tablet may go on with its own work then.
   * `reports`: what the headers below say, when the caller knows it without reading the database (a push sent while the
   * answer before it is still being settled must not wait for that).
   */
  private async send(path: string, init: RequestInit, credential: string | undefined, onSent?: () => void, reports?: TabletReports): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
    if (credential) headers.set('Authorization', `Bearer ${credential}`);
    else return this.sendAs(path, init, headers, onSent); // signing in: the server reads the reports below of a signed-in tablet only
    // What the server acknowledged: a server with less lost it, and says so (README: "Database generation").
    const acknowledged = reports?.acknowledged ?? (await readAcknowledged(this.database, this.enrolment.deviceId));
    if (acknowledged > 0) headers.set(ACKNOWLEDGED_HEADER, String(acknowledged));
    // For the coordinator's console: which app this is and how many changes still wait here (counts, nothing else).
    if (typeof __APP_VERSION__ === 'string') headers.set(APP_VERSION_HEADER, __APP_VERSION__);
    headers.set(WAITING_HEADER, String(reports?.waiting ?? (await waitingChangeCount(this.database))));
    return this.sendAs(path, init, headers, onSent);
  }

  private async sendAs(path: string, init: RequestInit, headers: Headers, onSent?: () => void): Promise<Response> {
    try {
      const sent = this.doFetch(new URL(path, this.enrolment.serverUrl).toString(), { ...init, headers });
      onSent?.();
      return await sent;
    } catch {
      throw new SyncError({ code: 'offline' });
    }
  }

  /** Posts JSON without a credential (the auth endpoints); a 401 or another failure becomes the sync problem it is. */
  private async postAuth<T>(path: string, body: unknown, schema: z.ZodMiniType<T>): Promise<T> {
    const response = await this.send(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, undefined);
    if (response.status !== 200) throw new SyncError(await problemOf(response));
    return answerOf(response, schema);
  }

  /** Proves the device holds its key: signs a fresh nonce and keeps the access token it gets, in memory. */
  private async signIn(key: DeviceKey): Promise<string> {
    const { deviceId } = this.enrolment;
    const challenge = await this.postAuth('/v1/auth/challenge', { deviceId }, challengeAnswer);
    const answer = await this.postAuth(
      '/v1/auth/token',
      { deviceId, nonce: challenge.nonce, signature: await signNonce(key, deviceId, challenge.nonce) },
      tokenAnswer,
    );
    accessTokens.set(this.tokenKey, { token: answer.accessToken, until: this.clock() + AUTH_LIMITS.accessTokenMs - RENEW_BEFORE_MS });
    return answer.accessToken;
  }

  /**
   * A v1 tablet that was updated binds a key pair once with its bearer token, then forgets the token. The key is kept
   * before the bind is sent: when the answer is lost, the next bind gets 401 and signing in with that key shows it
   * was bound after all.
   */
  async bindKeyIfNeeded(): Promise<void> {
    const { deviceId, token } = this.enrolment;
    let key = await readDeviceKey(this.database, deviceId);
    if (key?.bound || !token || !deviceKeysAvailable()) return;
    if (!key) {
      key = await newDeviceKey(deviceId);
      await saveDeviceKey(this.database, key);
    }
    const response = await this.send(
      '/v1/auth/bind',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ publicKey: key.publicKey }) },
      token,
    );
    if (response.status !== 200) {
      const problem = await problemOf(response);
      if (problem.code !== 'unauthorized') throw new SyncError(problem);
      await this.signIn(key); // throws unauthorized when the key is not the device's either
    } else await answerOf(response, bindAnswer);
    await markDeviceKeyBound(this.database, deviceId);
    delete this.enrolment.token;
    this.deviceKey = null; // read again: now bound
  }

  /** The device key as read once per round (null: not read yet); binding it reads it again. */
  private deviceKey: DeviceKey | undefined | null = null;

  /** The bearer credential: an access token earned with the device key, or a v1 tablet's token. */
  private async credential(renew: boolean): Promise<{ value: string; renewable: boolean }> {
    if (this.deviceKey === null) this.deviceKey = await readDeviceKey(this.database, this.enrolment.deviceId);
    const key = this.deviceKey;
    if (!key?.bound) {
      if (this.enrolment.token) return { value: this.enrolment.token, renewable: false };
      throw new SyncError({ code: 'unauthorized' });
    }
    const held = accessTokens.get(this.tokenKey);
    if (!renew && held && this.clock() < held.until) return { value: held.token, renewable: true };
    // One signing-in at a time: a request that comes while one is on its way waits for its token.
    if (!renew && this.signingIn) return { value: await this.signingIn, renewable: true };
    this.signingIn = this.signIn(key).finally(() => {
      this.signingIn = undefined;
    });
    return { value: await this.signingIn, renewable: true };
  }

  private signingIn: Promise<string> | undefined;

  /**
   * Starts signing in (two round trips) while the tablet packs its first batch, so the push does not wait for it. A
   * failure is left for the first request, which asks again and reports it.
   */
  signInAhead(): void {
    this.credential(false).catch(() => undefined);
  }

  async request(path: string, init: RequestInit = {}, onSent?: () => void, reports?: TabletReports): Promise<Response> {
    const first = await this.credential(false);
    const response = await this.send(path, init, first.value, onSent, reports);
    if (response.status !== 401 || !first.renewable) return response;
    // An access token that expired or was forgotten by the server: sign a new nonce and send once more.
    if ((await errorOf(response.clone())).error !== 'unauthorized') return response;
    accessTokens.delete(this.tokenKey);
    return this.send(path, init, (await this.credential(true)).value);
  }

  /** A 200 answer as the schema allows it; any other status is the sync problem it is. */
  async json<T>(path: string, schema: z.ZodMiniType<T>, init: RequestInit = {}, onSent?: () => void): Promise<T> {
    return (await this.jsonUnless404(path, schema, init, false, onSent))!;
  }

  /** Like json, but a 404 (a server without this endpoint) is undefined. */
  async jsonUnless404<T>(path: string, schema: z.ZodMiniType<T>, init: RequestInit = {}, allow404 = true, onSent?: () => void): Promise<T | undefined> {
    const response = await this.request(path, init, onSent);
    if (response.status === 404 && allow404) return undefined;
    if (response.status === 409) {
      const body = await errorOf(response);
      if (body.serverBehind === true && typeof body.expected === 'number' && Number.isSafeInteger(body.expected) && body.expected >= 1)
        throw new ServerBehind(body.expected);
      throw new SyncError({ code: 'server-error', status: 409 });
    }
    if (response.status !== 200) throw new SyncError(await problemOf(response));
    return answerOf(response, schema);
  }
}

/**
 * The push body exactly as it is sent: the mutations' own JSON texts in one envelope, numbered from `firstMutationId`
 * when they carry no ids of their own.
 */
function pushBody(mutationTexts: readonly string[], firstMutationId?: number): string {
  const first = firstMutationId === undefined ? '' : `"firstMutationId":${firstMutationId},`;
  return `{"protocol":${PROTOCOL_VERSION},${first}"mutations":[${mutationTexts.join(',')}]}`;
}

/**
 * Takes waiting entries in order while the real body, counted in UTF-8 bytes as the server counts it, stays within
 * `maxBytes` (always at least one entry: a single one too large is the server's to refuse). With `implicitIds` (a
 * server that takes `firstMutationId`) and ids one after another, as nextBatch gives them, no mutation carries its id.
 */
function fitBatch(entries: readonly NumberedEntry[], maxCount: number, maxBytes: number, implicitIds = false): { batch: NumberedEntry[]; body: string } {
  const taken = entries.slice(0, maxCount);
  const firstMutationId = implicitIds && taken.every((entry, index) => entry.mutationId === taken[0]!.mutationId + index) ? taken[0]?.mutationId : undefined;
  const texts: string[] = [];
  const batch: NumberedEntry[] = [];
  let bytes = utf8ByteLength(pushBody([], firstMutationId));
  for (const entry of taken) {
    const id = firstMutationId === undefined ? { mutationId: entry.mutationId } : {};
    const text = JSON.stringify(
      entry.fieldClocks
        ? { ...id, table: entry.table, id: entry.recordId, hlc: entry.hlc, fields: entry.fields, fieldClocks: entry.fieldClocks }
        : { ...id, table: entry.table, id: entry.recordId, hlc: entry.hlc, fields: entry.fields },
    );
    const size = utf8ByteLength(text) + (texts.length ? 1 : 0); // the comma between two
    if (batch.length > 0 && bytes + size > maxBytes) break;
    bytes += size;
    texts.push(text);
    batch.push(entry);
  }
  return { batch, body: pushBody(texts, firstMutationId) };
}

/** Uploads one picture; false when the organisation's room for pictures on the server is full (the picture waits). */
async function uploadPicture(database: DigitukiDB, connection: Connection, hash: string): Promise<boolean> {
  const blob = await storedPicture(database, hash);
  if (!blob) return true; // not on this tablet: another tablet will upload it
  const response = await connection.request(`/v1/blobs/${hash}`, { method: 'PUT', headers: { 'Content-Type': blob.type }, body: blob.bytes });
  if (response.status === 200 || response.status === 201) {
    const stored = await answerOf(response, pictureStoredAnswer);
    if (stored.hash !== hash) throw new SyncError({ code: 'bad-answer' });
    await markUploaded(database, hash);
  }
  // A full room stops new pictures, not the logs: the round goes on and says so at its end.
  else if (response.status === 507) return false;
  else if (response.status >= 500 || response.status === 401 || response.status === 426 || response.status === 429)
    throw new SyncError(await problemOf(response));
  // A 4xx for one picture (wrong type, too large) must not stop the logs from syncing; the step simply has no picture there.
  return true;
}

/** Renumbering twice in one round without progress means the server and the tablet disagree for another reason. */
const RENUMBERS_PER_ROUND = 3;

/** Uploads every picture the server does not have yet as far as this tablet knows, until it answers 200 or 201. */
async function uploadWaitingPictures(database: DigitukiDB, connection: Connection, result: SyncResult): Promise<void> {
  for (const hash of await picturesWaitingForUpload(database, placeOf(connection.enrolment)))
    if (!(await uploadPicture(database, connection, hash))) result.pictureRoomFull = true;
}

/** The body gzip-compressed, where the platform can (CompressionStream); undefined where it cannot. */
async function gzip(text: string): Promise<ArrayBuffer | undefined> {
  if (typeof CompressionStream === 'undefined') return undefined;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/** A batch ready to go: its entries as they fit, the body as sent, and that body gzipped when the server takes it so. */
interface PackedBatch {
  batch: NumberedEntry[];
  body: string;
  gzipped?: ArrayBuffer;
}

async function packBatch(entries: readonly NumberedEntry[], maxCount: number, implicitIds: boolean, compress: boolean): Promise<PackedBatch> {
  const { batch, body } = fitBatch(entries, maxCount, LIMITS.pushBodyBytes, implicitIds);
  const gzipped = compress && batch.length ? await gzip(body) : undefined;
  return gzipped ? { batch, body, gzipped } : { batch, body };
}

async function push(database: DigitukiDB, connection: Connection, batchSize: number, result: SyncResult, clock: () => number): Promise<void> {
  let renumbered = 0;
  let gzipRequests = true;
  let maxCount = batchSize;
  // The next batch, numbered and packed while this one is on its way: taken only when this one was answered and
  // settled plainly (a refusal that changes the batch's size or encoding, or clocks moved by the answer, packs again).
  let packedAhead: PackedBatch | undefined;
  // The answer to the batch before, still being settled while this one travels: only when settling it changes nothing
  // this one carries (it acknowledged its whole batch, moved no waiting clock, named no missing picture). `done` is
  // awaited before this batch's answer is looked at, and before the round ends whatever happens to the request; this
  // batch is sent with the pull cursor and the reports (acknowledged id, waiting count) that answer leaves.
  let settling: { done: Promise<unknown>; cursor: string | undefined; reports: TabletReports } | undefined;
  try {
    for (;;) {
      const features = { fieldClocks: connection.features.has('fieldClocks') };
      const place = placeOf(connection.enrolment);
      const implicitIds = connection.features.has('firstMutationId');
      const compress = gzipRequests && connection.features.has('gzipRequests');
      const {
        batch,
        body: requestBody,
        gzipped,
      } = packedAhead ?? (await packBatch(await nextBatch(database, maxCount, place, features), maxCount, implicitIds, compress));
      packedAhead = undefined;
      if (batch.length === 0) return;
      for (const hash of await picturesToUpload(database, batch)) if (!(await uploadPicture(database, connection, hash))) result.pictureRoomFull = true;
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      // No echo: the server answers with the cursor after this push's own changes when nothing else came in between.
      const sentCursor = connection.features.has('pushCursor') ? (settling ? settling.cursor : await readCursor(database)) : undefined;
      if (connection.features.has('pushCursor')) headers[CURSOR_HEADER] = sentCursor ?? '0';
      if (gzipped) headers['Content-Encoding'] = 'gzip';
      // Ids are given once and in outbox order, so numbering the entries after this batch while it is on its way is what
      // the next turn would do anyway, and so is packing them (the body, gzipped): neither ever fails the push (a failure
      // here leaves them to the next turn). Started once the request has left: its headers read the outbox, which would
      // otherwise wait for the numbering.
      let ahead: Promise<PackedBatch | undefined> | undefined;
      const numberNext = () => {
        ahead ??= nextBatch(database, maxCount, place, features, batch.at(-1)!.seq)
          .then((next) => packBatch(next, maxCount, implicitIds, compress))
          .catch(() => undefined);
      };
      let response: Response;
      try {
        response = await connection.request('/v1/push', { method: 'POST', headers, body: gzipped ?? requestBody }, numberNext, settling?.reports);
      } finally {
        await ahead; // never two numberings at once, whatever happens to the request
        await settling?.done.catch(() => undefined); // a failed request is the error that counts; the settling has ended
      }
      if (settling) {
        const { done } = settling;
        settling = undefined;
        await done; // its failure (storage full) stops the round here, before this answer is taken
      }
      // A server (or a proxy) that refuses the compressed body gets it plain from now on.
      if (response.status === 415 && gzipped) {
        gzipRequests = false;
        continue;
      }
      // Something on the way (a proxy) takes less than the server: halve the batch, down to one change; one change that
      // is still too large can never be sent, so say so instead of trying it on every round.
      if (response.status === 413) {
        if (batch.length === 1) throw new SyncError({ code: 'change-too-large' });
        maxCount = Math.max(1, Math.floor(batch.length / 2));
        continue;
      }
      if (![200, 409, 400].includes(response.status)) throw new SyncError(await problemOf(response));
      // 409 (a gap, or ids used before) and 400 with `expected` (ids out of order): nothing was applied; number again.
      if (response.status === 409 || response.status === 400) {
        const expected = await expectedAfterRefusal(database, connection, response);
        const { deviceId } = connection.enrolment;
        renumbered += 1;
        if (renumbered > RENUMBERS_PER_ROUND) throw new SyncError({ code: 'bad-answer' });
        await renumberFrom(database, expected);
        await requestReconcile(database, deviceId);
        continue;
      }
      const body = await answerOf(response, pushAnswer);
      const answeredAt = clock();
      const next = await ahead;
      const overlap =
        next !== undefined &&
        next.batch.length > 0 &&
        body.lastMutationId >= batch.at(-1)!.mutationId &&
        body.missingBlobs.length === 0 &&
        (await answerKeepsWaitingClocks(database, body));
      // Counted before the answer is settled: it drops exactly this batch (it acknowledged all of it).
      const waitingBefore = overlap ? await waitingChangeCount(database) : 0;
      // Started before the next request: its transaction comes before the numbering that request starts.
      const settled = settleAnswer(database, connection, batch, body, answeredAt, sentCursor, result);
      if (overlap) {
        settled.catch(() => undefined); // awaited on the next turn; a failure before then is seen there
        settling = {
          done: settled,
          // The cursor settlePush keeps: the answer's, when the server gave one and ours was the one sent.
          cursor: typeof body.cursor === 'string' && body.cursor.length <= 200 ? body.cursor : sentCursor,
          reports: { acknowledged: body.lastMutationId, waiting: Math.max(0, waitingBefore - batch.length) },
        };
        packedAhead = next;
        continue;
      }
      const { removed, rewroteWaiting } = await settled;
      // Entries whose clocks the answer moved are read again; otherwise the batch numbered meanwhile goes as it is.
      if (!rewroteWaiting) packedAhead = next;
      for (const hash of body.missingBlobs) if (!(await uploadPicture(database, connection, hash))) result.pictureRoomFull = true;
      if (removed === 0) return; // the server took nothing new: stop rather than loop (the next round retries)
    }
  } finally {
    await settling?.done.catch(() => undefined); // never a round that ends while an answer is still being settled
  }
}

/**
 * The mutation id a push's refusal (409, or 400 naming one) asks the tablet to number from. Throws when the server lost
 * what it had acknowledged (ServerBehind), when a 400 is not about the ids, or when the answer names no usable id.
 */
async function expectedAfterRefusal(database: DigitukiDB, connection: Connection, response: Response): Promise<number> {
  const { status } = response;
  const refusal = await errorOf(response);
  const expected = refusal.expected;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 1) {
    if (status === 400) throw new SyncError(refusal.error === 'protocol_too_new' ? { code: 'server-too-old' } : { code: 'server-error', status });
    throw new SyncError({ code: 'bad-answer' });
  }
  // A server that expects what it had acknowledged lost it (README: "Database generation").
  if (status === 409 && (refusal.serverBehind === true || expected <= (await readAcknowledged(database, connection.enrolment.deviceId))))
    throw new ServerBehind(expected);
  return expected;
}

/**
 * Takes a push answer: drops what it acknowledged and settles clocks and cursor (settlePush), keeps the acknowledged
 * id, remembers refused changes, and counts them in the round's result.
 */
async function settleAnswer(
  database: DigitukiDB,
  connection: Connection,
  batch: readonly NumberedEntry[],
  body: z.infer<typeof pushAnswer>,
  answeredAt: number,
  sentCursor: string | undefined,
  result: SyncResult,
): Promise<{ removed: number; rewroteWaiting: boolean }> {
  const settled = await settlePush(database, batch, body, answeredAt, connection.features.has('pushCursor') ? { sent: sentCursor } : undefined);
  await saveAcknowledged(database, connection.enrolment.deviceId, body.lastMutationId);
  const refusedIds = new Set(body.quarantined.map((refused) => refused.mutationId));
  await rememberRefused(
    database,
    batch.filter((entry) => refusedIds.has(entry.mutationId)),
  );
  result.pushed += settled.removed - body.quarantined.length;
  result.quarantined += body.quarantined.length;
  for (const refused of body.quarantined) {
    const reason = knownQuarantineReason(refused.reason);
    if (!result.refusedBecause?.includes(reason)) result.refusedBecause = [...(result.refusedBecause ?? []), reason];
  }
  result.clockAheadMs = Math.max(result.clockAheadMs, answeredAt - body.serverTime);
  return settled;
}

/** One pulled page on its way: `sent` once the request has left (or failed), `answer` when it came back. */
interface AskedPage {
  sent: Promise<void>;
  answer: Promise<z.infer<typeof pullAnswer>>;
}

function askPage(connection: Connection, cursor: string | undefined, limit: number): AskedPage {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  if (connection.features.has('compactClocks')) query.set('clocks', 'compact');
  let left!: () => void;
  const sent = new Promise<void>((resolve) => (left = resolve));
  const answer = connection.json(`/v1/pull?${query}`, pullAnswer, {}, left);
  answer.then(left, left); // a request that failed before it left must not keep the pull waiting for it
  return { sent, answer };
}

/**
 * Pulls page after page. The next page is asked for as soon as this one's cursor is known, and travels while this one
 * is stored, so the server's work and the wire overlap the tablet's (issue 16). A page is stored only after the one
 * before it, each with its own cursor in its own transaction, so a cut anywhere still repeats at most one page.
 */
async function pull(
  database: DigitukiDB,
  connection: Connection,
  enrolment: Enrolment,
  limit: number,
  result: SyncResult,
  clock: () => number,
  lastPageIn: () => Promise<void> | undefined,
): Promise<void> {
  let asked = askPage(connection, await readCursor(database), limit);
  for (;;) {
    const body = await asked.answer;
    if (!body.more) await lastPageIn(); // what it asks for has left before this page's transaction holds the database
    if (body.more) {
      asked = askPage(connection, body.cursor, limit);
      asked.answer.catch(() => undefined); // awaited on the next turn; a failure while this page is stored is seen there
      await asked.sent; // its headers read the database: sent before this page's transaction holds it
    }
    // A full resend: whatever was lost on either side since, reconciliation finds it.
    if (body.reset) await requestReconcile(database, enrolment.deviceId);
    result.pulled += await applyPulledPage(
      database,
      wholeStates(body.changes, body.compactClocks === true),
      body.cursor,
      { org: enrolment.orgId, site: enrolment.siteId },
      clock(),
    );
    // Pictures the server names as missing: if this tablet has the bytes, it uploads them at the end of the round.
    if (body.missingBlobs) await markNotUploaded(database, body.missingBlobs);
    if (!body.more) return;
  }
}

async function fetchPictures(database: DigitukiDB, connection: Connection): Promise<void> {
  for (const hash of await picturesToFetch(database)) {
    const response = await connection.request(`/v1/blobs/${hash}`);
    if (response.status === 404) continue; // not uploaded yet by its tablet: the next round tries again
    if (!response.ok) throw new SyncError(await problemOf(response));
    // Only a picture of a type pictures may have is kept (the server checked it when it was uploaded).
    const type = pictureType.safeParse((response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase());
    if (!type.success) throw new SyncError({ code: 'bad-answer' });
    await saveFetchedPicture(database, hash, type.data, await response.blob());
  }
}

/** One full round. Throws SyncError with a problem the instructor can be told about. */
export async function syncOnce(options: SyncOptions): Promise<SyncResult> {
  const { database } = options;
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const clock = options.now ?? Date.now;
  const enrolment = await readEnrolment(database);
  if (!enrolment) throw new SyncError({ code: 'not-enrolled' });
  const connection = new Connection(enrolment, doFetch, database, clock);
  const result: SyncResult = { pushed: 0, pulled: 0, quarantined: 0, clockAheadMs: 0 };
  const place = { org: enrolment.orgId, site: enrolment.siteId };
  // The day's check, when due from the start: its digest is asked for as soon as the last pulled page is in, so the
  // server builds it while the tablet stores that page (issue 16). Due only later (a reset): asked for when it runs.
  let checkDue = false;
  let digestAhead: ReturnType<typeof askDigest> | undefined;
  const askDigestAhead = () => {
    if (!checkDue || digestAhead) return undefined;
    let left!: () => void;
    const sent = new Promise<void>((resolve) => (left = resolve));
    digestAhead = askDigest(connection, left);
    digestAhead.then(left, left); // a request that failed before it left must not keep the pull waiting for it
    digestAhead.catch(() => undefined); // awaited by the check; a round that fails before it drops it
    return sent;
  };
  const exchange = async () => {
    await push(database, connection, Math.min(options.batchSize ?? LIMITS.mutationsPerPush, LIMITS.mutationsPerPush), result, clock);
    await pull(database, connection, enrolment, options.pullLimit ?? 500, result, clock, askDigestAhead);
  };
  try {
    await connection.learnFeatures();
    await connection.bindKeyIfNeeded(); // a tablet enrolled with protocol 1 moves to its own key, once
    connection.signInAhead();
    checkDue = await reconcileDue(database, enrolment.deviceId, clock());
    await uploadWaitingPictures(database, connection, result); // also those whose step went up in an earlier round
    for (let attempt = 0; ; attempt += 1) {
      try {
        await exchange();
        break;
      } catch (error) {
        if (!(error instanceof ServerBehind)) throw error;
        if (attempt >= 2) throw new SyncError({ code: 'server-error', status: 409 });
        // The server lost what it had acknowledged: number from what it has, pull everything, and reconcile now.
        await serverIsBehind(database, enrolment.deviceId, error.expected);
        await requestReconcile(database, enrolment.deviceId);
        // Before pulling: the server's older copy of a field this tablet sent (and the server lost) must not replace it.
        await reconcile(database, connection, place);
        // The digest cannot show a lost note (it leaves notes out): the author sends its own again.
        await queueOwnNotesAgain(database, place);
      }
    }
    await uploadWaitingPictures(database, connection, result); // those the server named as missing while pulling
    await fetchPictures(database, connection);
    if (await reconcileDue(database, enrolment.deviceId, clock())) {
      const repairs = await reconcile(database, connection, place, digestAhead);
      checkDue = false; // the exchange after repairs asks for no second digest
      if (repairs?.sent) await exchange(); // what the server lacked goes now, and its merged copy comes back
      result.repaired = (repairs?.sent ?? 0) + (repairs?.fetched ?? 0);
      await markReconciled(database, enrolment.deviceId, clock());
    }
    await saveLastSync(database, { at: clock(), pushed: result.pushed, pulled: result.pulled, quarantined: result.quarantined });
    if (result.pictureRoomFull) throw new SyncError({ code: 'quota-exceeded' });
  } catch (error) {
    if (error instanceof SyncError) throw error;
    if (error instanceof ServerBehind) throw new SyncError({ code: 'server-error', status: 409 });
    if (isQuotaError(error)) {
      storageFull.set(true);
      throw new SyncError({ code: 'storage-full' });
    }
    throw error;
  }
  return result;
}

/**
 * Asks the server for the organisation's note key when this tablet does not have it (enrolled before there was one).
 * True when a key is known afterwards; offline or a refusal leaves it for the next unlock.
 */
export async function fetchOrgNoteKey(database: DigitukiDB, doFetch: typeof fetch = fetch.bind(globalThis)): Promise<boolean> {
  if (await readOrgNoteKey(database)) return true;
  const enrolment = await readEnrolment(database);
  if (!enrolment) return false;
  try {
    const body = await new Connection(enrolment, doFetch, database).json('/v1/org-note-key', orgNoteKeyAnswer);
    return await saveOrgNoteKey(database, enrolment.orgId, body.orgNoteKey);
  } catch {
    return false;
  }
}

export class EnrolmentError extends Error {
  constructor(readonly code: 'code-invalid' | 'offline' | 'update-required' | 'server-error') {
    super(code);
  }
}

/**
 * Joins this tablet to a site with a one-time code from the administrator. With WebCrypto (https or localhost) it
 * makes its key pair and sends the public key (protocol 2: no bearer token to keep); without, it enrols as protocol 1.
 */
export async function enrol(
  database: DigitukiDB,
  input: { serverUrl: string; code: string; deviceName: string },
  doFetch: typeof fetch = fetch.bind(globalThis),
): Promise<Enrolment> {
  const key = deviceKeysAvailable() ? await newDeviceKey() : undefined;
  let response: Response;
  try {
    response = await doFetch(new URL('/v1/enrol', input.serverUrl).toString(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      body: JSON.stringify({ code: input.code, deviceName: input.deviceName, ...(key ? { publicKey: key.publicKey } : {}) }),
    });
  } catch {
    throw new EnrolmentError('offline');
  }
  if (response.status === 400) throw new EnrolmentError('code-invalid');
  if (response.status === 426) throw new EnrolmentError('update-required');
  if (response.status !== 201 && response.status !== 200) throw new EnrolmentError('server-error');
  // An answer that is not the protocol's shape enrols nothing: the instructor is told the server has a problem.
  const checked = enrolAnswer.safeParse(await response.json().catch(() => undefined));
  if (!checked.success) throw new EnrolmentError('server-error');
  const body = checked.data;
  const { deviceId, token, orgId, siteId, orgName, siteName } = body; // only the fields we know, nothing else the server sent
  const enrolment: Enrolment = {
    deviceId,
    ...(typeof token === 'string' ? { token } : {}),
    orgId,
    siteId,
    orgName,
    siteName,
    serverUrl: new URL(input.serverUrl).origin,
    deviceName: input.deviceName,
    enrolledAt: Date.now(),
  };
  // Bound when the server took the key (no token came back); an older server's token means the key is not its yet.
  await saveEnrolment(database, enrolment, key && { ...key, deviceId, bound: typeof token !== 'string' });
  await saveOrgNoteKey(database, orgId, body.orgNoteKey); // notes are sealed to it (README, "Session notes")
  return enrolment;
}
