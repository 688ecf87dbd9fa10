// Owns starting and stopping the server process: storage, HTTP listener, graceful shutdown.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type AppOptions } from './app';
import type { ServerConfig } from './config';
import { startHousekeeping } from './housekeeping';
import { createLogger } from './log';
import { openStore, type Store } from './store';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Pick<AppOptions, 'logger' | 'deviceRateLimit' | 'enrolRateLimit' | 'now'>> {
  /** How often the housekeeping timer runs (tests make it short). */
  housekeepingEveryMs?: number;
}

export async function startServer(config: ServerConfig, version: string, extra: StartOptions = {}): Promise<RunningServer> {
  const { housekeepingEveryMs, ...appOptions } = extra;
  const store = await openStore(config);
  const logger = appOptions.logger ?? createLogger();
  const app = createApp({ staticDir: config.staticDir, version, store, ...appOptions, logger });
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
  const housekeeping = startHousekeeping({ store, logger, now: appOptions.now, everyMs: housekeepingEveryMs });
  return {
    url: `http://localhost:${port}`,
    port,
    store,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => {
          void housekeeping.stop().then(() => store.close()).then(resolvePromise);
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
