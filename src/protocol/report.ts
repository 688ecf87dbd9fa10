// Owns the report's numbers: small pure functions from session logs and feedback to counts, and the suppression
// that hides small counts of people (under 5) in the shareable aggregate, also against working them out by
// subtraction. Counts of sessions are never hidden: a session is not a person, and a small site's report stays useful.
// One module for the tablet's reports and the server's console dashboard, so both count the same way.
import { NOT_A_TOPIC, SOMETHING_ELSE } from './feedback';
import { SESSION_VOCABULARY } from './tables';

const VOCABULARY = SESSION_VOCABULARY;
type Role = (typeof SESSION_VOCABULARY.roles)[number];
const ROLES: readonly Role[] = SESSION_VOCABULARY.roles;
export const MAX_HEAD_COUNT = 9999;

export interface HeadCount {
  new: number;
  returning: number;
}

export type Participants = Partial<Record<Role, HeadCount>>;

/** What a report reads of a session log (the tablet's SessionLog has these and more). */
export interface ReportLog {
  status: 'draft' | 'final';
  startedAt: number;
  durationBand?: string;
  format?: string;
  channel?: string;
  participants: Participants;
  topics: string[];
  outcome?: string | null;
  referredTo: string[];
  barriers: string[];
  deleted: 0 | 1;
}

/** Head-counts as stored, made safe: known roles only, whole numbers from 0 to MAX_HEAD_COUNT. */
export function readParticipants(value: unknown): Participants {
  const result: Participants = {};
  if (!value || typeof value !== 'object') return result;
  for (const role of ROLES) {
    const count = (value as Record<string, unknown>)[role] as Partial<HeadCount> | undefined;
    if (count && typeof count === 'object') result[role] = { new: clampCount(count.new), returning: clampCount(count.returning) };
  }
  return result;
}

export function clampCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(MAX_HEAD_COUNT, Math.max(0, Math.round(value))) : 0;
}

/** A synced session record's fields read the way the tablet reads them, for a report on the server. */
export function reportLogOf(fields: Record<string, unknown>): ReportLog {
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    status: fields.status === 'final' ? 'final' : 'draft',
    startedAt: typeof fields.startedAt === 'number' ? fields.startedAt : 0,
    durationBand: text(fields.durationBand),
    format: text(fields.format),
    channel: text(fields.channel),
    participants: readParticipants(fields.participants),
    topics: list(fields.topics),
    outcome: typeof fields.outcome === 'string' ? fields.outcome : null,
    referredTo: list(fields.referredTo),
    barriers: list(fields.barriers),
    deleted: fields.deleted === 1 ? 1 : 0,
  };
}

export const SMALL_CELL = 5;
/** The cell for logs or answers that left a single-choice question empty, so the parts always add up to the total. */
export const NOT_RECORDED = 'not-recorded';

export type TotalName = 'sessions' | 'visits' | 'feedback';
export type GroupId =
  | 'visitsByRole'
  | 'newReturning'
  | 'formats'
  | 'channels'
  | 'durations'
  | 'outcomes'
  | 'topics'
  | 'referrals'
  | 'barriers'
  | 'moods'
  | 'wishedTopics';

export interface Cell {
  key: string;
  value: number;
}

/** A group of counts; an additive group's cells add up to one of the totals (so a hidden cell could be subtracted out). */
export interface Group {
  id: GroupId;
  cells: Cell[];
  sumOf?: TotalName;
}

export interface Report {
  totals: Record<TotalName, number>;
  drafts: number; // logs in the period not yet finalised: not counted
  groups: Group[];
}

export interface FeedbackRow {
  answers: Record<string, unknown>;
}

function tally(keys: readonly string[], values: Iterable<string>): Cell[] {
  const counts = new Map<string, number>(keys.map((key) => [key, 0]));
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([key, value]) => ({ key, value }));
}

function* each<T, U>(items: readonly T[], pick: (item: T) => Iterable<U>): Iterable<U> {
  for (const item of items) yield* pick(item);
}

const single = (value: string | null | undefined) => [value ?? NOT_RECORDED];

/** The report of a period: final logs only (drafts are counted apart), feedback as it came. */
export function aggregate<Log extends ReportLog>(logs: readonly Log[], feedback: readonly FeedbackRow[]): Report {
  const counted = logs.filter((log) => log.deleted !== 1 && log.status === 'final');
  const drafts = logs.filter((log) => log.deleted !== 1 && log.status !== 'final').length;
  const byRole = ROLES.map((role) => ({
    key: role,
    value: counted.reduce((sum, log) => sum + (log.participants[role]?.new ?? 0) + (log.participants[role]?.returning ?? 0), 0),
  }));
  const newcomers = counted.reduce((sum, log) => sum + ROLES.reduce((s, role) => s + (log.participants[role]?.new ?? 0), 0), 0);
  const returning = counted.reduce((sum, log) => sum + ROLES.reduce((s, role) => s + (log.participants[role]?.returning ?? 0), 0), 0);
  const moods = tally(
    ['1', '2', '3', '4', '5', NOT_RECORDED],
    each(feedback, (row) => [typeof row.answers.mood === 'number' ? String(row.answers.mood) : NOT_RECORDED]),
  );
  const wished = tally(
    [],
    each(feedback, (row) => wishedTopics(row.answers)),
  ).sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
  return {
    totals: { sessions: counted.length, visits: newcomers + returning, feedback: feedback.length },
    drafts,
    groups: [
      { id: 'visitsByRole', cells: byRole, sumOf: 'visits' },
      {
        id: 'newReturning',
        cells: [
          { key: 'new', value: newcomers },
          { key: 'returning', value: returning },
        ],
        sumOf: 'visits',
      },
      {
        id: 'formats',
        cells: tally(
          [...VOCABULARY.format, NOT_RECORDED],
          each(counted, (log) => single(log.format)),
        ),
        sumOf: 'sessions',
      },
      {
        id: 'channels',
        cells: tally(
          [...VOCABULARY.channel, NOT_RECORDED],
          each(counted, (log) => single(log.channel)),
        ),
        sumOf: 'sessions',
      },
      {
        id: 'durations',
        cells: tally(
          [...VOCABULARY.durationBand, NOT_RECORDED],
          each(counted, (log) => single(log.durationBand)),
        ),
        sumOf: 'sessions',
      },
      {
        id: 'outcomes',
        cells: tally(
          [...VOCABULARY.outcome, NOT_RECORDED],
          each(counted, (log) => single(log.outcome)),
        ),
        sumOf: 'sessions',
      },
      {
        id: 'topics',
        cells: tally(
          VOCABULARY.topics,
          each(counted, (log) => new Set(log.topics)),
        ),
      },
      {
        id: 'referrals',
        cells: tally(
          VOCABULARY.referredTo,
          each(counted, (log) => new Set(log.referredTo)),
        ),
      },
      {
        id: 'barriers',
        cells: tally(
          VOCABULARY.barriers,
          each(counted, (log) => new Set(log.barriers)),
        ),
      },
      { id: 'moods', cells: moods, sumOf: 'feedback' },
      { id: 'wishedTopics', cells: wished },
    ],
  };
}

const NOT_A_WISH: ReadonlySet<string> = new Set([...NOT_A_TOPIC, SOMETHING_ELSE]);

/** What one participant wished to learn: the picture topics they chose and their own word, each once. */
export function wishedTopics(answers: Record<string, unknown>): string[] {
  const chosen = Array.isArray(answers.learn) ? answers.learn.filter((chip): chip is string => typeof chip === 'string' && !NOT_A_WISH.has(chip)) : [];
  const word = typeof answers.learnWord === 'string' ? [`word:${answers.learnWord}`] : [];
  return [...new Set([...chosen, ...word])];
}

/** A count in the shareable report: the number, or null where it is hidden. */
export type Shown = number | null;

export interface SharedReport {
  totals: Record<TotalName, Shown>;
  groups: { id: GroupId; sumOf?: TotalName; cells: { key: string; value: Shown }[] }[];
}

/** One month's counts of the console's dashboard (src/server/console/API.md), as the server sends them and the console reads them. */
export interface MonthReport {
  month: string;
  report: Report;
}

/** The console's dashboard: each shown site's months and total, and all the sites' together. */
export interface Dashboard {
  from: string;
  to: string;
  months: string[];
  sites: { id: string; name: string }[];
  bySite: { siteId: string; months: MonthReport[]; total: Report }[];
  total: { months: MonthReport[]; total: Report };
}

const isSmall = (value: number) => value > 0 && value < SMALL_CELL;

/** The counts of people (visits, new and returning, feedback answers and what they said): these could single someone out. */
export const PEOPLE_TOTALS: ReadonlySet<TotalName> = new Set(['visits', 'feedback']);
export const PEOPLE_GROUPS: ReadonlySet<GroupId> = new Set(['visitsByRole', 'newReturning', 'moods', 'wishedTopics']);

/**
 * Hides every count of people from 1 to 4. In a group whose cells add up to a shown total, it hides more cells (the
 * smallest first) until at least two are hidden and together they make 5 or more, so no small count can be
 * subtracted out. Counts of sessions are shown as they are.
 */
export function suppressSmallCells(report: Report): SharedReport {
  const hiddenTotals = new Set<TotalName>(
    (Object.keys(report.totals) as TotalName[]).filter((name) => PEOPLE_TOTALS.has(name) && isSmall(report.totals[name])),
  );
  const groups = report.groups.map((group) => {
    if (!PEOPLE_GROUPS.has(group.id)) return { id: group.id, sumOf: group.sumOf, cells: group.cells.map((cell) => ({ ...cell })) };
    const hidden = new Set(group.cells.filter((cell) => isSmall(cell.value)).map((cell) => cell.key));
    if (group.sumOf && !hiddenTotals.has(group.sumOf)) {
      const sumHidden = () => group.cells.filter((cell) => hidden.has(cell.key)).reduce((sum, cell) => sum + cell.value, 0);
      while (hidden.size > 0 && (hidden.size < 2 || sumHidden() < SMALL_CELL)) {
        const next = group.cells.filter((cell) => !hidden.has(cell.key) && cell.value > 0).sort((a, b) => a.value - b.value)[0];
        if (!next) {
          hiddenTotals.add(group.sumOf); // nothing left to hide with it: hide the total instead
          break;
        }
        hidden.add(next.key);
      }
    }
    return { id: group.id, sumOf: group.sumOf, cells: group.cells.map((cell) => ({ key: cell.key, value: hidden.has(cell.key) ? null : cell.value })) };
  });
  const totals = Object.fromEntries(
    (Object.keys(report.totals) as TotalName[]).map((name) => [name, hiddenTotals.has(name) ? null : report.totals[name]]),
  ) as Record<TotalName, Shown>;
  return { totals, groups };
}
