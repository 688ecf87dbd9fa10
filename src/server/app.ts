// Owns the HTTP surface of the server: the sync API (protocol v2, and v1 for tablets not updated yet), the device
// credential's endpoints, the health check, and the built app.
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  ACKNOWLEDGED_HEADER,
  APP_VERSION_HEADER,
  WAITING_HEADER,
  CURSOR_HEADER,
  SERVER_FEATURES,
  AUTH_LIMITS,
  BLOB_TYPES,
  OLDEST_PROTOCOL_VERSION,
  PULL_WINDOW_DEFAULT_MONTHS,
  RETENTION_DEFAULT_MONTHS,
  bindRequest,
  challengeRequest,
  readAccessToken,
  tokenRequest,
  visibleFrom,
  type ChallengeResponse,
  type TokenResponse,
  bucketsRequest,
  recordsRequest,
  LIMITS,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  describeIssues,
  enrolRequest,
  jsonNestingDepth,
  pictureSize,
  pictureSizeProblem,
  pullQuery,
  pushRequest,
  type EnrolResponse,
  type OrgNoteKeyResponse,
  type ErrorBody,
  type ErrorCode,
} from '../protocol';
import {
  accessTokenHash,
  enrolmentCodeHash,
  issueAccessToken,
  issueDeviceToken,
  newNonce,
  nonceHash,
  readDeviceToken,
  sameHash,
  sha256Hex,
  storablePublicKey,
  verifyDeviceProof,
} from './credentials';
import { clientAddressFrom } from './client-address';
import { createConsoleApi, type LoginLimits } from './console/api';
import type { PasswordCost } from './console/passwords';
import { ConsoleStore } from './console/console-store';
import { consoleShell, tabletReportOf } from './console/serve';
import { securityHeaders } from './headers';
import { createLogger, routeOf, type Logger } from './log';
import { RateLimiter, type RateLimit } from './rate-limit';
import type { Device, Store } from './store';
import { MutationConflict, MutationGap, MutationsOutOfOrder, applyPush } from './sync/push';
import { pullChanges, seenByCursor } from './sync/pull';
import { bucketRecordsFor, digestFor, recordsFor } from './sync/reconcile';
import { orgNotePublicKey } from './sync/sealed-notes';

export interface AppOptions {
  staticDir: string;
  version: string;
  store: Store;
  logger?: Logger;
  /** Per device, per process. */
  deviceRateLimit?: RateLimit;
  /** Per client address, per process: enrolment is the one unauthenticated write. */
  enrolRateLimit?: RateLimit;
  /** Per enrolment code, per process: however many addresses try one code. */
  enrolCodeRateLimit?: RateLimit;
  /** Failed token attempts (401) per client address, per process; an address with none left gets 429. */
  authFailureRateLimit?: RateLimit;
  /** How many proxies of the operator's own stand in front (TRUST_PROXY); 0: X-Forwarded-For is not believed. */
  trustProxy?: number;
  /** The address people open (PUBLIC_URL); when it is https, responses carry Strict-Transport-Security. */
  publicUrl?: string;
  /** Room for an organisation's pictures unless it has its own setting (PICTURE_QUOTA_MB). */
  blobQuotaBytes?: number;
  /** Failed console logins allowed per account and per address (shared by every process through the database). */
  consoleLoginLimits?: LoginLimits;
  /** argon2id's cost for console passwords (tests lower it; the default is OWASP's). */
  consolePasswordCost?: PasswordCost;
  /** How many months of their site's logs and feedback tablets are sent (PULL_WINDOW_MONTHS; default 13). */
  pullWindowMonths?: number;
  now?: () => number;
}

type Env = { Variables: { device: Device } };

const gunzipAsync = promisify(gunzip);

// A sync is one push, a few pull pages and some pictures; a guide pack download may fetch dozens of pictures at once.
export const DEFAULT_DEVICE_RATE_LIMIT: RateLimit = { burst: 120, perSecond: 2 };
export const DEFAULT_ENROL_RATE_LIMIT: RateLimit = { burst: 10, perSecond: 0.1 };
export const DEFAULT_ENROL_CODE_RATE_LIMIT: RateLimit = { burst: 5, perSecond: 1 / 60 };
// A tablet with a stale token tries once per sync round; a script trying tokens is stopped after 20.
export const DEFAULT_AUTH_FAILURE_RATE_LIMIT: RateLimit = { burst: 20, perSecond: 0.2 };
const LAST_SEEN_PRECISION_MS = 5 * 60_000;
export const DEFAULT_BLOB_QUOTA_BYTES = 2 * 1024 ** 3;

function fail(c: Context, status: ContentfulStatusCode, error: ErrorCode, message: string, extra: Partial<ErrorBody> = {}) {
  return c.json({ error, message, ...extra } satisfies ErrorBody, status);
}

function isJson(c: Context): boolean {
  return /^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '');
}

/** Bodies sent gzip-compressed, as inflated (within the limit) by jsonOnly. */
const inflatedBodies = new WeakMap<Request, string>();

/** Reads a JSON body after the size limit has been checked; the nesting is measured before anything recurses into it. */
async function readJson(c: Context): Promise<{ value: unknown } | { problem: string }> {
  const text = inflatedBodies.get(c.req.raw) ?? (await c.req.text());
  if (jsonNestingDepth(text) > LIMITS.jsonDepth) return { problem: `The JSON is nested too deeply (more than ${LIMITS.jsonDepth} levels of arrays and objects).` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { problem: 'The body is not valid JSON.' };
  }
}

function jsonOnly(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => fail(c, 413, 'payload_too_large', `The body is larger than ${maxBytes} bytes. Send fewer changes at a time.`),
  });
  return async (c, next) => {
    if (!isJson(c)) return fail(c, 415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
    const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
    if (encoding === 'gzip') {
      return limit(c, async () => {
        const refused = await inflateWithin(c, maxBytes, next);
        if (refused) c.res = refused;
      });
    }
    if (encoding && encoding !== 'identity') return fail(c, 415, 'unsupported_media_type', 'Request bodies may be sent as they are or gzip-compressed, nothing else.');
    return limit(c, next);
  };
}

/**
 * Inflates a gzip body (its compressed size is already within the limit): the limit applies to what it inflates to,
 * so a small zip bomb is refused with 413 as soon as it grows past it, before it fills the memory.
 */
async function inflateWithin(c: Context, maxBytes: number, next: () => Promise<void>): Promise<Response | void> {
  const compressed = Buffer.from(await c.req.arrayBuffer());
  let inflated: Buffer;
  try {
    inflated = await gunzipAsync(compressed, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) return fail(c, 413, 'payload_too_large', `The body inflates to more than ${maxBytes} bytes. Send fewer changes at a time.`);
    return fail(c, 400, 'bad_request', 'The body says it is gzip-compressed but is not valid gzip.');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return fail(c, 400, 'bad_request', 'The body is not valid UTF-8 text.');
  }
  inflatedBodies.set(c.req.raw, text);
  await next();
  return undefined;
}

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

/** Bytes for people: "1.5 GiB", "300 MiB". */
function amount(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${Number(gib.toFixed(1))} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export function createApp(options: AppOptions): Hono<Env> {
  const { store } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger();
  const deviceLimiter = new RateLimiter(options.deviceRateLimit ?? DEFAULT_DEVICE_RATE_LIMIT);
  const enrolLimiter = new RateLimiter(options.enrolRateLimit ?? DEFAULT_ENROL_RATE_LIMIT);
  const enrolCodeLimiter = new RateLimiter(options.enrolCodeRateLimit ?? DEFAULT_ENROL_CODE_RATE_LIMIT);
  const authFailures = new RateLimiter(options.authFailureRateLimit ?? DEFAULT_AUTH_FAILURE_RATE_LIMIT);
  const clientAddress = (c: Context) => clientAddressFrom(c.req.header('x-forwarded-for'), socketAddress(c), options.trustProxy ?? 0);
  const blobQuotaBytes = options.blobQuotaBytes ?? DEFAULT_BLOB_QUOTA_BYTES;
  const app = new Hono<Env>();
  const consoleStore = new ConsoleStore(store.database);

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const device = c.get('device') as Device | undefined;
    logger.info({ deviceId: device?.id, method: c.req.method, route: routeOf(c.req.path), status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use('*', securityHeaders({ hsts: /^https:\/\//i.test(options.publicUrl ?? '') }));
  app.use('*', compress());

  app.onError((error, c) => {
    // The error's name and message only: a stack or body could carry what a device sent.
    logger.error({ route: routeOf(c.req.path), error: error.name, message: error.message }, 'request failed');
    return fail(c, 500, 'internal', 'Something went wrong on the server. Your changes are safe on the tablet; try again later.');
  });

  app.get('/v1/health', async (c) => {
    const ready = await store.ping().catch(() => false);
    return c.json({ status: ready ? 'ok' : 'unavailable', version: options.version, storage: store.kind, features: SERVER_FEATURES }, ready ? 200 : 503);
  });

  // Every other API request says which protocol it speaks; an app too old to understand this server must update.
  const requireProtocol: MiddlewareHandler<Env> = async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const spoken = c.req.header(PROTOCOL_HEADER);
    const version = spoken && /^\d{1,4}$/.test(spoken.trim()) ? Number(spoken.trim()) : undefined;
    if (version === undefined || version < OLDEST_PROTOCOL_VERSION) {
      return fail(c, 426, 'protocol_too_old', `This app is too old for the server. Update the app (the server speaks protocols ${OLDEST_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}; send the ${PROTOCOL_HEADER} header).`);
    }
    if (version > PROTOCOL_VERSION) {
      return fail(c, 400, 'protocol_too_new', `The app is newer than the server (protocol ${version}, server ${PROTOCOL_VERSION}). Ask your administrator to update the server.`);
    }
    return next();
  };

  app.post('/v1/enrol', requireProtocol, jsonOnly(LIMITS.enrolBodyBytes), async (c) => {
    const allowed = enrolLimiter.take(clientAddress(c), now());
    if (!allowed.allowed) {
      c.header('Retry-After', String(allowed.retryAfterSeconds));
      return fail(c, 429, 'rate_limited', 'Too many enrolment attempts. Wait a moment and try again.');
    }
    const body = await readJson(c);
    if ('problem' in body) return fail(c, 400, 'bad_request', body.problem);
    const parsed = enrolRequest.safeParse(body.value);
    if (!parsed.success) return fail(c, 400, 'bad_request', `The enrolment request is not right: ${describeIssues(parsed.error)}.`);
    // Per code as well as per address: rotating addresses does not buy more tries at one code.
    const codeHash = enrolmentCodeHash(parsed.data.code);
    const codeAllowed = enrolCodeLimiter.take(codeHash, now());
    if (!codeAllowed.allowed) {
      c.header('Retry-After', String(codeAllowed.retryAfterSeconds));
      return fail(c, 429, 'rate_limited', `Too many attempts with this code. Wait ${codeAllowed.retryAfterSeconds} s and try again.`);
    }
    // Protocol v2: a tablet that sends its public key is bound to it and gets no bearer token to lose.
    const publicKey = parsed.data.publicKey ? storablePublicKey(parsed.data.publicKey) : null;
    if (publicKey === undefined) return fail(c, 400, 'bad_request', 'The public key is not an ECDSA P-256 key.');
    const issued = issueDeviceToken();
    const at = now();
    const device = await store.enrolDevice(
      codeHash,
      { id: issued.deviceId, name: parsed.data.deviceName.trim(), tokenHash: publicKey ? '' : issued.tokenHash, createdAt: at, lastSeenAt: at, revokedAt: null, wipe: false, lastMutationId: 0, publicKey },
      at,
    );
    if (!device) return fail(c, 400, 'code_invalid', 'This enrolment code is unknown, already used or expired. Ask your administrator for a new one.');
    c.set('device', device);
    const [organisation, site] = await Promise.all([store.findOrganisation(device.orgId), store.findSite(device.siteId)]);
    const orgNoteKey = await orgNotePublicKey(store, device.orgId, at);
    const response: EnrolResponse = { deviceId: device.id, ...(publicKey ? {} : { token: issued.token }), orgId: device.orgId, siteId: device.siteId, orgName: organisation?.name ?? '', siteName: site?.name ?? '', orgNoteKey };
    return c.json(response, 201);
  });

  // An address that failed too often waits before any credential is looked at, so a right guess does not stand out.
  const tooManyFailures = (c: Context) => {
    const wait = authFailures.waitFor(clientAddress(c), now());
    if (wait === undefined) return undefined;
    c.header('Retry-After', String(wait));
    return fail(c, 429, 'rate_limited', `Too many failed attempts with unknown tokens from this address. Wait ${wait} s and try again.`);
  };
  const refuseCredential = (c: Context) => {
    authFailures.take(clientAddress(c), now());
    return fail(c, 401, 'unauthorized', 'This tablet is not enrolled with this server, or its token is wrong. Enrol it again.');
  };

  // The device a bearer credential stands for: an unexpired access token (protocol v2), or the v1 token of a device
  // that has no key yet. A device bound to a key is never reached with a bearer token again.
  const deviceOfCredential = async (presented: string | undefined): Promise<Device | undefined> => {
    const access = presented ? readAccessToken(presented) : undefined;
    if (access) {
      const owner = await store.findAccessToken(accessTokenHash(access.secret), now());
      return owner === access.deviceId ? store.findDevice(owner) : undefined;
    }
    const parsed = presented ? readDeviceToken(presented) : undefined;
    const device = parsed ? await store.findDevice(parsed.deviceId) : undefined;
    // The hash is compared even for the shape of a token we do not know, so timing does not reveal which ids exist.
    const matches = sameHash(device?.tokenHash || '0'.repeat(64), parsed?.secretHash ?? 'f'.repeat(64));
    return device && parsed && matches && device.publicKey === null ? device : undefined;
  };

  // Everything below acts for one enrolled device, named by its bearer credential.
  const requireDevice: MiddlewareHandler<Env> = async (c, next) => {
    const waiting = tooManyFailures(c);
    if (waiting) return waiting;
    const header = c.req.header('authorization') ?? '';
    const device = await deviceOfCredential(/^Bearer\s+(\S+)$/i.exec(header)?.[1]);
    if (!device) return refuseCredential(c);
    c.set('device', device);
    if (device.revokedAt !== null) {
      return fail(c, 401, 'revoked', device.wipe ? 'This tablet was removed from the service and must erase its data.' : 'This tablet was removed from the service. Its unsent changes stay on it.', { wipe: device.wipe });
    }
    const at = now();
    const allowed = deviceLimiter.take(device.id, at);
    if (!allowed.allowed) {
      c.header('Retry-After', String(allowed.retryAfterSeconds));
      return fail(c, 429, 'rate_limited', `Too many requests from this tablet. Wait ${allowed.retryAfterSeconds} s and try again.`);
    }
    if (device.lastSeenAt === null || at - device.lastSeenAt > LAST_SEEN_PRECISION_MS) await store.touchDevice(device.id, at);
    return next();
  };
  // A tablet that was acknowledged more mutations than this database holds proves the database went back in time
  // (restored from a backup): start a new generation, so no cursor handed out before skips a reused change number,
  // and tell the tablet to send again from what the server has.
  const requireNotBehind: MiddlewareHandler<Env> = async (c, next) => {
    const header = c.req.header(ACKNOWLEDGED_HEADER)?.trim() ?? '';
    const acknowledged = /^\d{1,15}$/.test(header) ? Number(header) : undefined;
    const device = c.get('device');
    if (acknowledged === undefined || acknowledged <= device.lastMutationId) return next();
    await store.rotateGeneration();
    logger.warn({ deviceId: device.id, acknowledged, held: device.lastMutationId }, 'a tablet was acknowledged more than the database holds: new database generation');
    const expected = device.lastMutationId + 1;
    return fail(c, 409, 'mutation_gap', `The server has lost changes it had confirmed to this tablet. Send again from ${expected}.`, { expected, serverBehind: true });
  };
  // Protocol v2 (README: "Device keys and access tokens"): a nonce to sign, then a short-lived access token for the
  // signature. Both answer 401 alike for an unknown device, one without a key, a used or expired nonce and a wrong
  // signature, and count against the address like a wrong token.
  app.post('/v1/auth/challenge', requireProtocol, jsonOnly(AUTH_LIMITS.bodyBytes), async (c) => {
    const waiting = tooManyFailures(c);
    if (waiting) return waiting;
    const body = await readJson(c);
    if ('problem' in body) return fail(c, 400, 'bad_request', body.problem);
    const parsed = challengeRequest.safeParse(body.value);
    if (!parsed.success) return fail(c, 400, 'bad_request', `The challenge request is not right: ${describeIssues(parsed.error)}.`);
    const device = await store.findDevice(parsed.data.deviceId);
    if (!device?.publicKey) return refuseCredential(c);
    const allowed = deviceLimiter.take(device.id, now());
    if (!allowed.allowed) {
      c.header('Retry-After', String(allowed.retryAfterSeconds));
      return fail(c, 429, 'rate_limited', `Too many requests from this tablet. Wait ${allowed.retryAfterSeconds} s and try again.`);
    }
    const { nonce, nonceHash: hash } = newNonce();
    const expiresAt = now() + AUTH_LIMITS.challengeMs;
    await store.createChallenge(device.id, hash, expiresAt);
    return c.json({ nonce, expiresAt } satisfies ChallengeResponse);
  });

  app.post('/v1/auth/token', requireProtocol, jsonOnly(AUTH_LIMITS.bodyBytes), async (c) => {
    const waiting = tooManyFailures(c);
    if (waiting) return waiting;
    const body = await readJson(c);
    if ('problem' in body) return fail(c, 400, 'bad_request', body.problem);
    const parsed = tokenRequest.safeParse(body.value);
    if (!parsed.success) return fail(c, 400, 'bad_request', `The token request is not right: ${describeIssues(parsed.error)}.`);
    const { deviceId, nonce, signature } = parsed.data;
    const device = await store.findDevice(deviceId);
    // The nonce is used up before the signature is checked: each nonce gets one try.
    const fresh = device?.publicKey ? await store.takeChallenge(device.id, nonceHash(nonce), now()) : false;
    if (!device?.publicKey || !fresh || !verifyDeviceProof(device.publicKey, device.id, nonce, signature)) return refuseCredential(c);
    c.set('device', device);
    if (device.revokedAt !== null) {
      return fail(c, 401, 'revoked', device.wipe ? 'This tablet was removed from the service and must erase its data.' : 'This tablet was removed from the service. Its unsent changes stay on it.', { wipe: device.wipe });
    }
    const issued = issueAccessToken(device.id);
    const expiresAt = now() + AUTH_LIMITS.accessTokenMs;
    await store.createAccessToken(device.id, issued.tokenHash, expiresAt);
    return c.json({ accessToken: issued.token, expiresAt } satisfies TokenResponse);
  });

  // A v1 tablet that was updated binds a key once, with its bearer token; that token is refused from then on.
  app.post('/v1/auth/bind', requireProtocol, requireDevice, jsonOnly(AUTH_LIMITS.bodyBytes), async (c) => {
    const body = await readJson(c);
    if ('problem' in body) return fail(c, 400, 'bad_request', body.problem);
    const parsed = bindRequest.safeParse(body.value);
    if (!parsed.success) return fail(c, 400, 'bad_request', `The bind request is not right: ${describeIssues(parsed.error)}.`);
    const publicKey = storablePublicKey(parsed.data.publicKey);
    if (!publicKey) return fail(c, 400, 'bad_request', 'The public key is not an ECDSA P-256 key.');
    if (!(await store.bindDeviceKey(c.get('device').id, publicKey))) return fail(c, 400, 'bad_request', 'This tablet already has a key: it signs in with it.');
    return c.json({ deviceId: c.get('device').id, bound: true });
  });

  // From when the device sees its site's logs and feedback: the pull window, and never what retention deletes.
  const windowMonths = options.pullWindowMonths ?? PULL_WINDOW_DEFAULT_MONTHS;
  const datedFromFor = async (device: Device) => visibleFrom(now(), windowMonths, (await store.getRetention(device.orgId))?.months ?? RETENTION_DEFAULT_MONTHS);

  // What a tablet says about itself with its sync (app version, changes waiting) is kept for the console's tablet list.
  const noteTabletReport: MiddlewareHandler<Env> = async (c, next) => {
    const report = tabletReportOf(c.req.header(APP_VERSION_HEADER), c.req.header(WAITING_HEADER));
    if (report) await consoleStore.noteTabletReport(c.get('device').id, report, now());
    return next();
  };
  app.use('/v1/push', requireProtocol, requireDevice, requireNotBehind, noteTabletReport);
  app.use('/v1/pull', requireProtocol, requireDevice, requireNotBehind, noteTabletReport);
  app.use('/v1/digest', requireProtocol, requireDevice, requireNotBehind);
  app.use('/v1/digest/*', requireProtocol, requireDevice, requireNotBehind);
  app.use('/v1/records', requireProtocol, requireDevice, requireNotBehind);
  app.use('/v1/blobs/*', requireProtocol, requireDevice);
  app.use('/v1/org-note-key', requireProtocol, requireDevice);

  // The organisation's note key, for tablets enrolled before it existed (README, "Session notes").
  app.get('/v1/org-note-key', async (c) => {
    const response: OrgNoteKeyResponse = { orgNoteKey: await orgNotePublicKey(store, c.get('device').orgId, now()) };
    return c.json(response);
  });

  app.post('/v1/push', jsonOnly(LIMITS.pushBodyBytes), async (c) => {
    const device = c.get('device');
    const body = await readJson(c);
    if ('problem' in body) return fail(c, 400, 'bad_request', body.problem);
    const parsed = pushRequest.safeParse(body.value);
    if (!parsed.success) return fail(c, 400, 'bad_request', `The push is not right: ${describeIssues(parsed.error)}.`);
    if (parsed.data.deviceId !== undefined && parsed.data.deviceId !== device.id) return fail(c, 403, 'forbidden', 'The push names another device than the token.');
    // Each mutation as sent, not as parsed: the schema's copy would lose a key such as "__proto__" instead of refusing it.
    const mutations = (body.value as { mutations: typeof parsed.data.mutations }).mutations;
    try {
      const pulledUpTo = await seenByCursor(store, device, c.req.header(CURSOR_HEADER));
      return c.json(await applyPush(store, device, mutations, now(), pulledUpTo));
    } catch (error) {
      if (error instanceof MutationGap) return fail(c, 409, 'mutation_gap', error.message, { expected: error.expected });
      if (error instanceof MutationConflict) return fail(c, 409, 'mutation_conflict', error.message, { expected: error.expected });
      if (error instanceof MutationsOutOfOrder) return fail(c, 400, 'bad_request', error.message, { expected: error.expected });
      throw error;
    }
  });

  app.get('/v1/pull', async (c) => {
    const parsed = pullQuery.safeParse(c.req.query());
    if (!parsed.success) return fail(c, 400, 'bad_request', `The pull query is not right: ${describeIssues(parsed.error)}.`);
    const limit = parsed.data.limit === undefined ? undefined : Number(parsed.data.limit);
    return c.json(await pullChanges(store, c.get('device'), parsed.data.cursor, limit, now(), parsed.data.clocks === 'compact', await datedFromFor(c.get('device'))));
  });

  // Reconciliation (README): what the device may see, as bucket hashes, bucket lists and whole records by id.
  app.get('/v1/digest', async (c) => c.json(await digestFor(store, c.get('device'), now(), await datedFromFor(c.get('device')))));

  app.post('/v1/digest/buckets', jsonOnly(LIMITS.reconcileBodyBytes), async (c) => {
    const body = await readJson(c);
    if ('problem' in body) return fail(c, 400, 'bad_request', body.problem);
    const parsed = bucketsRequest.safeParse(body.value);
    if (!parsed.success) return fail(c, 400, 'bad_request', `The bucket request is not right: ${describeIssues(parsed.error)}.`);
    return c.json(await bucketRecordsFor(store, c.get('device'), parsed.data, await datedFromFor(c.get('device'))));
  });

  app.post('/v1/records', jsonOnly(LIMITS.reconcileBodyBytes), async (c) => {
    const body = await readJson(c);
    if ('problem' in body) return fail(c, 400, 'bad_request', body.problem);
    const parsed = recordsRequest.safeParse(body.value);
    if (!parsed.success) return fail(c, 400, 'bad_request', `The records request is not right: ${describeIssues(parsed.error)}.`);
    return c.json(await recordsFor(store, c.get('device'), parsed.data, now(), await datedFromFor(c.get('device'))));
  });

  const blobPath = '/v1/blobs/:sha256';
  const hashOf = (c: Context) => {
    const hash = c.req.param('sha256') ?? '';
    return /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
  };

  // GET also answers HEAD (Hono routes HEAD to GET); for HEAD the bytes are not read.
  app.get(blobPath, async (c) => {
    const hash = hashOf(c);
    if (!hash) return fail(c, 400, 'bad_request', 'A picture is named by the SHA-256 of its bytes: 64 lowercase hex digits.');
    const orgId = c.get('device').orgId;
    if (c.req.method === 'HEAD') {
      const found = await store.hasBlob(orgId, hash);
      if (!found) return c.body(null, 404);
      return c.body(null, 200, { 'Content-Type': found.type, 'Content-Length': String(found.size) });
    }
    const blob = await store.getBlob(orgId, hash);
    if (!blob) return fail(c, 404, 'not_found', 'This organisation has no picture with that hash.');
    // Content never changes under its hash; private because it needs a token.
    return c.body(blob.bytes.buffer.slice(blob.bytes.byteOffset, blob.bytes.byteOffset + blob.bytes.byteLength) as ArrayBuffer, 200, {
      'Content-Type': blob.type,
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
  });

  app.put(
    blobPath,
    async (c, next) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!(BLOB_TYPES as readonly string[]).includes(type)) return fail(c, 415, 'unsupported_media_type', `Pictures must be one of ${BLOB_TYPES.join(', ')}.`);
      return next();
    },
    bodyLimit({ maxSize: LIMITS.blobBytes, onError: (c) => fail(c, 413, 'payload_too_large', `Pictures may be at most ${LIMITS.blobBytes} bytes. Make it smaller.`) }),
    async (c) => {
      const hash = hashOf(c);
      if (!hash) return fail(c, 400, 'bad_request', 'A picture is named by the SHA-256 of its bytes: 64 lowercase hex digits.');
      const type = c.req.header('content-type')!.split(';')[0]!.trim().toLowerCase() as (typeof BLOB_TYPES)[number];
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (sha256Hex(bytes) !== hash) return fail(c, 400, 'hash_mismatch', 'The bytes do not match the SHA-256 in the address. Nothing was stored; upload again.');
      // The header's own width and height: a small file may decode to a bitmap no tablet can hold.
      const size = pictureSize(bytes, type);
      if (!size) return fail(c, 400, 'bad_request', `The bytes are not a ${type} picture.`);
      const tooLarge = pictureSizeProblem(size);
      if (tooLarge) return fail(c, 400, 'bad_request', tooLarge);
      const stored = await store.putBlob(c.get('device').orgId, { hash, type, size: bytes.byteLength, bytes }, now(), blobQuotaBytes);
      if (typeof stored === 'object') {
        const { usedBytes, quotaBytes } = stored.quotaExceeded;
        return fail(c, 507, 'quota_exceeded', `The organisation's pictures already take ${amount(usedBytes)} of the ${amount(quotaBytes)} it has on the server, so this picture was not stored. Remove pictures from guides you no longer need, or ask your administrator for more room.`);
      }
      return c.json({ hash, size: bytes.byteLength, stored }, stored === 'new' ? 201 : 200);
    },
  );

  app.all('/v1/*', (c) => fail(c, 404, 'not_found', 'No such API endpoint.'));

  // The coordinator's console (issue 18): its API, and its own page built beside the app (dist/console/).
  app.route('/console/api', createConsoleApi({ store, consoleStore, now, logger, clientAddress, publicUrl: options.publicUrl, trustProxy: options.trustProxy ?? 0, loginLimits: options.consoleLoginLimits, passwordCost: options.consolePasswordCost }));
  app.get('/console', (c) => c.redirect('/console/', 301));

  // The service worker and the HTML must be revalidated so a new version is noticed; hashed assets never change.
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    if (path.startsWith('/assets/') || path.startsWith('/console/assets/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    else c.header('Cache-Control', 'no-cache');
  });
  app.use('*', serveStatic({ root: options.staticDir }));

  // The console is a page of its own: its addresses answer with its shell, never the tablet app's.
  app.get('/console/*', (c) => consoleShell(c, options.staticDir));

  // Every other address is an in-app route: answer with the app shell (the service worker does the same offline).
  app.get('*', (c) => {
    const indexFile = join(options.staticDir, 'index.html');
    if (!existsSync(indexFile)) return c.text('The app has not been built. Run "npm start" (it builds first) or "npm run build".', 503);
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}
