// Owns the date rules of what a tablet may see and what the server keeps (README: "Pull window and retention"):
// a session log's date is when it started, a feedback answer's when it was given; logs and feedback older than the
// server's pull window are never sent to a tablet, and those older than the organisation's retention are deleted.
// Pure: the server applies the rules, and a tablet leaves the same records out of its reconciliation digest.

/** How many months of its site's logs and feedback a tablet pulls, unless the server says otherwise (PULL_WINDOW_MONTHS). */
export const PULL_WINDOW_DEFAULT_MONTHS = 13;
/** How long the server keeps an organisation's logs and feedback, unless the organisation has its own setting. */
export const RETENTION_DEFAULT_MONTHS = 60;
/** The shortest and longest retention an organisation may set: one month, fifty years. */
export const RETENTION_MIN_MONTHS = 1;
export const RETENTION_MAX_MONTHS = 600;

/** The tables whose records carry a date, and the field that holds it; guides and steps have none (never windowed). */
export const DATED_FIELDS = { sessions: 'startedAt', feedback: 'createdAt' } as const;

/**
 * The moment `months` calendar months before `now`, in UTC: the same day of the month and the same time of day,
 * or the month's last day when it is shorter (31 March minus one month is 28/29 February, never 3 March).
 */
export function monthsBefore(now: number, months: number): number {
  const date = new Date(now);
  const day = date.getUTCDate();
  const target = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.getTime();
}

/** The date of a record (ms), or undefined for a table without one or a record that does not say (a partial change). */
export function recordDate(table: string, fields: Readonly<Record<string, unknown>>): number | undefined {
  const name = Object.hasOwn(DATED_FIELDS, table) ? DATED_FIELDS[table as keyof typeof DATED_FIELDS] : undefined;
  const value = name && Object.hasOwn(fields, name) ? fields[name] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** True when the record is dated before `from`; an undated record is never older than anything. */
export function datedBefore(table: string, fields: Readonly<Record<string, unknown>>, from: number): boolean {
  const date = recordDate(table, fields);
  return date !== undefined && date < from;
}

/**
 * From when a tablet sees its site's logs and feedback: the later of the pull window's start and the retention's
 * (a log the server will delete is not sent either).
 */
export function visibleFrom(now: number, windowMonths: number, retentionMonths: number): number {
  return Math.max(monthsBefore(now, windowMonths), monthsBefore(now, retentionMonths));
}

/**
 * Reads a retention as people write it: "5y", "5 years", "18m", "18 months". Answers the months, or a problem in
 * plain words (which never repeats the input: it may hold anything).
 */
export function parseRetention(text: string): { months: number } | { problem: string } {
  const match = /^\s*(\d{1,4})\s*(y|years?|m|months?)\s*$/i.exec(text);
  const months = match ? Number(match[1]) * (/^y/i.test(match[2]!) ? 12 : 1) : NaN;
  if (!match) return { problem: `Give the retention as a number of years or months, like "5y" (five years) or "18m" (eighteen months).` };
  if (months < RETENTION_MIN_MONTHS || months > RETENTION_MAX_MONTHS) {
    return { problem: `The retention must be from ${RETENTION_MIN_MONTHS} month to ${RETENTION_MAX_MONTHS / 12} years, not ${describeMonths(months)}.` };
  }
  return { months };
}

/** "5 years", "18 months", "1 month": a retention in words. */
export function describeMonths(months: number): string {
  if (months % 12 === 0 && months > 0) return `${months / 12} year${months === 12 ? '' : 's'}`;
  return `${months} month${months === 1 ? '' : 's'}`;
}
