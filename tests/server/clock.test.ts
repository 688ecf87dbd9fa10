// Clocks that run ahead of the server's: the server replaces them, but never so that a device's later edit loses to its
// own earlier one, and never with a tie or an inversion when two server processes take one device's pushes.
import { expect } from 'vitest';
import { compareHlc } from '../../src/protocol';
import { describeEachBackend, type Backend } from './support/backends';
import { SESSION, T0, change, hlcAt, makeApp, tabletOf } from './support/world';

const MINUTE = 60_000;

describeEachBackend('clocks ahead of the server', (_backend: Backend, it) => {
  it("keeps a tablet's later edit of a field over its earlier one when only the later one is clamped", async ({ world }) => {
    const { a1, a1b } = world;
    // 5 min fast, offline 4.5 min: the first edit is 30 s ahead of the server, the second 5 min ahead.
    const first = change(a1, 'sessions', 'log1', { ...SESSION, format: 'group' }, hlcAt(T0 + 30_000, 'a1'));
    const second = change(a1, 'sessions', 'log1', { format: 'pop-up' }, hlcAt(T0 + 5 * MINUTE, 'a1'));
    const pushed = await a1.push([first, second]);
    expect(pushed.body.clamped.map((c) => c.mutationId)).toEqual([second.mutationId]);
    const kept = pushed.body.clamped[0]!.hlc;
    expect(compareHlc(kept, first.hlc)).toBeGreaterThan(0);
    expect(kept <= hlcAt(T0 + MINUTE, 'zzz')).toBe(true); // still no further ahead than the drift allows
    expect(pushed.body.lastHlc).toBe(kept); // the tablet's next change must come after this
    const [log] = (await a1b.pullAll()).changes;
    expect(log!.fields.format).toBe('pop-up');
    expect(log!.fieldClocks.format).toBe(kept);
  });

  it("keeps the order of a device's clamped edits across pushes, even after a restart", async ({ opened, world }) => {
    const { a1, a1b } = world;
    const early = await a1.push([change(a1, 'sessions', 'log1', { ...SESSION, format: 'group' }, hlcAt(T0 + 2 * MINUTE, 'a1'))]);
    const restarted = await opened.reopen(); // the server restarts: nothing the clamp needs is lost with the process
    try {
      const server2 = tabletOf(makeApp(restarted, { now: () => T0 }), a1);
      server2.nextMutationId = a1.nextMutationId;
      const late = await server2.push([change(server2, 'sessions', 'log1', { format: 'pop-up' }, hlcAt(T0 + 3 * MINUTE, 'a1'))]);
      expect(compareHlc(late.body.clamped[0]!.hlc, early.body.clamped[0]!.hlc)).toBeGreaterThan(0);
    } finally {
      await restarted.close();
    }
    expect((await a1b.pullAll()).changes[0]!.fields.format).toBe('pop-up');
  });

  it('never hands out tied or inverted clamps when two server processes take pushes of one device', async ({ store, world }) => {
    const { a1 } = world;
    const viaOne = a1;
    const viaTwo = tabletOf(makeApp(store, { now: () => T0 }), a1); // a second server process over the same database
    {
      // Taking turns: every clamp of the device comes after the one before.
      const clamps: string[] = [];
      for (let n = 1; n <= 6; n += 1) {
        const via = n % 2 ? viaOne : viaTwo;
        via.nextMutationId = n;
        const { body } = await via.push([change(via, 'guides', `g${n}`, { title: `Ohje ${n}` }, hlcAt(T0 + 10 * MINUTE + n, 'a1'))]);
        clamps.push(body.clamped[0]!.hlc);
      }
      // At once: whichever process commits first, the clamps still follow mutation order.
      const batch = [7, 8, 9, 10].map((n) => ({
        mutationId: n,
        table: 'guides',
        id: `g${n}`,
        hlc: hlcAt(T0 + 10 * MINUTE + n, 'a1'),
        fields: { title: `Ohje ${n}` },
      }));
      const answers = await Promise.all([viaOne.push(batch.slice(0, 2)), viaTwo.push(batch)]);
      const finish = await viaOne.push(batch);
      const byMutation = new Map<number, string>();
      for (const answer of [...answers, finish]) if (answer.status === 200) for (const c of answer.body.clamped) byMutation.set(c.mutationId, c.hlc);
      for (const n of [7, 8, 9, 10]) clamps.push(byMutation.get(n)!);
      expect(clamps.every(Boolean)).toBe(true);
      for (let i = 1; i < clamps.length; i += 1) expect(compareHlc(clamps[i]!, clamps[i - 1]!), `clamp ${i + 1} after clamp ${i}`).toBeGreaterThan(0);
      const stored = await store.recordsOfOrganisation(world.orgA, 'guides');
      expect(new Set(stored.map((r) => r.hlc)).size).toBe(10);
    }
  });

  it('keeps a clock that is not ahead as it was sent, also when it is older than the device has sent before', async ({ store, world }) => {
    const { a1 } = world;
    await a1.push([change(a1, 'guides', 'g1', { title: 'Uusi' }, hlcAt(T0 + 5 * MINUTE, 'a1'))]);
    const resent = change(a1, 'guides', 'g2', { title: 'Vanha' }, hlcAt(T0 - 86_400_000, 'a1')); // e.g. from a restored backup
    const answer = await a1.push([resent]);
    expect(answer.body.clamped).toEqual([]);
    const stored = (await store.recordsOfOrganisation(world.orgA, 'guides')).find((r) => r.id === 'g2');
    expect(stored!.hlc).toBe(resent.hlc);
  });
  it('keeps a change sent again by another tablet, a day later, at the clock it was clamped to the first time', async ({ store, world }) => {
    const { a1, a1b } = world;
    // a1's date is 5 min fast. Its edit goes into a backup that a1b restores, and a1 sends it first: clamped.
    const early = change(a1, 'sessions', 'log1', { ...SESSION, format: 'group' }, hlcAt(T0 + 5 * MINUTE, 'a1'));
    const first = await a1.push([early]);
    const kept = first.body.clamped[0]!.hlc;
    expect(kept <= hlcAt(T0 + MINUTE, 'zzz')).toBe(true);
    // Told its date, a1 edits the log again: after the clamp, before the clock the first edit was sent with.
    const later = change(a1, 'sessions', 'log1', { format: 'pop-up' }, hlcAt(T0 + 30_000, 'a1'));
    // A day later, a1b sends the restored copy of the first edit. Its clock is no longer ahead, yet it is the same change.
    const nextDay = tabletOf(makeApp(store, { now: () => T0 + 86_400_000 }), a1b);
    nextDay.nextMutationId = a1b.nextMutationId;
    const resent = await nextDay.push([{ ...early, mutationId: nextDay.nextMutationId++ }]);
    expect(resent.body.clamped).toEqual([{ mutationId: resent.body.lastMutationId, hlc: kept }]);
    expect(compareHlc(resent.body.lastHlc, kept)).toBe(0);
    await a1.push([later]);
    const [log] = await store.recordsOfOrganisation(world.orgA, 'sessions');
    expect(log!.fields.format).toBe('pop-up');
    expect(log!.fieldClocks.format).toBe(later.hlc);
  });

  it('keeps a field of a merged change at the clock its first sending was clamped to, the other fields as sent', async ({ store, world }) => {
    const { a1, a1b } = world;
    const early = change(a1, 'sessions', 'log1', { ...SESSION, format: 'group' }, hlcAt(T0 + 5 * MINUTE, 'a1'));
    const kept = (await a1.push([early])).body.clamped[0]!.hlc;
    // a1b holds the restored edit and has since changed the log's status itself: one waiting change, two clocks.
    const nextDay = tabletOf(makeApp(store, { now: () => T0 + 86_400_000 }), a1b);
    nextDay.nextMutationId = a1b.nextMutationId;
    const own = hlcAt(T0 + 86_000_000, 'a1b');
    const merged = {
      mutationId: nextDay.nextMutationId++,
      table: 'sessions',
      id: 'log1',
      hlc: own,
      fields: { format: 'group', status: 'draft' },
      fieldClocks: { format: early.hlc },
    };
    const answer = await nextDay.push([merged]);
    expect(answer.body.clamped).toEqual([{ mutationId: merged.mutationId, hlc: own, fieldClocks: { format: kept } }]);
    const [log] = await store.recordsOfOrganisation(world.orgA, 'sessions');
    expect(log!.fieldClocks.format).toBe(kept);
    expect(log!.fieldClocks.status).toBe(own);
  });
});
