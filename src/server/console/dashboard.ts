// Owns the console's numbers: an organisation's synced session logs and feedback counted per site and per Helsinki
// month with the tablet's own report rules (src/protocol/report.ts), and the Finnish CSV of the shared (small cells
// hidden) figures. Pure: records in, numbers out.
import { csvText, EXCEL_DELIMITER, type CsvCell } from '../../lib/csv';
import { helsinkiDateTime } from '../../lib/helsinki-time';
import {
  aggregate,
  reportLogOf,
  type Dashboard,
  suppressSmallCells,
  type FeedbackRow,
  type Report,
  type ReportLog,
  type SharedReport,
  type TotalName,
} from '../../protocol/report';
import { reportCellLabel, reportGroupTitle, reportWord } from '../export-labels';

export const MAX_MONTHS = 36;

/** The synced records the dashboard reads: a session log's or a feedback answer's fields and its site. */
export interface SiteRecord {
  siteId: string;
  fields: Record<string, unknown>;
}

/** The months from `from` to `to`, both included ("2026-01" … "2026-03"); undefined when not a range of 1–36 months. */
export function monthsBetween(from: string, to: string): string[] | undefined {
  const read = (month: string) => {
    const match = /^(\d{4})-(\d{2})$/.exec(month);
    if (!match) return undefined;
    const year = Number(match[1]);
    const number = Number(match[2]);
    return number >= 1 && number <= 12 && year >= 2000 && year <= 2100 ? year * 12 + number - 1 : undefined;
  };
  const start = read(from);
  const end = read(to);
  if (start === undefined || end === undefined || end < start || end - start + 1 > MAX_MONTHS) return undefined;
  return Array.from({ length: end - start + 1 }, (_, i) => `${Math.floor((start + i) / 12)}-${String(((start + i) % 12) + 1).padStart(2, '0')}`);
}

/** The Helsinki month of a moment: the drop-in's own calendar, as on the tablet. */
export function helsinkiMonth(ms: unknown): string {
  return helsinkiDateTime(ms).date.slice(0, 7);
}

/** Logs that started and feedback given in each month, per site, counted exactly as the tablet's report counts them. */
export function buildDashboard(input: {
  from: string;
  to: string;
  months: string[];
  sites: { id: string; name: string }[];
  sessions: SiteRecord[];
  feedback: SiteRecord[];
}): Dashboard {
  const inRange = new Set(input.months);
  const shown = new Set(input.sites.map((site) => site.id));
  const logs = input.sessions.filter((record) => shown.has(record.siteId)).map((record) => ({ siteId: record.siteId, log: reportLogOf(record.fields) }));
  const answers = input.feedback
    .filter((record) => shown.has(record.siteId))
    .map((record) => ({
      siteId: record.siteId,
      createdAt: record.fields.createdAt,
      row: { answers: (typeof record.fields.answers === 'object' && record.fields.answers !== null ? record.fields.answers : {}) as Record<string, unknown> },
    }));
  const countFor = (site: string | undefined, month: string | undefined): Report => {
    const pickedLogs: ReportLog[] = [];
    const pickedFeedback: FeedbackRow[] = [];
    for (const { siteId, log } of logs) {
      const at = helsinkiMonth(log.startedAt);
      if ((site === undefined || siteId === site) && inRange.has(at) && (month === undefined || at === month)) pickedLogs.push(log);
    }
    for (const { siteId, createdAt, row } of answers) {
      const at = helsinkiMonth(createdAt);
      if ((site === undefined || siteId === site) && inRange.has(at) && (month === undefined || at === month)) pickedFeedback.push(row);
    }
    return aggregate(pickedLogs, pickedFeedback);
  };
  return {
    from: input.from,
    to: input.to,
    months: input.months,
    sites: input.sites,
    bySite: input.sites.map((site) => ({
      siteId: site.id,
      months: input.months.map((month) => ({ month, report: countFor(site.id, month) })),
      total: countFor(site.id, undefined),
    })),
    total: { months: input.months.map((month) => ({ month, report: countFor(undefined, month) })), total: countFor(undefined, undefined) },
  };
}

const TOTALS: readonly TotalName[] = ['sessions', 'visits', 'feedback'];

/**
 * The dashboard as a CSV for Finnish Excel: one row per (site or all sites, month or whole period, section, item),
 * with small counts of people hidden by the tablet's shared-report rule and shown as the tablet's word for hidden.
 */
export function dashboardCsv(dashboard: Dashboard): string {
  const hidden = reportWord(['reports', 'csv', 'hidden']);
  const allSites = reportWord(['reports', 'csv', 'allSites']);
  const wholePeriod = `${dashboard.from}–${dashboard.to}`;
  const rows: CsvCell[][] = [
    [
      reportWord(['reports', 'site']),
      reportWord(['reports', 'csv', 'month']),
      reportWord(['reports', 'csv', 'section']),
      reportWord(['reports', 'csv', 'item']),
      reportWord(['reports', 'csv', 'count']),
    ],
  ];
  const add = (site: string, month: string, report: SharedReport) => {
    const shown = (value: number | null) => (value === null ? hidden : value);
    for (const name of TOTALS)
      rows.push([site, month, reportWord(['reports', 'csv', 'totals']), reportWord(['reports', 'totals', name]), shown(report.totals[name])]);
    for (const group of report.groups)
      for (const cell of group.cells) rows.push([site, month, reportGroupTitle(group.id), reportCellLabel(group.id, cell.key), shown(cell.value)]);
  };
  const names = new Map(dashboard.sites.map((site) => [site.id, site.name]));
  for (const site of dashboard.bySite) {
    for (const { month, report } of site.months) add(names.get(site.siteId) ?? site.siteId, month, suppressSmallCells(report));
    add(names.get(site.siteId) ?? site.siteId, wholePeriod, suppressSmallCells(site.total));
  }
  for (const { month, report } of dashboard.total.months) add(allSites, month, suppressSmallCells(report));
  add(allSites, wholePeriod, suppressSmallCells(dashboard.total.total));
  rows.push([], [reportWord(['reports', 'csv', 'hiddenWhy'])]);
  return csvText(rows, EXCEL_DELIMITER);
}
