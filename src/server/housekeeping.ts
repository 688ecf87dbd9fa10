// Owns the running server's chores on a timer: forgetting what it keeps only for a while (quarantined mutations,
// after QUARANTINE_KEEP_DAYS). The timer is unref'd, so it never keeps a stopping process alive.
import type { Logger } from './log';
import type { Store } from './store';

/** Hourly is plenty: the limits are in days, and a purge is one indexed delete. */
export const HOUSEKEEPING_EVERY_MS = 60 * 60_000;

export type Chore = (now: number) => Promise<void>;

export interface Housekeeping {
  /** Runs every chore once now (also what the timer does). */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a round that is under way. */
  stop(): Promise<void>;
}

export function startHousekeeping(options: { store: Store; logger: Logger; now?: () => number; everyMs?: number; chores?: Chore[] }): Housekeeping {
  const now = options.now ?? Date.now;
  const chores: Chore[] = [async (at) => void (await options.store.purgeExpired(at)), ...(options.chores ?? [])];
  let running: Promise<void> | undefined;
  const runNow = (): Promise<void> => {
    // One round at a time: a slow database must not pile rounds up.
    running ??= (async () => {
      for (const chore of chores) {
        try {
          await chore(now());
        } catch (error) {
          // A failed round is retried on the next tick; the error's name and message only.
          options.logger.error({ error: (error as Error).name, message: (error as Error).message }, 'housekeeping failed');
        }
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void runNow(), options.everyMs ?? HOUSEKEEPING_EVERY_MS);
  timer.unref();
  return {
    runNow,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
