// Test support: a positive signal that a housekeeping timer has had its chance. A test moves its clock, then waits
// until the chore's store call made with that time has finished, instead of sleeping and hoping the timer ran.
import type { Store } from '../../../src/server/store';

/** The store calls the housekeeping chores make with a time (the clock, or a cutoff taken from it). */
type TimedChore = 'purgeExpired' | 'collectUnreferencedBlobs';

/**
 * Watches `store[chore]`: `finishedWith(at)` settles once a call given `at` has finished. Ask right after moving the
 * clock (no await in between), so a round already under way with the clock before cannot count.
 */
export function watchChore(store: Store, chore: TimedChore): { finishedWith(at: number): Promise<void> } {
  const waiting = new Map<number, () => void>();
  const call = store[chore].bind(store);
  store[chore] = async (at: number) => {
    try {
      return await call(at);
    } finally {
      waiting.get(at)?.();
    }
  };
  return { finishedWith: (at) => new Promise((resolve) => waiting.set(at, resolve)) };
}
