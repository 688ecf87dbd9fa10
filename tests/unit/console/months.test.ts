import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, defaultRange, isMonth, MAX_MONTHS, monthOf, monthsBetween, rangeProblem } from '../../../src/console/months';

const month = fc
  .record({ year: fc.integer({ min: 2000, max: 2100 }), mon: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, mon }) => `${year}-${String(mon).padStart(2, '0')}`);

describe('the dashboard month range', () => {
  it('adds and takes away months across years, and back again', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-03', -14)).toBe('2025-01');
    fc.assert(
      fc.property(
        month,
        fc.integer({ min: -500, max: 500 }),
        (start, count) => addMonths(addMonths(start, count), -count) === start && isMonth(addMonths(start, count)),
      ),
    );
  });

  it('lists every month of a range once, in order, both ends included', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    fc.assert(
      fc.property(month, fc.integer({ min: 0, max: MAX_MONTHS - 1 }), (from, span) => {
        const months = monthsBetween(from, addMonths(from, span));
        return months.length === span + 1 && months.every((value, index) => index === 0 || months[index - 1]! < value);
      }),
    );
  });

  it('says what is wrong with a range in plain cases', () => {
    expect(rangeProblem('2026-01', '2026-03')).toBeUndefined();
    expect(rangeProblem('2026-1', '2026-03')).toBe('notMonth');
    expect(rangeProblem('2026-13', '2026-03')).toBe('notMonth');
    expect(rangeProblem('', '2026-03')).toBe('notMonth');
    expect(rangeProblem('2026-04', '2026-03')).toBe('backwards');
    expect(rangeProblem('2023-01', '2026-01')).toBe('tooLong'); // 37 months
    expect(rangeProblem('2023-02', '2026-01')).toBeUndefined(); // 36 months
  });

  it('accepts exactly the ranges of 1 to 36 months going forward', () => {
    fc.assert(
      fc.property(month, fc.integer({ min: -60, max: 60 }), (from, span) => {
        const problem = rangeProblem(from, addMonths(from, span));
        if (span < 0) return problem === 'backwards';
        return span < MAX_MONTHS ? problem === undefined : problem === 'tooLong';
      }),
    );
  });

  it('defaults to the last twelve months up to this one, in Helsinki time', () => {
    // 31 Dec 2025 23:30 UTC is already January in Helsinki.
    const now = Date.UTC(2025, 11, 31, 23, 30);
    expect(monthOf(now)).toBe('2026-01');
    expect(defaultRange(now)).toEqual({ from: '2025-02', to: '2026-01' });
    expect(monthsBetween(defaultRange(now).from, defaultRange(now).to)).toHaveLength(12);
  });
});
