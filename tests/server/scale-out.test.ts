// Scale-out: server processes keep no state of their own, so several over one PostgreSQL act as one server.
// The test starts two real OS processes of the server on real ports over one database: tablets' sync, and the
// coordinator's console (sessions, logout everywhere and the login rate limit live in the database, not a process).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, type PullResponse, type PushResponse } from '../../src/protocol';
import { createEnrolmentCode, createOrganisation, createSite } from '../../src/server/admin';
import { CSRF_HEADER, DEFAULT_LOGIN_LIMITS, SESSION_COOKIE } from '../../src/server/console/api';
import { createConsoleAccount } from '../../src/server/console/accounts';
import { ConsoleStore } from '../../src/server/console/console-store';
import { BACKENDS, DATABASE_URL, type Backend } from './support/backends';
import { startServerProcess, type ServerProcess } from './support/process';
import { GUIDE, SESSION, hlcAt } from './support/world';

const postgres = BACKENDS.find((backend) => backend.name === 'PostgreSQL');

if (!postgres || !DATABASE_URL) {
  console.warn('scale-out: PostgreSQL suite skipped because DATABASE_URL is not set.');
  describe('two server processes over one PostgreSQL', () => {
    it.skip('PostgreSQL suite skipped: DATABASE_URL is not set', () => {});
  });
} else {
  describe('two server processes over one PostgreSQL', () => {
    let opened: Awaited<ReturnType<Backend['open']>>;
    let servers: ServerProcess[] = [];

    beforeEach(async () => {
      opened = await postgres.open();
      // Two real OS processes of `npm start`'s entry, one after the other (as a load balancer's pool would start them).
      const processEnv = () => {
        const staticDir = mkdtempSync(join(tmpdir(), 'digituki-scale-www-'));
        writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Digituki</title>'); // newer than the sources: no build
        return { DATABASE_URL: opened.config.databaseUrl!, STATIC_DIR: staticDir, DATA_DIR: mkdtempSync(join(tmpdir(), 'digituki-scale-')) };
      };
      servers = [await startServerProcess(processEnv()), await startServerProcess(processEnv())];
    }, 60_000);
    afterEach(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await opened.store.close();
      await opened.cleanup();
    });

    async function enrolAt(server: ServerProcess, code: string) {
      const response = await fetch(`${server.url}/v1/enrol`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [PROTOCOL_HEADER]: '1' },
        body: JSON.stringify({ code, deviceName: 'tablet' }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as { token: string; deviceId: string };
    }

    const call = async <T>(server: ServerProcess, token: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const response = await fetch(`${server.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: '1', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    };

    it('a tablet pushes to one process and another tablet pulls from the other, over real ports', async () => {
      const [one, two] = servers as [ServerProcess, ServerProcess];
      const store = opened.store;
      const org = await createOrganisation(store, 'Org');
      const site = await createSite(store, org.id, 'Site');
      const writer = await enrolAt(one, (await createEnrolmentCode(store, site.id)).code);
      const reader = await enrolAt(two, (await createEnrolmentCode(store, site.id)).code);
      // The server processes run on the real clock: a log from the fixed T0 would fall out of the 13-month pull window.
      const now = Date.now();

      // Concurrent pushes of one device through both processes: each mutation applies once, whoever gets it.
      const batch = Array.from({ length: 40 }, (_, n) => ({
        mutationId: n + 1,
        table: n % 2 ? 'guides' : 'sessions',
        id: `r${n}`,
        hlc: hlcAt(now, 'w', n),
        fields: n % 2 ? GUIDE : { ...SESSION, startedAt: now },
      }));
      const results = await Promise.all([
        call<PushResponse>(one, writer.token, '/v1/push', { mutations: batch.slice(0, 20) }),
        call<PushResponse>(two, writer.token, '/v1/push', { mutations: batch }),
      ]);
      for (const result of results) expect([200, 409]).toContain(result.status);
      const finish = await call<PushResponse>(one, writer.token, '/v1/push', { mutations: batch });
      expect(finish.body.lastMutationId).toBe(40);
      const applied = [...results, finish].filter((r) => r.status === 200).reduce((sum, r) => sum + r.body.applied, 0);
      expect(applied).toBe(40);

      const seen: string[] = [];
      let cursor = '';
      for (let page = 0; page < 20; page += 1) {
        const server = page % 2 ? one : two; // alternate processes between pages
        const { body } = await call<PullResponse>(server, reader.token, `/v1/pull?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...body.changes.map((c) => c.id));
        cursor = body.cursor;
        if (!body.more) break;
      }
      expect(seen.sort()).toEqual(batch.map((m) => m.id).sort());
    });

    /** A console request to one process, as a browser sends it: the session cookie, and the CSRF token for a change. */
    async function consoleCall(server: ServerProcess, method: string, path: string, session?: { cookie: string; csrf: string }, body?: unknown) {
      const response = await fetch(`${server.url}/console/api${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(session ? { Cookie: session.cookie, ...(method === 'GET' ? {} : { [CSRF_HEADER]: session.csrf }) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await response.json()) as { csrfToken?: string; user?: { email: string }; error?: string };
      const cookie = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(response.headers.get('set-cookie') ?? '')?.[1];
      return {
        status: response.status,
        body: answer,
        headers: response.headers,
        session: cookie && answer.csrfToken ? { cookie: `${SESSION_COOKIE}=${cookie}`, csrf: answer.csrfToken } : undefined,
      };
    }

    it('the console: a session made on one process works on the other, logout everywhere ends it on both, failed logins on one limit the other', async () => {
      const [one, two] = servers as [ServerProcess, ServerProcess];
      const org = await createOrganisation(opened.store, 'Org');
      const password = 'kolme sanaa peräkkäin';
      const made = await createConsoleAccount(
        opened.store,
        new ConsoleStore(opened.store.database),
        { orgId: org.id, role: 'coordinator', email: 'k@example.org' },
        Date.now(),
      );

      // Set up through process one; the cookie it gave is a session on process two.
      const setup = await consoleCall(one, 'POST', '/setup', undefined, { token: made.token, password });
      expect(setup.status).toBe(200);
      const first = setup.session!;
      const me = await consoleCall(two, 'GET', '/me', first);
      expect(me.status).toBe(200);
      expect(me.body.user!.email).toBe('k@example.org');
      const second = (await consoleCall(one, 'POST', '/login', undefined, { email: 'k@example.org', password })).session!;
      expect((await consoleCall(one, 'GET', '/me', second)).status).toBe(200);

      // Logout everywhere on process two ends both sessions on process one.
      expect((await consoleCall(two, 'POST', '/logout-everywhere', first)).status).toBe(200);
      expect((await consoleCall(one, 'GET', '/me', first)).status).toBe(401);
      expect((await consoleCall(one, 'GET', '/me', second)).status).toBe(401);

      // Failed logins counted on process one refuse even the right password on process two.
      for (let i = 0; i < DEFAULT_LOGIN_LIMITS.perAccount; i++)
        expect((await consoleCall(one, 'POST', '/login', undefined, { email: 'k@example.org', password: `väärin ${i} väärin` })).status).toBe(401);
      const limited = await consoleCall(two, 'POST', '/login', undefined, { email: 'k@example.org', password });
      expect(limited.status).toBe(429);
      expect(limited.body.error).toBe('rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.session).toBeUndefined();
    });
  });
}
