// Owns the rule for wrong PINs: the first five tries are free, then each further wrong PIN makes the tablet wait
// longer before it takes the next one (30 s, 1 min, 2 min … at most 15 min). Counted per tablet, not per profile,
// so trying every profile in turn does not help a guesser.

export const FREE_ATTEMPTS = 5;
export const FIRST_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 15 * 60_000;

/** How long to wait before the next PIN attempt after `failures` wrong PINs in a row. */
export function lockoutDelayMs(failures: number): number {
  if (!Number.isFinite(failures) || failures < FREE_ATTEMPTS) return 0;
  const doublings = Math.min(Math.floor(failures) - FREE_ATTEMPTS, 20); // bounded, so 2 ** n never overflows
  return Math.min(FIRST_DELAY_MS * 2 ** doublings, MAX_DELAY_MS);
}

export interface LockoutState {
  failures: number;
  lastFailureAt: number;
}

export const NO_FAILURES: LockoutState = { failures: 0, lastFailureAt: 0 };

/** Milliseconds still to wait at `now` (0 = a PIN may be tried). A clock set back does not shorten the wait forever. */
export function remainingWaitMs(state: LockoutState, now: number): number {
  const delay = lockoutDelayMs(state.failures);
  if (delay === 0) return 0;
  const elapsed = Math.max(0, now - state.lastFailureAt);
  return Math.max(0, delay - elapsed);
}

export function afterWrongPin(state: LockoutState, now: number): LockoutState {
  return { failures: state.failures + 1, lastFailureAt: now };
}
