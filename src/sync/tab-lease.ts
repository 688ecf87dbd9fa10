// Owns the single-tab guard for browsers without Web Locks (older Safari on iPads): a short lease in localStorage that
// one tab takes before a sync round, renews while it runs and gives back at the end, so two open tabs do not both
// sync at once. Best effort by nature (localStorage has no compare-and-set); the server applies every change at most
// once anyway, so a rare overlap costs a repeated request, never data.
import { LOCAL_STORAGE_KEYS } from '../db/device-local';

export interface Lease {
  holder: string;
  until: number;
}

export const LEASE_KEY = LOCAL_STORAGE_KEYS.syncLease;
export const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

/** May `holder` take the lease now? When nobody holds it, when it is its own, or when the holder let it run out. */
export function leaseIsFree(current: Lease | undefined, holder: string, now: number): boolean {
  return !current || current.holder === holder || current.until <= now;
}

function readLease(storage: Storage): Lease | undefined {
  try {
    const value = JSON.parse(storage.getItem(LEASE_KEY) ?? 'null') as Partial<Lease> | null;
    return value && typeof value.holder === 'string' && typeof value.until === 'number' ? { holder: value.holder, until: value.until } : undefined;
  } catch {
    return undefined; // a damaged lease is no lease
  }
}

/**
 * Runs `work` while holding the lease; resolves to false without running it when another tab holds the lease.
 * Without usable localStorage (blocked, full) the work runs unguarded: syncing matters more than the guard.
 */
export async function withTabLease(storage: Storage | undefined, holder: string, work: () => Promise<void>, clock: () => number = Date.now): Promise<boolean> {
  let renew: ReturnType<typeof setInterval> | undefined;
  try {
    if (storage) {
      if (!leaseIsFree(readLease(storage), holder, clock())) return false;
      storage.setItem(LEASE_KEY, JSON.stringify({ holder, until: clock() + LEASE_MS }));
      renew = setInterval(() => storage.setItem(LEASE_KEY, JSON.stringify({ holder, until: clock() + LEASE_MS })), RENEW_MS);
    }
  } catch {
    renew = undefined;
  }
  try {
    await work();
    return true;
  } finally {
    if (renew) clearInterval(renew);
    try {
      if (storage && readLease(storage)?.holder === holder) storage.removeItem(LEASE_KEY);
    } catch {
      // nothing to give back
    }
  }
}
