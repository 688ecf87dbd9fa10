// Owns the lock feature's small per-tablet state in idb-keyval (outside the synced tables, never synced):
// the idle minutes, the retention months and the wrong-PIN counter (kept over reloads so a reload does not reset it).
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

export async function loadLockout(): Promise<LockoutState> {
  const value = await get<LockoutState>('lockout', lockStore());
  return value && Number.isFinite(value.failures) && Number.isFinite(value.lastFailureAt) ? value : NO_FAILURES;
}

export function saveLockout(state: LockoutState): Promise<void> {
  return set('lockout', state, lockStore());
}
