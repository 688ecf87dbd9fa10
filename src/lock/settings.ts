// Owns the lock feature's small per-tablet settings and counters (device-local keys in the app database, never
// synced): the idle minutes, the retention months and the wrong-PIN counters, one for the tablet and one per profile
// (kept over reloads so a reload does not reset them). An earlier version kept them in idb-keyval database
// digituki-lock; they move over before the first read here (src/db/device-local-places.ts).
import { db } from '../db/db';
import { readLocal, writeLocal } from '../db/device-local';
import { moveFormerValues } from '../db/device-local-places';
import { NO_FAILURES, type LockoutState } from './lockout';
import { DEFAULT_IDLE_MINUTES, IDLE_CHOICES } from './mode';
import { DEFAULT_RETENTION_MONTHS, RETENTION_CHOICES } from './retention';

export interface LockSettings {
  idleMinutes: number;
  retentionMonths: number;
}

const oneOf = (choices: readonly number[], value: unknown, fallback: number) => (typeof value === 'number' && choices.includes(value) ? value : fallback);

export async function loadLockSettings(): Promise<LockSettings> {
  await moveFormerValues(db());
  const [idle, retention] = await Promise.all([readLocal(db(), 'idleMinutes'), readLocal(db(), 'retentionMonths')]);
  return {
    idleMinutes: oneOf(IDLE_CHOICES, idle, DEFAULT_IDLE_MINUTES),
    retentionMonths: oneOf(RETENTION_CHOICES, retention, DEFAULT_RETENTION_MONTHS),
  };
}

export function saveIdleMinutes(minutes: number): Promise<void> {
  return writeLocal(db(), 'idleMinutes', minutes);
}

export function saveRetentionMonths(months: number): Promise<void> {
  return writeLocal(db(), 'retentionMonths', months);
}

/** Wrong PINs in a row for the whole tablet, or (with a profile id) for that one profile. */
export async function loadLockout(profileId?: string): Promise<LockoutState> {
  await moveFormerValues(db());
  const value = await readLocal(db(), lockoutKey(profileId));
  return value && Number.isFinite(value.failures) && Number.isFinite(value.lastFailureAt) ? value : NO_FAILURES;
}

export function saveLockout(state: LockoutState, profileId?: string): Promise<void> {
  return writeLocal(db(), lockoutKey(profileId), state);
}

const lockoutKey = (profileId: string | undefined): 'lockout' | `lockout:${string}` => (profileId === undefined ? 'lockout' : `lockout:${profileId}`);
