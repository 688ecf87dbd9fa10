// The console's rule for who changed a guide last (src/server/console/guide-changes.ts): the latest tablet change of
// the guide or any of its steps, whatever order the store reads them in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestGuideChanges } from '../../src/server/console/guide-changes';
import type { TabletChange } from '../../src/server/store/store';

const guideIds = ['g1', 'g2', 'g3'];
const change: fc.Arbitrary<TabletChange> = fc.oneof(
  fc.record({
    table: fc.constant('guides'),
    id: fc.constantFrom(...guideIds),
    fields: fc.constant({}),
    deviceId: fc.constantFrom('d1', 'd2', 'd3'),
    at: fc.integer({ min: 0, max: 5 }),
    seq: fc.nat(1000),
  }),
  fc.record({
    table: fc.constant('guideSteps'),
    id: fc.constantFrom('s1', 's2', 's3', 's4'),
    fields: fc.record({ guideId: fc.constantFrom(...guideIds) }),
    deviceId: fc.constantFrom('d1', 'd2', 'd3'),
    at: fc.integer({ min: 0, max: 5 }),
    seq: fc.nat(1000),
  }),
);
// Change numbers are unique in an organisation.
const changes = fc.uniqueArray(change, { selector: (c) => c.seq, maxLength: 20 });

describe('latestGuideChanges', () => {
  it('names, for each guide, the change of the guide or one of its steps with the latest time (then the highest change number)', () => {
    fc.assert(
      fc.property(changes, (all) => {
        const result = latestGuideChanges(all);
        for (const guideId of guideIds) {
          const own = all.filter((c) => (c.table === 'guides' ? c.id : c.fields.guideId) === guideId);
          const expected = own.reduce<TabletChange | undefined>(
            (best, c) => (!best || c.at > best.at || (c.at === best.at && c.seq > best.seq) ? c : best),
            undefined,
          );
          expect(result.get(guideId)).toEqual(expected && { deviceId: expected.deviceId, at: expected.at });
          for (const c of own) expect(result.get(guideId)!.at).toBeGreaterThanOrEqual(c.at);
        }
      }),
    );
  });

  it('does not depend on the order the changes are read in', () => {
    const shuffled = changes.chain((all) => fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length })));
    fc.assert(
      fc.property(shuffled, ([all, reordered]) => {
        expect(latestGuideChanges(reordered)).toEqual(latestGuideChanges(all));
      }),
    );
  });

  it('leaves out steps that belong to no guide and other tables', () => {
    const odd: TabletChange[] = [
      { table: 'guideSteps', id: 's1', fields: {}, deviceId: 'd1', at: 9, seq: 1 },
      { table: 'sessions', id: 'g1', fields: {}, deviceId: 'd1', at: 9, seq: 2 },
    ];
    expect(latestGuideChanges(odd).size).toBe(0);
  });
});
