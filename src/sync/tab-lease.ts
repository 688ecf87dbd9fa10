// Owns the single-tab guard for browsers without Web Locks (older Safari on iPads): a short lease in localStorage that
// one tab takes before a sync round, renews while it runs and gives back at the end, so two open tabs do not both
// sync at once. Best effort by nature (localStorage has no compare-and-set); the server applies every change at most
// once anyway, so a rare overlap costs a repeated request, never data.
import { readStored, type StoredValues, writeStored } from '../db/device-local';
import { SYNC_LEASE } from '../db/device-local-places';

export type Lease = StoredValues['syncLease'];

export const LEASE_KEY = SYNC_LEASE.name;
export const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

/** May `holder` take the lease now? When nobody holds it, when it is its own, or when the holder let it run out. */
export function leaseIsFree(current: Lease | undefined, holder: string, now: number): boolean {
  return !current || current.holder === holder || current.until <= now;
}

/**
 * Runs `work` while holding the lease; resolves to false without running it when another tab holds the lease.
 * Without usable localStorage (blocked, full) the work runs unguarded: syncing matters more than the guard.
 */
export async function withTabLease(storage: Storage | undefined, holder: string, work: () => Promise<void>, clock: () => number = Date.now): Promise<boolean> {
  if (!storage) {
    await work(); // no storage of its own (not the page's localStorage): unguarded
    return true;
  }
  // A damaged lease, or one of the wrong type, reads as none.
  if (!leaseIsFree(readStored(SYNC_LEASE, storage), holder, clock())) return false;
  const take = () => writeStored(SYNC_LEASE, { holder, until: clock() + LEASE_MS }, storage);
  const renew = take() ? setInterval(take, RENEW_MS) : undefined; // not taken (blocked, full): unguarded
  try {
    await work();
    return true;
  } finally {
    if (renew) clearInterval(renew);
    if (readStored(SYNC_LEASE, storage)?.holder === holder) writeStored(SYNC_LEASE, undefined, storage);
  }
}
