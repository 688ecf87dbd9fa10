// The pure rules of a session log: steppers never go below zero, chips toggle, months are exact ranges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asSessionLog,
  headCount,
  missingForFinal,
  monthOf,
  monthRange,
  ROLES,
  stepHeadCount,
  toggleChip,
  visitCount,
  type Participants,
} from '../../../src/sessions/session-log';
import { matchesFilter } from '../../../src/sessions/log-list';

const role = fc.constantFrom(...ROLES);
const which = fc.constantFrom('new' as const, 'returning' as const);
const taps = fc.array(fc.record({ role, which, delta: fc.constantFrom(1, -1) }), { maxLength: 60 });

describe('head-count steppers', () => {
  it('count exactly the + taps minus the − taps, never below zero', () => {
    fc.assert(
      fc.property(taps, (sequence) => {
        let participants: Participants = {};
        const expected = new Map<string, number>();
        for (const tap of sequence) {
          participants = stepHeadCount(participants, tap.role, tap.which, tap.delta);
          const key = `${tap.role}.${tap.which}`;
          expected.set(key, Math.max(0, (expected.get(key) ?? 0) + tap.delta));
        }
        for (const r of ROLES) for (const w of ['new', 'returning'] as const) expect(headCount(participants, r, w)).toBe(expected.get(`${r}.${w}`) ?? 0);
        expect(visitCount(participants)).toBe([...expected.values()].reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe('chips', () => {
  it('a second tap undoes the first', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 })), fc.string({ minLength: 1, maxLength: 8 }), (list, value) => {
        const once = toggleChip(list, value);
        expect(once.includes(value)).toBe(!list.includes(value));
        expect(toggleChip(once, value).sort()).toEqual([...list].sort());
      }),
    );
  });
});

describe('months', () => {
  it('every moment lies in the range of its own month', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const [from, to] = monthRange(monthOf(ms));
        expect(from <= ms && ms < to).toBe(true);
      }),
    );
  });
});

describe('reading stored rows', () => {
  it('fills what a partial row lacks and drops what is not a head-count', () => {
    const log = asSessionLog({ id: 'a', startedAt: 5, participants: { member: { new: 2, returning: -3 }, spy: { new: 1 } }, topics: ['security', 7] });
    expect(log).toMatchObject({
      id: 'a',
      status: 'draft',
      startedAt: 5,
      participants: { member: { new: 2, returning: 0 } },
      topics: ['security'],
      note: '',
      outcome: null,
    });
  });

  it('list filters: format, topic and words in the note, case-insensitive; deleted logs never match', () => {
    const log = { format: 'group', topics: ['security'], note: 'Päivitys ONNISTUI', deleted: 0 as const };
    expect(matchesFilter(log, { format: 'group', topic: 'security', search: 'onnistui' })).toBe(true);
    expect(matchesFilter(log, { format: 'walk-in' })).toBe(false);
    expect(matchesFilter(log, { topic: 'banking-referred' })).toBe(false);
    expect(matchesFilter(log, { search: 'kela' })).toBe(false);
    expect(matchesFilter({ ...log, deleted: 1 }, {})).toBe(false);
  });
});

describe('a final log', () => {
  it('needs a format and at least one person, and nothing else', () => {
    const format = fc.option(fc.constantFrom('group', 'walk-in', 'pop-up', 'one-to-one', 'made-up'), { nil: undefined });
    fc.assert(
      fc.property(format, taps, (chosen, sequence) => {
        let participants: Participants = {};
        for (const tap of sequence) participants = stepHeadCount(participants, tap.role, tap.which, tap.delta);
        const missing = missingForFinal({ format: chosen, participants });
        expect(missing.includes('format')).toBe(chosen === undefined || chosen === 'made-up');
        expect(missing.includes('people')).toBe(visitCount(participants) === 0);
      }),
    );
    expect(missingForFinal({ format: undefined, participants: {} })).toEqual(['format', 'people']);
  });
});
