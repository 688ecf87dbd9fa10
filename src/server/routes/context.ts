// Owns what the route modules share: the store, the clock, the logger, the rate limiters, and the gates a request
// passes before a route acts for a device (its credential, the database generation, what it tells of itself).
import type { Context, MiddlewareHandler } from 'hono';
import { ACKNOWLEDGED_HEADER, APP_VERSION_HEADER, WAITING_HEADER, readAccessToken } from '../../protocol';
import { accessTokenHash, readDeviceToken, sameHash } from '../credentials';
import type { ConsoleStore } from '../console/console-store';
import { tabletReportOf } from '../console/serve';
import type { Logger } from '../log';
import type { RateLimiter } from '../rate-limit';
import type { Device, Store } from '../store';
import { fail, type Env } from './edge';

const LAST_SEEN_PRECISION_MS = 5 * 60_000;

export interface RouteContext {
  store: Store;
  consoleStore: ConsoleStore;
  now: () => number;
  logger: Logger;
  clientAddress: (c: Context) => string;
  deviceLimiter: RateLimiter;
  enrolLimiter: RateLimiter;
  enrolCodeLimiter: RateLimiter;
  authFailures: RateLimiter;
  blobQuotaBytes: number;
  pullWindowMonths: number;
}

export interface Gates {
  /** An address that failed too often waits before any credential is looked at, so a right guess does not stand out. */
  tooManyFailures(c: Context): Response | undefined;
  /** 401 for a credential that names no device, counted against the address. */
  refuseCredential(c: Context): Response;
  /** 401 revoked (with `wipe`) for a device that was removed. */
  refuseRevoked(c: Context, device: Device): Response;
  /** 429 when the device has made too many requests; undefined when it may go on. */
  tooManyFromDevice(c: Context, device: Device): Response | undefined;
  /** Everything behind it acts for one enrolled device, named by its bearer credential. */
  requireDevice: MiddlewareHandler<Env>;
  /** 409 serverBehind when the tablet was acknowledged more than this database holds. */
  requireNotBehind: MiddlewareHandler<Env>;
  /** Keeps what a tablet says about itself (app version, changes waiting) for the console's tablet list. */
  noteTabletReport: MiddlewareHandler<Env>;
}

export function createGates(context: RouteContext): Gates {
  const { store, now, logger, clientAddress, deviceLimiter, authFailures, consoleStore } = context;

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
  const refuseRevoked = (c: Context, device: Device) =>
    fail(
      c,
      401,
      'revoked',
      device.wipe
        ? 'This tablet was removed from the service and must erase its data.'
        : 'This tablet was removed from the service. Its unsent changes stay on it.',
      { wipe: device.wipe },
    );
  const tooManyFromDevice = (c: Context, device: Device) => {
    const allowed = deviceLimiter.take(device.id, now());
    if (allowed.allowed) return undefined;
    c.header('Retry-After', String(allowed.retryAfterSeconds));
    return fail(c, 429, 'rate_limited', `Too many requests from this tablet. Wait ${allowed.retryAfterSeconds} s and try again.`);
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

  const requireDevice: MiddlewareHandler<Env> = async (c, next) => {
    const waiting = tooManyFailures(c);
    if (waiting) return waiting;
    const header = c.req.header('authorization') ?? '';
    const device = await deviceOfCredential(/^Bearer\s+(\S+)$/i.exec(header)?.[1]);
    if (!device) return refuseCredential(c);
    c.set('device', device);
    if (device.revokedAt !== null) return refuseRevoked(c, device);
    const tooMany = tooManyFromDevice(c, device);
    if (tooMany) return tooMany;
    const at = now();
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
    logger.warn(
      { deviceId: device.id, acknowledged, held: device.lastMutationId },
      'a tablet was acknowledged more than the database holds: new database generation',
    );
    const expected = device.lastMutationId + 1;
    return fail(c, 409, 'mutation_gap', `The server has lost changes it had confirmed to this tablet. Send again from ${expected}.`, {
      expected,
      serverBehind: true,
    });
  };

  const noteTabletReport: MiddlewareHandler<Env> = async (c, next) => {
    const report = tabletReportOf(c.req.header(APP_VERSION_HEADER), c.req.header(WAITING_HEADER));
    if (report) await consoleStore.noteTabletReport(c.get('device').id, report, now());
    return next();
  };

  return { tooManyFailures, refuseCredential, refuseRevoked, tooManyFromDevice, requireDevice, requireNotBehind, noteTabletReport };
}
