import { describe, expect, it } from 'vitest';
import { figures, groupCells, monthRows, siteRows } from '../../../src/console/dashboard-view';
import type { Dashboard, Report } from '../../../src/console/types';

function report(sessions: number, fresh: number, returning: number, feedback = 0, topics: Record<string, number> = {}): Report {
  return {
    totals: { sessions, visits: fresh + returning, feedback },
    drafts: 0,
    groups: [
      {
        id: 'newReturning',
        sumOf: 'visits',
        cells: [
          { key: 'new', value: fresh },
          { key: 'returning', value: returning },
        ],
      },
      { id: 'topics', cells: Object.entries(topics).map(([key, value]) => ({ key, value })) },
    ],
  };
}

const dashboard: Dashboard = {
  from: '2026-01',
  to: '2026-03',
  months: ['2026-01', '2026-02', '2026-03'],
  sites: [
    { id: 'kallio', name: 'Kallio' },
    { id: 'vallila', name: 'Vallila' },
  ],
  bySite: [
    {
      siteId: 'kallio',
      months: [
        { month: '2026-01', report: report(2, 1, 1) },
        { month: '2026-03', report: report(1, 0, 2) },
      ],
      total: report(3, 1, 3),
    },
    { siteId: 'vallila', months: [{ month: '2026-01', report: report(4, 3, 0, 2) }], total: report(4, 3, 0, 2) },
  ],
  total: {
    months: [
      { month: '2026-01', report: report(6, 4, 1, 2) },
      { month: '2026-03', report: report(1, 0, 2) },
    ],
    total: report(7, 4, 3, 2, { security: 1, 'device-basics': 5, other: 0 }),
  },
};

describe('the dashboard as the screen shows it', () => {
  it('gives a report its headline figures', () => {
    expect(figures(dashboard.total.total)).toEqual({ sessions: 7, people: 7, newPeople: 4, returning: 3, feedback: 2 });
  });
  it('has a row for every month of the range, a month with nothing as zeros, sites in the listed order', () => {
    expect(monthRows(dashboard).map((row) => [row.month, row.sessionsBySite, row.total.sessions, row.total.people])).toEqual([
      ['2026-01', [2, 4], 6, 5],
      ['2026-02', [0, 0], 0, 0],
      ['2026-03', [1, 0], 1, 2],
    ]);
  });
  it('has a row per site whose sessions add up to the total', () => {
    const rows = siteRows(dashboard);
    expect(rows.map((row) => [row.name, row.sessions, row.people, row.feedback])).toEqual([
      ['Kallio', 3, 4, 0],
      ['Vallila', 4, 3, 2],
    ]);
    expect(rows.reduce((sum, row) => sum + row.sessions, 0)).toBe(figures(dashboard.total.total).sessions);
  });
  it('shows a group biggest first without its zeros, keeps new before returning, and keeps a hidden count', () => {
    expect(groupCells(dashboard.total.total, 'topics').map((cell) => cell.key)).toEqual(['device-basics', 'security']);
    expect(groupCells(dashboard.total.total, 'newReturning').map((cell) => cell.key)).toEqual(['new', 'returning']);
    const shared = {
      groups: [
        {
          id: 'moods' as const,
          cells: [
            { key: '1', value: null },
            { key: '2', value: 0 },
            { key: '5', value: 7 },
          ],
        },
      ],
    };
    expect(groupCells(shared, 'moods')).toEqual([
      { key: '1', value: null },
      { key: '5', value: 7 },
    ]);
  });
});
