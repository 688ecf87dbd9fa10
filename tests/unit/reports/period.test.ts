// Report periods are exact, gap-free ranges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodRange } from '../../../src/reports/period';

describe('periods', () => {
  it('the four quarters of a year are back to back and make the year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), (year) => {
        const quarters = ([1, 2, 3, 4] as const).map((quarter) => periodRange({ kind: 'quarter', year, quarter }));
        for (let i = 1; i < 4; i += 1) expect(quarters[i]![0]).toBe(quarters[i - 1]![1]);
        expect([quarters[0]![0], quarters[3]![1]]).toEqual(periodRange({ kind: 'year', year }));
        expect(periodRange({ kind: 'month', month: `${year}-01` })[0]).toBe(quarters[0]![0]);
      }),
    );
  });

  it('custom dates include both days, and an end before the start is empty', () => {
    const [from, to] = periodRange({ kind: 'custom', from: '2025-03-01', to: '2025-03-31' });
    expect([from, to]).toEqual(periodRange({ kind: 'month', month: '2025-03' }));
    const [a, b] = periodRange({ kind: 'custom', from: '2025-03-10', to: '2025-03-01' });
    expect(b <= a).toBe(true);
  });
});
