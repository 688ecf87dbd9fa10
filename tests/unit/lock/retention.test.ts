import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { applyRetention, logsPastRetention, retentionCutoff } from '../../../src/lock/retention';

const day = 86_400_000;
const NOW = new Date(2026, 5, 15, 12).getTime(); // 15 June 2026

describe('the retention cutoff', () => {
  it('is the same day N calendar months back, and the month end when that day does not exist', () => {
    expect(new Date(retentionCutoff(NOW, 6)).toDateString()).toBe(new Date(2025, 11, 15).toDateString());
    expect(new Date(retentionCutoff(new Date(2026, 2, 31).getTime(), 1)).toDateString()).toBe(new Date(2026, 1, 28).toDateString());
  });
});

describe('which logs leave the tablet', () => {
  it('only synced logs older than the cutoff; a log still waiting to sync always stays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.uuid(), startedAt: fc.integer({ min: NOW - 900 * day, max: NOW }), pending: fc.boolean() }), { maxLength: 40 }),
        fc.constantFrom(1, 3, 6, 12, 24),
        (logs, months) => {
          const cutoff = retentionCutoff(NOW, months);
          const pending = new Set(logs.filter((l) => l.pending).map((l) => l.id));
          const removed = new Set(logsPastRetention(logs, pending, cutoff));
          for (const log of logs) {
            expect(removed.has(log.id)).toBe(!pending.has(log.id) && log.startedAt < cutoff);
          }
        },
      ),
    );
  });
});

describe('applying retention to the tablet database', () => {
  it('removes the old synced log, keeps the old unsynced one and the recent one, and queues nothing for the server', async () => {
    const old = NOW - 400 * day;
    const log = (id: string, startedAt: number) => ({
      id,
      org: 'o',
      site: 's',
      updatedAt: startedAt,
      hlc: `${startedAt}`,
      fieldClocks: {},
      deleted: 0 as const,
      status: 'final' as const,
      startedAt,
      format: 'walk-in',
      topics: [],
    });
    await db().sessions.bulkAdd([log('old-synced', old), log('old-unsynced', old), log('recent-synced', NOW - 10 * day)]);
    // Only the unsynced log still has a row waiting in the outbox (the sync engine removes rows the server has).
    await db().outbox.add({ table: 'sessions', recordId: 'old-unsynced', hlc: `${old}`, fields: { format: 'walk-in' }, org: '', site: '' });
    await db().outbox.add({ table: 'guides', recordId: 'old-synced', hlc: `${old}`, fields: { title: 'same id, other table' }, org: '', site: '' });
    const outboxBefore = await db().outbox.count();

    expect(await applyRetention(12, NOW)).toBe(1);
    expect((await db().sessions.toArray()).map((s) => s.id).sort()).toEqual(['old-unsynced', 'recent-synced']);
    expect(await db().outbox.count()).toBe(outboxBefore);
    expect(await applyRetention(12, NOW)).toBe(0);
  });
});
