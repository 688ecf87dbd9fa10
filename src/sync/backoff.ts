// When to try again after a failed sync: exponential back-off with jitter, so tablets of a site don't retry in step.

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 10 * 60_000;

/** Delay before retry number `failures` (1 = first retry); `random` in [0, 1). Full jitter over the upper half. */
export function retryDelay(failures: number, random: number, base = BACKOFF_BASE_MS, max = BACKOFF_MAX_MS): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
