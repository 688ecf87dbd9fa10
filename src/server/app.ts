// Owns the server's HTTP surface as a whole: the request log, security headers, compression and the error answer for
// every route; the API's route modules (src/server/routes: health, auth, sync, pictures) and the console's API under
// one app; and the built app and console pages.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { PULL_WINDOW_DEFAULT_MONTHS } from '../protocol';
import { clientAddressFrom } from './client-address';
import { compressJson } from './compress';
import { createConsoleApi, type LoginLimits } from './console/api';
import type { PasswordCost } from './console/passwords';
import { ConsoleStore } from './console/console-store';
import { consoleShell } from './console/serve';
import { securityHeaders } from './headers';
import { createLogger, routeOf, type Logger } from './log';
import { RateLimiter, type RateLimit } from './rate-limit';
import { authRoutes } from './routes/auth';
import { createGates, type RouteContext } from './routes/context';
import { fail, type Env } from './routes/edge';
import { healthRoutes } from './routes/health';
import { pictureRoutes } from './routes/pictures';
import { syncRoutes } from './routes/sync';
import type { Device, Store } from './store';

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

// A sync is one push, a few pull pages and some pictures; a guide pack download may fetch dozens of pictures at once.
export const DEFAULT_DEVICE_RATE_LIMIT: RateLimit = { burst: 120, perSecond: 2 };
export const DEFAULT_ENROL_RATE_LIMIT: RateLimit = { burst: 10, perSecond: 0.1 };
export const DEFAULT_ENROL_CODE_RATE_LIMIT: RateLimit = { burst: 5, perSecond: 1 / 60 };
// A tablet with a stale token tries once per sync round; a script trying tokens is stopped after 20.
export const DEFAULT_AUTH_FAILURE_RATE_LIMIT: RateLimit = { burst: 20, perSecond: 0.2 };
export const DEFAULT_BLOB_QUOTA_BYTES = 2 * 1024 ** 3;

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

export function createApp(options: AppOptions): Hono<Env> {
  const { store } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger();
  const clientAddress = (c: Context) => clientAddressFrom(c.req.header('x-forwarded-for'), socketAddress(c), options.trustProxy ?? 0);
  const app = new Hono<Env>();
  const consoleStore = new ConsoleStore(store.database);

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const device = c.get('device') as Device | undefined;
    logger.info(
      { deviceId: device?.id, method: c.req.method, route: routeOf(c.req.path), status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  });
  app.use('*', securityHeaders({ hsts: /^https:\/\//i.test(options.publicUrl ?? '') }));
  app.use('*', compress());
  // Inside hono/compress: JSON answers are packed here, on the thread pool, and compress() leaves them be.
  app.use('*', compressJson());

  app.onError((error, c) => {
    // The error's name and message only: a stack or body could carry what a device sent.
    logger.error({ route: routeOf(c.req.path), error: error.name, message: error.message }, 'request failed');
    return fail(c, 500, 'internal', 'Something went wrong on the server. Your changes are safe on the tablet; try again later.');
  });

  // The API, one module per concern; each route names its own gates (protocol header, credential, body).
  const context: RouteContext = {
    store,
    consoleStore,
    now,
    logger,
    clientAddress,
    deviceLimiter: new RateLimiter(options.deviceRateLimit ?? DEFAULT_DEVICE_RATE_LIMIT),
    enrolLimiter: new RateLimiter(options.enrolRateLimit ?? DEFAULT_ENROL_RATE_LIMIT),
    enrolCodeLimiter: new RateLimiter(options.enrolCodeRateLimit ?? DEFAULT_ENROL_CODE_RATE_LIMIT),
    authFailures: new RateLimiter(options.authFailureRateLimit ?? DEFAULT_AUTH_FAILURE_RATE_LIMIT),
    blobQuotaBytes: options.blobQuotaBytes ?? DEFAULT_BLOB_QUOTA_BYTES,
    pullWindowMonths: options.pullWindowMonths ?? PULL_WINDOW_DEFAULT_MONTHS,
  };
  const gates = createGates(context);
  app.route('/v1', healthRoutes(store, options.version));
  app.route('/v1', authRoutes(context, gates));
  app.route('/v1', syncRoutes(context, gates));
  app.route('/v1', pictureRoutes(context, gates));

  app.all('/v1/*', (c) => fail(c, 404, 'not_found', 'No such API endpoint.'));

  // The coordinator's console (issue 18): its API, and its own page built beside the app (dist/console/).
  app.route(
    '/console/api',
    createConsoleApi({
      store,
      consoleStore,
      now,
      logger,
      clientAddress,
      publicUrl: options.publicUrl,
      trustProxy: options.trustProxy ?? 0,
      loginLimits: options.consoleLoginLimits,
      passwordCost: options.consolePasswordCost,
    }),
  );
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
