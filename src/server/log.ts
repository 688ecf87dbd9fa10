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

/** The route pattern of a path, so a log line never carries a picture's hash or an in-app address. */
export function routeOf(path: string): string {
  if (path.startsWith('/v1/blobs/')) return '/v1/blobs/:sha256';
  if (path.startsWith('/v1/')) return /^\/v1\/[a-z]+$/.test(path) ? path : '/v1/*';
  if (path.startsWith('/assets/')) return '/assets/*';
  return 'app';
}
