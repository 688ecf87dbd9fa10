// Group commit (src/server/sync/push-groups.ts): pushes of one organisation that arrive while one of its pushes is
// being applied are applied together, in one transaction. Many tablets pushing at once must store exactly what they
// would have stored one by one (every change once, change numbers 1…n without a gap or a repeat, each field at its
// latest clock), answer each tablet its own, refuse one tablet's bad push without touching the others', and take the
// organisation's counter lock fewer times than there are pushes. A group the database fails is tried push by push.
import fc from 'fast-check';
import { describe, expect, it as itPure } from 'vitest';
import { createEnrolmentCode } from '../../src/server/admin';
import { takeGroup } from '../../src/server/sync/push-groups';
import { describeEachBackend } from './support/backends';
import type { Store } from '../../src/server/store';
import { SESSION, T0, enrol, hlcAt, makeApp, type Tablet, type World } from './support/world';

const TABLETS = 12;
const LOGS = 20;

/** `count` more tablets at site A1 of the world's organisation A. */
async function moreTablets(world: World, store: Store, count: number): Promise<Tablet[]> {
  // A server of the same store without rate limits: a dozen enrolments in a moment is the test, not an attack.
  const unlimited = { burst: 1e6, perSecond: 1e6 };
  const app = makeApp(store, { now: () => T0, enrolRateLimit: unlimited, deviceRateLimit: unlimited });
  const tablets: Tablet[] = [];
  for (let n = 0; n < count; n += 1) tablets.push(await enrol(app, (await createEnrolmentCode(store, world.siteA1, 24, T0)).code, `Tablet ${n}`));
  return tablets;
}

/** Each tablet's push: its own logs, and one field of the shared log "yhteinen" written at its own clock. */
type Mutation = { mutationId: number; table: string; id: string; hlc: string; fields: Record<string, unknown> };

function pushOf(tablet: Tablet, n: number): Mutation[] {
  const mutations: Mutation[] = Array.from({ length: LOGS }, (_, i) => ({
    mutationId: i + 1,
    table: 'sessions',
    id: `t${n}-log${i}`,
    hlc: hlcAt(T0 - 10_000 + i, `node${n}`),
    fields: { ...SESSION, note: `kirjaus ${i}` },
  }));
  // The shared log: every tablet writes the participants, at a clock that grows with n (the last tablet's wins).
  mutations.push({
    mutationId: LOGS + 1,
    table: 'sessions',
    id: 'yhteinen',
    hlc: hlcAt(T0 - 5_000 + n, `node${n}`),
    fields: { ...SESSION, participants: { member: { new: n + 1, returning: 0 } } },
  });
  tablet.nextMutationId = LOGS + 2;
  return mutations;
}

describeEachBackend('pushes of many tablets at once', (_backend, it) => {
  it('are applied together and store what one by one would: every change once, numbers without gaps, the latest clock wins', async ({ store, world }) => {
    const tablets = await moreTablets(world, store, TABLETS);
    let counterLocks = 0;
    const pushGroup = store.pushGroup.bind(store);
    const groupSizes: number[] = [];
    store.pushGroup = (orgId, devices, work) => {
      groupSizes.push(devices.length);
      return pushGroup(orgId, devices, (tx) =>
        work({
          ...tx,
          lockChangeCounter: () => {
            counterLocks += 1;
            return tx.lockChangeCounter();
          },
        }),
      );
    };
    const answers = await Promise.all(tablets.map((tablet, n) => tablet.push(pushOf(tablet, n))));

    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ lastMutationId: LOGS + 1, applied: LOGS + 1, duplicates: 0, quarantined: [] });
    }
    expect(groupSizes.length, `groups of ${groupSizes.join(', ')}`).toBeLessThan(TABLETS);
    expect(counterLocks).toBe(groupSizes.length);

    const stored = await store.recordsOfOrganisation(world.orgA, 'sessions');
    expect(stored).toHaveLength(TABLETS * LOGS + 1);
    // Every change took its own number and the counter stands at the last: the shared log keeps the number of its last
    // change (how many of its changes changed it depends on the order the pushes came in, as one by one).
    const organisation = await store.findOrganisation(world.orgA);
    const seqs = stored.map((record) => record.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(organisation!.changeSeq).toBe(Math.max(...seqs));
    expect(organisation!.changeSeq).toBeGreaterThanOrEqual(TABLETS * LOGS + 1);
    expect(organisation!.changeSeq).toBeLessThanOrEqual(TABLETS * (LOGS + 1));
    const shared = stored.find((record) => record.id === 'yhteinen')!;
    expect(shared.fields.participants).toEqual({ member: { new: TABLETS, returning: 0 } });
    expect(shared.fieldClocks.participants).toBe(hlcAt(T0 - 5_000 + TABLETS - 1, `node${TABLETS - 1}`));

    // A tablet that pulls from the start gets each record once, in change order, the shared one as stored.
    const { changes } = await world.a1.pullAll();
    expect(changes).toHaveLength(TABLETS * LOGS + 1);
    expect(changes.find((change) => change.id === 'yhteinen')!.fields.participants).toEqual({ member: { new: TABLETS, returning: 0 } });
  });

  it("refuse one tablet's bad push (a skipped id, reused ids) alone: the others' are applied", async ({ store, world }) => {
    const tablets = await moreTablets(world, store, 6);
    // The tablets pushed once before, so a reused id can be told from a retry.
    for (const [n, tablet] of tablets.entries()) expect((await tablet.push(pushOf(tablet, n).slice(0, 2))).status).toBe(200);
    const sends = tablets.map((tablet, n) => {
      const all = pushOf(tablet, n);
      if (n === 2) return all.slice(4); // skips ids 3 and 4
      if (n === 4) return [{ ...all[0]!, id: 'toinen-loki' }, ...all.slice(1)]; // id 1 again, for another record
      return all;
    });
    const answers = await Promise.all(tablets.map((tablet, n) => tablet.push(sends[n]!)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 409, 200, 409, 200]);
    expect(answers[2]!.body).toMatchObject({ error: 'mutation_gap', expected: 3 });
    expect(answers[4]!.body).toMatchObject({ error: 'mutation_conflict', expected: 3 });
    for (const n of [0, 1, 3, 5]) expect(answers[n]!.body).toMatchObject({ lastMutationId: LOGS + 1, applied: LOGS - 1, duplicates: 2 });
    const stored = await store.recordsOfOrganisation(world.orgA, 'sessions');
    const ofTablet = (n: number) => stored.filter((record) => record.id.startsWith(`t${n}-`)).length;
    expect([0, 1, 2, 3, 4, 5].map(ofTablet)).toEqual([LOGS, LOGS, 2, LOGS, 2, LOGS]);
    expect(stored.some((record) => record.id === 'toinen-loki')).toBe(false);
    // The refused tablets push again from where the server said, and get in.
    expect((await tablets[2]!.push(pushOf(tablets[2]!, 2).slice(2))).body).toMatchObject({ lastMutationId: LOGS + 1, applied: LOGS - 1 });
  });

  it('are tried one by one when the database fails their group, so each push meets only its own problem', async ({ store, world }) => {
    const tablets = await moreTablets(world, store, 8);
    const pushGroup = store.pushGroup.bind(store);
    let failedGroups = 0;
    store.pushGroup = (orgId, devices, work) => {
      if (devices.length > 1) {
        failedGroups += 1;
        return Promise.reject(new Error('the database went away for a moment'));
      }
      return pushGroup(orgId, devices, work);
    };
    const answers = await Promise.all(tablets.map((tablet, n) => tablet.push(pushOf(tablet, n))));
    expect(answers.map((answer) => answer.status)).toEqual(tablets.map(() => 200));
    expect(failedGroups, 'at least one group was formed and failed').toBeGreaterThan(0);
    expect(await store.recordsOfOrganisation(world.orgA, 'sessions')).toHaveLength(8 * LOGS + 1);
  });

  it("take a tablet's second push, sent before the first was answered, after the first: never in one group with it", async ({ store, world }) => {
    const tablets = await moreTablets(world, store, 4);
    const first = pushOf(tablets[0]!, 0);
    const answers = await Promise.all([
      ...tablets.slice(1).map((tablet, n) => tablet.push(pushOf(tablet, n + 1))),
      tablets[0]!.push(first.slice(0, 10)),
      tablets[0]!.push(first), // the same ten again and the rest: a retry before the answer came
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    // Whichever came first, the second found the first's ten applied: every change once.
    const [short, whole] = [answers[3]!.body, answers[4]!.body];
    expect(short.applied + whole.applied).toBe(LOGS + 1);
    expect(short.duplicates + whole.duplicates).toBe(10);
    expect(whole.lastMutationId).toBe(LOGS + 1);
    const stored = await store.recordsOfOrganisation(world.orgA, 'sessions');
    expect(stored.filter((record) => record.id.startsWith('t0-'))).toHaveLength(LOGS);
  });
});

describe('taking the next group out of the queue (property)', () => {
  const item = fc.record({ groupKey: fc.constant('org'), member: fc.constantFrom('a', 'b', 'c', 'd', 'e'), size: fc.integer({ min: 1, max: 500 }) });
  const queues = fc.array(item, { minLength: 1, maxLength: 30 });

  itPure('takes at least one push, one per tablet, within the limit, and leaves the rest in their order', () => {
    fc.assert(
      fc.property(queues, fc.integer({ min: 1, max: 2_000 }), (queue, limit) => {
        const before = [...queue];
        const group = takeGroup(queue, (taken) => taken, limit);
        expect(group.length).toBeGreaterThanOrEqual(1);
        expect(group[0]).toBe(before[0]);
        expect(new Set(group.map((taken) => taken.member)).size).toBe(group.length);
        if (group.length > 1) expect(group.reduce((sum, taken) => sum + taken.size, 0)).toBeLessThanOrEqual(limit);
        // Nothing lost or doubled, and what stays keeps its order.
        expect([...group, ...queue].sort((x, y) => before.indexOf(x) - before.indexOf(y))).toEqual(before);
        expect(queue).toEqual(before.filter((left) => !group.includes(left)));
        // A tablet's pushes leave in the order they came: none stays behind while a later one of its own is taken.
        for (const taken of group) expect(queue.some((left) => left.member === taken.member && before.indexOf(left) < before.indexOf(taken))).toBe(false);
      }),
    );
  });
});
