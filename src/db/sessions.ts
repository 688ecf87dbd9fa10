// Owns the session logs' storage: the reads behind the log list (through the startedAt index), the "not
// yet synced" marks from the outbox, the guides an instructor can pick, and swapping stored notes for their protected
// forms. The rules over these rows (filters, opening notes) are the sessions feature's (src/sessions).
import { db } from './db';
import { readLocal, writeLocal } from './device-local';
import type { OutboxEntry, SessionLogRecord } from './records';

export function logRow(id: string): Promise<SessionLogRecord | undefined> {
  return db().sessions.get(id);
}

/** Logs that started in [from, to), deleted ones included. */
export function logRowsStartedIn(from: number, to: number): Promise<SessionLogRecord[]> {
  return db().sessions.where('startedAt').between(from, to, true, false).toArray();
}

/**
 * The newest `limit` logs that are not deleted and that `keep` keeps (all of them without a limit), read through the
 * startedAt index as a cursor that stops there. A topic is found this way too: an index on topics cost every save and
 * every pulled log two or three index writes more (issue 16), for a filter the list uses now and then.
 */
export function newestLogRows(limit?: number, keep: (row: SessionLogRecord) => boolean = () => true): Promise<SessionLogRecord[]> {
  const rows = db()
    .sessions.orderBy('startedAt')
    .reverse()
    .filter((row) => row.deleted !== 1 && keep(row));
  return (limit === undefined ? rows : rows.limit(limit)).toArray();
}

/** When the oldest and the newest log on the tablet started; undefined when there is none. */
export async function logStartSpan(): Promise<{ oldest: number; newest: number } | undefined> {
  const sessions = db().sessions;
  const [oldest, newest] = await Promise.all([sessions.orderBy('startedAt').first(), sessions.orderBy('startedAt').last()]);
  return oldest && newest ? { oldest: oldest.startedAt, newest: newest.startedAt } : undefined;
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

/** Logs whose note matches `stored` (the notes kept in an older form, to be protected at an unlock). */
export function logRowsWithNote(stored: (note: string) => boolean): Promise<SessionLogRecord[]> {
  return db()
    .sessions.filter((row) => typeof row.note === 'string' && row.note !== '' && stored(row.note))
    .toArray();
}

/** Waiting session changes whose note matches `queued` (notes not sealed for the server yet). */
export function waitingLogChangesWithNote(queued: (note: string) => boolean): Promise<OutboxEntry[]> {
  return db()
    .outbox.filter((entry) => entry.table === 'sessions' && typeof entry.fields.note === 'string' && entry.fields.note !== '' && queued(entry.fields.note))
    .toArray();
}

export interface NoteSwap {
  was: string;
  now: string;
}

/**
 * In ONE transaction, swaps stored notes (by log id) and queued notes (by outbox seq) for their new forms, each only
 * if it is still what it `was` (nothing changed it meanwhile). Only the stored form changes: no clock, no new outbox
 * row. Returns the new forms that were written.
 */
export function swapNotes(logs: ReadonlyMap<string, NoteSwap>, queued: ReadonlyMap<number, NoteSwap>): Promise<{ logs: string[]; queued: string[] }> {
  const database = db();
  return database.transaction('rw', database.sessions, database.outbox, async () => {
    const written = { logs: [] as string[], queued: [] as string[] };
    for (const [id, change] of logs) {
      const row = await database.sessions.get(id);
      if (row?.note !== change.was) continue;
      await database.sessions.update(id, { note: change.now });
      written.logs.push(change.now);
    }
    for (const [seq, change] of queued) {
      const entry = await database.outbox.get(seq);
      if (entry?.fields.note !== change.was) continue;
      await database.outbox.update(seq, { fields: { ...entry.fields, note: change.now } });
      written.queued.push(change.now);
    }
    return written;
  });
}

export async function lastUsedFormat(): Promise<string | undefined> {
  const value = await readLocal(db(), 'sessions.lastFormat');
  return typeof value === 'string' ? value : undefined;
}

export async function rememberFormat(format: string): Promise<void> {
  await writeLocal(db(), 'sessions.lastFormat', format);
}
