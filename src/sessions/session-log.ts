// Owns what a session log is on the tablet and the small pure rules of editing one (head-counts, chips, periods).
// Head-counts, never identities: see docs/domain.md "Session logs: what to record, and what never to record".
import { SESSION_VOCABULARY } from '../protocol/tables';
import { clampCount, readParticipants, MAX_HEAD_COUNT, type HeadCount, type Participants } from '../protocol/report';

export const VOCABULARY = SESSION_VOCABULARY;
export type Role = (typeof SESSION_VOCABULARY.roles)[number];
export const ROLES: readonly Role[] = SESSION_VOCABULARY.roles;
export const NOTE_MAX_LENGTH = 280;
export { MAX_HEAD_COUNT, type HeadCount, type Participants };

/** A session log as the screens and reports read it (the synced record, typed). */
export interface SessionLog {
  id: string;
  site: string;
  status: 'draft' | 'final';
  startedAt: number;
  durationBand?: string;
  format?: string;
  channel?: string;
  instructorId?: string | null;
  participants: Participants;
  topics: string[];
  guidesUsed: string[];
  devicesUsed: string[];
  outcome?: string | null;
  referredTo: string[];
  barriers: string[];
  note: string;
  deleted: 0 | 1;
  updatedAt: number;
}

/** The fields a log may change through the form (everything but the record's bookkeeping). */
export type LogFields = Omit<SessionLog, 'id' | 'site' | 'deleted' | 'updatedAt'>;

/** A fresh log: now, in person, nobody counted yet, the format this tablet used last time. */
export function newLogFields(now: number, lastFormat: string | undefined, instructorId: string | null): LogFields {
  return {
    status: 'draft',
    startedAt: now,
    format: lastFormat,
    channel: 'in-person',
    instructorId,
    participants: {},
    topics: [],
    guidesUsed: [],
    devicesUsed: [],
    outcome: null,
    referredTo: [],
    barriers: [],
    note: '',
  };
}

/** Reads any stored row into a complete SessionLog, filling what an older or partial record lacks. */
export function asSessionLog(row: Record<string, unknown>): SessionLog {
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  return {
    id: String(row.id),
    site: typeof row.site === 'string' ? row.site : '',
    status: row.status === 'final' ? 'final' : 'draft',
    startedAt: typeof row.startedAt === 'number' ? row.startedAt : 0,
    durationBand: typeof row.durationBand === 'string' ? row.durationBand : undefined,
    format: typeof row.format === 'string' ? row.format : undefined,
    channel: typeof row.channel === 'string' ? row.channel : undefined,
    instructorId: typeof row.instructorId === 'string' ? row.instructorId : null,
    participants: readParticipants(row.participants),
    topics: list(row.topics),
    guidesUsed: list(row.guidesUsed),
    devicesUsed: list(row.devicesUsed),
    outcome: typeof row.outcome === 'string' ? row.outcome : null,
    referredTo: list(row.referredTo),
    barriers: list(row.barriers),
    note: typeof row.note === 'string' ? row.note : '',
    deleted: row.deleted === 1 ? 1 : 0,
    updatedAt: typeof row.updatedAt === 'number' ? row.updatedAt : 0,
  };
}

/** One tap on a +/− stepper: the count moves by `delta` and never below zero. */
export function stepHeadCount(participants: Participants, role: Role, which: keyof HeadCount, delta: number): Participants {
  const current = participants[role] ?? { new: 0, returning: 0 };
  return { ...participants, [role]: { ...current, [which]: clampCount(current[which] + delta) } };
}

export function headCount(participants: Participants, role: Role, which: keyof HeadCount): number {
  return participants[role]?.[which] ?? 0;
}

/** Everyone counted in a log, all roles, new and returning. */
export function visitCount(participants: Participants): number {
  return ROLES.reduce((sum, role) => sum + headCount(participants, role, 'new') + headCount(participants, role, 'returning'), 0);
}

/** Chips: a tap adds a value that is not there and removes one that is, keeping the vocabulary's order stable. */
export function toggleChip(list: readonly string[], value: string): string[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}

/** A calendar month "2025-03" as a [from, to) range of local-time milliseconds. */
export function monthRange(month: string): [number, number] {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return [new Date(year, monthNumber - 1, 1).getTime(), new Date(year, monthNumber, 1).getTime()];
}

/** The month "YYYY-MM" a moment falls in, in local time. */
export function monthOf(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** The value of an <input type="datetime-local"> for a moment, in local time. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | undefined {
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** What a log still lacks before it may be marked final: a format, and at least one person counted. */
export type MissingForFinal = 'format' | 'people';
export function missingForFinal(log: Pick<SessionLog, 'format' | 'participants'>): MissingForFinal[] {
  const missing: MissingForFinal[] = [];
  if (!log.format || !(VOCABULARY.format as readonly string[]).includes(log.format)) missing.push('format');
  if (visitCount(log.participants) === 0) missing.push('people');
  return missing;
}
