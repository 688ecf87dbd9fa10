// The running server forgets what it must not keep: quarantined mutations older than 30 days go on a timer, not only
// when the server happens to be restarted (a server that runs for months would otherwise keep them for months).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEnrolmentCode, createOrganisation, createSite } from '../../src/server/admin';
import { startServer, type RunningServer } from '../../src/server/main';
import { QUARANTINE_KEEP_DAYS } from '../../src/server/store/store';
import { createLogger } from '../../src/server/log';
import { describeEachBackend, type Backend } from './support/backends';
import { T0, enrol, hlcAt } from './support/world';
import type { Hono } from 'hono';

const DAY = 86_400_000;

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeEachBackend('housekeeping while the server runs', (backend: Backend) => {
  let opened: Awaited<ReturnType<Backend['open']>>;
  let server: RunningServer | undefined;

  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await opened.store.close();
    await opened.cleanup();
  });

  it('purges quarantined mutations once they are 30 days old, without a restart', async () => {
    let now = T0;
    server = await startServer({ ...opened.config, port: 0, host: '127.0.0.1', staticDir: opened.config.dataDir }, 'test', {
      logger: createLogger('silent'),
      now: () => now,
      housekeepingEveryMs: 25,
    });
    const store = server.store;
    const organisation = await createOrganisation(store, 'Helsingin Digituki', T0);
    const site = await createSite(store, organisation.id, 'Päiväkeskus Kallio', T0);
    const viaHttp = { request: (path: string, init?: RequestInit) => fetch(new URL(path, server!.url), init) } as unknown as Hono;
    const tablet = await enrol(viaHttp, (await createEnrolmentCode(store, site.id, 24, T0)).code);
    const refused = await tablet.push([{ mutationId: 1, table: 'participants', id: 'p1', hlc: hlcAt(T0), fields: {} }]);
    expect(refused.body.quarantined).toHaveLength(1);
    expect(await store.quarantined(organisation.id)).toHaveLength(1);

    now = T0 + (QUARANTINE_KEEP_DAYS - 1) * DAY; // still within the 30 days: kept
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.quarantined(organisation.id)).toHaveLength(1);

    now = T0 + (QUARANTINE_KEEP_DAYS + 1) * DAY;
    await until(async () => (await store.quarantined(organisation.id)).length === 0, 'the quarantined mutation is purged');
  });
});
