// How the session list and the report feel with 20,000 logs and 50,000 feedback answers on one tablet (years of
// weekly drop-ins at a busy site). Prints timings; the naive full-scan baselines in the same run give the ratios.
import { IDBFactory } from 'fake-indexeddb';
import { bench, describe } from 'vitest';
import { isPending } from '../../src/db/changes';
import { DigitukiDB, replaceDatabase } from '../../src/db/db';
import type { FeedbackRecord, OutboxEntry, SessionLogRecord } from '../../src/db/records';
import { aggregate } from '../../src/reports/aggregate';
import { periodRange } from '../../src/reports/period';
import { loadPeriod } from '../../src/reports/period-data';
import { pendingLogIds } from '../../src/db/sessions';
import { findLogs, matchesFilter, type LogFilter } from '../../src/sessions/log-list';
import { asSessionLog, monthRange, VOCABULARY } from '../../src/sessions/session-log';

const LOGS = 20_000;
const FEEDBACK = 50_000;
const START = new Date(2023, 0, 1).getTime();
const SPAN = 3 * 365 * 24 * 3600_000; // three years

// A small deterministic generator, so every run measures the same data.
let state = 42;
const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const one = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
const some = <T>(values: readonly T[], max: number) => [...new Set(Array.from({ length: Math.floor(random() * (max + 1)) }, () => one(values)))];

async function seed(): Promise<DigitukiDB> {
  const database = new DigitukiDB('bench-sessions', { indexedDB: new IDBFactory() });
  replaceDatabase(database);
  const logs: SessionLogRecord[] = Array.from({ length: LOGS }, (_, i) => ({
    id: `log-${i}`,
    org: 'org',
    site: 'site',
    updatedAt: 0,
    hlc: '',
    fieldClocks: {},
    deleted: random() < 0.02 ? 1 : 0,
    status: random() < 0.05 ? 'draft' : 'final',
    startedAt: START + Math.floor(random() * SPAN),
    format: one(VOCABULARY.format),
    channel: 'in-person',
    durationBand: one(VOCABULARY.durationBand),
    instructorId: null,
    participants: { member: { new: Math.floor(random() * 3), returning: Math.floor(random() * 6) }, onlooker: { new: 0, returning: Math.floor(random() * 3) } },
    topics: some(VOCABULARY.topics, 3),
    guidesUsed: [],
    devicesUsed: some(VOCABULARY.devicesUsed, 2),
    outcome: one(VOCABULARY.outcome),
    referredTo: random() < 0.2 ? [one(VOCABULARY.referredTo)] : [],
    barriers: some(VOCABULARY.barriers, 1),
    note: random() < 0.3 ? one(['Kela liite lähetetty', 'päivitykset tehty', 'huijausviesti tunnistettiin', 'e-kirjasto kokeiltu']) : '',
  }));
  const feedback: FeedbackRecord[] = Array.from({ length: FEEDBACK }, (_, i) => ({
    id: `fb-${i}`,
    org: 'org',
    site: 'site',
    createdAt: START + Math.floor(random() * SPAN),
    lang: 'fi',
    answers: { mood: 1 + Math.floor(random() * 5), learn: some(['contact', 'books', 'safety', 'device', 'dont-know'], 2) },
  }));
  const outbox: OutboxEntry[] = logs.slice(-500).map((log) => ({ table: 'sessions', recordId: log.id, hlc: '', fields: {}, org: log.org, site: log.site }));
  await database.sessions.bulkAdd(logs);
  await database.feedback.bulkAdd(feedback);
  await database.outbox.bulkAdd(outbox);
  return database;
}

const database = await seed();
const lastMonth = '2025-11';
const PAGE = 50;

/** The obvious way: read every log, then filter, sort and cut a page. */
async function naiveList(filter: LogFilter) {
  const [from, to] = filter.month ? monthRange(filter.month) : [-Infinity, Infinity];
  const all = (await database.sessions.toArray()).map(asSessionLog);
  return all
    .filter((log) => log.startedAt >= from && log.startedAt < to && matchesFilter(log, filter))
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, PAGE);
}

/** The obvious way: read both whole tables, then keep the period. */
async function naiveReport(from: number, to: number) {
  const logs = (await database.sessions.toArray()).map(asSessionLog).filter((log) => log.startedAt >= from && log.startedAt < to && log.deleted === 0);
  const feedback = (await database.feedback.toArray()).filter((row) => row.createdAt >= from && row.createdAt < to);
  return aggregate(logs, feedback);
}

const options = { time: 2_000, iterations: 5, warmupIterations: 1 };

describe(`session list, first page of ${PAGE}, ${LOGS} logs`, () => {
  bench('newest first, no filter (the app)', async () => void (await findLogs({}, PAGE)), options);
  bench('newest first, no filter (naive full scan)', async () => void (await naiveList({})), options);
});

describe('session list filtered to one month', () => {
  bench('month + format (the app: startedAt range)', async () => void (await findLogs({ month: lastMonth, format: 'group' }, PAGE)), options);
  bench('month + format (naive full scan)', async () => void (await naiveList({ month: lastMonth, format: 'group' })), options);
});

describe('session list searching notes in all months', () => {
  bench('topic + words in the note (the app)', async () => void (await findLogs({ topic: 'security', search: 'kela' }, PAGE)), options);
  bench('topic + words in the note (naive full scan)', async () => void (await naiveList({ topic: 'security', search: 'kela' })), options);
});

describe('not-yet-synced marks for one page', () => {
  const ids = Array.from({ length: PAGE }, (_, i) => `log-${LOGS - 1 - i * 3}`);
  bench('one read of the outbox for the page (the app)', async () => void (await pendingLogIds(ids)), options);
  bench('isPending for each log of the page (naive)', async () => void (await Promise.all(ids.map((id) => isPending('sessions', id)))), options);
});

describe(`monthly report, ${LOGS} logs and ${FEEDBACK} feedback answers`, () => {
  const [from, to] = periodRange({ kind: 'month', month: lastMonth });
  bench(
    'month (the app: index ranges + aggregate)',
    async () => {
      const data = await loadPeriod(from, to);
      aggregate(data.logs, data.feedback);
    },
    options,
  );
  bench('month (naive full scan)', async () => void (await naiveReport(from, to)), options);
});

describe('yearly report', () => {
  const [from, to] = periodRange({ kind: 'year', year: 2024 });
  bench(
    'year (the app: index ranges + aggregate)',
    async () => {
      const data = await loadPeriod(from, to);
      aggregate(data.logs, data.feedback);
    },
    options,
  );
  bench('year (naive full scan)', async () => void (await naiveReport(from, to)), options);
});

describe('where a yearly report spends its time', () => {
  const [from, to] = periodRange({ kind: 'year', year: 2024 });
  let year: Awaited<ReturnType<typeof loadPeriod>> | undefined;
  bench(
    'read the year through the indexes',
    async () => {
      year = await loadPeriod(from, to);
    },
    options,
  );
  bench(
    'aggregate the year in memory',
    async () => {
      year ??= await loadPeriod(from, to);
      aggregate(year.logs, year.feedback);
    },
    options,
  );
});
