// Owns the coordinator's console API under /console/api (API.md beside this file): logins by password or passkey,
// database-held sessions with a CSRF token, roles (a coordinator sees the organisation, a site admin one site),
// and every console action written to the organisation's audit log.
import { randomUUID } from 'node:crypto';
import { sValidator } from '@hono/standard-validator';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod/mini';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorTransport,
} from '@simplewebauthn/server';
import { csvText, EXCEL_DELIMITER } from '../../lib/csv';
import { helsinkiDateTime } from '../../lib/helsinki-time';
import { compareOrder } from '../../lib/order-key';
import { isHlc, parseHlc, RETENTION_DEFAULT_MONTHS, RETENTION_MAX_MONTHS, RETENTION_MIN_MONTHS } from '../../protocol';
import { suppressSmallCells } from '../../protocol/report';
import { AdminInputError, createEnrolmentCode, createSite, enrolmentLink, ENROLMENT_HOURS_DEFAULT, ENROLMENT_HOURS_MAX, renameSite } from '../admin';
import { sameHash, sha256Hex } from '../credentials';
import { reportWord } from '../export-labels';
import type { Logger } from '../log';
import { validBody } from '../routes/edge';
import type { Site, Store } from '../store';
import { createConsoleAccount, newSecret, normaliseEmail, setupLink } from './accounts';
import type { ConsoleSession, ConsoleStore, ConsoleUser } from './console-store';
import { buildDashboard, dashboardCsv, monthsBetween } from './dashboard';
import { latestGuideChanges } from './guide-changes';
import { DEFAULT_PASSWORD_COST, decoyHash, hashPassword, passwordProblem, verifyPassword, type PasswordCost } from './passwords';

export const SESSION_COOKIE = 'digituki_console';
export const CSRF_HEADER = 'X-CSRF-Token';
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
const SESSION_TOUCH_MS = 60_000;
const CHALLENGE_MS = 5 * 60_000;
const BODY_BYTES = 64 * 1024;

/** Failed logins allowed per account email and per client address within the window, shared by every server process. */
export interface LoginLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

export interface ConsoleApiOptions {
  store: Store;
  consoleStore: ConsoleStore;
  now: () => number;
  logger: Logger;
  clientAddress: (c: Context) => string;
  publicUrl?: string;
  trustProxy: number;
  loginLimits?: LoginLimits;
  /** argon2id's cost for new passwords; tests lower it, the server keeps the default. */
  passwordCost?: PasswordCost;
}

type Env = { Variables: { session: ConsoleSession } };

function fail(c: Context, status: ContentfulStatusCode, error: string, message: string) {
  return c.json({ error, message }, status);
}

const nameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
/** A query's whole number of at most `digits` digits, read as a number. */
const wholeNumber = (digits: number) => z.pipe(z.string().check(z.regex(new RegExp(`^\\d{1,${digits}}$`))), z.transform(Number));

/**
 * A JSON body checked by the sync API's own validator (validBody: nesting depth, JSON, the schema, 400 in plain
 * words): 415 unless the body is JSON, and an empty body reads as {} (a POST with nothing to say).
 */
function json<Schema extends StandardSchemaV1>(schema: Schema, what: string) {
  const validate = validBody<Schema, Env>(schema, what);
  const handler: typeof validate = async (c, next) => {
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
      return fail(c, 415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
    // Hono keeps the text it read: the validator then reads this one.
    if (!(await c.req.text())) (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve('{}');
    return validate(c, next);
  };
  return handler;
}

/** A query checked by the same validator; a wrong one gets 400 with `message`, the plain words of what to give. */
function query<Schema extends StandardSchemaV1>(schema: Schema, message: string) {
  return sValidator('query', schema, (result, c) => (result.success ? undefined : fail(c, 400, 'bad_request', message)));
}

const schemas = {
  login: z.strictObject({ email: z.string().check(z.maxLength(254)), password: z.string().check(z.maxLength(1024)) }),
  setup: z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(200)), password: z.string().check(z.maxLength(1024)) }),
  password: z.strictObject({ currentPassword: z.string().check(z.maxLength(1024)), newPassword: z.string().check(z.maxLength(1024)) }),
  passkeyVerify: z.strictObject({
    challengeId: z.string().check(z.minLength(1), z.maxLength(100)),
    response: z.looseObject({ id: z.string().check(z.minLength(1), z.maxLength(1024)) }),
  }),
  site: z.strictObject({ name: nameSchema }),
  enrolment: z.strictObject({ hours: z.optional(z.int().check(z.gte(1), z.lte(ENROLMENT_HOURS_MAX))) }),
  revoke: z.strictObject({ wipe: z.boolean(), confirmName: z.string().check(z.maxLength(200)) }),
  settings: z.strictObject({ retentionMonths: z.nullable(z.int().check(z.gte(RETENTION_MIN_MONTHS), z.lte(RETENTION_MAX_MONTHS))) }),
  user: z.strictObject({ email: z.string().check(z.maxLength(254)), role: z.string(), siteId: z.optional(z.nullable(z.string().check(z.maxLength(100)))) }),
  months: z
    .object({ from: z.string(), to: z.string(), site: z.optional(z.string()) })
    .check(z.refine((query) => monthsBetween(query.from, query.to) !== undefined)),
  auditPage: z.object({
    limit: z.optional(z.pipe(wholeNumber(3), z.number().check(z.gte(1), z.lte(200)))),
    before: z.optional(wholeNumber(15)),
  }),
};

export function createConsoleApi(options: ConsoleApiOptions): Hono<Env> {
  const { store, consoleStore: accounts, now, logger } = options;
  const limits = options.loginLimits ?? DEFAULT_LOGIN_LIMITS;
  const cost = options.passwordCost ?? DEFAULT_PASSWORD_COST;
  const api = new Hono<Env>();

  const isHttps = (c: Context) =>
    /^https:\/\//i.test(options.publicUrl ?? '') ||
    new URL(c.req.url).protocol === 'https:' ||
    (options.trustProxy > 0 && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https');
  /** The address people open: PUBLIC_URL, else the request's own origin. */
  const baseUrl = (c: Context) => (options.publicUrl ? new URL(options.publicUrl).origin : new URL(c.req.url).origin);
  const audit = (session: ConsoleSession, action: string, target: string | null = null, detail: Record<string, unknown> = {}) =>
    accounts.audit({ orgId: session.user.orgId, at: now(), actor: session.user.email, action, target, detail });

  api.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    return next();
  });
  api.use('*', bodyLimit({ maxSize: BODY_BYTES, onError: (c) => fail(c, 413, 'payload_too_large', `The body is larger than ${BODY_BYTES} bytes.`) }));
  api.onError((error, c) => {
    logger.error({ route: 'console', error: error.name, message: error.message }, 'console request failed');
    return fail(c, 500, 'internal', 'Something went wrong on the server. Try again in a moment.');
  });

  // --- Sessions ---------------------------------------------------------------------------------------------------

  async function startSession(c: Context, user: ConsoleUser): Promise<{ user: ConsoleUser; csrfToken: string }> {
    const secret = newSecret();
    const csrfToken = newSecret();
    const at = now();
    await accounts.createSession({ idHash: sha256Hex(secret), userId: user.id, csrfToken, createdAt: at, expiresAt: at + SESSION_ABSOLUTE_MS });
    await accounts.noteLogin(user.id, at);
    setCookie(c, SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/console', maxAge: SESSION_ABSOLUTE_MS / 1000 });
    return { user: publicUser(user), csrfToken };
  }

  /** The live session of the request's cookie; an expired one is removed on the way. */
  async function sessionOf(c: Context): Promise<ConsoleSession | undefined> {
    const secret = getCookie(c, SESSION_COOKIE);
    if (!secret || secret.length > 200) return undefined;
    const session = await accounts.findSession(sha256Hex(secret));
    if (!session) return undefined;
    const at = now();
    if (at >= session.expiresAt || at - session.lastSeenAt >= SESSION_IDLE_MS) {
      await accounts.deleteSession(session.idHash);
      return undefined;
    }
    if (at - session.lastSeenAt >= SESSION_TOUCH_MS) await accounts.touchSession(session.idHash, at);
    return session;
  }

  const isStateChange = (c: Context) => !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);

  // Requests before a session: JSON only (a cross-site form cannot send it without a preflight) and, when the browser
  // names its origin, our own.
  const sameOrigin: MiddlewareHandler = async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && origin !== baseUrl(c) && origin !== new URL(c.req.url).origin)
      return fail(c, 403, 'csrf', 'This request came from another site and was refused.');
    return next();
  };

  const requireSession: MiddlewareHandler<Env> = async (c, next) => {
    const session = await sessionOf(c);
    if (!session) return fail(c, 401, 'unauthorized', 'You are not logged in, or your session ended. Log in again.');
    if (isStateChange(c)) {
      const presented = c.req.header(CSRF_HEADER) ?? '';
      if (!sameHash(sha256Hex(presented), sha256Hex(session.csrfToken)))
        return fail(c, 403, 'csrf', "The request lacked the page's security token. Reload the page and try again.");
    }
    c.set('session', session);
    return next();
  };

  const coordinatorOnly: MiddlewareHandler<Env> = async (c, next) => {
    if (c.get('session').user.role !== 'coordinator') return fail(c, 403, 'forbidden', 'Only a coordinator may do this.');
    return next();
  };

  // --- Login rate limit -------------------------------------------------------------------------------------------

  /** The rate-limit keys of a try: the address, and the account when one is named (never an empty account). */
  const limitKeys = (email: string, address: string): [string, number][] => [
    ...(email ? [[`email:${email}`, limits.perAccount] as [string, number]] : []),
    [`address:${address}`, limits.perAddress],
  ];

  /** Seconds to wait when the account or the address failed too often lately; undefined when a try is allowed. */
  async function loginWait(email: string, address: string): Promise<number | undefined> {
    const since = now() - limits.windowMs;
    for (const [key, limit] of limitKeys(email, address)) {
      const { count, oldest } = await accounts.loginFailures(key, since);
      if (count >= limit) return Math.max(1, Math.ceil(((oldest ?? now()) + limits.windowMs - now()) / 1000));
    }
    return undefined;
  }

  async function loginFailed(c: Context, email: string, address: string, orgId: string | undefined) {
    await accounts.noteLoginFailure(
      limitKeys(email, address).map(([key]) => key),
      now(),
    );
    if (orgId) await accounts.audit({ orgId, at: now(), actor: email, action: 'login_failed' });
    return fail(c, 401, 'login_failed', 'The email or the password is wrong.');
  }

  // --- Accounts ---------------------------------------------------------------------------------------------------

  api.post('/login', sameOrigin, json(schemas.login, 'The login'), async (c) => {
    const sent = c.req.valid('json');
    const email = normaliseEmail(sent.email) ?? sent.email.trim().toLowerCase();
    const address = options.clientAddress(c);
    const wait = await loginWait(email, address);
    if (wait !== undefined) {
      c.header('Retry-After', String(wait));
      return fail(c, 429, 'rate_limited', `Too many failed logins. Wait ${Math.ceil(wait / 60)} min and try again.`);
    }
    await accounts.purge(now(), SESSION_IDLE_MS, limits.windowMs);
    const user = await accounts.findUserByEmail(email);
    // An unknown account is checked against a decoy hash, so its answer takes as long as a wrong password's.
    const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash(cost)), sent.password);
    if (!user?.passwordHash || !matches) return loginFailed(c, email, address, user?.orgId);
    await accounts.clearLoginFailures(`email:${email}`);
    const started = await startSession(c, user);
    await accounts.audit({ orgId: user.orgId, at: now(), actor: user.email, action: 'login', detail: { method: 'password' } });
    return c.json(started);
  });

  api.post('/setup', sameOrigin, json(schemas.setup, 'The set-up'), async (c) => {
    const sent = c.req.valid('json');
    const problem = passwordProblem(sent.password);
    if (problem) return fail(c, 400, 'bad_request', problem);
    const user = await accounts.useSetupToken(sha256Hex(sent.token), await hashPassword(sent.password, cost), now());
    if (!user) return fail(c, 400, 'setup_invalid', 'This set-up link is unknown, already used or expired. Ask a coordinator for a new one.');
    const started = await startSession(c, user);
    await accounts.audit({ orgId: user.orgId, at: now(), actor: user.email, action: 'setup' });
    return c.json(started);
  });

  api.post('/logout', requireSession, async (c) => {
    const session = c.get('session');
    await accounts.deleteSession(session.idHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: isHttps(c) });
    await audit(session, 'logout');
    return c.json({ ok: true });
  });

  api.post('/logout-everywhere', requireSession, async (c) => {
    const session = c.get('session');
    const ended = await accounts.deleteSessionsOf(session.user.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: isHttps(c) });
    await audit(session, 'logout_everywhere', null, { sessions: ended });
    return c.json({ ok: true });
  });

  api.get('/me', requireSession, async (c) => {
    const session = c.get('session');
    const [user, passkeys] = await Promise.all([accounts.findUser(session.user.id), accounts.passkeysOf(session.user.id)]);
    return c.json({ user: publicUser(session.user), csrfToken: session.csrfToken, passkeys: passkeys.length, hasPassword: Boolean(user?.passwordHash) });
  });

  api.post('/password', requireSession, json(schemas.password, 'The password change'), async (c) => {
    const session = c.get('session');
    const sent = c.req.valid('json');
    const user = await accounts.findUser(session.user.id);
    if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, sent.currentPassword)))
      return fail(c, 400, 'bad_request', 'The current password is wrong.');
    const problem = passwordProblem(sent.newPassword);
    if (problem) return fail(c, 400, 'bad_request', problem);
    await accounts.setPassword(user.id, await hashPassword(sent.newPassword, cost));
    await accounts.deleteSessionsOf(user.id, session.idHash);
    await audit(session, 'password_changed');
    return c.json({ ok: true });
  });

  // --- Passkeys ---------------------------------------------------------------------------------------------------

  const relyingParty = (c: Context) => {
    const origin = baseUrl(c);
    return { origin, rpID: new URL(origin).hostname };
  };

  api.post('/passkeys/register/options', requireSession, async (c) => {
    const session = c.get('session');
    const existing = await accounts.passkeysOf(session.user.id);
    const options = await generateRegistrationOptions({
      rpName: 'Digituki',
      rpID: relyingParty(c).rpID,
      userName: session.user.email,
      userID: new TextEncoder().encode(session.user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports as AuthenticatorTransport[] })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    const challengeId = randomUUID();
    await accounts.saveChallenge({ id: challengeId, challenge: options.challenge, userId: session.user.id, expiresAt: now() + CHALLENGE_MS });
    return c.json({ challengeId, options });
  });

  api.post('/passkeys/register/verify', requireSession, json(schemas.passkeyVerify, 'The passkey'), async (c) => {
    const session = c.get('session');
    const sent = c.req.valid('json');
    const challenge = await accounts.takeChallenge(sent.challengeId, now());
    if (!challenge || challenge.userId !== session.user.id) return fail(c, 400, 'passkey_failed', 'The passkey request is unknown or too old. Try again.');
    const { origin, rpID } = relyingParty(c);
    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verification = await verifyRegistrationResponse({
        response: sent.response as never,
        expectedChallenge: challenge.challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification: false,
      });
    } catch (error) {
      return fail(c, 400, 'passkey_failed', `The passkey could not be checked: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown reason'}.`);
    }
    if (!verification.verified || !verification.registrationInfo) return fail(c, 400, 'passkey_failed', 'The passkey could not be checked. Try again.');
    const { credential } = verification.registrationInfo;
    if (await accounts.findPasskey(credential.id)) return fail(c, 409, 'conflict', 'This passkey is already added.');
    await accounts.addPasskey(
      {
        id: credential.id,
        userId: session.user.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
      },
      now(),
    );
    await audit(session, 'passkey_added');
    return c.json({ ok: true, passkeys: (await accounts.passkeysOf(session.user.id)).length });
  });

  api.post('/passkeys/login/options', sameOrigin, async (c) => {
    const options = await generateAuthenticationOptions({ rpID: relyingParty(c).rpID, userVerification: 'preferred' });
    const challengeId = randomUUID();
    await accounts.saveChallenge({ id: challengeId, challenge: options.challenge, userId: null, expiresAt: now() + CHALLENGE_MS });
    return c.json({ challengeId, options });
  });

  api.post('/passkeys/login/verify', sameOrigin, json(schemas.passkeyVerify, 'The passkey'), async (c) => {
    const sent = c.req.valid('json');
    const address = options.clientAddress(c);
    const challenge = await accounts.takeChallenge(sent.challengeId, now());
    const passkey = await accounts.findPasskey(sent.response.id);
    const user = passkey && (await accounts.findUser(passkey.userId));
    // By the address, and by the account of a passkey the server knows: an unknown passkey names no account.
    const wait = await loginWait(user?.email ?? '', address);
    if (wait !== undefined) {
      c.header('Retry-After', String(wait));
      return fail(c, 429, 'rate_limited', `Too many failed logins. Wait ${Math.ceil(wait / 60)} min and try again.`);
    }
    if (!challenge || challenge.userId !== null || !passkey || !user) return loginFailed(c, '', address, undefined);
    const { origin, rpID } = relyingParty(c);
    let verified = false;
    let newCounter = passkey.counter;
    try {
      const result = await verifyAuthenticationResponse({
        response: sent.response as never,
        expectedChallenge: challenge.challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
          counter: passkey.counter,
          transports: passkey.transports as AuthenticatorTransport[],
        },
        requireUserVerification: false,
      });
      verified = result.verified;
      newCounter = result.authenticationInfo.newCounter;
    } catch {
      verified = false;
    }
    if (!verified) return loginFailed(c, user.email, address, user.orgId);
    await accounts.setPasskeyCounter(passkey.id, newCounter);
    const started = await startSession(c, user);
    await accounts.audit({ orgId: user.orgId, at: now(), actor: user.email, action: 'login', detail: { method: 'passkey' } });
    return c.json(started);
  });

  // Everything below needs a session (and the CSRF token for a change).
  for (const path of [
    '/dashboard',
    '/dashboard.csv',
    '/summary',
    '/sites',
    '/sites/*',
    '/tablets',
    '/tablets/*',
    '/guides',
    '/guides/*',
    '/pictures/*',
    '/settings',
    '/audit',
    '/audit.csv',
    '/users',
  ]) {
    api.use(path, requireSession);
  }

  // --- What an account may see ------------------------------------------------------------------------------------

  /** The sites the account sees: a coordinator all of the organisation's, a site admin its own. */
  async function visibleSites(user: ConsoleUser): Promise<Site[]> {
    const sites = await store.listSites(user.orgId);
    return user.role === 'coordinator' ? sites : sites.filter((site) => site.id === user.siteId);
  }

  /** One site the account sees, or undefined (another organisation's or site's id looks like an unknown one). */
  async function visibleSite(user: ConsoleUser, id: string): Promise<Site | undefined> {
    return (await visibleSites(user)).find((site) => site.id === id);
  }

  // --- Dashboard --------------------------------------------------------------------------------------------------

  const monthsQuery = query(schemas.months, 'Give the months as from=YYYY-MM&to=YYYY-MM, from not after to, at most 36 months.');

  async function dashboardOf(c: Context<Env>, { from, to, site }: { from: string; to: string; site?: string }) {
    const user = c.get('session').user;
    const months = monthsBetween(from, to)!;
    let sites = await visibleSites(user);
    if (site !== undefined) {
      sites = sites.filter((s) => s.id === site);
      if (!sites.length) return { answer: fail(c, 404, 'not_found', 'There is no such site.') };
    }
    const [sessions, feedback] = await Promise.all([store.recordsOfOrganisation(user.orgId, 'sessions'), store.recordsOfOrganisation(user.orgId, 'feedback')]);
    return { dashboard: buildDashboard({ from, to, months, sites: sites.map((s) => ({ id: s.id, name: s.name })), sessions, feedback }) };
  }

  api.get('/dashboard', monthsQuery, async (c) => {
    const result = await dashboardOf(c, c.req.valid('query'));
    return 'answer' in result ? result.answer : c.json(result.dashboard);
  });

  api.get('/dashboard.csv', monthsQuery, async (c) => {
    const result = await dashboardOf(c, c.req.valid('query'));
    if ('answer' in result) return result.answer;
    await audit(c.get('session'), 'dashboard_exported', null, { from: result.dashboard.from, to: result.dashboard.to });
    return csvAnswer(c, dashboardCsv(result.dashboard), `digituki-${result.dashboard.from}_${result.dashboard.to}.csv`);
  });

  api.get('/summary', monthsQuery, async (c) => {
    const result = await dashboardOf(c, c.req.valid('query'));
    if ('answer' in result) return result.answer;
    const { dashboard } = result;
    const organisation = await store.findOrganisation(c.get('session').user.orgId);
    return c.json({
      organisation: { id: organisation!.id, name: organisation!.name },
      from: dashboard.from,
      to: dashboard.to,
      sites: dashboard.sites,
      total: suppressSmallCells(dashboard.total.total),
      bySite: dashboard.bySite.map((site) => ({ siteId: site.siteId, report: suppressSmallCells(site.total) })),
    });
  });

  // --- Sites ------------------------------------------------------------------------------------------------------

  const siteView = async (site: Site) => ({
    id: site.id,
    name: site.name,
    createdAt: site.createdAt,
    tablets: (await store.listDevices(site.orgId)).filter((device) => device.siteId === site.id && device.revokedAt === null).length,
  });

  api.get('/sites', async (c) => {
    const sites = await visibleSites(c.get('session').user);
    return c.json(await Promise.all(sites.map(siteView)));
  });

  api.post('/sites', coordinatorOnly, json(schemas.site, 'The site'), async (c) => {
    const session = c.get('session');
    const sent = c.req.valid('json');
    const site = await createSite(store, session.user.orgId, sent.name, now());
    await audit(session, 'site_created', site.id, { name: site.name });
    return c.json(await siteView(site), 201);
  });

  api.patch('/sites/:id', coordinatorOnly, json(schemas.site, 'The site'), async (c) => {
    const session = c.get('session');
    const sent = c.req.valid('json');
    if (!(await visibleSite(session.user, c.req.param('id')))) return fail(c, 404, 'not_found', 'There is no such site.');
    const site = await renameSite(store, c.req.param('id'), sent.name);
    await audit(session, 'site_renamed', site.id, { name: site.name });
    return c.json(await siteView(site));
  });

  api.post('/sites/:id/enrolment-codes', json(schemas.enrolment, 'The enrolment code request'), async (c) => {
    const session = c.get('session');
    const sent = c.req.valid('json');
    const site = await visibleSite(session.user, c.req.param('id'));
    if (!site) return fail(c, 404, 'not_found', 'There is no such site.');
    const made = await createEnrolmentCode(store, site.id, sent.hours ?? ENROLMENT_HOURS_DEFAULT, now());
    await audit(session, 'enrolment_code_created', site.id, { expiresAt: made.expiresAt });
    return c.json({ code: made.code, link: enrolmentLink(baseUrl(c), made.code), expiresAt: made.expiresAt }, 201);
  });

  // --- Tablets ----------------------------------------------------------------------------------------------------

  async function tabletsOf(user: ConsoleUser) {
    const [devices, quarantined, reports] = await Promise.all([
      store.listDevices(user.orgId),
      store.quarantined(user.orgId),
      accounts.tabletReports(user.orgId),
    ]);
    const visible = devices.filter((device) => user.role === 'coordinator' || device.siteId === user.siteId);
    return visible.map((device) => {
      const report = reports.get(device.id);
      return {
        id: device.id,
        name: device.name,
        siteId: device.siteId,
        createdAt: device.createdAt,
        lastContactAt: device.lastSeenAt,
        appVersion: report?.appVersion ?? null,
        waitingAsReported: report?.waiting ?? null,
        waitingReportedAt: report?.waitingAt ?? null,
        quarantined: quarantined
          .filter((entry) => entry.deviceId === device.id)
          .sort((a, b) => b.createdAt - a.createdAt)
          .slice(0, 20)
          .map((entry) => ({ at: entry.createdAt, reason: entry.reason, message: entry.message })),
        revokedAt: device.revokedAt,
        wipeRequested: device.wipe,
      };
    });
  }

  api.get('/tablets', async (c) => c.json(await tabletsOf(c.get('session').user)));

  api.post('/tablets/:id/revoke', json(schemas.revoke, 'The revoke request'), async (c) => {
    const session = c.get('session');
    const sent = c.req.valid('json');
    const tablet = (await tabletsOf(session.user)).find((t) => t.id === c.req.param('id'));
    if (!tablet) return fail(c, 404, 'not_found', 'There is no such tablet.');
    if (sent.confirmName.trim() !== tablet.name) return fail(c, 409, 'conflict', `Type the tablet's name exactly ("${tablet.name}") to confirm.`);
    await store.revokeDevice(tablet.id, sent.wipe, now());
    await audit(session, 'tablet_revoked', tablet.id, { wipe: sent.wipe });
    return c.json((await tabletsOf(session.user)).find((t) => t.id === tablet.id));
  });

  // --- Organisation guides ----------------------------------------------------------------------------------------

  async function guidesOf(orgId: string) {
    const [guides, devices, changes] = await Promise.all([
      store.recordsOfOrganisation(orgId, 'guides'),
      store.listDevices(orgId),
      store.tabletChanges(orgId, ['guides', 'guideSteps']),
    ]);
    // Every enrolled tablet of the organisation, revoked ones too: a revoked tablet's changes still carry its name.
    const names = new Map(devices.map((device) => [device.id, device.name]));
    const latest = latestGuideChanges(changes);
    return guides.map((record) => {
      const fields = record.fields;
      const wall = isHlc(record.hlc) ? (parseHlc(record.hlc)?.wallMs ?? 0) : 0;
      const change = latest.get(record.id);
      return {
        id: record.id,
        title: typeof fields.title === 'string' ? fields.title : '',
        lang: typeof fields.lang === 'string' ? fields.lang : null,
        // Changes from before 0010_changed_by name no tablet: then the time the tablet wrote the guide.
        changedAt: change ? change.at : typeof fields.updatedAt === 'number' ? fields.updatedAt : wall,
        changedByTablet: change ? (names.get(change.deviceId) ?? null) : null,
        hidden: fields.deleted === 1,
        summary: typeof fields.summary === 'string' ? fields.summary : null,
        category: typeof fields.category === 'string' ? fields.category : null,
      };
    });
  }

  api.get('/guides', async (c) => {
    const guides = await guidesOf(c.get('session').user.orgId);
    return c.json(guides.map(({ summary: _summary, category: _category, ...guide }) => guide));
  });

  api.get('/guides/:id', async (c) => {
    const orgId = c.get('session').user.orgId;
    const guide = (await guidesOf(orgId)).find((g) => g.id === c.req.param('id'));
    if (!guide) return fail(c, 404, 'not_found', 'There is no such guide.');
    const steps = (await store.recordsOfOrganisation(orgId, 'guideSteps'))
      .filter((step) => step.fields.guideId === guide.id && step.fields.deleted !== 1)
      // In the tablet's order (code units, never a locale's): 'V' comes before 'a'.
      .map((step) => ({ step, id: step.id, orderKey: String(step.fields.orderKey ?? '') }))
      .sort(compareOrder)
      .map(({ step }) => ({
        id: step.id,
        kind: typeof step.fields.kind === 'string' ? step.fields.kind : 'step',
        practice: typeof step.fields.practice === 'string' ? step.fields.practice : null,
        text: typeof step.fields.text === 'string' ? step.fields.text : '',
        alt: typeof step.fields.alt === 'string' ? step.fields.alt : '',
        pictureUrl: typeof step.fields.imageHash === 'string' ? `/console/api/pictures/${step.fields.imageHash}` : null,
      }));
    return c.json({ ...guide, steps });
  });

  api.get('/pictures/:hash', async (c) => {
    const hash = c.req.param('hash');
    if (!/^[0-9a-f]{64}$/.test(hash)) return fail(c, 400, 'bad_request', 'A picture is named by the SHA-256 of its bytes: 64 lowercase hex digits.');
    const blob = await store.getBlob(c.get('session').user.orgId, hash);
    if (!blob) return fail(c, 404, 'not_found', 'The organisation has no picture with that hash.');
    return c.body(blob.bytes.buffer.slice(blob.bytes.byteOffset, blob.bytes.byteOffset + blob.bytes.byteLength) as ArrayBuffer, 200, {
      'Content-Type': blob.type,
      'Cache-Control': 'private, max-age=3600',
    });
  });

  api.post('/guides/:id/hide', coordinatorOnly, async (c) => {
    const session = c.get('session');
    if (!(await accounts.hideGuide(session.user.orgId, c.req.param('id'), now()))) return fail(c, 404, 'not_found', 'There is no such guide.');
    await audit(session, 'guide_hidden', c.req.param('id'));
    return c.json({ ok: true });
  });

  // --- Settings ---------------------------------------------------------------------------------------------------

  // Retention is the store's (issue 13): always a number of months, the server's default unless the organisation set one.
  const settingsOf = async (orgId: string) => {
    const retention = await store.getRetention(orgId);
    return { retentionMonths: retention?.months ?? RETENTION_DEFAULT_MONTHS, isDefault: retention?.isDefault ?? true, defaultMonths: RETENTION_DEFAULT_MONTHS };
  };

  api.get('/settings', async (c) => c.json(await settingsOf(c.get('session').user.orgId)));

  api.put('/settings', coordinatorOnly, json(schemas.settings, 'The settings'), async (c) => {
    const session = c.get('session');
    const sent = c.req.valid('json');
    await store.setRetention(session.user.orgId, sent.retentionMonths);
    await audit(session, 'settings_changed', null, { retentionMonths: sent.retentionMonths });
    return c.json(await settingsOf(session.user.orgId));
  });

  // --- Audit log --------------------------------------------------------------------------------------------------

  api.get('/audit', coordinatorOnly, query(schemas.auditPage, 'limit must be a whole number from 1 to 200, and before an entry id.'), async (c) => {
    const { limit: count = 50, before } = c.req.valid('query');
    const entries = await accounts.auditEntries(c.get('session').user.orgId, count + 1, before);
    const page = entries.slice(0, count);
    return c.json({ entries: page, next: entries.length > count ? page[page.length - 1]!.id : null });
  });

  api.get('/audit.csv', coordinatorOnly, async (c) => {
    const session = c.get('session');
    await audit(session, 'audit_exported');
    const entries = await accounts.auditEntries(session.user.orgId, Number.MAX_SAFE_INTEGER);
    const column = (name: string) => reportWord(['reports', 'csv', 'auditColumns', name]);
    const rows = [
      ['date', 'time', 'actor', 'action', 'target', 'detail'].map(column),
      ...entries.map((entry) => {
        const { date, time } = helsinkiDateTime(entry.at);
        return [date, time, entry.actor, entry.action, entry.target ?? '', Object.keys(entry.detail).length ? JSON.stringify(entry.detail) : ''];
      }),
    ];
    return csvAnswer(c, csvText(rows, EXCEL_DELIMITER), 'digituki-audit.csv');
  });

  // --- Users ------------------------------------------------------------------------------------------------------

  api.get('/users', coordinatorOnly, async (c) => c.json(await accounts.listUsers(c.get('session').user.orgId)));

  api.post('/users', coordinatorOnly, json(schemas.user, 'The new account'), async (c) => {
    const session = c.get('session');
    const sent = c.req.valid('json');
    try {
      const made = await createConsoleAccount(
        store,
        accounts,
        { orgId: session.user.orgId, siteId: sent.siteId ?? null, role: sent.role, email: sent.email },
        now(),
      );
      await audit(session, 'user_created', made.user.id, { email: made.user.email, role: made.user.role, siteId: made.user.siteId });
      return c.json({ user: publicUser(made.user), setupLink: setupLink(baseUrl(c), made.token) }, 201);
    } catch (error) {
      if (!(error instanceof AdminInputError)) throw error;
      return /already has/.test(error.message) ? fail(c, 409, 'conflict', error.message) : fail(c, 400, 'bad_request', error.message);
    }
  });

  api.all('*', (c) => fail(c, 404, 'not_found', 'No such console endpoint.'));
  return api;
}

function publicUser(user: ConsoleUser): ConsoleUser {
  return { id: user.id, email: user.email, role: user.role, orgId: user.orgId, siteId: user.siteId };
}

function csvAnswer(c: Context, text: string, fileName: string) {
  return c.body(text, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName}"` });
}
