// Owns the reports' storage reads: logs and feedback of one period through the startedAt / createdAt indexes (a range,
// never a scan of the whole table), the sites the tablet holds data for, and guide titles for the logs CSV.
import { db } from './db';
import type { FeedbackRecord, SessionLogRecord } from './records';
import { readEnrolment } from './sync';

/** Logs that started and feedback given in [from, to), at one site or (site undefined) at all the tablet's sites; no deleted logs. */
export async function periodRows(from: number, to: number, site?: string): Promise<{ logs: SessionLogRecord[]; feedback: FeedbackRecord[] }> {
  const database = db();
  const [logRows, feedbackRows] = await Promise.all([
    database.sessions.where('startedAt').between(from, to, true, false).toArray(),
    database.feedback.where('createdAt').between(from, to, true, false).toArray(),
  ]);
  const atSite = <T extends { site: string }>(row: T) => site === undefined || row.site === site;
  return { logs: logRows.filter((row) => row.deleted !== 1 && atSite(row)), feedback: feedbackRows.filter(atSite) };
}

/** The sites of this tablet's logs and feedback with a name to show: the enrolled site's own name, never a raw id. */
export async function namedSitesOnTablet(): Promise<{ id: string; name: string | undefined }[]> {
  const [ids, enrolment] = await Promise.all([sitesOnTablet(), readEnrolment(db())]);
  return ids.map((id) => ({ id, name: enrolment && id === enrolment.siteId ? enrolment.siteName : undefined }));
}

/** The sites with logs or feedback on this tablet (usually one: a tablet belongs to one site). */
export async function sitesOnTablet(): Promise<string[]> {
  const database = db();
  const [logSites, feedbackSites] = await Promise.all([database.sessions.orderBy('site').uniqueKeys(), database.feedback.orderBy('site').uniqueKeys()]);
  return [...new Set([...logSites, ...feedbackSites].map(String))].sort();
}

/** Guide titles by id, for the "guides used" column of the logs CSV (a guide deleted since shows its id). */
export async function guideTitles(language: string): Promise<(id: string) => string> {
  const guides = await db().guides.toArray();
  const titles = new Map<string, string>();
  for (const guide of guides) if (!titles.has(guide.id) || guide.lang === language) titles.set(guide.id, guide.title);
  return (id) => titles.get(id) ?? id;
}
