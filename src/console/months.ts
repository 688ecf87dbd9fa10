// Owns the dashboard's month range: YYYY-MM values, the default (the last twelve months up to this one), the check
// that a range is right, and the list of months it covers. Pure.

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** A funder asks for a year or two; a longer range is refused before it reaches the server. */
export const MAX_MONTHS = 36;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

function parts(month: string): [number, number] {
  const match = MONTH.exec(month);
  if (!match) throw new Error(`not a month: ${month}`);
  return [Number(match[1]), Number(match[2])];
}

/** The month `count` months after (or before, when negative) `month`. */
export function addMonths(month: string, count: number): string {
  const [year, mon] = parts(month);
  const index = year * 12 + (mon - 1) + count;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month of a moment in Helsinki (the drop-ins' own clock). */
export function monthOf(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit' }).formatToParts(new Date(ms));
  const year = parts.find((part) => part.type === 'year')?.value ?? '1970';
  const month = parts.find((part) => part.type === 'month')?.value ?? '01';
  return `${year}-${month}`;
}

export function defaultRange(now: number): { from: string; to: string } {
  const to = monthOf(now);
  return { from: addMonths(to, -11), to };
}

export type RangeProblem = 'notMonth' | 'backwards' | 'tooLong';

/** What is wrong with a range, or undefined when it is right. */
export function rangeProblem(from: string, to: string): RangeProblem | undefined {
  if (!isMonth(from) || !isMonth(to)) return 'notMonth';
  if (from > to) return 'backwards';
  if (monthsBetween(from, to).length > MAX_MONTHS) return 'tooLong';
  return undefined;
}

/** Every month from `from` to `to`, both included (empty when backwards). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to && months.length <= MAX_MONTHS; month = addMonths(month, 1)) months.push(month);
  return months;
}
