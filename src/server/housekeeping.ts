// Owns the running server's chores on timers: forgetting what it keeps only for a while (quarantined mutations and
// mutation digests, after QUARANTINE_KEEP_DAYS; expired nonces and access tokens; pictures no record refers to, after
// PICTURE_GRACE_MS; logs and feedback past their organisation's retention) and keeping the watermark file current. The timers are unref'd, so
// they never keep a stopping process alive.
import { monthsBefore } from '../protocol';
import type { Logger } from './log';
import type { Store } from './store';

/** Hourly is plenty: the limits are in days, and a purge is one indexed delete. */
export const HOUSEKEEPING_EVERY_MS = 60 * 60_000;

/** A picture no record refers to is kept this long: it is uploaded before the step that uses it is pushed. */
export const PICTURE_GRACE_MS = 7 * 86_400_000;

export interface Chore {
  name: string;
  everyMs: number;
  run: (now: number) => Promise<void>;
}

export interface Housekeeping {
  /** Runs every chore once now (also what the timers do, each for its own chore). */
  runNow(): Promise<void>;
  /** Stops the timers and waits for chores under way. */
  stop(): Promise<void>;
}

export function startHousekeeping(options: { store: Store; logger: Logger; now?: () => number; everyMs?: number; chores?: Chore[] }): Housekeeping {
  const now = options.now ?? Date.now;
  const purge: Chore = { name: 'purge', everyMs: options.everyMs ?? HOUSEKEEPING_EVERY_MS, run: async (at) => void (await options.store.purgeExpired(at)) };
  const pictures: Chore = {
    name: 'pictures',
    everyMs: purge.everyMs,
    run: async (at) => void (await options.store.collectUnreferencedBlobs(at - PICTURE_GRACE_MS)),
  };
  const retention: Chore = { name: 'retention', everyMs: purge.everyMs, run: async (at) => void (await applyRetention(options.store, at)) };
  const chores = [purge, pictures, retention, ...(options.chores ?? [])];
  const running = new Map<Chore, Promise<void>>();
  const run = (chore: Chore): Promise<void> => {
    // One round of a chore at a time: a slow database must not pile rounds up.
    let round = running.get(chore);
    if (!round) {
      round = chore
        .run(now())
        .catch((error: unknown) => {
          // Retried on the next tick; the error's name and message only.
          options.logger.error({ chore: chore.name, error: (error as Error).name, message: (error as Error).message }, 'housekeeping failed');
        })
        .finally(() => running.delete(chore));
      running.set(chore, round);
    }
    return round;
  };
  const timers = chores.map((chore) => {
    const timer = setInterval(() => void run(chore), chore.everyMs);
    timer.unref();
    return timer;
  });
  return {
    async runNow() {
      await Promise.all(chores.map(run));
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}

/** Deletes every organisation's logs and feedback older than its retention; answers how many of each went. */
export async function applyRetention(store: Store, now: number): Promise<Record<string, number>> {
  const total: Record<string, number> = {};
  for (const organisation of await store.listOrganisations()) {
    const retention = await store.getRetention(organisation.id);
    if (!retention) continue; // removed meanwhile
    const removed = await store.expireRecords(organisation.id, monthsBefore(now, retention.months), now);
    for (const [table, count] of Object.entries(removed)) total[table] = (total[table] ?? 0) + count;
  }
  return total;
}
