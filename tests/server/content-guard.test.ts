// Idempotency guarded by content: a mutationId the server has already applied is ignored only when it arrives with
// the same content (a retry). Arriving with another record, clock or fields, it means the tablet's storage went back
// to an earlier copy and now numbers new changes with ids it had used: refused, so nothing is silently dropped.
import { expect } from 'vitest';
import { QUARANTINE_KEEP_DAYS } from '../../src/server/store/store';
import { describeEachBackend, type Backend } from './support/backends';
import { GUIDE, SESSION, T0, change, hlcAt } from './support/world';

describeEachBackend('content guard on mutationIds', (_backend: Backend, it) => {
  it('refuses a seen mutationId with other content: 409 mutation_conflict, and nothing of the push is applied', async ({ world }) => {
    const { a1, a1b } = world;
    const first = change(a1, 'sessions', 'log1', SESSION, hlcAt(T0 - 3_000, 'a1'));
    const second = change(a1, 'sessions', 'log2', SESSION, hlcAt(T0 - 2_000, 'a1'));
    expect((await a1.push([first, second])).body).toMatchObject({ lastMutationId: 2, applied: 2 });

    // The tablet's storage went back to before mutation 2; its next change gets id 2 again.
    const reused = { ...change(a1, 'sessions', 'log3', SESSION, hlcAt(T0 - 1_000, 'a1')), mutationId: 2 };
    const next = { ...change(a1, 'sessions', 'log4', SESSION, hlcAt(T0 - 500, 'a1')), mutationId: 3 };
    const refused = await a1.push([reused, next]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'mutation_conflict', expected: 3 });
    expect((await a1b.pullAll()).changes.map((c) => c.id).sort()).toEqual(['log1', 'log2']);

    // The same id with the same record but another clock or other fields is refused too.
    for (const other of [
      { ...second, hlc: hlcAt(T0 - 1_999, 'a1') },
      { ...second, fields: { ...SESSION, format: 'group' } },
    ]) {
      expect((await a1.push([other])).body).toMatchObject({ error: 'mutation_conflict', expected: 3 });
    }

    // A true retry (same content, key order aside) is still a harmless duplicate; renumbered, the new ones apply.
    const retry = { ...second, fields: Object.fromEntries(Object.entries(second.fields).reverse()) };
    expect((await a1.push([first, retry])).body).toMatchObject({ lastMutationId: 2, duplicates: 2, applied: 0 });
    const renumbered = await a1.push([
      { ...reused, mutationId: 3 },
      { ...next, mutationId: 4 },
    ]);
    expect(renumbered.body).toMatchObject({ lastMutationId: 4, applied: 2 });
    expect((await a1b.pullAll()).changes.map((c) => c.id).sort()).toEqual(['log1', 'log2', 'log3', 'log4']);
  });

  it('remembers quarantined mutations too, and forgets digests after 30 days with the quarantine', async ({ store, world }) => {
    const { a1 } = world;
    const bad = change(a1, 'participants', 'p1', { name: 'x' });
    expect((await a1.push([bad])).body.quarantined).toHaveLength(1);
    const good = { ...change(a1, 'guides', 'g1', GUIDE), mutationId: 1 };
    expect((await a1.push([good])).body).toMatchObject({ error: 'mutation_conflict', expected: 2 });

    await store.purgeExpired(T0 + (QUARANTINE_KEEP_DAYS + 1) * 86_400_000);
    // After 30 days the server can no longer tell a retry from a reused id, and takes it as a retry (as before).
    expect((await a1.push([good])).body).toMatchObject({ lastMutationId: 1, duplicates: 1 });
  });
});
