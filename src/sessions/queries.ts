// Owns the reads behind the session list: a page of logs through the indexes (newest first, reading no more than the
// filter needs), the "not yet synced" marks from the outbox, and the guides an instructor can pick.
import { db } from '../db/db';
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
 * startedAt index; a topic through the topics index; no filter as a cursor that stops after one page; words alone
 * month by month backwards until the page is full.
 */
export async function findLogs(filter: LogFilter, limit = PAGE_SIZE): Promise<{ logs: SessionLog[]; more: boolean }> {
  const sessions = db().sessions;
  // Notes are stored under the data key: read (and searched) only as text opened with it.
  const page = async (rows: Record<string, unknown>[]) => {
    const logs = (await withReadableNotes(rows)).map(asSessionLog).filter((log) => matchesFilter(log, filter)).sort(newestFirst);
    return { logs: logs.slice(0, limit), more: logs.length > limit };
  };
  if (filter.month) return page(await sessions.where('startedAt').between(...monthRange(filter.month), true, false).toArray());
  if (filter.topic) return page(await sessions.where('topics').equals(filter.topic).toArray());
  if (!filter.format && !filter.search?.trim()) {
    return page(await sessions.orderBy('startedAt').reverse().filter((row) => row.deleted !== 1).limit(limit + 1).toArray());
  }
  const [oldest, newest] = await Promise.all([sessions.orderBy('startedAt').first(), sessions.orderBy('startedAt').last()]);
  if (!oldest || !newest) return { logs: [], more: false };
  const found: Record<string, unknown>[] = [];
  for (let to = newest.startedAt + 1; to > oldest.startedAt && found.length <= limit; to -= MONTH_MS) {
    const rows = await sessions.where('startedAt').between(to - MONTH_MS, to, true, false).toArray();
    found.push(...(await withReadableNotes(rows)).filter((row) => matchesFilter(asSessionLog(row), filter)));
  }
  return page(found);
}

/**
 * Which of these logs still have changes waiting in the outbox (not yet synced). The outbox is drained by every sync,
 * so reading it whole is cheaper than 50 index lookups (measured in tests/bench/sessions-reports.bench.ts).
 */
export async function pendingLogIds(ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const wanted = new Set(ids);
  const waiting = await db().outbox.toArray();
  return new Set(waiting.filter((entry) => entry.table === 'sessions' && wanted.has(entry.recordId)).map((entry) => entry.recordId));
}

export interface GuideChoice {
  id: string;
  title: string;
}

/** The guides of the library in the UI language, for the "guides used" picker. */
export async function guidesInLanguage(language: string): Promise<GuideChoice[]> {
  const guides = await db().guides.where('[lang+slug]').between([language, ''], [language, '\uffff']).toArray();
  return guides
    .filter((guide) => guide.deleted !== 1)
    .map((guide) => ({ id: guide.id, title: guide.title }))
    .sort((a, b) => a.title.localeCompare(b.title, language));
}
