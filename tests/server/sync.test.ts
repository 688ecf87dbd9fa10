// Push and pull: every change reaches the server once, merges the same everywhere, and pulls page through without gaps.
import { expect } from 'vitest';
import { revokeDevice } from '../../src/server/admin';
import { describeEachBackend, type Backend } from './support/backends';
import { FEEDBACK, GUIDE, SESSION, T0, change, hlcAt, makeApp, tabletOf } from './support/world';

describeEachBackend('sync', (_backend: Backend, it) => {
  it('a guide written on one tablet reaches the other tablets of the organisation', async ({ world }) => {
    const { a1, a1b, a2 } = world;
    const pushed = await a1.push([
      change(a1, 'guides', 'g1', GUIDE),
      change(a1, 'guideSteps', 's1', { guideId: 'g1', orderKey: 'a0', kind: 'step', text: 'Kirjaudu OmaKelaan', alt: '', deleted: 0 }),
    ]);
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject({ lastMutationId: 2, applied: 2, duplicates: 0, quarantined: [], clamped: [] });
    for (const tablet of [a1b, a2]) {
      const { changes } = await tablet.pullAll();
      expect(changes.map((c) => [c.table, c.id]).sort()).toEqual([
        ['guideSteps', 's1'],
        ['guides', 'g1'],
      ]);
      const guide = changes.find((c) => c.id === 'g1')!;
      expect(guide.fields).toEqual(GUIDE);
      expect(Object.keys(guide.fieldClocks).sort()).toEqual(Object.keys(GUIDE).sort());
    }
  });

  it('the same push sent twice is applied once', async ({ world }) => {
    const { a1, a1b } = world;
    const batch = [change(a1, 'sessions', 'log1', SESSION), change(a1, 'feedback', 'fb1', FEEDBACK)];
    const first = await a1.push(batch);
    const second = await a1.push(batch);
    expect(first.body).toMatchObject({ lastMutationId: 2, applied: 2, duplicates: 0 });
    expect(second.body).toMatchObject({ lastMutationId: 2, applied: 0, duplicates: 2 });
    const { changes } = await a1b.pullAll();
    expect(changes).toHaveLength(2);
  });

  it('a replay after a lost response applies only the new tail', async ({ world }) => {
    const { a1 } = world;
    const batch = [1, 2, 3, 4, 5].map((n) => change(a1, 'sessions', `log${n}`, { ...SESSION, startedAt: T0 + n }));
    await a1.push(batch.slice(0, 3)); // the answer to this push never reached the tablet
    const replay = await a1.push(batch);
    expect(replay.body).toMatchObject({ lastMutationId: 5, applied: 2, duplicates: 3 });
    expect((await a1.pullAll()).changes).toHaveLength(5);
  });

  it('refuses a push that skips a mutationId, applies nothing, and says where to resume', async ({ world }) => {
    const { a1 } = world;
    await a1.push([change(a1, 'guides', 'g1', GUIDE)]);
    a1.nextMutationId = 3;
    const gap = await a1.push([change(a1, 'guides', 'g2', GUIDE), change(a1, 'guides', 'g3', GUIDE)]);
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ error: 'mutation_gap', expected: 2 });
    expect((await a1.pullAll()).changes.map((c) => c.id)).toEqual(['g1']);
    const outOfOrder = await a1.push([change(a1, 'guides', 'g4', GUIDE), { ...change(a1, 'guides', 'g5', GUIDE), mutationId: 2 }]);
    expect(outOfOrder.status).toBe(400);
    a1.nextMutationId = 2;
    expect((await a1.push([change(a1, 'guides', 'g2', GUIDE)])).body).toMatchObject({ lastMutationId: 2, applied: 1 });
  });

  it('quarantines a mutation that can never apply, reports it, and carries on with the rest', async ({ store, world }) => {
    const { a1, a1b, orgA } = world;
    const good1 = change(a1, 'sessions', 'log1', SESSION);
    const badFields = change(a1, 'sessions', 'log2', { ...SESSION, notes: 'Matti, 040 123 4567' });
    const badTable = change(a1, 'participants', 'p1', { name: 'x' });
    const badHlc = { ...change(a1, 'guides', 'g1', GUIDE), hlc: 'tomorrow' };
    const good2 = change(a1, 'guides', 'g2', GUIDE);
    const result = await a1.push([good1, badFields, badTable, badHlc, good2]);
    expect(result.status).toBe(200);
    expect(result.body.lastMutationId).toBe(5);
    expect(result.body.applied).toBe(2);
    expect(result.body.quarantined.map((q) => [q.mutationId, q.reason])).toEqual([
      [2, 'invalid_fields'],
      [3, 'unknown_table'],
      [4, 'malformed_mutation'],
    ]);
    expect(result.body.quarantined[0]!.message).toContain('notes');
    expect(JSON.stringify(result.body)).not.toContain('040 123');
    const kept = await store.quarantined(orgA);
    expect(kept.map((q) => q.reason)).toEqual(['invalid_fields', 'unknown_table', 'malformed_mutation']);
    expect((await a1b.pullAll()).changes.map((c) => c.id).sort()).toEqual(['g2', 'log1']);
    expect((await a1.push([change(a1, 'guides', 'g3', GUIDE)])).body).toMatchObject({ lastMutationId: 6, applied: 1 });
  });

  it('merges edits field by field: the later clock wins whatever order the pushes arrive in', async ({ world }) => {
    const { a1, a2, a1b } = world;
    await a1.push([change(a1, 'guides', 'g1', GUIDE, hlcAt(T0 - 10_000, 'a1'))]);
    // a2 edited the title later, but its push arrives after a1's even later summary edit
    await a1.push([change(a1, 'guides', 'g1', { summary: 'Uusi kuvaus' }, hlcAt(T0 - 1_000, 'a1'))]);
    await a2.push([change(a2, 'guides', 'g1', { title: 'Liite Kelaan', summary: 'vanha' }, hlcAt(T0 - 5_000, 'a2'))]);
    const [guide] = (await a1b.pullAll()).changes;
    expect(guide!.fields).toMatchObject({ title: 'Liite Kelaan', summary: 'Uusi kuvaus' });
    expect(guide!.fieldClocks.title).toBe(hlcAt(T0 - 5_000, 'a2'));
    expect(guide!.hlc).toBe(hlcAt(T0 - 1_000, 'a1'));
  });

  it('clamps a clock far in the future so a tablet with a wrong date cannot win every later edit', async ({ world }) => {
    const { a1, a1b } = world;
    const nextYear = T0 + 365 * 86_400_000;
    const result = await a1.push([change(a1, 'guides', 'g1', GUIDE, hlcAt(nextYear, 'a1'))]);
    expect(result.body.clamped).toHaveLength(1);
    expect(result.body.clamped[0]!.hlc <= hlcAt(T0 + 60_000, 'zzz')).toBe(true);
    expect(result.body.clamped[0]!.hlc.endsWith('-a1')).toBe(true);
    // a correct tablet edits two minutes later and wins
    await a1b.push([change(a1b, 'guides', 'g1', { title: 'Korjattu' }, hlcAt(T0 + 120_000, 'a1b'))]);
    const [guide] = (await a1.pullAll()).changes;
    expect(guide!.fields.title).toBe('Korjattu');
    // a small drift is not clamped
    expect((await a1.push([change(a1, 'guides', 'g2', GUIDE, hlcAt(T0 + 30_000, 'a1'))])).body.clamped).toEqual([]);
  });

  it('deletes with a tombstone field that travels like any other field', async ({ world }) => {
    const { a1, a1b } = world;
    await a1.push([change(a1, 'guides', 'g1', GUIDE, hlcAt(T0 - 3, 'a1'))]);
    await a1b.push([change(a1b, 'guides', 'g1', { deleted: 1 }, hlcAt(T0 - 2, 'a1b'))]);
    const [deleted] = (await a1.pullAll()).changes;
    expect(deleted!.fields).toMatchObject({ deleted: 1, title: GUIDE.title });
    // an older edit does not resurrect it; a newer explicit undelete does
    await a1.push([change(a1, 'guides', 'g1', { deleted: 0 }, hlcAt(T0 - 5, 'a1'))]);
    expect((await a1.pullAll()).changes[0]!.fields.deleted).toBe(1);
    await a1.push([change(a1, 'guides', 'g1', { deleted: 0 }, hlcAt(T0 - 1, 'a1'))]);
    expect((await a1.pullAll()).changes[0]!.fields.deleted).toBe(0);
  });

  it('keeps feedback as first given: the same answers again are fine, different ones are quarantined', async ({ world }) => {
    const { a1, a1b } = world;
    await a1.push([change(a1, 'feedback', 'fb1', FEEDBACK)]);
    const again = await a1.push([change(a1, 'feedback', 'fb1', { ...FEEDBACK, answers: { got: ['attachments'], mood: 5 } })]);
    expect(again.body).toMatchObject({ applied: 1, quarantined: [] });
    const changed = await a1b.push([change(a1b, 'feedback', 'fb1', { ...FEEDBACK, answers: { mood: 1 } })]);
    expect(changed.body.quarantined.map((q) => q.reason)).toEqual(['feedback_is_insert_only']);
    expect((await a1b.pullAll()).changes[0]!.fields).toEqual(FEEDBACK);
  });

  it('pages through changes with `more`, each change once, and resumes from the cursor', async ({ world }) => {
    const { a1, a1b } = world;
    const batch = Array.from({ length: 25 }, (_, n) => change(a1, 'sessions', `log${String(n).padStart(2, '0')}`, { ...SESSION, startedAt: T0 + n }));
    await a1.push(batch);
    const first = await a1b.pull(undefined, 10);
    expect(first.body).toMatchObject({ more: true, reset: false });
    expect(first.body.changes).toHaveLength(10);
    const rest = await a1b.pullAll(first.body.cursor, 10);
    expect(rest.pages).toBe(2);
    const ids = [...first.body.changes, ...rest.changes].map((c) => c.id);
    expect(new Set(ids).size).toBe(25);
    expect(ids).toHaveLength(25);
    const nothingNew = await a1b.pull(rest.cursor);
    expect(nothingNew.body).toMatchObject({ changes: [], more: false, reset: false, cursor: rest.cursor });
    await a1.push([change(a1, 'sessions', 'log00', { status: 'draft' }, hlcAt(T0 + 1000, 'a1'))]);
    const update = await a1b.pull(rest.cursor);
    expect(update.body.changes.map((c) => c.id)).toEqual(['log00']);
  });

  it('answers an unknown, garbage or foreign cursor with a full resend', async ({ world }) => {
    const { a1, b1 } = world;
    await a1.push([change(a1, 'guides', 'g1', GUIDE), change(a1, 'guides', 'g2', GUIDE)]);
    await b1.push([change(b1, 'guides', 'gb', GUIDE)]);
    const foreign = (await b1.pullAll()).cursor;
    const current = (await a1.pullAll()).cursor;
    const future = current.replace(/\.\d+$/, '.999999');
    for (const cursor of ['garbage', '0', foreign, future, 'x'.repeat(150)]) {
      const { status, body } = await a1.pull(cursor);
      expect(status).toBe(200);
      expect(body.reset).toBe(true);
      expect(body.changes.map((c) => c.id).sort()).toEqual(['g1', 'g2']);
    }
    expect((await a1.pull('y'.repeat(300))).status).toBe(400);
  });

  it('misses nothing and repeats nothing while other tablets push during a paged pull', async ({ world }) => {
    const { a1, a1b, a2 } = world;
    const writers = [a1, a1b, a2];
    const expected = new Set<string>();
    let cursor: string | undefined;
    const seen: string[] = [];
    for (let round = 0; round < 8; round += 1) {
      const pushes = writers.map((tablet, w) => {
        const ids = [0, 1, 2].map((n) => `r${round}-w${w}-${n}`);
        for (const id of ids) expected.add(id);
        return tablet.push(ids.map((id) => change(tablet, 'guides', id, GUIDE)));
      });
      const pulls = (async () => {
        const page = await a1.pull(cursor, 4);
        seen.push(...page.body.changes.map((c) => c.id));
        cursor = page.body.cursor;
      })();
      const results = await Promise.all([...pushes, pulls]);
      for (const result of results.slice(0, 3)) expect((result as { status: number }).status).toBe(200);
    }
    const rest = await a1.pullAll(cursor, 4);
    seen.push(...rest.changes.map((c) => c.id));
    expect(seen.length).toBe(expected.size);
    expect(new Set(seen)).toEqual(expected);
  });

  it('loses nothing across a server restart between push and pull', async ({ opened, store, world }) => {
    const { a1, a1b } = world;
    await a1.push([change(a1, 'sessions', 'log1', SESSION), change(a1, 'guides', 'g1', GUIDE)]);
    await store.close();
    store = await opened.reopen();
    const app = makeApp(store, { now: () => T0 });
    const again = tabletOf(app, a1b);
    expect((await again.pullAll()).changes.map((c) => c.id).sort()).toEqual(['g1', 'log1']);
    const replayed = tabletOf(app, a1);
    replayed.nextMutationId = 1;
    const replay = await replayed.push([
      change(replayed, 'sessions', 'log1', SESSION),
      change(replayed, 'guides', 'g1', GUIDE),
      change(replayed, 'guides', 'g2', GUIDE),
    ]);
    expect(replay.body).toMatchObject({ lastMutationId: 3, duplicates: 2, applied: 1 });
  });

  it('stops a revoked tablet at once, and tells a wiped one to erase its data', async ({ store, world }) => {
    const { a1, a2 } = world;
    expect((await a1.pull()).status).toBe(200);
    await revokeDevice(store, a1.deviceId, false);
    const revoked = await a1.pull();
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ error: 'revoked', wipe: false });
    await revokeDevice(store, a2.deviceId, true);
    const wiped = await a2.push([]);
    expect(wiped.status).toBe(401);
    expect(wiped.body).toMatchObject({ error: 'revoked', wipe: true });
  });
});
