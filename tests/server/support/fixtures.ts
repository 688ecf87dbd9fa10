// Owns the server tests' per-test set-up on one storage backend, as Vitest fixtures:
// - `opened`: a fresh, empty store on that backend, opened with `storeOptions` (none unless a suite overrides them);
//   it and every store `reopen`ed on its data are closed, and the data removed, after the test. `store` is its store.
// - `clock`: the test's own clock, at T0 until the test moves it; the world's app and `serve`'s servers read it.
// - `appOptions`: what the world's app is made with besides that clock (a suite: `it.override('appOptions', …)`).
// - `world`: organisations, sites and enrolled tablets built on it all.
// - `serve`: starts real servers on the test's data and clock, stopped after the test.
// A test names the fixtures it needs; only those (and what they need) are made.
import type { Hono } from 'hono';
import { test } from 'vitest';
import type { AppOptions } from '../../../src/server/app';
import { createLogger } from '../../../src/server/log';
import { startServer, type RunningServer, type StartOptions } from '../../../src/server/main';
import type { Store } from '../../../src/server/store';
import type { Backend, StoreOptions } from './backends';
import { buildWorld, T0 } from './world';

/** A clock the test moves by hand: `clock.at += ms`. Hand `clock.now` to whatever should read it (the app, a server). */
export interface TestClock {
  at: number;
  readonly now: () => number;
}

/** A server started by `serve`, with a client of its real HTTP port in the shape `enrol` and `tabletOf` take. */
export interface ServedServer extends RunningServer {
  http: Hono;
}

/** Makes `close` safe to call again, so a test may close what the fixture also closes after it. */
function closingOnce<T extends { close(): Promise<void> }>(closable: T): T {
  let closed: Promise<void> | undefined;
  const close = closable.close.bind(closable);
  closable.close = () => (closed ??= close());
  return closable;
}

export function backendTest(backend: Backend) {
  return (
    test
      // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this pattern; it has none.
      .extend('storeOptions', ({}): StoreOptions => ({}))
      .extend('opened', async ({ storeOptions }, { onCleanup }) => {
        const opened = await backend.open(storeOptions);
        const stores: Store[] = [closingOnce(opened.store)];
        const reopen = opened.reopen;
        opened.reopen = async () => {
          const store = closingOnce(await reopen());
          stores.push(store);
          return store;
        };
        onCleanup(async () => {
          for (const store of stores) await store.close();
          await opened.cleanup();
        });
        return opened;
      })
      .extend('store', ({ opened }) => opened.store)
      // biome-ignore lint/correctness/noEmptyPattern: as above.
      .extend('clock', ({}): TestClock => {
        const clock: TestClock = { at: T0, now: () => clock.at };
        return clock;
      })
      // biome-ignore lint/correctness/noEmptyPattern: as above.
      .extend('appOptions', ({}): Partial<AppOptions> => ({}))
      .extend('world', ({ store, clock, appOptions }) => buildWorld(store, { now: clock.now, ...appOptions }))
      .extend('serve', ({ opened, clock }, { onCleanup }) => {
        const servers: ServedServer[] = [];
        onCleanup(async () => {
          for (const server of servers) await server.close();
        });
        const config = { ...opened.config, port: 0, host: '127.0.0.1', staticDir: opened.config.dataDir };
        return async (options: StartOptions = {}): Promise<ServedServer> => {
          const running = await startServer(config, 'test', { logger: createLogger('silent'), now: clock.now, ...options });
          const http = { request: (path: string, init?: RequestInit) => fetch(new URL(path, running.url), init) } as unknown as Hono;
          const server = closingOnce({ ...running, http });
          servers.push(server);
          return server;
        };
      })
  );
}

export type BackendTest = ReturnType<typeof backendTest>;
