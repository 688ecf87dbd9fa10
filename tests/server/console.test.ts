// The coordinator's console API (issue 18): accounts and set-up links, password and passkey login, database-held
// sessions shared by two server processes, expiry, logout everywhere, CSRF, roles, login rate limits, audit entries,
// the dashboard counted exactly as the tablet's report counts, and plain 400s for bad bodies — on SQLite and PostgreSQL.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { aggregate, suppressSmallCells } from '../../src/reports/aggregate';
import { asSessionLog } from '../../src/sessions/session-log';
import { compareOrder } from '../../src/lib/order-key';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/server/console/api';
import { createConsoleAccount } from '../../src/server/console/accounts';
import { ConsoleStore } from '../../src/server/console/console-store';
import { createEnrolmentCode } from '../../src/server/admin';
import type { Store } from '../../src/server/store';
import { describeEachBackend, type Backend } from './support/backends';
import { consoleClient, ORIGIN, registerPasskey, SoftwareAuthenticator, type ConsoleClient } from './support/console';
import { FEEDBACK, GUIDE, SESSION, change, enrol, headers, hlcAt, makeApp, T0 } from './support/world';

const PASSWORD = 'kolme sanaa peräkkäin';
// argon2id at a test's cost: the rules are the same, the machine is spared (one test checks the real cost).
const FAST = { consolePasswordCost: { memoryKiB: 64, iterations: 1 } };

describeEachBackend('console', (backend: Backend, base) => {
  const it = base
    // The world's app, and the console's accounts on the test's store.
    .extend('app', ({ world }) => world.app)
    .extend('accounts', ({ store }) => new ConsoleStore(store.database))
    // `account(…)`: an account made as the CLI makes it, set up through its one-time link, logged in.
    .extend(
      'account',
      ({ store, accounts, world, clock }) =>
        async (email: string, role: 'coordinator' | 'site-admin', orgId = world.orgA, siteId?: string, on: Hono = world.app): Promise<ConsoleClient> => {
          const made = await createConsoleAccount(store, accounts, { orgId, siteId, role, email }, clock.at);
          const client = consoleClient(on);
          const setup = await client.call('POST', '/setup', { token: made.token, password: PASSWORD });
          expect(setup.status).toBe(200);
          return client;
        },
    );
  it.override('appOptions', FAST);

  it("serves the console's own page at /console/ (with the strict CSP), never the tablet app's, and its API answers JSON", async ({ store, clock }) => {
    const dist = mkdtempSync(join(tmpdir(), 'digituki-dist-'));
    mkdirSync(join(dist, 'console'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>tablet app</title>');
    writeFileSync(join(dist, 'console', 'index.html'), '<!doctype html><title>console</title>');
    const served = makeApp(store, { staticDir: dist, now: clock.now });
    const redirect = await served.request('/console');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    for (const path of ['/console/', '/console/sites', '/console/tablets/abc']) {
      const page = await served.request(path);
      expect(page.status, path).toBe(200);
      expect(await page.text()).toContain('<title>console</title>');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    }
    expect(await (await served.request('/reports')).text()).toContain('tablet app');
    const unknown = await served.request('/console/api/nothing');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toBe('not_found');
    expect((await served.request('/console/api/me')).headers.get('cache-control')).toBe('no-store');
    rmSync(dist, { recursive: true, force: true });
  });

  it('a set-up link makes the password and logs in once; it cannot be used again', async ({ store, world, clock, app, accounts }) => {
    const made = await createConsoleAccount(store, accounts, { orgId: world.orgA, role: 'coordinator', email: ' Koordinaattori@Example.org ' }, clock.at);
    expect(made.user.email).toBe('koordinaattori@example.org');
    const client = consoleClient(app);
    expect((await client.call('POST', '/setup', { token: made.token, password: 'lyhyt' })).status).toBe(400);
    const setup = await client.call('POST', '/setup', { token: made.token, password: PASSWORD });
    expect(setup.status).toBe(200);
    expect(setup.body.user).toEqual({ id: made.user.id, email: 'koordinaattori@example.org', role: 'coordinator', orgId: world.orgA, siteId: null });
    expect(setup.headers.get('set-cookie')).toMatch(/^digituki_console=[^;]+;.*HttpOnly/i);
    expect(setup.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect(setup.headers.get('set-cookie')).not.toMatch(/Secure/i); // plain http here
    const me = await client.call('GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email: 'koordinaattori@example.org' }, csrfToken: setup.body.csrfToken, hasPassword: true, passkeys: 0 });
    const again = await consoleClient(app).call('POST', '/setup', { token: made.token, password: PASSWORD });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('setup_invalid');
  });

  it('a set-up link expires after 7 days', async ({ store, world, clock, app, accounts }) => {
    const made = await createConsoleAccount(store, accounts, { orgId: world.orgA, role: 'coordinator', email: 'k@example.org' }, clock.at);
    clock.at += 7 * 86_400_000 + 1;
    expect((await consoleClient(app).call('POST', '/setup', { token: made.token, password: PASSWORD })).body.error).toBe('setup_invalid');
  });

  it('the session cookie is Secure when the server is reached over https', async ({ store, world, clock, accounts }) => {
    const secureApp = makeApp(store, { now: clock.now, publicUrl: 'https://tuki.example.org', ...FAST });
    const made = await createConsoleAccount(store, accounts, { orgId: world.orgA, role: 'coordinator', email: 'k@example.org' }, clock.at);
    const response = await secureApp.request('https://tuki.example.org/console/api/setup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: made.token, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it("passwords are kept as argon2id with OWASP's cost (19 MiB, 2 passes), never as typed", async ({ store, world, clock, accounts }) => {
    const made = await createConsoleAccount(store, accounts, { orgId: world.orgA, role: 'coordinator', email: 'k@example.org' }, clock.at);
    const realCost = makeApp(store, { now: clock.now });
    expect((await consoleClient(realCost).call('POST', '/setup', { token: made.token, password: PASSWORD })).status).toBe(200);
    const stored = (await accounts.findUserByEmail('k@example.org'))!.passwordHash!;
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain(PASSWORD);
    expect(await consoleClient(realCost).login('k@example.org', PASSWORD)).toBe(200);
  });

  it('password login: right password in, wrong password or unknown email out with the same words', async ({ app, account }) => {
    await account('k@example.org', 'coordinator');
    const client = consoleClient(app);
    expect(await client.login('k@example.org', 'väärä salasana tässä')).toBe(401);
    const unknown = await client.call('POST', '/login', { email: 'nobody@example.org', password: PASSWORD });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('login_failed');
    expect(await client.login('K@EXAMPLE.ORG', PASSWORD)).toBe(200);
    expect((await client.call('GET', '/me')).status).toBe(200);
    expect((await consoleClient(app).call('GET', '/me')).status).toBe(401);
  });

  it('passkey: registered with a software authenticator, then logs in; a bad signature or a reused challenge does not', async ({ app, account }) => {
    const client = await account('k@example.org', 'coordinator');
    const authenticator = new SoftwareAuthenticator();
    const options = await client.call('POST', '/passkeys/register/options');
    expect(options.status).toBe(200);
    const registered = await client.call('POST', '/passkeys/register/verify', {
      challengeId: options.body.challengeId,
      response: authenticator.register(options.body.options),
    });
    expect(registered.status).toBe(200);
    expect(registered.body.passkeys).toBe(1);

    const browser = consoleClient(app);
    const loginOptions = await browser.call('POST', '/passkeys/login/options', {});
    const tampered = await browser.call('POST', '/passkeys/login/verify', {
      challengeId: loginOptions.body.challengeId,
      response: authenticator.authenticate(loginOptions.body.options, true),
    });
    expect(tampered.status).toBe(401);
    // The challenge was used by the failed try: it cannot be used again, even with a good signature.
    const reused = await browser.call('POST', '/passkeys/login/verify', {
      challengeId: loginOptions.body.challengeId,
      response: authenticator.authenticate(loginOptions.body.options),
    });
    expect(reused.status).toBe(401);
    const fresh = await browser.call('POST', '/passkeys/login/options', {});
    const login = await browser.call('POST', '/passkeys/login/verify', {
      challengeId: fresh.body.challengeId,
      response: authenticator.authenticate(fresh.body.options),
    });
    expect(login.status).toBe(200);
    expect(login.body.user.email).toBe('k@example.org');
    expect((await browser.call('GET', '/me')).body.passkeys).toBe(1);
    // A passkey's login of another browser's challenge is refused: the challenge is tied to the server's record.
    const otherOrigin = new SoftwareAuthenticator('http://evil.example');
    expect((await registerPasskey(client, otherOrigin)).status).toBe(400);
  });

  it("failed passkey logins count against the address (and a known passkey's account), never against everyone's passkeys", async ({ app, account }) => {
    const client = await account('k@example.org', 'coordinator');
    const authenticator = new SoftwareAuthenticator();
    expect((await registerPasskey(client, authenticator)).status).toBe(200);
    const stranger = new SoftwareAuthenticator();
    const browser = consoleClient(app);
    for (let i = 0; i < 6; i++) {
      const tried = await browser.call('POST', '/passkeys/login/options', {});
      expect(
        (await browser.call('POST', '/passkeys/login/verify', { challengeId: tried.body.challengeId, response: stranger.authenticate(tried.body.options) }))
          .status,
      ).toBe(401);
    }
    const fresh = await browser.call('POST', '/passkeys/login/options', {});
    expect(
      (await browser.call('POST', '/passkeys/login/verify', { challengeId: fresh.body.challengeId, response: authenticator.authenticate(fresh.body.options) }))
        .status,
    ).toBe(200);
  });

  it('sessions live in the database: two server processes over one store share them, and logout everywhere ends both', async ({
    store,
    world,
    clock,
    account,
  }) => {
    const first = makeApp(store, { now: clock.now, ...FAST });
    const second = makeApp(store, { now: clock.now, ...FAST });
    const browserA = await account('k@example.org', 'coordinator', world.orgA, undefined, first);
    const browserB = consoleClient(second);
    expect(await browserB.login('k@example.org', PASSWORD)).toBe(200);
    // Browser A's cookie, presented to the other process.
    const viaSecond = consoleClient(second);
    viaSecond.cookie = browserA.cookie;
    viaSecond.csrf = browserA.csrf;
    expect((await viaSecond.call('GET', '/me')).status).toBe(200);
    expect((await viaSecond.call('POST', '/logout-everywhere')).status).toBe(200);
    expect((await browserA.call('GET', '/me')).status).toBe(401);
    expect((await browserB.call('GET', '/me')).status).toBe(401);
  });

  it("logout ends only this browser's session", async ({ app, account }) => {
    const one = await account('k@example.org', 'coordinator');
    const two = consoleClient(app);
    expect(await two.login('k@example.org', PASSWORD)).toBe(200);
    const cookie = one.cookie;
    expect((await one.call('POST', '/logout')).status).toBe(200);
    const replay = consoleClient(app);
    replay.cookie = cookie;
    expect((await replay.call('GET', '/me')).status).toBe(401);
    expect((await two.call('GET', '/me')).status).toBe(200);
  });

  it('sessions expire when idle and after an absolute time, however busy', async ({ clock, app, account }) => {
    const idle = await account('k@example.org', 'coordinator');
    clock.at += SESSION_IDLE_MS - 1000;
    expect((await idle.call('GET', '/me')).status).toBe(200);
    clock.at += SESSION_IDLE_MS + 1000;
    expect((await idle.call('GET', '/me')).status).toBe(401);

    const busy = consoleClient(app);
    expect(await busy.login('k@example.org', PASSWORD)).toBe(200);
    const started = clock.at;
    while (clock.at < started + SESSION_ABSOLUTE_MS - SESSION_IDLE_MS) {
      clock.at += SESSION_IDLE_MS / 2;
      expect((await busy.call('GET', '/me')).status).toBe(200);
    }
    clock.at = started + SESSION_ABSOLUTE_MS;
    expect((await busy.call('GET', '/me')).status).toBe(401);
  });

  it("CSRF: a state change without the session's token, or with another, is refused and changes nothing", async ({ app, account }) => {
    const client = await account('k@example.org', 'coordinator');
    const other = await account('k2@example.org', 'coordinator');
    const missing = await client.call('POST', '/sites', { name: 'Uusi' }, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body.error).toBe('csrf');
    expect((await client.call('POST', '/sites', { name: 'Uusi' }, { csrf: other.csrf })).status).toBe(403);
    expect((await client.call('POST', '/logout-everywhere', undefined, { csrf: 'x' })).status).toBe(403);
    expect((await client.call('GET', '/sites')).body.map((s: { name: string }) => s.name)).not.toContain('Uusi');
    expect((await client.call('POST', '/sites', { name: 'Uusi' })).status).toBe(201);
    // A login posted from another site's page is refused.
    const crossSite = await consoleClient(app).call(
      'POST',
      '/login',
      { email: 'k@example.org', password: PASSWORD },
      { headers: { Origin: 'https://evil.example' } },
    );
    expect(crossSite.status).toBe(403);
    expect(
      (await consoleClient(app).call('POST', '/login', { email: 'k@example.org', password: PASSWORD }, { headers: { 'Content-Type': 'text/plain' } })).status,
    ).toBe(415);
  });

  it('CSRF, route by route: each state-changing route refuses a request without its session token (or with another) and changes nothing', async ({
    store,
    world,
    clock,
    app,
    account,
    accounts,
  }) => {
    await world.a1.push([change(world.a1, 'guides', 'g1', GUIDE, hlcAt(T0, 'a1'))]);
    const stranger = await account('stranger@example.org', 'coordinator');
    let accountsMade = 0;
    const fresh = () => account(`csrf${(accountsMade += 1)}@example.org`, 'coordinator');
    type Prepared = { path: string; body?: unknown; client: ConsoleClient };
    type Answer = Awaited<ReturnType<ConsoleClient['call']>>;
    // Each case: what it sends (made before the state is read, so it may itself write), and what its success leaves.
    const withSession: Record<
      string,
      { prepare: (client: ConsoleClient) => Promise<Omit<Prepared, 'client'>>; done: (answer: Answer, p: Prepared) => Promise<void> }
    > = {
      'POST /logout': {
        prepare: async () => ({ path: '/logout' }),
        done: async (_answer, { client }) => expect((await client.call('GET', '/me')).status).toBe(401),
      },
      'POST /logout-everywhere': {
        prepare: async () => ({ path: '/logout-everywhere' }),
        done: async (_answer, { client }) => expect((await client.call('GET', '/me')).status).toBe(401),
      },
      'POST /password': {
        prepare: async () => ({ path: '/password', body: { currentPassword: PASSWORD, newPassword: 'neljä sanaa peräkkäin nyt' } }),
        done: async (_answer, { client }) => {
          const email = (await client.call('GET', '/me')).body.user.email;
          expect(await consoleClient(app).login(email, 'neljä sanaa peräkkäin nyt')).toBe(200);
        },
      },
      'POST /passkeys/register/options': {
        prepare: async () => ({ path: '/passkeys/register/options' }),
        done: async (answer) => expect(answer.body.challengeId).toEqual(expect.any(String)),
      },
      'POST /passkeys/register/verify': {
        prepare: async (client) => {
          const options = await client.call('POST', '/passkeys/register/options');
          return {
            path: '/passkeys/register/verify',
            body: { challengeId: options.body.challengeId, response: new SoftwareAuthenticator().register(options.body.options) },
          };
        },
        done: async (_answer, { client }) => expect((await client.call('GET', '/me')).body.passkeys).toBe(1),
      },
      'POST /sites': {
        prepare: async () => ({ path: '/sites', body: { name: 'Uusi' } }),
        done: async (_answer, { client }) => expect((await client.call('GET', '/sites')).body.map((s: { name: string }) => s.name)).toContain('Uusi'),
      },
      'PATCH /sites/:id': {
        prepare: async () => ({ path: `/sites/${world.siteA2}`, body: { name: 'Itäkeskus' } }),
        done: async () => expect((await store.findSite(world.siteA2))!.name).toBe('Itäkeskus'),
      },
      'POST /sites/:id/enrolment-codes': {
        prepare: async () => ({ path: `/sites/${world.siteA1}/enrolment-codes`, body: {} }),
        done: async (answer) => expect((await enrol(app, answer.body.code, 'Uusi tabletti')).siteId).toBe(world.siteA1),
      },
      'POST /tablets/:id/revoke': {
        prepare: async () => ({ path: `/tablets/${world.a2.deviceId}/revoke`, body: { wipe: true, confirmName: 'Olohuone tablet' } }),
        done: async () => expect((await world.a2.pull()).body).toMatchObject({ error: 'revoked', wipe: true }),
      },
      'POST /guides/:id/hide': {
        prepare: async () => ({ path: '/guides/g1/hide' }),
        done: async (_answer, { client }) => expect((await client.call('GET', '/guides/g1')).body.hidden).toBe(true),
      },
      'PUT /settings': {
        prepare: async () => ({ path: '/settings', body: { retentionMonths: 24 } }),
        done: async () => expect((await store.getRetention(world.orgA))!.months).toBe(24),
      },
      'POST /users': {
        prepare: async () => ({ path: '/users', body: { email: 'uusi@example.org', role: 'coordinator' } }),
        done: async () => expect(await accounts.findUserByEmail('uusi@example.org')).toBeDefined(),
      },
    };
    // Before a session there is no token: these are refused when another site's page sends them.
    const authenticator = new SoftwareAuthenticator();
    const beforeSession: Record<string, { prepare: () => Promise<{ path: string; body: unknown }>; done: (answer: Answer) => Promise<void> }> = {
      'POST /login': {
        prepare: async () => ({ path: '/login', body: { email: 'stranger@example.org', password: PASSWORD } }),
        done: async (answer) => expect(answer.body.user.email).toBe('stranger@example.org'),
      },
      'POST /setup': {
        prepare: async () => {
          const made = await createConsoleAccount(
            store,
            accounts,
            { orgId: world.orgA, role: 'site-admin', siteId: world.siteA1, email: 'setup@example.org' },
            clock.at,
          );
          return { path: '/setup', body: { token: made.token, password: PASSWORD } };
        },
        done: async (answer) => expect(answer.body.user.email).toBe('setup@example.org'),
      },
      'POST /passkeys/login/options': {
        prepare: async () => ({ path: '/passkeys/login/options', body: {} }),
        done: async (answer) => expect(answer.body.challengeId).toEqual(expect.any(String)),
      },
      'POST /passkeys/login/verify': {
        prepare: async () => {
          const owner = await fresh();
          expect((await registerPasskey(owner, authenticator)).status).toBe(200);
          const login = await consoleClient(app).call('POST', '/passkeys/login/options', {});
          return { path: '/passkeys/login/verify', body: { challengeId: login.body.challengeId, response: authenticator.authenticate(login.body.options) } };
        },
        done: async (answer) => expect(answer.body.user.email).toMatch(/^csrf\d+@example\.org$/),
      },
    };

    // The app's own list of routes: a new state-changing route without a case here fails this test.
    const routes = new Set(
      app.routes
        .filter((route) => route.path.startsWith('/console/api/') && !['GET', 'HEAD', 'OPTIONS', 'ALL'].includes(route.method))
        .map((route) => `${route.method} ${route.path.slice('/console/api'.length)}`),
    );
    expect([...routes].sort()).toEqual([...Object.keys(withSession), ...Object.keys(beforeSession)].sort());

    for (const [route, { prepare, done }] of Object.entries(withSession)) {
      const method = route.split(' ')[0]!;
      const client = await fresh();
      const prepared = { ...(await prepare(client)), client };
      const before = await everything(store);
      for (const csrf of [false, stranger.csrf!, 'x'] as const) {
        const refused = await client.call(method, prepared.path, prepared.body, { csrf });
        expect(refused.status, `${route} with token ${String(csrf)}`).toBe(403);
        expect(refused.body.error).toBe('csrf');
      }
      expect(await everything(store), `${route} changed something`).toEqual(before);
      const answer = await client.call(method, prepared.path, prepared.body);
      expect(answer.status, `${route}: ${answer.text}`).toBeLessThan(300);
      await done(answer, prepared);
    }
    for (const [route, { prepare, done }] of Object.entries(beforeSession)) {
      const method = route.split(' ')[0]!;
      const prepared = await prepare();
      const before = await everything(store);
      const crossSite = consoleClient(app);
      const refused = await crossSite.call(method, prepared.path, prepared.body, { headers: { Origin: 'https://evil.example' } });
      expect(refused.status, route).toBe(403);
      expect(refused.body.error).toBe('csrf');
      expect(refused.headers.get('set-cookie'), route).toBeNull();
      expect(await everything(store), `${route} changed something`).toEqual(before);
      const answer = await consoleClient(app).call(method, prepared.path, prepared.body, { headers: { Origin: ORIGIN } });
      expect(answer.status, `${route}: ${answer.text}`).toBe(200);
      await done(answer);
    }
  });

  /** Every row of every table of the test's database, in a fixed order: what "changes nothing" compares. */
  async function everything(store: Store): Promise<Record<string, string[]>> {
    const tables =
      backend.name === 'SQLite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(
            store.database,
          )
        : await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(store.database);
    const dump: Record<string, string[]> = {};
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(store.database);
      dump[name] = rows.rows.map((row) => JSON.stringify(row)).sort();
    }
    return dump;
  }

  it('login is rate-limited per account and per address, for every process alike', async ({ store, clock, app, account }) => {
    await account('k@example.org', 'coordinator');
    const attacker = consoleClient(app);
    for (let i = 0; i < 5; i++) expect(await attacker.login('k@example.org', `väärin ${i} väärin`)).toBe(401);
    const limited = await attacker.call('POST', '/login', { email: 'k@example.org', password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another process sees the same count.
    expect(await consoleClient(makeApp(store, { now: clock.now, ...FAST })).login('k@example.org', PASSWORD)).toBe(429);
    clock.at += 15 * 60_000 + 1;
    expect(await attacker.login('k@example.org', PASSWORD)).toBe(200);

    // Per address: many accounts tried from one address.
    for (let i = 0; i < 20; i++) expect(await attacker.login(`guess${i}@example.org`, 'mikä tahansa salasana')).toBe(401);
    expect(await attacker.login('k@example.org', PASSWORD)).toBe(429);
  });

  it("every console action is in the organisation's audit log (who, what, when), exportable, and nothing of another organisation", async ({
    world,
    clock,
    app,
    account,
  }) => {
    const coordinator = await account('k@example.org', 'coordinator');
    const site = await coordinator.call('POST', '/sites', { name: 'Kirjasto' });
    await coordinator.call('PATCH', `/sites/${site.body.id}`, { name: 'Pääkirjasto' });
    await coordinator.call('POST', `/sites/${world.siteA1}/enrolment-codes`, {});
    await coordinator.call('POST', `/tablets/${world.a2.deviceId}/revoke`, { wipe: false, confirmName: 'Olohuone tablet' });
    await world.a1.push([change(world.a1, 'guides', 'g1', GUIDE, hlcAt(T0, 'a1'))]);
    await coordinator.call('POST', '/guides/g1/hide');
    await coordinator.call('POST', '/users', { email: 'admin@example.org', role: 'site-admin', siteId: world.siteA1 });
    await coordinator.call('GET', `/dashboard.csv?from=2025-12&to=2025-12`);
    await consoleClient(app).login('k@example.org', 'väärä salasana!!');
    await coordinator.call('POST', '/logout');
    await account('b@example.org', 'coordinator', world.orgB);
    const again = consoleClient(app);
    await again.login('k@example.org', PASSWORD);
    const audit = await again.call('GET', '/audit?limit=200');
    expect(audit.status).toBe(200);
    const actions = audit.body.entries.map((e: { action: string }) => e.action).reverse();
    expect(actions).toEqual([
      'setup',
      'site_created',
      'site_renamed',
      'enrolment_code_created',
      'tablet_revoked',
      'guide_hidden',
      'user_created',
      'dashboard_exported',
      'login_failed',
      'logout',
      'login',
    ]);
    expect(audit.body.entries.every((e: { actor: string; at: number }) => e.actor === 'k@example.org' && e.at === clock.at)).toBe(true);
    expect(audit.body.entries.find((e: { action: string }) => e.action === 'tablet_revoked')).toMatchObject({
      target: world.a2.deviceId,
      detail: { wipe: false },
    });
    // Paging.
    const page = await again.call('GET', '/audit?limit=4');
    expect(page.body.entries).toHaveLength(4);
    const next = await again.call('GET', `/audit?limit=200&before=${page.body.next}`);
    expect(next.body.entries).toHaveLength(actions.length - 4);
    const csv = await again.call('GET', '/audit.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    expect(csv.text.slice(1).split('\r\n')[0]).toBe('Päivä;Aika;Kuka;Toiminto;Kohde;Tiedot');
    expect(csv.text).toContain(';k@example.org;tablet_revoked;');
    expect(csv.text).toContain(';k@example.org;audit_exported;');
    expect(csv.text).not.toContain('b@example.org');

    // Changing the password, exporting the audit log and logging out everywhere are in it too.
    const newPassword = 'neljä sanaa peräkkäin nyt';
    expect((await again.call('POST', '/password', { currentPassword: PASSWORD, newPassword })).status).toBe(200);
    expect((await again.call('POST', '/logout-everywhere')).status).toBe(200);
    const last = consoleClient(app);
    expect(await last.login('k@example.org', newPassword)).toBe(200);
    const latest = (await last.call('GET', '/audit?limit=5')).body.entries.reverse();
    expect(latest.map((e: { actor: string; action: string; detail: unknown }) => [e.actor, e.action, e.detail])).toEqual([
      ['k@example.org', 'login', { method: 'password' }],
      ['k@example.org', 'audit_exported', {}],
      ['k@example.org', 'password_changed', {}],
      ['k@example.org', 'logout_everywhere', { sessions: 1 }],
      ['k@example.org', 'login', { method: 'password' }],
    ]);
  });

  it('bad bodies and queries get a 400 in plain words and never a 5xx', async ({ world, account }) => {
    const client = await account('k@example.org', 'coordinator');
    const bodies: unknown[] = [
      '{',
      '[]',
      'null',
      '"x"',
      '{"name": 5}',
      '{"name": ""}',
      `{"name": "${'x'.repeat(500)}"}`,
      '{"__proto__": {"x": 1}}',
      '{"wipe": "yes"}',
      '{"hours": -1}',
      '{"email": 1}',
      '{"challengeId": "", "response": 1}',
      `{"challengeId": "x", "response": {"id": "a", "response": ${'['.repeat(20_000)}${']'.repeat(20_000)}}}`,
    ];
    const posts = [
      '/login',
      '/setup',
      '/password',
      '/sites',
      `/sites/${world.siteA1}/enrolment-codes`,
      `/tablets/${world.a1.deviceId}/revoke`,
      '/users',
      '/passkeys/register/verify',
      '/passkeys/login/verify',
    ];
    for (const path of posts) {
      for (const raw of bodies) {
        const response = await client.call('POST', path, raw);
        expect(response.status, `${path} ${String(raw)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${path} ${String(raw)}`).toBeLessThan(500);
        expect(typeof response.body.message).toBe('string');
      }
    }
    for (const query of ['', '?from=2025-13&to=2026-01', '?from=2026-02&to=2026-01', '?from=2020-01&to=2026-01', '?from=x&to=y']) {
      const response = await client.call('GET', `/dashboard${query}`);
      expect(response.status).toBe(400);
    }
    expect((await client.call('GET', '/audit?limit=0')).status).toBe(400);
    expect((await client.call('GET', '/audit?before=abc')).status).toBe(400);
    // The words say what is wrong, as the sync API's validator says them.
    expect((await client.call('POST', '/sites', '{')).body.message).toBe('The body is not valid JSON.');
    expect((await client.call('POST', '/sites', '{"name": 5}')).body.message).toMatch(/^The site is not right: name: /);
    expect((await client.call('POST', '/sites', '{"name": "x", "extra": 1}')).body.message).toMatch(/unknown field\(s\) extra/);
    expect((await client.call('POST', '/sites', '['.repeat(40) + ']'.repeat(40))).body.message).toMatch(/nested too deeply/);
    expect((await client.call('GET', '/dashboard?from=2026-01&from=2026-02&to=2026-03')).body.message).toMatch(/^Give the months as from=YYYY-MM/);
    expect((await client.call('GET', '/audit?limit=201')).body.message).toMatch(/^limit must be a whole number from 1 to 200/);
    expect((await client.call('GET', '/audit?limit=2&before=999999')).status).toBe(200);
    // An empty JSON body is an empty object: a code with the default hours.
    expect((await client.call('POST', `/sites/${world.siteA1}/enrolment-codes`, '')).status).toBe(201);
    expect((await client.call('GET', '/pictures/nothex')).status).toBe(400);
    expect((await client.call('POST', '/sites', 'x'.repeat(70_000))).status).toBe(413);
    expect((await client.call('POST', '/users', { email: 'k@example.org', role: 'coordinator' })).status).toBe(409);
    expect((await client.call('POST', '/users', { email: 'x@example.org', role: 'site-admin' })).status).toBe(400);
    expect((await client.call('POST', '/users', { email: 'x@example.org', role: 'king' })).status).toBe(400);
  });

  it("the dashboard counts each site and month exactly as the tablet's report counts the same logs and feedback", async ({ world, account }) => {
    const { a1, a1b, a2 } = world;
    const mid = (month: string, day = 15) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 1, day, 10);
    const logs = {
      a1: [
        {
          ...SESSION,
          startedAt: mid('2025-11'),
          participants: { member: { new: 2, returning: 1 } },
          topics: ['attachments', 'security'],
          barriers: ['no-e-id'],
          outcome: 'with-support',
        },
        {
          ...SESSION,
          startedAt: mid('2025-12'),
          participants: { participant: { new: 7, returning: 0 } },
          format: 'group',
          outcome: 'referred',
          referredTo: ['kela'],
        },
        { ...SESSION, status: 'draft', startedAt: mid('2025-12', 20) },
        { ...SESSION, startedAt: mid('2025-12', 22), deleted: 1 },
      ],
      a1b: [{ ...SESSION, startedAt: mid('2025-12', 3), durationBand: '15-30', participants: { peer: { new: 0, returning: 3 } } }],
      a2: [
        { ...SESSION, startedAt: mid('2025-12', 5), channel: 'remote', topics: ['e-identification'] },
        { ...SESSION, startedAt: mid('2026-02') },
      ],
    };
    const feedback = {
      a1: [
        { ...FEEDBACK, createdAt: mid('2025-12'), answers: { mood: 4, learn: ['contact'] } },
        { ...FEEDBACK, createdAt: mid('2025-11'), answers: { mood: 2 } },
      ],
      a2: [{ ...FEEDBACK, createdAt: mid('2025-12', 9), answers: { mood: 5, learnWord: 'email' } }],
    };
    const send = async (tablet: typeof a1, name: string) => {
      const mutations = [
        ...(logs[name as keyof typeof logs] ?? []).map((fields, i) => change(tablet, 'sessions', `${name}-log${i}`, fields)),
        ...(feedback[name as keyof typeof feedback] ?? []).map((fields, i) => change(tablet, 'feedback', `${name}-fb${i}`, fields)),
      ];
      const pushed = await tablet.push(mutations);
      expect(pushed.status).toBe(200);
      expect(pushed.body.quarantined ?? []).toEqual([]);
    };
    await send(a1, 'a1');
    await send(a1b, 'a1b');
    await send(a2, 'a2');

    // The tablet's way: the site's logs and feedback of the month, read as the tablet reads them, counted by aggregate().
    const tabletReport = (sites: string[], months: string[]) => {
      const inPeriod = (ms: number) => months.includes(new Date(ms).toISOString().slice(0, 7));
      const siteOf = { a1: world.siteA1, a1b: world.siteA1, a2: world.siteA2 } as Record<string, string>;
      const pickedLogs = Object.entries(logs as Record<string, Record<string, unknown>[]>)
        .flatMap(([name, list]) => (sites.includes(siteOf[name]!) ? list : []))
        .map((fields, i) => asSessionLog({ id: String(i), ...fields }));
      const pickedFeedback = Object.entries(feedback as Record<string, { createdAt: number; answers: Record<string, unknown> }[]>).flatMap(([name, list]) =>
        sites.includes(siteOf[name]!) ? list : [],
      );
      return aggregate(
        pickedLogs.filter((log) => log.deleted !== 1 && inPeriod(log.startedAt)),
        pickedFeedback.filter((row) => inPeriod(row.createdAt)).map((row) => ({ answers: row.answers })),
      );
    };

    const coordinator = await account('k@example.org', 'coordinator');
    const dashboard = await coordinator.call('GET', '/dashboard?from=2025-11&to=2026-02');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.months).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(dashboard.body.sites.map((s: { id: string }) => s.id).sort()).toEqual([world.siteA1, world.siteA2].sort());
    for (const site of [world.siteA1, world.siteA2]) {
      const bySite = dashboard.body.bySite.find((s: { siteId: string }) => s.siteId === site);
      for (const { month, report } of bySite.months) expect(report, `${site} ${month}`).toEqual(tabletReport([site], [month]));
      expect(bySite.total).toEqual(tabletReport([site], dashboard.body.months));
    }
    for (const { month, report } of dashboard.body.total.months) expect(report).toEqual(tabletReport([world.siteA1, world.siteA2], [month]));
    expect(dashboard.body.total.total).toEqual(tabletReport([world.siteA1, world.siteA2], dashboard.body.months));
    expect(dashboard.body.total.total.totals).toEqual({ sessions: 5, visits: 19, feedback: 3 });
    expect(dashboard.body.total.total.drafts).toBe(1);

    // The shared outputs hide small counts of people by the tablet's rule.
    const summary = await coordinator.call('GET', '/summary?from=2025-11&to=2026-02');
    expect(summary.body.total).toEqual(suppressSmallCells(tabletReport([world.siteA1, world.siteA2], dashboard.body.months)));
    expect(summary.body.total.totals.feedback).toBeNull();
    expect(summary.body.organisation.name).toBe('Helsingin Diakonissalaitos');
    const csv = await coordinator.call('GET', '/dashboard.csv?from=2025-11&to=2026-02');
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    expect(csv.headers.get('content-disposition')).toContain('digituki-2025-11_2026-02.csv');
    const header = csv.text.slice(1).split('\r\n')[0];
    expect(header).toBe('Toimipaikka;Kuukausi;Osio;Kohta;Määrä');
    expect(csv.text).toContain('Kaikki toimipaikat;2025-11–2026-02;Yhteensä;Ohjauskerrat;5');
    expect(csv.text).toContain('Kaikki toimipaikat;2025-11–2026-02;Yhteensä;Palautteet;piilotettu');
    expect(csv.text).toContain('Päiväkeskus Kallio;2025-12;Muodot;');

    // A site admin sees its own site's numbers only.
    const admin = await account('a@example.org', 'site-admin', world.orgA, world.siteA2);
    const own = await admin.call('GET', '/dashboard?from=2025-11&to=2026-02');
    expect(own.body.sites.map((s: { id: string }) => s.id)).toEqual([world.siteA2]);
    expect(own.body.total.total).toEqual(tabletReport([world.siteA2], own.body.months));
    expect((await admin.call('GET', `/dashboard?from=2025-11&to=2026-02&site=${world.siteA1}`)).status).toBe(404);
  });

  it('tablets: what each said about itself, its refused changes, and revoke (and wipe) with its name as confirmation', async ({ world, account }) => {
    const { a1 } = world;
    expect(
      (await a1.push([change(a1, 'sessions', 'x', { ...SESSION, participants: 'many' })], {}, { 'Digituki-App-Version': '0.3.1', 'Digituki-Waiting': '12' }))
        .status,
    ).toBe(200);
    const coordinator = await account('k@example.org', 'coordinator');
    const tablets = await coordinator.call('GET', '/tablets');
    expect(tablets.body).toHaveLength(3); // org A's three, never org B's
    const listed = tablets.body.find((t: { id: string }) => t.id === a1.deviceId);
    expect(listed).toMatchObject({
      name: 'Olohuone tablet',
      siteId: world.siteA1,
      lastContactAt: T0,
      appVersion: '0.3.1',
      waitingAsReported: 12,
      revokedAt: null,
      wipeRequested: false,
    });
    expect(listed.quarantined).toHaveLength(1);
    expect(listed.quarantined[0].reason).toEqual(expect.any(String));
    const wrongName = await coordinator.call('POST', `/tablets/${a1.deviceId}/revoke`, { wipe: true, confirmName: 'Toinen tabletti' });
    expect(wrongName.status).toBe(409);
    expect((await a1.pull()).status).toBe(200);
    const revoked = await coordinator.call('POST', `/tablets/${a1.deviceId}/revoke`, { wipe: true, confirmName: 'Olohuone tablet' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ revokedAt: T0, wipeRequested: true });
    const told = await a1.pull();
    expect(told.status).toBe(401);
    expect(told.body).toMatchObject({ error: 'revoked', wipe: true });
  });

  it('sites and enrolment codes: a coordinator makes and renames sites; a code enrols a tablet at that site', async ({ clock, app, account }) => {
    const coordinator = await account('k@example.org', 'coordinator');
    const made = await coordinator.call('POST', '/sites', { name: '  Kirjasto  ' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'Kirjasto', tablets: 0 });
    expect((await coordinator.call('PATCH', `/sites/${made.body.id}`, { name: 'Pääkirjasto' })).body.name).toBe('Pääkirjasto');
    const code = await coordinator.call('POST', `/sites/${made.body.id}/enrolment-codes`, { hours: 2 });
    expect(code.status).toBe(201);
    expect(code.body.link).toBe(`http://localhost/enrol#code=${encodeURIComponent(code.body.code)}`);
    expect(code.body.expiresAt).toBe(clock.at + 2 * 3_600_000);
    const enrolled = await app.request('/v1/enrol', {
      method: 'POST',
      headers: headers(undefined, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ code: code.body.code, deviceName: 'Kirjaston tabletti' }),
    });
    expect(enrolled.status).toBe(201);
    expect((await enrolled.json()).siteId).toBe(made.body.id);
    expect((await coordinator.call('GET', '/sites')).body.find((s: { id: string }) => s.id === made.body.id).tablets).toBe(1);
  });

  it('guides: listed with the time of change, previewed with steps, and hidden for every tablet', async ({ world, account }) => {
    const { a1, a2 } = world;
    await a1.push([
      change(a1, 'guides', 'g1', GUIDE, hlcAt(T0 - 5, 'a1')),
      // Keys as the tablet makes them past five steps ('V' … 'Z', then 'a'): the tablet orders them by code unit, 'V' before 'a'.
      change(a1, 'guideSteps', 's3', { guideId: 'g1', orderKey: 'a', kind: 'warning', text: 'Kolmas', imageHash: null }, hlcAt(T0 - 4, 'a1')),
      change(a1, 'guideSteps', 's2', { guideId: 'g1', orderKey: 'V', kind: 'step', text: 'Toinen', imageHash: null }, hlcAt(T0 - 4, 'a1')),
      change(a1, 'guideSteps', 's1', { guideId: 'g1', orderKey: 'U', kind: 'tip', text: 'Ensin', imageHash: null }, hlcAt(T0 - 3, 'a1')),
    ]);
    const coordinator = await account('k@example.org', 'coordinator');
    const list = await coordinator.call('GET', '/guides');
    expect(list.body).toEqual([{ id: 'g1', title: GUIDE.title, lang: 'fi', changedAt: T0, changedByTablet: 'Olohuone tablet', hidden: false }]);
    const preview = await coordinator.call('GET', '/guides/g1');
    expect(preview.body.steps.map((s: { text: string; kind: string }) => [s.text, s.kind])).toEqual([
      ['Ensin', 'tip'],
      ['Toinen', 'step'],
      ['Kolmas', 'warning'],
    ]);
    const tabletOrder = [
      { id: 's3', orderKey: 'a' },
      { id: 's2', orderKey: 'V' },
      { id: 's1', orderKey: 'U' },
    ].sort(compareOrder);
    expect(preview.body.steps.map((s: { id: string }) => s.id)).toEqual(tabletOrder.map((s) => s.id));
    const admin = await account('a@example.org', 'site-admin', world.orgA, world.siteA1);
    expect((await admin.call('POST', '/guides/g1/hide')).status).toBe(403);
    const { cursor } = await a2.pullAll();
    expect((await coordinator.call('POST', '/guides/g1/hide')).status).toBe(200);
    const after = await a2.pullAll(cursor);
    expect(after.changes.find((c) => c.id === 'g1')!.fields).toMatchObject({ deleted: 1 });
    expect((await coordinator.call('GET', '/guides')).body[0].hidden).toBe(true);
    expect((await coordinator.call('POST', '/guides/nothing/hide')).status).toBe(404);
  });

  it(
    'guides: the latest change of a guide or any of its steps names the tablet that sent it (by its enrolled name, revoked or not) and when; ' +
      'pulls never carry a device id',
    async ({ store, world, clock, app, account }) => {
      const kallio = await enrol(app, (await createEnrolmentCode(store, world.siteA1, 24, clock.at)).code, 'Kallion tabletti');
      const ita = await enrol(app, (await createEnrolmentCode(store, world.siteA2, 24, clock.at)).code, 'Idän tabletti');
      const step = { guideId: 'g1', orderKey: 'a', kind: 'step', text: 'Avaa OmaKela', imageHash: null };
      clock.at = T0 + 60_000;
      expect(
        (
          await kallio.push([
            change(kallio, 'guides', 'g1', GUIDE, hlcAt(clock.at, 'kallio')),
            change(kallio, 'guideSteps', 's1', step, hlcAt(clock.at, 'kallio')),
            change(kallio, 'guides', 'g2', { ...GUIDE, slug: 'toinen' }, hlcAt(clock.at, 'kallio')),
          ])
        ).body.applied,
      ).toBe(3);
      // Later the other tablet changes only the guide's title, and later still only one step of the first guide.
      clock.at = T0 + 120_000;
      expect((await ita.push([change(ita, 'guides', 'g2', { title: 'Uusi otsikko' }, hlcAt(clock.at, 'ita'))])).body.applied).toBe(1);
      clock.at = T0 + 180_000;
      expect((await ita.push([change(ita, 'guideSteps', 's1', { text: 'Avaa OmaKela ja kirjaudu' }, hlcAt(clock.at, 'ita'))])).body.applied).toBe(1);
      // A change that changes nothing (the same title again) is no change: the changer stays.
      clock.at = T0 + 240_000;
      await kallio.push([change(kallio, 'guides', 'g2', { title: 'Uusi otsikko' }, hlcAt(T0 + 120_000, 'ita'))]);
      const coordinator = await account('k@example.org', 'coordinator');
      const byId = async () =>
        Object.fromEntries(
          ((await coordinator.call('GET', '/guides')).body as { id: string; changedAt: number; changedByTablet: string | null }[]).map((g) => [
            g.id,
            [g.changedByTablet, g.changedAt],
          ]),
        );
      expect(await byId()).toEqual({ g1: ['Idän tabletti', T0 + 180_000], g2: ['Idän tabletti', T0 + 120_000] });
      expect((await coordinator.call('GET', '/guides/g1')).body).toMatchObject({ changedByTablet: 'Idän tabletti', changedAt: T0 + 180_000 });
      // A revoked tablet still shows its name; hiding in the console is no tablet's change (it is in the audit log).
      await store.revokeDevice(ita.deviceId, false, clock.at);
      expect((await coordinator.call('POST', '/guides/g2/hide')).status).toBe(200);
      expect(await byId()).toEqual({ g1: ['Idän tabletti', T0 + 180_000], g2: ['Idän tabletti', T0 + 120_000] });
      // Tablets learn no device's id from a pull or from reconciliation.
      const pulled = JSON.stringify((await kallio.pullAll()).changes);
      const asked = await kallio.request('/v1/records', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ records: { guides: ['g1', 'g2'], guideSteps: ['s1'] } }),
      });
      const reconciled = await asked.text();
      expect(pulled).toContain('Avaa OmaKela ja kirjaudu');
      expect(reconciled).toContain('Avaa OmaKela ja kirjaudu');
      for (const id of [kallio.deviceId, ita.deviceId]) {
        expect(pulled).not.toContain(id);
        expect(reconciled).not.toContain(id);
      }
    },
  );

  it('guides: a change from before the server recorded tablets (migration 0010) shows no tablet and the time the tablet wrote it', async ({
    store,
    world,
    account,
  }) => {
    await world.a1.push([change(world.a1, 'guides', 'g1', { ...GUIDE, updatedAt: T0 - 7 }, hlcAt(T0 - 5, 'a1'))]);
    // As a row written before the migration: no tablet and no time of arrival.
    await store.database.updateTable('records').set({ changed_by: null, changed_at: null }).where('id', '=', 'g1').execute();
    const coordinator = await account('k@example.org', 'coordinator');
    expect((await coordinator.call('GET', '/guides')).body).toEqual([
      { id: 'g1', title: GUIDE.title, lang: 'fi', changedAt: T0 - 7, changedByTablet: null, hidden: false },
    ]);
  });

  it("settings: retention is read by both roles, changed by a coordinator only, checked, audited, and the organisation's own", async ({
    store,
    world,
    account,
  }) => {
    const coordinator = await account('k@example.org', 'coordinator');
    const admin = await account('a@example.org', 'site-admin', world.orgA, world.siteA1);
    const other = await account('b@example.org', 'coordinator', world.orgB);
    expect((await admin.call('GET', '/settings')).body).toEqual({ retentionMonths: 60, isDefault: true, defaultMonths: 60 });
    expect((await admin.call('PUT', '/settings', { retentionMonths: 12 })).status).toBe(403);
    for (const bad of [
      { retentionMonths: 0 },
      { retentionMonths: 601 },
      { retentionMonths: '12' },
      { retentionMonths: 1.5 },
      {},
      { retentionMonths: 12, extra: 1 },
    ]) {
      expect((await coordinator.call('PUT', '/settings', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await coordinator.call('PUT', '/settings', { retentionMonths: 24 })).body).toEqual({ retentionMonths: 24, isDefault: false, defaultMonths: 60 });
    expect((await admin.call('GET', '/settings')).body.retentionMonths).toBe(24);
    expect((await store.getRetention(world.orgA))!.months).toBe(24);
    expect((await other.call('GET', '/settings')).body).toEqual({ retentionMonths: 60, isDefault: true, defaultMonths: 60 });
    expect((await coordinator.call('PUT', '/settings', { retentionMonths: null })).body).toEqual({ retentionMonths: 60, isDefault: true, defaultMonths: 60 });
    const audit = (await coordinator.call('GET', '/audit')).body.entries.filter((e: { action: string }) => e.action === 'settings_changed');
    expect(audit.map((e: { detail: unknown }) => e.detail)).toEqual([{ retentionMonths: null }, { retentionMonths: 24 }]);
  });

  it('users: a coordinator makes accounts with a set-up link; a site admin may not', async ({ world, app, account }) => {
    const coordinator = await account('k@example.org', 'coordinator');
    const made = await coordinator.call('POST', '/users', { email: 'Uusi@Example.org', role: 'site-admin', siteId: world.siteA2 });
    expect(made.status).toBe(201);
    expect(made.body.setupLink).toMatch(/^http:\/\/localhost\/console\/#setup=[\w-]+$/);
    const token = decodeURIComponent(made.body.setupLink.split('#setup=')[1]);
    const admin = consoleClient(app);
    expect((await admin.call('POST', '/setup', { token, password: PASSWORD })).body.user).toMatchObject({
      email: 'uusi@example.org',
      role: 'site-admin',
      siteId: world.siteA2,
    });
    expect((await admin.call('POST', '/users', { email: 'x@example.org', role: 'coordinator' })).status).toBe(403);
    expect((await admin.call('GET', '/users')).status).toBe(403);
    expect((await admin.call('GET', '/audit')).status).toBe(403);
    const users = await coordinator.call('GET', '/users');
    expect(users.body.map((u: { email: string }) => u.email)).toEqual(['k@example.org', 'uusi@example.org']);
    // A coordinator cannot make an account at another organisation's site.
    expect((await coordinator.call('POST', '/users', { email: 'y@example.org', role: 'site-admin', siteId: world.siteB1 })).status).toBe(400);
  });
});
