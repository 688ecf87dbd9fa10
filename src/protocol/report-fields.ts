// Owns which session-log fields the reports show, for tablet and server alike: the column order of the session-log
// CSV and the report groups whose cells are session-log vocabulary. Pure data; the words come from the locale files.
import type { GroupId } from './report';
import { SESSION_VOCABULARY } from './tables';

/** The session-log CSV's columns in order; the server's export puts the log's id and site before and its instructor after. */
export const SESSION_LOG_COLUMNS = [
  'date',
  'time',
  'duration',
  'format',
  'channel',
  ...SESSION_VOCABULARY.roles.flatMap((role) => [`${role}New` as const, `${role}Returning` as const]),
  'topics',
  'guidesUsed',
  'devicesUsed',
  'outcome',
  'referredTo',
  'barriers',
  'note',
  'status',
] as const;

/** The report groups whose cells are session-log vocabulary (the others are people counts and feedback), by vocabulary list. */
export const REPORT_VOCABULARY: Partial<Record<GroupId, keyof typeof SESSION_VOCABULARY>> = {
  visitsByRole: 'roles',
  formats: 'format',
  channels: 'channel',
  durations: 'durationBand',
  outcomes: 'outcome',
  topics: 'topics',
  referrals: 'referredTo',
  barriers: 'barriers',
};
