// A push is applied set-based (one read of the touched records, a merge in memory, one multi-row write), yet it must
// store exactly what applying its mutations one by one stores: the same rows, field clocks and change numbers, the
// same answer (applied, duplicates, clamps, refusals, the device's last clock). Checked against a sequential model of
// the protocol's rule and against the same server fed one mutation per push, with tablets racing on one organisation,
// on SQLite and PostgreSQL. The statements a push runs do not grow with its size.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  INSERT_ONLY_TABLES,
  TABLE_SCOPE,
  acceptedClock,
  applyState,
  canonicalJson,
  maxHlc,
  recordHlc,
  sameValue,
  stateOfMutation,
  type PushResponse,
  type SyncedTable,
} from '../../src/protocol';
import type { Store } from '../../src/server/store';
import { describeEachBackend, type Backend } from './support/backends';
import { FEEDBACK, GUIDE, SESSION, T0, buildWorld, hlcAt, type Tablet, type World } from './support/world';

type Mutation = { mutationId: number; table: string; id: string; hlc: string; fields: Record<string, unknown> };
/** What a generated mutation says, before it is numbered: its table, record, fields and clock. */
type Draft = Omit<Mutation, 'mutationId'>;

const TABLETS = ['a1', 'a1b', 'a2'] as const;
type TabletName = (typeof TABLETS)[number];
const SITE_OF: Record<TabletName, string> = { a1: 'A1', a1b: 'A1', a2: 'A2' };

// Few record ids and few values: records are touched twice in a batch, updated across batches and by two tablets.
const clock = (node: string) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .record({ offset: fc.integer({ min: -3, max: 3 }), counter: fc.integer({ min: 0, max: 2 }) })
        .map(({ offset, counter }) => hlcAt(T0 + offset * 1000, node, counter)),
    },
    // Ahead of the server by more than the allowed drift: clamped.
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }).map((minutes) => hlcAt(T0 + minutes * 60_000, node)) },
  );
const draft = (node: string): fc.Arbitrary<Draft> =>
  fc.oneof(
    fc.record({
      table: fc.constant('guides'),
      id: fc.constantFrom('g1', 'g2'),
      hlc: clock(node),
      fields: fc.oneof(
        fc.constant(GUIDE),
        fc.record({ title: fc.constantFrom('Kela', 'Pankki', 'Posti') }),
        fc.record({ version: fc.integer({ min: 1, max: 3 }) }),
        fc.record({ deleted: fc.constantFrom(0, 1) }),
      ),
    }),
    fc.record({
      table: fc.constant('sessions'),
      id: fc.constantFrom('s1', 's2', 's3'),
      hlc: clock(node),
      fields: fc.oneof(
        fc.constant(SESSION),
        fc.record({ status: fc.constantFrom('draft', 'final') }),
        fc.record({ note: fc.constantFrom('Kela', 'Pankki'), topics: fc.constantFrom(['security'], ['attachments']) }),
        fc.record({ deleted: fc.constantFrom(0, 1) }),
      ),
    }),
    fc.record({
      table: fc.constant('feedback'),
      id: fc.constantFrom('f1', 'f2'),
      hlc: clock(node),
      fields: fc.integer({ min: 1, max: 3 }).map((mood) => ({ ...FEEDBACK, answers: { mood } })),
    }),
    // Refused by its own checks: quarantined, no clock kept.
    fc.record({ table: fc.constant('participants'), id: fc.constant('p1'), hlc: clock(node), fields: fc.constant({}) }),
  );
/** One push of a tablet: its last `resend` mutations again (a retry after a lost answer), then new ones. */
const push = fc
  .constantFrom(...TABLETS)
  .chain((tablet) =>
    fc.record({ tablet: fc.constant(tablet), resend: fc.integer({ min: 0, max: 3 }), drafts: fc.array(draft(tablet), { minLength: 1, maxLength: 8 }) }),
  );

// --- The sequential rule: one mutation after the other, as the protocol describes it -----------------------------

interface ModelRecord {
  table: string;
  site: string;
  id: string;
  fields: Record<string, unknown>;
  fieldClocks: Record<string, string>;
  hlc: string;
  seq: number;
}
interface Model {
  records: Map<string, ModelRecord>;
  counter: number;
  tablets: Record<TabletName, { lastMutationId: number; lastHlc: string }>;
  /** Clocks the server kept clamped changes at, by table/id/clock as sent: the same change sent again keeps it. */
  kept: Map<string, string>;
}
type Answer = Pick<PushResponse, 'lastMutationId' | 'applied' | 'duplicates' | 'clamped' | 'lastHlc'> & { quarantined: number[] };

const emptyModel = (): Model => ({
  records: new Map(),
  counter: 0,
  tablets: { a1: { lastMutationId: 0, lastHlc: '' }, a1b: { lastMutationId: 0, lastHlc: '' }, a2: { lastMutationId: 0, lastHlc: '' } },
  kept: new Map(),
});
const copyModel = (model: Model): Model => structuredClone(model);

function applyOneByOne(model: Model, tablet: TabletName, mutations: readonly Mutation[]): Answer {
  const device = model.tablets[tablet];
  const answer: Answer = { lastMutationId: device.lastMutationId, applied: 0, duplicates: 0, clamped: [], lastHlc: device.lastHlc, quarantined: [] };
  for (const mutation of mutations) {
    if (mutation.mutationId <= device.lastMutationId) {
      answer.duplicates += 1;
      continue;
    }
    device.lastMutationId = mutation.mutationId;
    answer.lastMutationId = mutation.mutationId;
    if (mutation.table === 'participants') {
      answer.quarantined.push(mutation.mutationId);
      continue;
    }
    const table = mutation.table as SyncedTable;
    const changeKey = `${table}/${mutation.id}/${mutation.hlc}`;
    const again = model.kept.get(changeKey);
    const accepted = again ? { hlc: again, clamped: true } : acceptedClock(mutation.hlc, T0, device.lastHlc);
    if (accepted.clamped) answer.clamped.push({ mutationId: mutation.mutationId, hlc: accepted.hlc });
    if (accepted.clamped && !again) model.kept.set(changeKey, accepted.hlc);
    device.lastHlc = maxHlc(device.lastHlc, accepted.hlc);
    const site = TABLE_SCOPE[table] === 'site' ? SITE_OF[tablet] : '';
    const key = JSON.stringify([table, site, mutation.id]);
    const existing = model.records.get(key);
    if (INSERT_ONLY_TABLES.includes(table)) {
      if (!existing)
        model.records.set(key, { table, site, id: mutation.id, ...stateOfMutation(mutation.fields, accepted.hlc), hlc: accepted.hlc, seq: ++model.counter });
      else if (!sameValue(existing.fields, mutation.fields)) {
        answer.quarantined.push(mutation.mutationId);
        continue;
      }
    } else {
      const outcome = applyState(existing, stateOfMutation(mutation.fields, accepted.hlc));
      if (outcome.changedFields.length)
        model.records.set(key, { table, site, id: mutation.id, ...outcome.state, hlc: recordHlc(outcome.state), seq: ++model.counter });
    }
    answer.applied += 1;
  }
  answer.lastHlc = device.lastHlc;
  return answer;
}

// --- The server -------------------------------------------------------------------------------------------------

/** Numbers a tablet's drafts after its last sent mutations, with the last `resend` of those sent first again. */
function numbered(sent: Mutation[], resend: number, drafts: readonly Draft[]): Mutation[] {
  const next = (sent.at(-1)?.mutationId ?? 0) + 1;
  const fresh = drafts.map((d, n) => ({ ...d, mutationId: next + n }));
  const again = sent.slice(Math.max(0, sent.length - resend));
  sent.push(...fresh);
  return [...again, ...fresh];
}

async function pushed(tablet: Tablet, mutations: readonly Mutation[]): Promise<Answer> {
  const { status, body } = await tablet.push([...mutations]);
  if (status !== 200) throw new Error(`push answered ${status}: ${JSON.stringify(body)}`);
  return {
    lastMutationId: body.lastMutationId,
    applied: body.applied,
    duplicates: body.duplicates,
    clamped: body.clamped,
    lastHlc: body.lastHlc,
    quarantined: body.quarantined.map((q) => q.mutationId),
  };
}

/** What the server stores for organisation A, in the model's terms (sites by name), in change-number order. */
async function storedRows(store: Store, world: World): Promise<{ records: ModelRecord[]; counter: number }> {
  const siteName: Record<string, string> = { [world.siteA1]: 'A1', [world.siteA2]: 'A2', '': '' };
  const records = (await store.recordsOfOrganisation(world.orgA)).map((r) => ({
    table: r.table,
    site: siteName[r.siteId]!,
    id: r.id,
    fields: r.fields,
    fieldClocks: r.fieldClocks,
    hlc: r.hlc,
    seq: r.seq,
  }));
  return { records, counter: (await store.findOrganisation(world.orgA))!.changeSeq };
}

const modelRows = (model: Model) => ({ records: [...model.records.values()].sort((a, b) => a.seq - b.seq), counter: model.counter });
const combined = (answers: Answer[]): Answer => ({
  lastMutationId: answers.at(-1)!.lastMutationId,
  applied: answers.reduce((sum, a) => sum + a.applied, 0),
  duplicates: answers.reduce((sum, a) => sum + a.duplicates, 0),
  clamped: answers.flatMap((a) => a.clamped),
  lastHlc: answers.at(-1)!.lastHlc,
  quarantined: answers.flatMap((a) => a.quarantined),
});

describeEachBackend('a push applied set-based', (backend: Backend) => {
  /** Runs one case on fresh stores of this backend, closed and removed when the case ends, whatever happens. */
  const withWorlds = async (count: number, run: (...opened: { store: Store; world: World }[]) => Promise<void>) => {
    const opened: Awaited<ReturnType<Backend['open']>>[] = [];
    try {
      const worlds: { store: Store; world: World }[] = [];
      for (let n = 0; n < count; n += 1) {
        const one = await backend.open();
        opened.push(one);
        worlds.push({ store: one.store, world: await buildWorld(one.store) });
      }
      await run(...worlds);
    } finally {
      for (const one of opened) {
        await one.store.close();
        await one.cleanup();
      }
    }
  };

  it('stores the same rows, change numbers and answers as the same mutations applied one by one (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(push, { minLength: 1, maxLength: 6 }), (pushes) =>
        withWorlds(2, async (batched, single) => {
          const model = emptyModel();
          const sent: Record<TabletName, Mutation[]> = { a1: [], a1b: [], a2: [] };
          for (const { tablet, resend, drafts } of pushes) {
            const mutations = numbered(sent[tablet], resend, drafts);
            const expected = applyOneByOne(model, tablet, mutations);
            expect(await pushed(batched.world[tablet], mutations), 'the batch answer').toEqual(expected);
            const singles: Answer[] = [];
            for (const mutation of mutations) singles.push(await pushed(single.world[tablet], [mutation]));
            expect(combined(singles), 'one push per mutation').toEqual(expected);
          }
          expect(await storedRows(batched.store, batched.world)).toEqual(modelRows(model));
          expect(await storedRows(single.store, single.world)).toEqual(modelRows(model));
        }),
      ),
      { numRuns: backend.name === 'SQLite' ? 15 : 6 },
    );
  }, 600_000);

  it('keeps the sequential rule when two tablets of one organisation push at the same moment (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom<[TabletName, TabletName]>(['a1', 'a1b'], ['a1', 'a2']),
            fc.array(draft('x'), { minLength: 1, maxLength: 12 }),
            fc.array(draft('y'), { minLength: 1, maxLength: 12 }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (rounds) =>
          withWorlds(1, async ({ store, world }) => {
            let model = emptyModel();
            const sent: Record<TabletName, Mutation[]> = { a1: [], a1b: [], a2: [] };
            for (const [[first, second], firstDrafts, secondDrafts] of rounds) {
              const one = numbered(sent[first], 0, firstDrafts);
              const other = numbered(sent[second], 0, secondDrafts);
              const answers = await Promise.all([pushed(world[first], one), pushed(world[second], other)]);
              const stored = await storedRows(store, world);
              // The store must equal one of the two orders, answers included.
              const orders = [
                [first, one, second, other],
                [second, other, first, one],
              ] as const;
              const outcomes = orders.map(([x, xs, y, ys]) => {
                const next = copyModel(model);
                const byTablet = { [x]: applyOneByOne(next, x, xs), [y]: applyOneByOne(next, y, ys) } as Record<TabletName, Answer>;
                return { next, answers: [byTablet[first], byTablet[second]] };
              });
              const matching = outcomes.find(
                (outcome) => canonicalJson(modelRows(outcome.next)) === canonicalJson(stored) && canonicalJson(outcome.answers) === canonicalJson(answers),
              );
              expect(matching, 'the stored rows and answers of one of the two orders').toBeDefined();
              model = matching!.next;
            }
          }),
      ),
      { numRuns: backend.name === 'SQLite' ? 12 : 8 },
    );
  }, 600_000);
});

// --- Statements per push -----------------------------------------------------------------------------------------

describeEachBackend('statements per push', (_backend, base) => {
  // The test's store tells it every statement it runs.
  const it = base.extend('statements', (): string[] => []);
  it.override('storeOptions', ({ statements }) => ({ onQuery: (text) => statements.push(text) }));

  it('does not grow with the number of mutations: new, updated, twice-touched and resent records alike', async ({ store, world, statements }) => {
    const { a1 } = world;
    const sent: Mutation[] = [];
    const countPush = async (mutations: Mutation[]) => {
      statements.length = 0;
      const answer = await pushed(a1, mutations);
      return { count: statements.length, answer };
    };
    const batch = (n: number, round: number): Draft[] =>
      Array.from({ length: n }, (_, i) => [
        { table: 'sessions', id: `s${i}`, hlc: hlcAt(T0 + round, 'a1', i), fields: { ...SESSION, note: `kierros ${round}` } },
        { table: 'guides', id: `g${i}`, hlc: hlcAt(T0 + round, 'a1', i), fields: { ...GUIDE, version: round } },
        { table: 'feedback', id: `f${round}-${i}`, hlc: hlcAt(T0 + round, 'a1', i), fields: FEEDBACK },
      ]).flat();
    const counts: number[] = [];
    for (const [round, size] of [1, 10, 60, 120].entries()) {
      // New records in round 0, then updates of the same ones and new feedback, each record touched twice, two resent.
      const drafts = [
        ...batch(size, round + 1),
        ...Array.from({ length: size }, (_, i) => ({ table: 'sessions', id: `s${i}`, hlc: hlcAt(T0 + round + 1, 'a1', 999), fields: { status: 'draft' } })),
      ];
      const { count, answer } = await countPush(numbered(sent, round ? 2 : 0, drafts));
      expect(answer.applied).toBe(drafts.length);
      counts.push(count);
    }
    // The same statements whatever the size (the smallest may skip none of them), and few.
    expect(new Set(counts.slice(1)).size, `statements per push: ${counts.join(', ')}`).toBe(1);
    // Device and token look-ups, the device lock, digests, expired keys, counter, one read per table, one write, commit-time updates.
    expect(Math.max(...counts)).toBeLessThanOrEqual(18);
    expect(Math.min(...counts), 'the store tells the test its statements').toBeGreaterThan(0);
    const stored = await store.recordsOfOrganisation(world.orgA);
    expect(stored.filter((r) => r.table === 'sessions')).toHaveLength(120);
  });
});
