// The retry delay after a failed sync: never zero, never past the cap, doubling with each failure until the cap, and
// spread by jitter over the upper half of its window, so the tablets of a site do not all retry at the same moment.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, retryDelay } from '../../../src/sync/backoff';

const failures = fc.integer({ min: 1, max: 10_000 });
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
/** The top of the window for a failure count: the base doubled per earlier failure, at most the cap. */
const ceiling = (n: number) => Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (n - 1));

describe('retryDelay', () => {
  it('is bounded: at least half the base, at most the cap, for any number of failures', () => {
    fc.assert(
      fc.property(failures, random, (n, r) => {
        const delay = retryDelay(n, r);
        expect(delay).toBeGreaterThanOrEqual(BACKOFF_BASE_MS / 2);
        expect(delay).toBeLessThanOrEqual(BACKOFF_MAX_MS);
        expect(Number.isInteger(delay)).toBe(true);
      }),
    );
  });

  it('grows: with the same draw, one more failure never waits less, and doubles until the cap', () => {
    fc.assert(
      fc.property(failures, random, (n, r) => {
        const now = retryDelay(n, r);
        const next = retryDelay(n + 1, r);
        expect(next).toBeGreaterThanOrEqual(now);
        if (ceiling(n + 1) < BACKOFF_MAX_MS) expect(Math.abs(next - 2 * now)).toBeLessThanOrEqual(1); // rounding
      }),
    );
    expect(retryDelay(1, 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(retryDelay(50, 0.999_999)).toBe(BACKOFF_MAX_MS);
  });

  it('jitters within the upper half of its window: the lowest draw gives half the window, higher draws more', () => {
    fc.assert(
      fc.property(failures, random, random, (n, r1, r2) => {
        const top = ceiling(n);
        for (const r of [r1, r2]) {
          expect(retryDelay(n, r)).toBeGreaterThanOrEqual(Math.round(top / 2));
          expect(retryDelay(n, r)).toBeLessThanOrEqual(top);
        }
        expect(retryDelay(n, 0)).toBe(Math.round(top / 2));
        if (r1 < r2) expect(retryDelay(n, r1)).toBeLessThanOrEqual(retryDelay(n, r2));
      }),
    );
  });

  it('spreads tablets that failed together over the window rather than retrying in step', () => {
    const draws = Array.from({ length: 20 }, (_, i) => i / 20);
    const delays = new Set(draws.map((r) => retryDelay(3, r)));
    expect(delays.size).toBe(draws.length);
  });

  it('treats a zero or negative failure count as the first retry', () => {
    expect(retryDelay(0, 0.5)).toBe(retryDelay(1, 0.5));
    expect(retryDelay(-3, 0.5)).toBe(retryDelay(1, 0.5));
  });
});
