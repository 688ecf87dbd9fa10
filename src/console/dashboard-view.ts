// Owns turning the dashboard's answer into what the screen shows: the headline figures of a report, a row per month
// (each site's sessions and the total), a row per site, and the cells of one group. Pure, so it is tested alone.
import type { GroupId } from '../protocol/report';
import type { Dashboard, Report } from './types';

export interface Figures {
  sessions: number;
  people: number;
  newPeople: number;
  returning: number;
  feedback: number;
}

function cellValue(report: Report, group: GroupId, key: string): number {
  return report.groups.find((candidate) => candidate.id === group)?.cells.find((cell) => cell.key === key)?.value ?? 0;
}

/** Sessions, people helped (new and returning) and feedback of one report. */
export function figures(report: Report): Figures {
  return {
    sessions: report.totals.sessions,
    people: report.totals.visits,
    newPeople: cellValue(report, 'newReturning', 'new'),
    returning: cellValue(report, 'newReturning', 'returning'),
    feedback: report.totals.feedback,
  };
}

export interface MonthRow {
  month: string;
  /** Sessions of each shown site, in the order of `dashboard.sites`. */
  sessionsBySite: number[];
  total: Figures;
}

/** A row per month of the range: every site's sessions and the month's total figures (a month with nothing is zeros). */
export function monthRows(dashboard: Dashboard): MonthRow[] {
  return dashboard.months.map((month) => {
    const total = dashboard.total.months.find((entry) => entry.month === month)?.report;
    return {
      month,
      sessionsBySite: dashboard.sites.map((site) => {
        const report = dashboard.bySite.find((entry) => entry.siteId === site.id)?.months.find((entry) => entry.month === month)?.report;
        return report ? report.totals.sessions : 0;
      }),
      total: total ? figures(total) : { sessions: 0, people: 0, newPeople: 0, returning: 0, feedback: 0 },
    };
  });
}

export interface SiteRow extends Figures {
  siteId: string;
  name: string;
}

/** A row per shown site with its figures for the whole range. */
export function siteRows(dashboard: Dashboard): SiteRow[] {
  return dashboard.sites.map((site) => {
    const report = dashboard.bySite.find((entry) => entry.siteId === site.id)?.total;
    const values = report ? figures(report) : { sessions: 0, people: 0, newPeople: 0, returning: 0, feedback: 0 };
    return { siteId: site.id, name: site.name, ...values };
  });
}

// Groups with a natural order (new before returning, moods 1 to 5, short to long) keep it; the others go biggest first.
const ORDERED: ReadonlySet<GroupId> = new Set(['newReturning', 'moods', 'durations', 'visitsByRole']);

/** The cells of a group that have a count (an empty chart says "nothing" instead of a row of zeros); a hidden one stays. */
export function groupCells<V extends number | null>(
  report: { groups: { id: GroupId; cells: { key: string; value: V }[] }[] },
  group: GroupId,
): { key: string; value: V }[] {
  const cells = (report.groups.find((candidate) => candidate.id === group)?.cells ?? []).filter((cell) => cell.value !== 0);
  return ORDERED.has(group) ? cells : [...cells].sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
}

/** The groups the dashboard and the funder summary show, in this order. */
export const SHOWN_GROUPS: readonly GroupId[] = ['newReturning', 'topics', 'outcomes', 'barriers', 'referrals', 'formats', 'moods', 'wishedTopics'];
