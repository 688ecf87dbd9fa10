// Owns sync while the app runs: when to sync (start, online, visible again, after changes, "Sync now"), one tab at a
// time (Web Locks, or a localStorage lease where the browser has none), back-off after failures, and the status the
// instructor sees. The Background Sync API is not used: Safari has none, and the app syncs whenever it is open anyway.
import { db } from '../db/db';
import { liveQuery } from '../db/live';
import { pendingCount, readEnrolment, readLastSync } from '../db/sync';
import { createObservable } from '../lib/observable';
import { retryDelay } from './backoff';
import { SyncError, syncOnce, type SyncProblem } from './engine';
import type { QuarantineReason } from '../protocol';
import { REMOTE_WIPE_EVENT } from './events';
import { withTabLease } from './tab-lease';

export interface SyncStatus {
  enrolled: boolean;
  running: boolean;
  lastSyncAt: number | undefined;
  pending: number;
  lastQuarantined: number;
  /** Records the last round's sync check put right: shown only when above 0. */
  lastRepaired: number;
  /** Why the last round's refused changes were refused, each reason once. */
  lastRefusedBecause: (QuarantineReason | 'unknown')[];
  problem: SyncProblem | undefined;
}

export const syncStatus = createObservable<SyncStatus>({
  enrolled: false,
  running: false,
  lastSyncAt: undefined,
  pending: 0,
  lastQuarantined: 0,
  lastRepaired: 0,
  lastRefusedBecause: [],
  problem: undefined,
});

const AFTER_CHANGE_MS = 3_000;
const LOCK_NAME = 'digituki-sync';

const TAB_ID = crypto.randomUUID();

function tabStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // blocked storage: sync runs unguarded
  }
}

let started = false;
let failures = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | undefined;

function update(patch: Partial<SyncStatus>): void {
  syncStatus.set({ ...syncStatus.get(), ...patch });
}

/** Problems that retrying cannot fix: the instructor must act (enrol again, update the app). */
function needsPeople(problem: SyncProblem): boolean {
  return ['not-enrolled', 'revoked', 'unauthorized', 'update-required', 'server-too-old', 'change-too-large'].includes(problem.code);
}

function schedule(delayMs: number): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void syncNow(), delayMs); // never rejects: a failed round is caught there
}

async function round(): Promise<void> {
  const database = db();
  const enrolment = await readEnrolment(database);
  update({ enrolled: !!enrolment });
  if (!enrolment) return;
  update({ running: true });
  try {
    const result = await syncOnce({ database });
    failures = 0;
    update({
      problem: undefined,
      lastSyncAt: (await readLastSync(database))?.at,
      lastQuarantined: result.quarantined,
      lastRepaired: result.repaired ?? 0,
      lastRefusedBecause: result.refusedBecause ?? [],
    });
  } catch (error) {
    const problem: SyncProblem = error instanceof SyncError ? error.problem : { code: 'server-error', status: 0 };
    update({ problem });
    if (problem.code === 'revoked' && problem.wipe) window.dispatchEvent(new CustomEvent(REMOTE_WIPE_EVENT));
    if (!needsPeople(problem)) {
      failures += 1;
      schedule(problem.code === 'rate-limited' ? problem.retryAfterSeconds * 1000 : retryDelay(failures, Math.random()));
    }
  } finally {
    update({ running: false });
  }
}

/** Runs one round now, unless one is running in this tab or another tab holds the sync lock. */
export function syncNow(): Promise<void> {
  if (running) return running;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // Without Web Locks (older Safari) a lease in localStorage keeps the other tabs from syncing at the same time.
  const work = locks
    ? locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => (lock ? round() : undefined))
    : withTabLease(tabStorage(), TAB_ID, round).then(() => undefined);
  running = Promise.resolve(work)
    .catch(() => undefined)
    .finally(() => {
      running = undefined;
    });
  return running;
}

/** Starts the triggers once per page; safe to call again (after enrolling). */
export async function startSync(): Promise<void> {
  const database = db();
  const [enrolment, lastSync] = await Promise.all([readEnrolment(database), readLastSync(database)]);
  update({ enrolled: !!enrolment, lastSyncAt: lastSync?.at });
  if (!started) {
    started = true;
    // syncNow never rejects: a failed round is caught there and shown in the sync status.
    window.addEventListener('online', () => void syncNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void syncNow();
    });
    let previous: number | undefined;
    liveQuery(() => pendingCount(database)).subscribe({
      next: (pending) => {
        update({ pending });
        // New local changes go out shortly after they were made, not on every keystroke.
        if (previous !== undefined && pending > previous && syncStatus.get().enrolled) schedule(AFTER_CHANGE_MS);
        previous = pending;
      },
    });
  }
  await syncNow();
}

/** Stops the automatic retries (after leaving the site). */
export function resetSyncStatus(): void {
  if (timer) clearTimeout(timer);
  failures = 0;
  update({ enrolled: false, problem: undefined, lastSyncAt: undefined, lastQuarantined: 0, lastRepaired: 0, lastRefusedBecause: [] });
}
