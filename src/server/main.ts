// Owns starting and stopping the server process: storage, HTTP listener, graceful shutdown.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type AppOptions } from './app';
import type { ServerConfig } from './config';
import { openStore, type Store } from './store';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, version: string, extra: Partial<Pick<AppOptions, 'logger' | 'deviceRateLimit' | 'enrolRateLimit'>> = {}): Promise<RunningServer> {
  const store = await openStore(config);
  const app = createApp({ staticDir: config.staticDir, version, store, ...extra });
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
  return {
    url: `http://localhost:${port}`,
    port,
    store,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => {
          void store.close().then(resolvePromise);
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
