// Less through a token, on every backend: a tablet is sent its site's logs and feedback of the pull window only (in
// pulls and in reconciliation answers), and the server deletes logs and feedback past the organisation's retention,
// refusing a tablet's later change to one instead of bringing it back.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { monthsBefore, type DigestResponse, type RecordsResponse } from '../../src/protocol';
import { applyRetention } from '../../src/server/housekeeping';
import { describeEachBackend } from './support/backends';
import { FEEDBACK, SESSION, T0, change, hlcAt, makeApp, tabletOf } from './support/world';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

describeEachBackend('pull window and retention', (_backend, it) => {
  const months = (n: number) => monthsBefore(T0, n);
  const log = (startedAt: number) => ({ ...SESSION, startedAt });
  const answer = (createdAt: number) => ({ ...FEEDBACK, createdAt });

  it('sends a 12-month-old log and answer, never a 14-month-old one, in pulls and in reconciliation', async ({ store, world }) => {
    const { a1, a1b } = world;
    const pushed = await a1.push([
      change(a1, 'sessions', 'log-12', log(months(12))),
      change(a1, 'sessions', 'log-14', log(months(14))),
      change(a1, 'feedback', 'fb-12', answer(months(12))),
      change(a1, 'feedback', 'fb-14', answer(months(14))),
      change(a1, 'guides', 'g-old', { ...GUIDE_OLD }),
    ]);
    expect(pushed.body).toMatchObject({ applied: 5, quarantined: [] });
    const { changes } = await a1b.pullAll();
    expect(changes.map((c) => c.id).sort()).toEqual(['fb-12', 'g-old', 'log-12']);

    const digest = (await (await a1b.request('/v1/digest')).json()) as DigestResponse;
    expect(digest.datedFrom).toBe(months(13));
    const buckets = Object.fromEntries(Object.entries(digest.tables).map(([table, hashes]) => [table, Object.keys(hashes)]));
    const listed = (await (
      await a1b.request('/v1/digest/buckets', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ buckets }) })
    ).json()) as { records: Record<string, [string, string][]> };
    expect(
      Object.values(listed.records)
        .flat()
        .map(([id]) => id)
        .sort(),
    ).toEqual(['fb-12', 'g-old', 'log-12']);
    const byId = (await (
      await a1b.request('/v1/records', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ records: { sessions: ['log-12', 'log-14'], feedback: ['fb-12', 'fb-14'] } }),
      })
    ).json()) as RecordsResponse;
    expect(byId.changes.map((c) => c.id).sort()).toEqual(['fb-12', 'log-12']);
    // The server still keeps the old ones (retention is five years): only the tablet's reach is narrower.
    expect((await store.recordsOfOrganisation(world.orgA)).map((r) => r.id).sort()).toEqual(['fb-12', 'fb-14', 'g-old', 'log-12', 'log-14']);
  });

  it('follows the server setting: a 6-month window sends only the last 6 months', async ({ store, world, clock }) => {
    const { a1 } = world;
    await a1.push([change(a1, 'sessions', 'log-5', log(months(5))), change(a1, 'sessions', 'log-7', log(months(7)))]);
    const narrow = tabletOf(makeApp(store, { now: clock.now, pullWindowMonths: 6 }), world.a1b);
    expect((await narrow.pullAll()).changes.map((c) => c.id)).toEqual(['log-5']);
  });

  it("deletes logs and feedback past the organisation's retention in housekeeping and refuses them afterwards", async ({ store, world }) => {
    const { a1, a2, b1 } = world;
    await a1.push([
      change(a1, 'sessions', 'log-4y', log(months(48))),
      change(a1, 'sessions', 'log-2y', log(months(24))),
      change(a1, 'feedback', 'fb-4y', answer(months(48))),
    ]);
    await a2.push([change(a2, 'sessions', 'log-a2-4y', log(months(48)))]);
    await b1.push([change(b1, 'sessions', 'log-b-4y', log(months(48)))]);
    // Five years by default: nothing is that old.
    expect(await applyRetention(store, T0)).toEqual({ sessions: 0, feedback: 0 });
    await store.setRetention(world.orgA, 36);
    expect(await store.getRetention(world.orgA)).toEqual({ months: 36, isDefault: false });
    expect(await store.getRetention(world.orgB)).toEqual({ months: 60, isDefault: true });
    expect(await applyRetention(store, T0)).toEqual({ sessions: 2, feedback: 1 });
    expect((await store.recordsOfOrganisation(world.orgA)).map((r) => r.id).sort()).toEqual(['log-2y']);
    expect((await store.recordsOfOrganisation(world.orgB)).map((r) => r.id)).toEqual(['log-b-4y']);

    // An old tablet sends the deleted log again, a change to part of it, or another old log: refused, nothing comes back.
    const again = await a1.push([
      change(a1, 'sessions', 'log-4y', log(months(48)), hlcAt(T0 + 1, 'tablet', 1)),
      change(a1, 'sessions', 'log-4y', { note: 'Kela-asia' }, hlcAt(T0 + 2, 'tablet', 1)),
      change(a1, 'feedback', 'fb-old', answer(months(40))),
      change(a1, 'sessions', 'log-new', log(T0 - 1000)),
    ]);
    expect(again.status).toBe(200);
    expect(again.body.quarantined.map((q) => q.reason)).toEqual(['older_than_retention', 'older_than_retention', 'older_than_retention']);
    expect(again.body.lastMutationId).toBe(7);
    expect((await store.recordsOfOrganisation(world.orgA)).map((r) => r.id).sort()).toEqual(['log-2y', 'log-new']);
    // A tablet of the site that pulls from the start gets neither the deleted ones nor anything for them.
    expect((await world.a1b.pullAll()).changes.map((c) => c.id).sort()).toEqual(['log-new']);
  });

  it('a retention run during a push never lets the push bring back part of a log it deleted', async ({ store, world }) => {
    const { a1 } = world;
    await a1.push([change(a1, 'sessions', 'log-4y', log(months(48)))]);
    await store.setRetention(world.orgA, 36);
    // Retention starts right after the push has looked for deleted logs, and gets as far as it can before the push goes on.
    let retentionRun: Promise<unknown> = Promise.resolve();
    const pushGroup = store.pushGroup.bind(store);
    store.pushGroup = (orgId, devices, work) =>
      pushGroup(orgId, devices, (tx) =>
        work({
          ...tx,
          findRecords: async (keys, dated) => {
            const found = await tx.findRecords(keys, dated);
            retentionRun = applyRetention(store, T0);
            await Promise.race([retentionRun, new Promise((resolve) => setTimeout(resolve, 500))]);
            return found;
          },
        }),
      );
    const sent = await a1.push([change(a1, 'sessions', 'log-4y', { format: 'walk-in' }, hlcAt(T0 + 1, 'tablet', 1))]);
    expect(sent.status).toBe(200);
    await retentionRun;
    expect((await store.recordsOfOrganisation(world.orgA)).map((r) => r.id)).toEqual([]);
  });

  it('shows and sets the retention with the admin CLI, in plain words for bad input', async ({ opened, store, world }) => {
    const admin = async (...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: opened.config.dataDir, DATABASE_URL: opened.config.databaseUrl ?? '', LOG_LEVEL: 'silent' };
      try {
        const { stdout } = await run(TSX, ['src/server/cli.ts', ...args], { env, cwd: process.cwd() });
        return { code: 0, out: stdout.trim() };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, out: `${failed.stdout}${failed.stderr}`.trim() };
      }
    };
    const shown = await admin('retention', '--org', world.orgA);
    expect(shown).toMatchObject({ code: 0, out: expect.stringContaining('5 years (the default)') });
    expect(await admin('retention', '--org', world.orgA, '--set', '18m')).toMatchObject({ code: 0, out: expect.stringContaining('18 months') });
    expect(await store.getRetention(world.orgA)).toEqual({ months: 18, isDefault: false });
    for (const bad of ['five', '0y', '51y', '-3m']) {
      const refused = await admin('retention', '--org', world.orgA, '--set', bad);
      expect(refused.code).toBe(2);
      expect(refused.out).toMatch(/years or months|from 1 month|needs a value/);
    }
    expect(await store.getRetention(world.orgA)).toEqual({ months: 18, isDefault: false });
    expect(await admin('retention', '--org', 'no-such-org')).toMatchObject({ code: 2, out: expect.stringContaining('no organisation') });
    const json = await admin('retention', '--org', world.orgA, '--set', '7y', '--json');
    expect(JSON.parse(json.out)).toEqual({ orgId: world.orgA, months: 84, isDefault: false });
    expect(await admin('retention', '--org', world.orgA, '--set', 'default')).toMatchObject({ code: 0, out: expect.stringContaining('(the default)') });
  }, 180_000);
});

const GUIDE_OLD = { slug: 'vanha', lang: 'fi', title: 'Vanha opas', summary: '', category: 'authorities', tags: [], source: 'org', version: 1, deleted: 0 };
