// Owns the retention rule: session logs that have reached the server (no row waits in the outbox) and that are
// older than the chosen number of months leave the tablet. The server keeps them; unsynced logs always stay.
import { removeOldLogs } from '../db/lock';

export const RETENTION_CHOICES = [1, 3, 6, 12, 24] as const;
export const DEFAULT_RETENTION_MONTHS = 6;

/** The moment `months` calendar months before `now`; logs that started before it are old. */
export function retentionCutoff(now: number, months: number): number {
  const date = new Date(now);
  const day = date.getDate();
  date.setDate(1); // step by whole months from the 1st, so 31 March minus one month is not 3 March
  date.setMonth(date.getMonth() - months);
  const lastDay = new Date(date.getFullYear(), date.getMonth() + 1, 0).getDate();
  date.setDate(Math.min(day, lastDay));
  return date.getTime();
}

export interface LogAge {
  id: string;
  startedAt: number;
}

/** Ids of the logs to remove: synced (not pending) and started before the cutoff. */
export function logsPastRetention(logs: readonly LogAge[], pendingIds: ReadonlySet<string>, cutoff: number): string[] {
  return logs.filter((log) => log.startedAt < cutoff && !pendingIds.has(log.id)).map((log) => log.id);
}

/** Removes the old synced logs from this tablet only: no outbox row, so the server copy is untouched. */
export async function applyRetention(months: number, now = Date.now()): Promise<number> {
  const cutoff = retentionCutoff(now, months);
  return removeOldLogs(cutoff, (old, pendingIds) => logsPastRetention(old, pendingIds, cutoff));
}
