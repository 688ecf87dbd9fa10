// Owns starting and stopping the server process: storage, HTTP listener, graceful shutdown.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import type { ServerConfig } from './config';
import { openSqlite } from './sqlite';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, version: string): Promise<RunningServer> {
  const sqlite = openSqlite(config.dataDir);
  const app = createApp({
    staticDir: config.staticDir,
    version,
    storage: 'sqlite',
    storageReady: () => sqlite.prepare('select 1 as ok').get() !== undefined,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolvePromise, reject) => {
    const instance = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolvePromise(instance));
    instance.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => {
          sqlite.close();
          resolvePromise();
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
