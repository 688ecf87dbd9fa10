import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_YEAR, MIN_YEAR, monthForTyping, readMonth } from '../../../src/lib/month';

const iso = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;
const year = fc.integer({ min: MIN_YEAR, max: MAX_YEAR });
const month = fc.integer({ min: 1, max: 12 });

/** Month names as the languages' own calendars write them (from ICU, not from our list): alone, in a date, short. */
function namesOf(language: string, number: number): string[] {
  const date = new Date(2026, number - 1, 15);
  const alone = new Intl.DateTimeFormat(language, { month: 'long' }).format(date);
  const inDate = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long' }).formatToParts(date).find((part) => part.type === 'month')!.value;
  const short = new Intl.DateTimeFormat(language, { month: 'short' }).format(date);
  return [alone, inDate, short];
}

describe('readMonth', () => {
  it('reads the ways the issue lists, and says when nothing or something unreadable was typed', () => {
    for (const typed of [
      '11/2026',
      '11.2026',
      'marraskuu 2026',
      '2026-11',
      'Marraskuuta 2026',
      'november 2026',
      'November 2026',
      'nov. 2026',
      ' 11 / 2026 ',
      '11/26',
      '2026/11',
    ])
      expect(readMonth(typed), typed).toEqual({ month: '2026-11' });
    expect(readMonth('maaliskuu 2026')).toEqual({ month: '2026-03' });
    expect(readMonth('mars 2026')).toEqual({ month: '2026-03' });
    expect(readMonth('maj 2026')).toEqual({ month: '2026-05' });
    expect(readMonth('')).toEqual({ problem: 'empty' });
    expect(readMonth('   ')).toEqual({ problem: 'empty' });
    for (const typed of ['13/2026', '0/2026', '11/1999', '11/2101', 'marraskuu', 'ensi kuussa', '2026', '11', '1.11.2026', 'abc 2026', '2026-11-05'])
      expect(readMonth(typed), typed).toEqual({ problem: 'unreadable' });
  });

  it('reads every month of every year written with numbers, month or year first, in any of the usual separators', () => {
    fc.assert(
      fc.property(year, month, fc.constantFrom('/', '.', '-', ' ', ' / '), fc.boolean(), (y, m, separator, padded) => {
        const number = padded ? String(m).padStart(2, '0') : String(m);
        expect(readMonth(`${number}${separator}${y}`)).toEqual({ month: iso(y, m) });
        expect(readMonth(`${y}${separator.trim() || ' '}${number}`)).toEqual({ month: iso(y, m) });
      }),
    );
  });

  it('reads the Finnish, Swedish and English month names in every form the calendars write, in any case', () => {
    fc.assert(
      fc.property(
        year,
        month,
        fc.constantFrom('fi', 'sv', 'en'),
        fc.nat(2),
        fc.constantFrom('lower', 'upper', 'title'),
        fc.boolean(),
        (y, m, language, form, casing, yearFirst) => {
          const name = namesOf(language, m)[form]!;
          const cased = casing === 'lower' ? name.toLowerCase() : casing === 'upper' ? name.toUpperCase() : name[0]!.toUpperCase() + name.slice(1);
          const typed = yearFirst ? `${y} ${cased}` : `${cased} ${y}`;
          expect(readMonth(typed), typed).toEqual({ month: iso(y, m) });
        },
      ),
    );
  });

  it('never gives a month outside 1–12 or the years a report covers, and never throws, whatever is typed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9./ -]{0,10}$/)), (typed) => {
        const reading = readMonth(typed);
        if ('month' in reading) {
          const [y, m] = reading.month.split('-').map(Number) as [number, number];
          expect(m).toBeGreaterThanOrEqual(1);
          expect(m).toBeLessThanOrEqual(12);
          expect(y).toBeGreaterThanOrEqual(MIN_YEAR);
          expect(y).toBeLessThanOrEqual(MAX_YEAR);
          expect(reading.month).toMatch(/^\d{4}-\d{2}$/);
        } else expect(['empty', 'unreadable']).toContain(reading.problem);
      }),
    );
  });

  it('refuses month numbers outside 1–12', () => {
    fc.assert(
      fc.property(year, fc.oneof(fc.constant(0), fc.integer({ min: 13, max: 99 })), (y, m) => {
        expect(readMonth(`${m}/${y}`)).toEqual({ problem: 'unreadable' });
      }),
    );
  });

  it('shows a month in the field the way it is typed, and reads that back to the same month', () => {
    fc.assert(
      fc.property(year, month, (y, m) => {
        expect(readMonth(monthForTyping(iso(y, m)))).toEqual({ month: iso(y, m) });
      }),
    );
    expect(monthForTyping('2026-03')).toBe('3/2026');
  });
});
