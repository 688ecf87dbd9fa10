// Owns the session list's rules: which logs a filter keeps, and a page of them, newest first, read through the startedAt
// index (src/db/sessions.ts) no further than the filter needs, with their notes opened.
import { logRowsStartedIn, logStartSpan, newestLogRows } from '../db/sessions';
import { withReadableNotes } from './notes';
import { asSessionLog, monthRange, type SessionLog } from './session-log';

export interface LogFilter {
  month?: string; // "YYYY-MM"
  format?: string;
  topic?: string;
  search?: string; // words in the note
}

export const PAGE_SIZE = 50;

/** True when a log passes the list's filters (the month is already the index range). */
export function matchesFilter(log: Pick<SessionLog, 'format' | 'topics' | 'note' | 'deleted'>, filter: LogFilter): boolean {
  if (log.deleted === 1) return false;
  if (filter.format && log.format !== filter.format) return false;
  if (filter.topic && !log.topics.includes(filter.topic)) return false;
  const search = filter.search?.trim().toLocaleLowerCase();
  if (search && !log.note.toLocaleLowerCase().includes(search)) return false;
  return true;
}

const newestFirst = (a: { startedAt: number }, b: { startedAt: number }) => b.startedAt - a.startedAt;
const MONTH_MS = 31 * 24 * 3600_000;

/**
 * The newest `limit` logs that match, and whether there are more. Reads as little as it can: one month through the
 * startedAt index; a topic (and no words) or no filter as a cursor, newest first, that stops after one page; words alone
 * month by month backwards until the page is full.
 */
export async function findLogs(filter: LogFilter, limit = PAGE_SIZE): Promise<{ logs: SessionLog[]; more: boolean }> {
  // Notes are stored under the data key: read (and searched) only as text opened with it.
  const page = async (rows: Record<string, unknown>[]) => {
    const logs = (await withReadableNotes(rows))
      .map(asSessionLog)
      .filter((log) => matchesFilter(log, filter))
      .sort(newestFirst);
    return { logs: logs.slice(0, limit), more: logs.length > limit };
  };
  if (filter.month) return page(await logRowsStartedIn(...monthRange(filter.month)));
  if (filter.topic) {
    const { topic, format } = filter;
    const keep = (row: { topics?: unknown; format?: unknown }) => Array.isArray(row.topics) && row.topics.includes(topic) && (!format || row.format === format);
    // Words are looked for in opened notes: every log of the topic then; otherwise the cursor stops after a page.
    return page(await newestLogRows(filter.search?.trim() ? undefined : limit + 1, keep));
  }
  if (!filter.format && !filter.search?.trim()) return page(await newestLogRows(limit + 1));
  const span = await logStartSpan();
  if (!span) return { logs: [], more: false };
  const found: Record<string, unknown>[] = [];
  for (let to = span.newest + 1; to > span.oldest && found.length <= limit; to -= MONTH_MS) {
    const rows = await logRowsStartedIn(to - MONTH_MS, to);
    found.push(...(await withReadableNotes(rows)).filter((row) => matchesFilter(asSessionLog(row), filter)));
  }
  return page(found);
}
