// The report's numbers add up, and the shareable version never shows a count under 5, not even by subtraction.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, PEOPLE_GROUPS, PEOPLE_TOTALS, suppressSmallCells, SMALL_CELL, type Report, type TotalName } from '../../../src/reports/aggregate';
import { feedbackRow, sessionLog } from './arbitraries';

const logs = fc.array(sessionLog, { maxLength: 60 });
const feedback = fc.array(feedbackRow, { maxLength: 60 });
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const group = (report: Report, id: string) => report.groups.find((g) => g.id === id)!;

describe('aggregation', () => {
  it('totals equal the sum of their parts', () => {
    fc.assert(
      fc.property(logs, feedback, (someLogs, someFeedback) => {
        const report = aggregate(someLogs, someFeedback);
        const counted = someLogs.filter((log) => log.deleted === 0 && log.status === 'final');
        expect(report.totals.sessions).toBe(counted.length);
        expect(report.drafts).toBe(someLogs.filter((log) => log.deleted === 0 && log.status === 'draft').length);
        expect(report.totals.feedback).toBe(someFeedback.length);
        for (const g of report.groups.filter((g) => g.sumOf)) expect(sum(g.cells.map((c) => c.value)), g.id).toBe(report.totals[g.sumOf!]);
        const everyone = sum(counted.flatMap((log) => Object.values(log.participants).flatMap((c) => [c.new, c.returning])));
        expect(report.totals.visits).toBe(everyone);
        // Topics count sessions: each topic at most once per session, never more than the sessions.
        for (const cell of group(report, 'topics').cells) expect(cell.value).toBe(counted.filter((log) => log.topics.includes(cell.key)).length);
      }),
    );
  });

  it('counts a concrete drop-in week right', () => {
    const base = {
      site: 's',
      instructorId: null,
      guidesUsed: [],
      devicesUsed: [],
      referredTo: [],
      barriers: [],
      note: '',
      deleted: 0 as const,
      updatedAt: 0,
      startedAt: 0,
    };
    const report = aggregate(
      [
        {
          ...base,
          id: 'a',
          status: 'final',
          format: 'walk-in',
          channel: 'in-person',
          participants: { member: { new: 2, returning: 3 } },
          topics: ['security'],
          outcome: 'did-it-alone',
        },
        {
          ...base,
          id: 'b',
          status: 'final',
          format: 'group',
          participants: { onlooker: { new: 0, returning: 4 }, peer: { new: 1, returning: 0 } },
          topics: ['security', 'attachments'],
          outcome: null,
        },
        { ...base, id: 'c', status: 'draft', format: 'group', participants: { member: { new: 9, returning: 9 } }, topics: [], outcome: null },
      ],
      [{ answers: { mood: 5, learn: ['books', 'dont-know'], learnWord: 'pelit' } }, { answers: { mood: 5 } }, { answers: {} }],
    );
    expect(report.totals).toEqual({ sessions: 2, visits: 10, feedback: 3 });
    expect(report.drafts).toBe(1);
    expect(group(report, 'visitsByRole').cells).toEqual([
      { key: 'onlooker', value: 4 },
      { key: 'member', value: 5 },
      { key: 'peer', value: 1 },
      { key: 'participant', value: 0 },
    ]);
    expect(group(report, 'newReturning').cells).toEqual([
      { key: 'new', value: 3 },
      { key: 'returning', value: 7 },
    ]);
    expect(group(report, 'channels').cells).toContainEqual({ key: 'not-recorded', value: 1 });
    expect(group(report, 'moods').cells).toContainEqual({ key: '5', value: 2 });
    expect(group(report, 'wishedTopics').cells).toEqual([
      { key: 'books', value: 1 },
      { key: 'word:pelit', value: 1 },
    ]);
  });
});

describe('the shareable aggregate', () => {
  it('shows no count of people from 1 to 4, and every other count as it is, sessions always', () => {
    fc.assert(
      fc.property(logs, feedback, (someLogs, someFeedback) => {
        const report = aggregate(someLogs, someFeedback);
        const shared = suppressSmallCells(report);
        for (const [name, value] of Object.entries(shared.totals)) {
          if (value !== null) {
            if (PEOPLE_TOTALS.has(name as TotalName)) expect(value === 0 || value >= SMALL_CELL).toBe(true);
            expect(value).toBe(report.totals[name as keyof typeof report.totals]);
          }
          if (!PEOPLE_TOTALS.has(name as TotalName)) expect(value).toBe(report.totals[name as TotalName]); // sessions: never hidden
        }
        shared.groups.forEach((g, i) => {
          g.cells.forEach((cell, j) => {
            const original = report.groups[i]!.cells[j]!.value;
            if (cell.value !== null) expect(cell.value).toBe(original);
            if (!PEOPLE_GROUPS.has(g.id)) expect(cell.value).toBe(original);
            else if (original > 0 && original < SMALL_CELL) expect(cell.value).toBeNull();
          });
        });
      }),
    );
  });

  it('never lets a hidden count be worked out from a shown total', () => {
    fc.assert(
      fc.property(logs, feedback, (someLogs, someFeedback) => {
        const report = aggregate(someLogs, someFeedback);
        const shared = suppressSmallCells(report);
        shared.groups.forEach((g, i) => {
          if (!g.sumOf || shared.totals[g.sumOf] === null) return;
          const hidden = report.groups[i]!.cells.filter((_, j) => g.cells[j]!.value === null).map((c) => c.value);
          if (hidden.length === 0) return;
          // total − shown cells = the hidden cells together: never one cell alone, never a small sum.
          expect(hidden.length).toBeGreaterThanOrEqual(2);
          expect(sum(hidden)).toBeGreaterThanOrEqual(SMALL_CELL);
          expect(shared.totals[g.sumOf]! - sum(g.cells.map((c) => c.value ?? 0))).toBe(sum(hidden));
        });
      }),
    );
  });

  it('hides the next smallest cell of people when only one would be hidden', () => {
    const report: Report = {
      totals: { sessions: 3, visits: 20, feedback: 0 },
      drafts: 0,
      groups: [
        {
          id: 'visitsByRole',
          sumOf: 'visits',
          cells: [
            { key: 'onlooker', value: 3 },
            { key: 'member', value: 11 },
            { key: 'peer', value: 6 },
            { key: 'participant', value: 0 },
          ],
        },
      ],
    };
    const shared = suppressSmallCells(report);
    expect(shared.groups[0]!.cells).toEqual([
      { key: 'onlooker', value: null },
      { key: 'member', value: 11 },
      { key: 'peer', value: null },
      { key: 'participant', value: 0 },
    ]);
    expect(shared.totals.sessions).toBe(3); // a site with 3 sessions shows "3"
  });

  it('never hides a count of sessions, however small', () => {
    const report: Report = {
      totals: { sessions: 3, visits: 0, feedback: 0 },
      drafts: 0,
      groups: [
        {
          id: 'formats',
          sumOf: 'sessions',
          cells: [
            { key: 'group', value: 1 },
            { key: 'walk-in', value: 2 },
          ],
        },
      ],
    };
    expect(suppressSmallCells(report)).toEqual({
      totals: { sessions: 3, visits: 0, feedback: 0 },
      groups: [
        {
          id: 'formats',
          sumOf: 'sessions',
          cells: [
            { key: 'group', value: 1 },
            { key: 'walk-in', value: 2 },
          ],
        },
      ],
    });
  });
});
