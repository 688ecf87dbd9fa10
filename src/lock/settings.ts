// Owns the lock feature's small per-tablet state in idb-keyval (outside the synced tables, never synced):
// the idle minutes, the retention months and the wrong-PIN counters, one for the tablet and one per profile (kept over
// reloads so a reload does not reset them).
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { NO_FAILURES, type LockoutState } from './lockout';
import { DEFAULT_IDLE_MINUTES, IDLE_CHOICES } from './mode';
import { DEFAULT_RETENTION_MONTHS, RETENTION_CHOICES } from './retention';

export const LOCK_DB_NAME = 'digituki-lock';
let store: UseStore | undefined;
const lockStore = () => (store ??= createStore(LOCK_DB_NAME, 'state'));

export interface LockSettings {
  idleMinutes: number;
  retentionMonths: number;
}

const oneOf = (choices: readonly number[], value: unknown, fallback: number) => (typeof value === 'number' && choices.includes(value) ? value : fallback);

export async function loadLockSettings(): Promise<LockSettings> {
  const [idle, retention] = await Promise.all([get<unknown>('idleMinutes', lockStore()), get<unknown>('retentionMonths', lockStore())]);
  return {
    idleMinutes: oneOf(IDLE_CHOICES, idle, DEFAULT_IDLE_MINUTES),
    retentionMonths: oneOf(RETENTION_CHOICES, retention, DEFAULT_RETENTION_MONTHS),
  };
}

export function saveIdleMinutes(minutes: number): Promise<void> {
  return set('idleMinutes', minutes, lockStore());
}

export function saveRetentionMonths(months: number): Promise<void> {
  return set('retentionMonths', months, lockStore());
}

/** Wrong PINs in a row for the whole tablet, or (with a profile id) for that one profile. */
export async function loadLockout(profileId?: string): Promise<LockoutState> {
  const value = await get<LockoutState>(lockoutKey(profileId), lockStore());
  return value && Number.isFinite(value.failures) && Number.isFinite(value.lastFailureAt) ? value : NO_FAILURES;
}

export function saveLockout(state: LockoutState, profileId?: string): Promise<void> {
  return set(lockoutKey(profileId), state, lockStore());
}

const lockoutKey = (profileId: string | undefined) => (profileId === undefined ? 'lockout' : `lockout:${profileId}`);
