// Owns the report periods (month, quarter, year, custom days) as [from, to) ranges of local-time milliseconds.
export type Period =
  | { kind: 'month'; month: string } // "2025-03"
  | { kind: 'quarter'; year: number; quarter: 1 | 2 | 3 | 4 }
  | { kind: 'year'; year: number }
  | { kind: 'custom'; from: string; to: string }; // "2025-03-01" … "2025-03-31", both days included

export type PeriodKind = Period['kind'];
export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'year', 'custom'];

function day(value: string): [number, number, number] | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? [Number(match[1]), Number(match[2]) - 1, Number(match[3])] : undefined;
}

/** The period as [from, to): from its first moment up to, not including, the first moment after it. */
export function periodRange(period: Period): [number, number] {
  switch (period.kind) {
    case 'month': {
      const [year, month] = period.month.split('-').map(Number) as [number, number];
      return [new Date(year, month - 1, 1).getTime(), new Date(year, month, 1).getTime()];
    }
    case 'quarter':
      return [new Date(period.year, (period.quarter - 1) * 3, 1).getTime(), new Date(period.year, period.quarter * 3, 1).getTime()];
    case 'year':
      return [new Date(period.year, 0, 1).getTime(), new Date(period.year + 1, 0, 1).getTime()];
    case 'custom': {
      const from = day(period.from);
      const to = day(period.to);
      if (!from || !to) return [0, 0];
      const start = new Date(...from).getTime();
      const end = new Date(to[0], to[1], to[2] + 1).getTime();
      return end > start ? [start, end] : [0, 0];
    }
  }
}

/** A short name for file names: 2025-03, 2025-Q1, 2025, 2025-03-01_2025-03-31. */
export function periodSlug(period: Period): string {
  switch (period.kind) {
    case 'month':
      return period.month;
    case 'quarter':
      return `${period.year}-Q${period.quarter}`;
    case 'year':
      return String(period.year);
    case 'custom':
      return `${period.from}_${period.to}`;
  }
}

/** The period a report opens with: the month we are in. */
export function currentMonth(now: number): Period {
  const date = new Date(now);
  return { kind: 'month', month: `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}` };
}
