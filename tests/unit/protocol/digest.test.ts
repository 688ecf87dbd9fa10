// The reconciliation digest: equal holdings give equal digests whatever their order, any difference of a record's
// presence or clock shows in exactly its bucket, and the repair lists say who must send and who must fetch what.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, differingBuckets, digestClock, hash64, recordsToRepair, serializeHlc, tableDigests, type DigestEntry } from '../../../src/protocol';

const table = fc.constantFrom('guides' as const, 'guideSteps' as const, 'sessions' as const, 'feedback' as const);
const clock = fc.record({ wallMs: fc.integer({ min: 1, max: 9 }), counter: fc.integer({ min: 0, max: 2 }), node: fc.constantFrom('a', 'b') }).map(serializeHlc);
const entries = fc.uniqueArray(fc.record({ table, id: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), hlc: clock }), {
  selector: (e) => `${e.table}/${e.id}`,
  maxLength: 40,
});

describe('the reconciliation digest', () => {
  it('is the same for the same records in any order', () => {
    fc.assert(
      fc.property(
        entries.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length }))),
        ([list, shuffled]) => {
          expect(tableDigests(shuffled)).toEqual(tableDigests(list));
          expect(differingBuckets(tableDigests(list), tableDigests(shuffled))).toEqual({});
        },
      ),
    );
  });

  it('shows a missing record, or one with another clock, in exactly its bucket (feedback: only presence counts)', () => {
    fc.assert(
      fc.property(
        entries.filter((list) => list.length > 0),
        fc.nat(),
        clock,
        (list, pick, other) => {
          const victim = list[pick % list.length]!;
          const without = list.filter((e) => e !== victim);
          expect(differingBuckets(tableDigests(list), tableDigests(without))).toEqual({ [victim.table]: [bucketOf(victim.id)] });
          const changed = list.map((e) => (e === victim ? { ...e, hlc: other } : e));
          const expected = victim.table === 'feedback' || other === victim.hlc ? {} : { [victim.table]: [bucketOf(victim.id)] };
          expect(differingBuckets(tableDigests(list), tableDigests(changed))).toEqual(expected);
        },
      ),
    );
  });

  it('sends what the server lacks or holds older and fetches what the tablet lacks or holds older', () => {
    const pairs = fc.uniqueArray(fc.tuple(fc.constantFrom<string>('r1', 'r2', 'r3', 'r4', 'r5'), clock), { selector: (p) => p[0] });
    fc.assert(
      fc.property(pairs, pairs, (mine, theirs) => {
        const { send, fetch } = recordsToRepair(mine, theirs);
        const swapped = recordsToRepair(theirs, mine);
        expect(swapped).toEqual({ send: fetch, fetch: send });
        const serverAfter = new Map(theirs);
        for (const id of send) serverAfter.set(id, new Map(mine).get(id)!);
        const tabletAfter = new Map(mine);
        for (const id of fetch) tabletAfter.set(id, new Map(theirs).get(id)!);
        expect(recordsToRepair(tabletAfter, serverAfter)).toEqual({ send: [], fetch: [] });
      }),
    );
  });

  it('spreads ids over the buckets and keeps the hash stable', () => {
    expect(hash64('')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64('log-1')).toBe(hash64('log-1'));
    expect(hash64('log-1')).not.toBe(hash64('log-2'));
    const buckets = new Set(Array.from({ length: 4000 }, (_, i) => bucketOf(crypto.randomUUID() + i)));
    expect(buckets.size).toBeGreaterThan(240);
    const entry: DigestEntry = { table: 'sessions', id: 'x', hlc: '' };
    expect(tableDigests([entry]).sessions).toHaveProperty(bucketOf('x'));
  });

  it('tells a record with the same record clock but other field clocks apart, and has both sides send and fetch it', () => {
    const full = { status: serializeHlc({ wallMs: 1, counter: 0, node: 'a' }), outcome: serializeHlc({ wallMs: 2, counter: 0, node: 'b' }) };
    const partial = { outcome: full.outcome };
    const record = (fieldClocks: Record<string, string>): DigestEntry => ({ table: 'sessions', id: 'log1', hlc: full.outcome, fieldClocks });
    expect(differingBuckets(tableDigests([record(full)]), tableDigests([record(partial)]))).toEqual({ sessions: [bucketOf('log1')] });
    expect(recordsToRepair([['log1', digestClock('sessions', full.outcome, full)]], [['log1', digestClock('sessions', full.outcome, partial)]])).toEqual({
      send: ['log1'],
      fetch: ['log1'],
    });
    // updatedAt's clock is kept on some tablets and not on others: it never makes a difference.
    expect(digestClock('sessions', full.outcome, { ...full, updatedAt: full.outcome })).toBe(digestClock('sessions', full.outcome, full));
  });
});
