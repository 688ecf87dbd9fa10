// Owns the server's structured log: one line per request with device id, route, status and duration — never tokens, bodies or addresses.
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  // Belt and braces: were anything secret ever passed to the logger, pino blanks it.
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    redact: { paths: ['token', 'authorization', 'headers', 'body', 'code', 'ip', '*.token', '*.authorization'], censor: '[hidden]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Every route of the API but the pictures' (tests check this list against the app's routes). */
export const API_ROUTES = new Set([
  '/v1/health',
  '/v1/enrol',
  '/v1/push',
  '/v1/pull',
  '/v1/org-note-key',
  '/v1/auth/challenge',
  '/v1/auth/token',
  '/v1/auth/bind',
  '/v1/digest',
  '/v1/digest/buckets',
  '/v1/records',
]);

/**
 * The route pattern of a path, so a log line never carries a picture's hash, an in-app address, or whatever
 * someone typed after /v1/ (a code pasted into the address bar): only the server's own routes are named.
 */
export function routeOf(path: string): string {
  if (API_ROUTES.has(path)) return path;
  if (/^\/v1\/blobs\/[^/]+$/.test(path)) return '/v1/blobs/:sha256';
  if (path === '/v1' || path.startsWith('/v1/')) return '/v1/*';
  if (path.startsWith('/assets/')) return '/assets/*';
  return 'app';
}
