// Owns starting and stopping the server process: storage, HTTP listener, graceful shutdown.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type AppOptions } from './app';
import type { ServerConfig } from './config';
import { startHousekeeping } from './housekeeping';
import { createLogger } from './log';
import { openStore, type Store } from './store';
import { WATERMARK_EVERY_MS, checkWatermark, writeWatermark } from './watermark';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Pick<AppOptions, 'logger' | 'deviceRateLimit' | 'enrolRateLimit' | 'authFailureRateLimit' | 'now'>> {
  /** How often the housekeeping timer runs (tests make it short). */
  housekeepingEveryMs?: number;
}

export async function startServer(config: ServerConfig, version: string, extra: StartOptions = {}): Promise<RunningServer> {
  const { housekeepingEveryMs, ...appOptions } = extra;
  const store = await openStore(config);
  const logger = appOptions.logger ?? createLogger();
  const now = appOptions.now ?? Date.now;
  try {
    await checkWatermark(store, config.dataDir, now(), logger);
  } catch (error) {
    await store.close();
    throw error;
  }
  const app = createApp({
    staticDir: config.staticDir,
    version,
    store,
    blobQuotaBytes: config.blobQuotaBytes,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    pullWindowMonths: config.pullWindowMonths,
    ...appOptions,
    logger,
  });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolvePromise, reject) => {
      const instance = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolvePromise(instance));
      instance.once('error', reject);
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const housekeeping = startHousekeeping({
    store,
    logger,
    now,
    everyMs: housekeepingEveryMs,
    chores: [{ name: 'watermark', everyMs: WATERMARK_EVERY_MS, run: (at) => writeWatermark(store, config.dataDir, at) }],
  });
  return {
    url: `http://localhost:${port}`,
    port,
    store,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => {
          void housekeeping
            .stop()
            .then(() => writeWatermark(store, config.dataDir, now()))
            .catch((error: unknown) => logger.error({ error: (error as Error).name, message: (error as Error).message }, 'watermark not written at shutdown'))
            .then(() => store.close())
            .then(resolvePromise);
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
