import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterWrongPin, FREE_ATTEMPTS, lockoutDelayMs, MAX_DELAY_MS, NO_FAILURES, remainingWaitMs } from '../../../src/lock/lockout';

describe('the wrong-PIN delay', () => {
  it('is zero for the first five wrong PINs and then grows', () => {
    expect([0, 1, 2, 3, 4].map(lockoutDelayMs)).toEqual([0, 0, 0, 0, 0]);
    expect(lockoutDelayMs(5)).toBe(30_000);
    expect(lockoutDelayMs(6)).toBe(60_000);
    expect(lockoutDelayMs(7)).toBe(120_000);
  });

  it('never shrinks as wrong PINs add up, is zero before five, positive from five, and never passes the cap', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(lockoutDelayMs(low)).toBeLessThanOrEqual(lockoutDelayMs(high));
        for (const n of [low, high]) {
          if (n < FREE_ATTEMPTS) expect(lockoutDelayMs(n)).toBe(0);
          else expect(lockoutDelayMs(n)).toBeGreaterThan(0);
          expect(lockoutDelayMs(n)).toBeLessThanOrEqual(MAX_DELAY_MS);
        }
      }),
    );
    expect(lockoutDelayMs(1_000_000)).toBe(MAX_DELAY_MS);
  });

  it('counts down from the last wrong PIN, and a clock set backwards does not end the wait early', () => {
    let state = NO_FAILURES;
    for (let i = 0; i < 5; i += 1) state = afterWrongPin(state, 1_000);
    expect(remainingWaitMs(state, 1_000)).toBe(30_000);
    expect(remainingWaitMs(state, 21_000)).toBe(10_000);
    expect(remainingWaitMs(state, 31_000)).toBe(0);
    expect(remainingWaitMs(state, 0)).toBe(30_000);
  });
});
