// Owns a report's data for one period: the period's logs (notes opened, for the logs CSV) and feedback answers, read
// through src/db/reports.ts.
import { periodRows } from '../db/reports';
import { withReadableNotes } from '../sessions/notes';
import { asSessionLog, type SessionLog } from '../sessions/session-log';
import type { FeedbackRow } from './aggregate';

export interface PeriodData {
  logs: SessionLog[];
  feedback: FeedbackRow[];
}

/** Logs that started and feedback given in [from, to), at one site or (site undefined) at all the tablet's sites. */
export async function loadPeriod(from: number, to: number, site?: string): Promise<PeriodData> {
  const rows = await periodRows(from, to, site);
  return {
    logs: (await withReadableNotes(rows.logs)).map(asSessionLog), // the logs CSV has the notes
    feedback: rows.feedback.map((row) => ({ answers: row.answers })),
  };
}
