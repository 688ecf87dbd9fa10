// Owns the reads behind the session list: a page of logs through the startedAt index (newest first, stopping as
// soon as the page is full), the "not yet synced" marks from the outbox, and the guides an instructor can pick.
import { db } from '../db/db';
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

/** The newest `limit` logs that match, and whether there are more. Reads only as far as the page needs. */
export async function findLogs(filter: LogFilter, limit = PAGE_SIZE): Promise<{ logs: SessionLog[]; more: boolean }> {
  const sessions = db().sessions;
  const ordered = filter.month ? sessions.where('startedAt').between(...monthRange(filter.month), true, false) : sessions.orderBy('startedAt');
  const rows = await ordered
    .reverse()
    .filter((row) => matchesFilter(asSessionLog(row), filter))
    .limit(limit + 1)
    .toArray();
  const logs = rows.map(asSessionLog);
  return { logs: logs.slice(0, limit), more: logs.length > limit };
}

/** Which of these logs still have changes waiting in the outbox (not yet synced). */
export async function pendingLogIds(ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const waiting = await db()
    .outbox.where('[table+recordId]')
    .anyOf(ids.map((id) => ['sessions', id]))
    .toArray();
  return new Set(waiting.map((entry) => entry.recordId));
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
