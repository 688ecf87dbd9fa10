// Every way the list reads a page (month range, a cursor newest first with or without a topic, month-by-month) gives the same page as the
// obvious full scan.
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { freshDatabase, it } from '../support/database';
import type { SessionLogRecord } from '../../../src/db/records';
import { pendingLogIds } from '../../../src/db/sessions';
import { findLogs, matchesFilter, type LogFilter } from '../../../src/sessions/log-list';
import { asSessionLog, monthOf, VOCABULARY } from '../../../src/sessions/session-log';

const START = new Date(2024, 0, 1).getTime();
const row = fc.record({
  startedAt: fc.integer({ min: START, max: START + 400 * 24 * 3600_000 }),
  format: fc.constantFrom(...VOCABULARY.format),
  topics: fc.subarray(['security', 'attachments', 'other']),
  note: fc.constantFrom('', 'Kela liite', 'päivitys'),
  deleted: fc.constantFrom(0 as const, 0 as const, 1 as const),
});
const filter: fc.Arbitrary<LogFilter> = fc.record(
  {
    month: fc.constantFrom('2024-01', '2024-06', '2025-01'),
    format: fc.constantFrom(...VOCABULARY.format),
    topic: fc.constantFrom('security', 'other'),
    search: fc.constantFrom('kela', 'PÄIVITYS'),
  },
  { requiredKeys: [] },
);

describe('a page of the session list', () => {
  it('is the newest matching logs, whichever index it is read through', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 80 }), filter, fc.integer({ min: 1, max: 12 }), async (rows, wanted, limit) => {
        const database = freshDatabase('digituki-list'); // a fresh tablet for every generated case
        const records = rows.map(
          (r, i) => ({ ...r, id: `l${i}`, org: '', site: '', hlc: '', fieldClocks: {}, updatedAt: 0, status: 'final' }) as SessionLogRecord,
        );
        await database.sessions.bulkAdd(records);
        const expected = records
          .map(asSessionLog)
          .filter((log) => (!wanted.month || monthOf(log.startedAt) === wanted.month) && matchesFilter(log, wanted))
          .sort((a, b) => b.startedAt - a.startedAt);
        const page = await findLogs(wanted, limit);
        expect(page.logs.map((log) => log.startedAt)).toEqual(expected.slice(0, limit).map((log) => log.startedAt));
        expect(page.more).toBe(expected.length > limit);
        database.close();
      }),
      { numRuns: 40 },
    );
  });

  it('marks exactly the logs with changes waiting in the outbox', async () => {
    await db().outbox.bulkAdd([
      { table: 'sessions', recordId: 'a', hlc: '', fields: {}, org: '', site: '' },
      { table: 'guides', recordId: 'b', hlc: '', fields: {}, org: '', site: '' },
    ]);
    expect([...(await pendingLogIds(['a', 'b', 'c']))]).toEqual(['a']);
  });
});
