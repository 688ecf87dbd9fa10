// Owns the server's configuration from the environment, with plain-words errors for bad values.
import { resolve } from 'node:path';
import { PULL_WINDOW_DEFAULT_MONTHS } from '../protocol';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  staticDir: string;
  databaseUrl: string | undefined;
  /** Room for each organisation's pictures unless it has its own (PICTURE_QUOTA_MB; default 2 GiB). */
  blobQuotaBytes?: number;
  /** How many proxies of the operator's own stand in front (TRUST_PROXY); 0: the socket's address is the client's. */
  trustProxy?: number;
  /** The address people and tablets use (PUBLIC_URL), if set. */
  publicUrl?: string;
  /** How many months of their site's logs and feedback tablets are sent (PULL_WINDOW_MONTHS; default 13). */
  pullWindowMonths?: number;
}

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const rawPort = env.PORT ?? '8080';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535 (or 0 for any free port), not "${rawPort}".`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it unset to use the built-in SQLite file).');
  }
  const rawQuota = env.PICTURE_QUOTA_MB?.trim() || '2048';
  if (!/^\d{1,9}$/.test(rawQuota) || Number(rawQuota) < 1) {
    throw new ConfigError(`PICTURE_QUOTA_MB must be a whole number of megabytes (MiB) for each organisation's pictures, e.g. 2048, not "${rawQuota}".`);
  }
  const rawTrust = env.TRUST_PROXY?.trim() || '0';
  if (!/^\d$/.test(rawTrust)) {
    throw new ConfigError(
      `TRUST_PROXY must be the number of your own proxies in front of the server (usually 1), or unset when there is none, not "${rawTrust}".`,
    );
  }
  const publicUrl = env.PUBLIC_URL?.trim() || undefined;
  if (publicUrl && !/^https?:\/\/[^\s/]+/i.test(publicUrl)) {
    throw new ConfigError(`PUBLIC_URL must be the address people open, starting with https:// (or http://), not "${publicUrl}".`);
  }
  const rawWindow = env.PULL_WINDOW_MONTHS?.trim() || String(PULL_WINDOW_DEFAULT_MONTHS);
  if (!/^\d{1,3}$/.test(rawWindow) || Number(rawWindow) < 1) {
    throw new ConfigError(
      `PULL_WINDOW_MONTHS must be a whole number of months from 1 up, e.g. 13 (how far back tablets are sent their site's logs), not "${rawWindow}".`,
    );
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(cwd, env.DATA_DIR ?? 'data'),
    staticDir: resolve(cwd, env.STATIC_DIR ?? 'dist'),
    databaseUrl,
    blobQuotaBytes: Number(rawQuota) * 1024 * 1024,
    trustProxy: Number(rawTrust),
    publicUrl,
    pullWindowMonths: Number(rawWindow),
  };
}
