// Owns reading a month as people type it ("11/2026", "11.2026", "marraskuu 2026", "nov 2026", "2026-11") into the
// ISO form "2026-11", for month fields that must work without a browser month picker (Firefox, desktop Safari).

export type MonthReading = { month: string } | { problem: 'empty' | 'unreadable' };

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

// Stems of the month names (fi, sv, en) that every inflection and common abbreviation starts with, by month number:
// "marraskuu", "marraskuuta", "marrask." and "nov." are all November; "sept." is September.
const MONTH_STEMS: readonly (readonly string[])[] = [
  ['tammi', 'jan'],
  ['helmi', 'feb'],
  ['maalis', 'mar'],
  ['huhti', 'apr'],
  ['touko', 'maj', 'may'],
  ['kesä', 'jun'],
  ['heinä', 'jul'],
  ['elo', 'aug'],
  ['syys', 'sep'],
  ['loka', 'okt', 'oct'],
  ['marras', 'nov'],
  ['joulu', 'dec'],
];

function monthOfWord(word: string): number | undefined {
  // "marras…" (November) also starts with "mar" (March): the longer stem wins.
  if (word.startsWith('marras')) return 11;
  const index = MONTH_STEMS.findIndex((stems) => stems.some((stem) => word.startsWith(stem)));
  return index === -1 ? undefined : index + 1;
}

const iso = (year: number, month: number): MonthReading =>
  year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 ? { month: `${year}-${String(month).padStart(2, '0')}` } : { problem: 'unreadable' };

/** "26" → 2026 (a tablet's reports are about this century); four digits stay as they are. */
const fullYear = (digits: string): number => (digits.length === 2 ? 2000 + Number(digits) : Number(digits));

/** Reads a typed month; says "empty" for nothing typed and "unreadable" for anything it cannot read with certainty. */
export function readMonth(typed: string): MonthReading {
  const text = typed.trim().toLocaleLowerCase('fi').replace(/\s+/g, ' ');
  if (text === '') return { problem: 'empty' };

  // Year first: 2026-11, 2026/11, 2026.11, 2026 11.
  const yearFirst = /^(\d{4}) ?[-./ ] ?(\d{1,2})$/.exec(text);
  if (yearFirst) return iso(Number(yearFirst[1]), Number(yearFirst[2]));

  // Month first, as Finns write it: 11/2026, 11.2026, 11-2026, 11 2026, 11/26, 11.26.
  const monthFirst = /^(\d{1,2}) ?[-./ ] ?(\d{4}|\d{2})$/.exec(text);
  if (monthFirst) return iso(fullYear(monthFirst[2]!), Number(monthFirst[1]));

  // A month name and a year, in either order: "marraskuu 2026", "marraskuuta 2026", "nov. 2026", "2026 november".
  const words = text.replace(/[.,]/g, ' ').trim().split(' ').filter(Boolean);
  if (words.length === 2) {
    const [first, second] = words as [string, string];
    const [name, year] = /^\d+$/.test(first) ? [second, first] : [first, second];
    const month = /^\D+$/.test(name) ? monthOfWord(name) : undefined;
    if (month !== undefined && /^(\d{4}|\d{2})$/.test(year)) return iso(fullYear(year), month);
  }
  return { problem: 'unreadable' };
}

/** The month a field shows for an ISO month: "2026-11" → "11/2026", the way it is most often typed here. */
export function monthForTyping(month: string): string {
  const [year, number] = month.split('-');
  return `${Number(number)}/${year}`;
}
