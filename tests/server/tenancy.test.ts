// Tenancy: a tablet reads and writes only its organisation's guides and its own site's logs and feedback.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { describeEachBackend } from './support/backends';
import { png } from './support/pictures';
import { FEEDBACK, GUIDE, SESSION, change, hlcAt, makeApp, T0, type Tablet } from './support/world';
import { createConsoleAccount } from '../../src/server/console/accounts';
import { ConsoleStore } from '../../src/server/console/console-store';
import { consoleClient, type ConsoleClient } from './support/console';

const PNG = png(1, 1);
const PNG_HASH = createHash('sha256').update(PNG).digest('hex');

async function idsSeenBy(tablet: Tablet): Promise<string[]> {
  return (await tablet.pullAll()).changes.map((c) => `${c.table}:${c.id}`).sort();
}

describeEachBackend('tenancy', (_backend, it) => {
  it.beforeEach(async ({ world }) => {
    const { a1, b1 } = world;
    // The same record ids in both organisations, as a hostile or buggy tablet might send.
    expect(
      (
        await a1.push([
          change(a1, 'guides', 'g1', GUIDE, hlcAt(T0 - 9, 'a1')),
          change(a1, 'sessions', 'log1', SESSION),
          change(a1, 'feedback', 'fb1', FEEDBACK),
        ])
      ).status,
    ).toBe(200);
    expect((await a1.request(`/v1/blobs/${PNG_HASH}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: PNG })).status).toBe(201);
    expect((await b1.push([change(b1, 'guides', 'gb', { ...GUIDE, title: 'B:n opas' })])).status).toBe(200);
  });
  it('matrix of who sees what', async ({ world }) => {
    const { a1, a1b, a2, b1 } = world;
    const siteA1 = ['feedback:fb1', 'guides:g1', 'sessions:log1'];
    expect(await idsSeenBy(a1)).toEqual(siteA1); // own writes
    expect(await idsSeenBy(a1b)).toEqual(siteA1); // same site
    expect(await idsSeenBy(a2)).toEqual(['guides:g1']); // same organisation, other site: guides only
    expect(await idsSeenBy(b1)).toEqual(['guides:gb']); // other organisation: nothing of A
  });

  it('console matrix: a coordinator sees its organisation, a site admin its site, and nobody anything of another organisation', async ({ store, world }) => {
    const { a1, a1b, a2, b1, orgA, orgB, siteA1, siteA2, siteB1 } = world;
    const app = makeApp(store, { now: () => T0, consolePasswordCost: { memoryKiB: 64, iterations: 1 } });
    const accounts = new ConsoleStore(store.database);
    const login = async (email: string, role: 'coordinator' | 'site-admin', orgId: string, siteId?: string): Promise<ConsoleClient> => {
      const made = await createConsoleAccount(store, accounts, { orgId, siteId, role, email }, T0);
      const client = consoleClient(app);
      expect((await client.call('POST', '/setup', { token: made.token, password: 'kolme sanaa peräkkäin' })).status).toBe(200);
      return client;
    };
    const coordinatorA = await login('ka@example.org', 'coordinator', orgA);
    const adminA1 = await login('a1@example.org', 'site-admin', orgA, siteA1);
    const adminA2 = await login('a2@example.org', 'site-admin', orgA, siteA2);
    const coordinatorB = await login('kb@example.org', 'coordinator', orgB);
    const ids = async (client: ConsoleClient, path: string) => ((await client.call('GET', path)).body as { id: string }[]).map((row) => row.id).sort();
    const sessionsSeen = async (client: ConsoleClient) => (await client.call('GET', '/dashboard?from=2025-12&to=2025-12')).body.total.total.totals.sessions;

    expect(await ids(coordinatorA, '/sites')).toEqual([siteA1, siteA2].sort());
    expect(await ids(adminA1, '/sites')).toEqual([siteA1]);
    expect(await ids(adminA2, '/sites')).toEqual([siteA2]);
    expect(await ids(coordinatorB, '/sites')).toEqual([siteB1]);

    expect(await ids(coordinatorA, '/tablets')).toEqual([a1.deviceId, a1b.deviceId, a2.deviceId].sort());
    expect(await ids(adminA1, '/tablets')).toEqual([a1.deviceId, a1b.deviceId].sort());
    expect(await ids(adminA2, '/tablets')).toEqual([a2.deviceId]);
    expect(await ids(coordinatorB, '/tablets')).toEqual([b1.deviceId]);

    // Guides are the organisation's: both of A's sites see g1; B sees only its own, though the ids could be guessed.
    expect(await ids(coordinatorA, '/guides')).toEqual(['g1']);
    expect(await ids(adminA2, '/guides')).toEqual(['g1']);
    expect(await ids(coordinatorB, '/guides')).toEqual(['gb']);
    expect((await coordinatorB.call('GET', '/guides/g1')).status).toBe(404);
    expect((await coordinatorA.call('GET', '/guides/gb')).status).toBe(404);
    expect((await coordinatorB.call('POST', '/guides/g1/hide')).status).toBe(404);
    expect((await coordinatorA.call('GET', `/pictures/${PNG_HASH}`)).status).toBe(200);
    expect((await coordinatorB.call('GET', `/pictures/${PNG_HASH}`)).status).toBe(404);

    // Numbers: log1 was written at site A1 (December 2025 in Helsinki).
    expect(await sessionsSeen(coordinatorA)).toBe(1);
    expect(await sessionsSeen(adminA1)).toBe(1);
    expect(await sessionsSeen(adminA2)).toBe(0);
    expect(await sessionsSeen(coordinatorB)).toBe(0);
    expect((await adminA2.call('GET', `/dashboard?from=2025-12&to=2025-12&site=${siteA1}`)).status).toBe(404);
    expect((await coordinatorB.call('GET', `/dashboard?from=2025-12&to=2025-12&site=${siteA1}`)).status).toBe(404);
    expect((await coordinatorB.call('GET', '/summary?from=2025-12&to=2025-12')).body.total.totals.sessions).toBe(0);

    // Acting on another's things answers as if they did not exist, and changes nothing.
    expect((await coordinatorB.call('POST', `/tablets/${a1.deviceId}/revoke`, { wipe: true, confirmName: 'Olohuone tablet' })).status).toBe(404);
    expect((await adminA2.call('POST', `/tablets/${a1.deviceId}/revoke`, { wipe: true, confirmName: 'Olohuone tablet' })).status).toBe(404);
    expect((await a1.pull()).status).toBe(200);
    expect((await coordinatorB.call('PATCH', `/sites/${siteA1}`, { name: 'Kaapattu' })).status).toBe(404);
    expect((await coordinatorB.call('POST', `/sites/${siteA1}/enrolment-codes`, {})).status).toBe(404);
    expect((await adminA2.call('POST', `/sites/${siteA1}/enrolment-codes`, {})).status).toBe(404);
    expect((await adminA1.call('POST', `/sites/${siteA1}/enrolment-codes`, {})).status).toBe(201);
    expect((await adminA1.call('PATCH', `/sites/${siteA1}`, { name: 'Oma nimi' })).status).toBe(403);
    expect((await coordinatorB.call('POST', '/users', { email: 'x@example.org', role: 'site-admin', siteId: siteA1 })).status).toBe(400);
    expect((await store.findSite(siteA1))!.name).toBe('Päiväkeskus Kallio');
    expect((await coordinatorB.call('GET', '/users')).body.map((u: { email: string }) => u.email)).toEqual(['kb@example.org']);
    expect((await coordinatorB.call('GET', '/audit')).body.entries.map((e: { actor: string }) => e.actor)).toEqual(['kb@example.org']);
  });

  it("a write to another organisation's guide id never changes that guide", async ({ world }) => {
    const { a1, b1 } = world;
    const attack = await b1.push([change(b1, 'guides', 'g1', { title: 'hijacked', deleted: 1 }, hlcAt(T0 + 50_000, 'b1'))]);
    expect(attack.status).toBe(200);
    const [guide] = (await a1.pullAll()).changes.filter((c) => c.id === 'g1');
    expect(guide!.fields).toMatchObject({ title: GUIDE.title, deleted: 0 });
    // What B wrote stays B's own record, seen only by B.
    expect(await idsSeenBy(b1)).toEqual(['guides:g1', 'guides:gb']);
    expect((await b1.pullAll()).changes.find((c) => c.id === 'g1')!.fields).toEqual({ title: 'hijacked', deleted: 1 });
  });

  it("a write to another site's log or feedback id never changes it", async ({ world }) => {
    const { a1, a2 } = world;
    await a2.push([
      change(a2, 'sessions', 'log1', { status: 'draft', topics: ['other'] }, hlcAt(T0 + 50_000, 'a2')),
      change(a2, 'feedback', 'fb1', { ...FEEDBACK, answers: { mood: 1 } }),
    ]);
    const seenByA1 = (await a1.pullAll()).changes;
    expect(seenByA1.find((c) => c.id === 'log1')!.fields).toEqual(SESSION);
    expect(seenByA1.find((c) => c.id === 'fb1')!.fields).toEqual(FEEDBACK);
    expect(await idsSeenBy(a2)).toEqual(['feedback:fb1', 'guides:g1', 'sessions:log1']);
    expect((await a2.pullAll()).changes.find((c) => c.id === 'log1')!.fields).toEqual({ status: 'draft', topics: ['other'] });
  });

  it("pictures are the organisation's: readable by its sites, not by another organisation", async ({ world }) => {
    const { a2, b1 } = world;
    const sameOrg = await a2.request(`/v1/blobs/${PNG_HASH}`);
    expect(sameOrg.status).toBe(200);
    expect(new Uint8Array(await sameOrg.arrayBuffer())).toEqual(PNG);
    expect((await b1.request(`/v1/blobs/${PNG_HASH}`)).status).toBe(404);
    expect((await b1.request(`/v1/blobs/${PNG_HASH}`, { method: 'HEAD' })).status).toBe(404);
    // B uploading the same bytes gets its own copy and leaves A's alone.
    expect((await b1.request(`/v1/blobs/${PNG_HASH}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: PNG })).status).toBe(201);
  });

  it('a push cannot name another device, and a tablet cannot pass itself off as another', async ({ world }) => {
    const { a1, b1 } = world;
    expect((await b1.push([], { deviceId: a1.deviceId })).status).toBe(403);
    const forged = await a1.request('/v1/pull', { headers: { Authorization: `Bearer ${a1.deviceId}.${b1.token.split('.')[1]}` } });
    expect(forged.status).toBe(401);
  });
});
