// The date rules of the pull window and retention (src/protocol/window.ts): calendar months back, a record's date,
// and retention as people write it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datedBefore, describeMonths, monthsBefore, parseRetention, recordDate, visibleFrom } from '../../../src/protocol';

const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h);
const moment = fc.integer({ min: utc(2000, 1, 1), max: utc(2100, 1, 1) });
const months = fc.integer({ min: 0, max: 600 });

describe('monthsBefore', () => {
  it('steps back calendar months, keeping the day or taking the shorter month’s last day', () => {
    expect(monthsBefore(utc(2026, 12, 1, 9), 13)).toBe(utc(2025, 11, 1, 9));
    expect(monthsBefore(utc(2026, 3, 31), 1)).toBe(utc(2026, 2, 28));
    expect(monthsBefore(utc(2024, 3, 31), 1)).toBe(utc(2024, 2, 29));
    expect(monthsBefore(utc(2029, 2, 28), 60)).toBe(utc(2024, 2, 28));
    expect(monthsBefore(utc(2026, 1, 15), 0)).toBe(utc(2026, 1, 15));
  });

  it('is never later than now, goes further back with more months, and lands within the right calendar month', () => {
    fc.assert(
      fc.property(moment, months, months, (now, a, b) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        expect(monthsBefore(now, fewer)).toBeLessThanOrEqual(now);
        expect(monthsBefore(now, more)).toBeLessThanOrEqual(monthsBefore(now, fewer));
        const from = new Date(now);
        const back = new Date(monthsBefore(now, a));
        expect(from.getUTCFullYear() * 12 + from.getUTCMonth() - (back.getUTCFullYear() * 12 + back.getUTCMonth())).toBe(a);
        expect(back.getUTCDate()).toBeLessThanOrEqual(from.getUTCDate());
        expect(back.getUTCHours()).toBe(from.getUTCHours());
      }),
    );
  });

  it('puts 12 months inside a 13-month window and 14 months outside, whatever the date', () => {
    fc.assert(
      fc.property(moment, (now) => {
        const from = visibleFrom(now, 13, 60);
        expect(datedBefore('sessions', { startedAt: monthsBefore(now, 12) }, from)).toBe(false);
        expect(datedBefore('sessions', { startedAt: monthsBefore(now, 14) }, from)).toBe(true);
        expect(datedBefore('feedback', { createdAt: monthsBefore(now, 14) }, from)).toBe(true);
      }),
    );
  });
});

describe('visibleFrom', () => {
  it('is the later of the window and the retention', () => {
    fc.assert(
      fc.property(moment, months, months, (now, window, retention) => {
        const from = visibleFrom(now, window, retention);
        expect(from).toBe(Math.max(monthsBefore(now, window), monthsBefore(now, retention)));
        // A record the server would delete is never sent.
        expect(from).toBeGreaterThanOrEqual(monthsBefore(now, retention));
      }),
    );
  });
});

describe('recordDate and datedBefore', () => {
  it('reads a log’s start and a feedback answer’s time; guides and undated records are never old', () => {
    expect(recordDate('sessions', { startedAt: 5, createdAt: 1 })).toBe(5);
    expect(recordDate('feedback', { createdAt: 7 })).toBe(7);
    expect(recordDate('guides', { startedAt: 5, createdAt: 5 })).toBeUndefined();
    expect(recordDate('sessions', { note: 'x' })).toBeUndefined();
    expect(recordDate('sessions', { startedAt: '5' })).toBeUndefined();
    expect(recordDate('constructor', {})).toBeUndefined();
    expect(datedBefore('guides', { createdAt: 0 }, 10)).toBe(false);
    expect(datedBefore('sessions', {}, 10)).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 0, max: 2 ** 45 }), (date, from) => {
        expect(datedBefore('sessions', { startedAt: date }, from)).toBe(date < from);
      }),
    );
  });
});

describe('parseRetention', () => {
  it('reads years and months as people write them', () => {
    expect(parseRetention('5y')).toEqual({ months: 60 });
    expect(parseRetention('5 years')).toEqual({ months: 60 });
    expect(parseRetention('1 year')).toEqual({ months: 12 });
    expect(parseRetention('18m')).toEqual({ months: 18 });
    expect(parseRetention(' 18 Months ')).toEqual({ months: 18 });
  });

  it('answers anything else with a problem in plain words that does not repeat the input', () => {
    for (const bad of ['', 'viisi', '5', '0y', '0m', '51y', '601m', '-3m', '5y3m', '5 vuotta', '1e3m']) {
      const answer = parseRetention(bad);
      expect(answer).toHaveProperty('problem');
      if (bad.length > 2) expect((answer as { problem: string }).problem).not.toContain(bad);
    }
  });

  it('gives back what describeMonths wrote, for every allowed retention', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), (n) => {
        const words = describeMonths(n)
          .replace(/ years?/, 'y')
          .replace(/ months?/, 'm');
        expect(parseRetention(words)).toEqual({ months: n });
      }),
    );
  });
});
