// Owns the CSV files: one row per session log, and the shareable aggregate (counts under 5 hidden). Written by the one
// CSV writer of tablet and server (src/lib/csv.ts): formulas escaped, UTF-8 with a BOM so Excel reads ä and ö.
// Headers are Finnish or English: English for an English UI, Finnish otherwise (a Swedish UI gets Finnish headers:
// the organisation's working language, and one of the two layouts its spreadsheets expect).
import type { TFunction } from 'i18next';
import type { Language } from '../i18n';
import { vocabularyLabel } from '../sessions/labels';
import { ROLES, type SessionLog } from '../sessions/session-log';
import type { SharedReport, TotalName } from './aggregate';
import { cellLabel, groupTitle } from './labels';
import { downloadFile } from '../ui/download';
import { SESSION_LOG_COLUMNS } from '../protocol/report-fields';
import { BOM, csvText, EXCEL_DELIMITER } from '../lib/csv';
import { helsinkiDateTime } from '../lib/helsinki-time';

export { BOM };

export function csvLanguage(ui: Language): 'fi' | 'en' {
  return ui === 'en' ? 'en' : 'fi';
}

/** The text of a CSV file: BOM, CRLF lines, formulas escaped. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return csvText(rows, EXCEL_DELIMITER);
}

// Helsinki time, whatever zone the tablet is set to: the funder reads the drop-in's own clock.
const isoDay = (ms: number) => helsinkiDateTime(ms).date;
const clock = (ms: number) => helsinkiDateTime(ms).time;

/** One row per log (with a header row), in the CSV language's words. */
export function logRows(logs: readonly SessionLog[], t: TFunction, guideTitle: (id: string) => string): (string | number)[][] {
  const header = SESSION_LOG_COLUMNS.map((column) => t(`reports.csv.logColumns.${column}`));
  const list = (group: Parameters<typeof vocabularyLabel>[1], values: readonly string[]) => values.map((value) => vocabularyLabel(t, group, value)).join('; ');
  const one = (group: Parameters<typeof vocabularyLabel>[1], value: string | null | undefined) => (value ? vocabularyLabel(t, group, value) : '');
  const rows = logs.map((log): (string | number)[] => [
    isoDay(log.startedAt),
    clock(log.startedAt),
    one('durationBand', log.durationBand),
    one('format', log.format),
    one('channel', log.channel),
    ...ROLES.flatMap((role) => [log.participants[role]?.new ?? 0, log.participants[role]?.returning ?? 0]),
    list('topics', log.topics),
    log.guidesUsed.map(guideTitle).join('; '),
    list('devicesUsed', log.devicesUsed),
    one('outcome', log.outcome),
    list('referredTo', log.referredTo),
    list('barriers', log.barriers),
    log.note,
    t(`sessions.status.${log.status}`) as string,
  ]);
  return [header, ...rows];
}

const TOTALS: readonly TotalName[] = ['sessions', 'visits', 'feedback'];

/**
 * The shareable aggregate: section, item, count; a hidden count shows as a word ("hidden"), not as "<5": a cell hidden
 * only so that another cannot be subtracted out may well be 5 or more.
 */
export function reportRows(report: SharedReport, t: TFunction): (string | number)[][] {
  const shown = (value: number | null) => (value === null ? t('reports.csv.hidden') : value);
  const header = [t('reports.csv.section'), t('reports.csv.item'), t('reports.csv.count')];
  const totals = TOTALS.map((name) => [t('reports.csv.totals'), t(`reports.totals.${name}`), shown(report.totals[name])]);
  const cells = report.groups.flatMap((group) => group.cells.map((cell) => [groupTitle(t, group.id), cellLabel(t, group.id, cell.key), shown(cell.value)]));
  return [header, ...totals, ...cells, [], [t('reports.csv.hiddenWhy')]];
}

/** Hands the file to the browser as a download. */
export function downloadCsv(fileName: string, csv: string): void {
  downloadFile(new Blob([csv], { type: 'text/csv;charset=utf-8' }), fileName);
}
