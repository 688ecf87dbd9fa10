// CSV files: formulas cannot run, Excel gets a BOM, and what is written parses back to the same rows.
import i18next from 'i18next';
import fc from 'fast-check';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../../src/i18n';
import { aggregate, suppressSmallCells } from '../../../src/reports/aggregate';
import { BOM, csvLanguage, logRows, reportRows, toCsv } from '../../../src/reports/csv';
import { sessionLog } from './arbitraries';

beforeAll(async () => {
  await initI18n('en');
});

const parse = (csv: string) => Papa.parse<string[]>(csv.slice(BOM.length), { skipEmptyLines: true, delimiter: ';' }).data;

describe('CSV text', () => {
  it('starts with a BOM and escapes every cell that starts with = + - @ (or a tab or CR)', () => {
    const csv = toCsv([['=SUM(A1:A9)', '+358', '-5', '@here', '\tx', 'plain', 7]]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(parse(csv)).toEqual([["'=SUM(A1:A9)", "'+358", "'-5", "'@here", "'\tx", 'plain', '7']]);
  });

  it('escapes a formula whatever follows it, a line break included', () => {
    const note = '=HYPERLINK("http://evil.example","Avaa")\nsoita';
    expect(parse(toCsv([[note, '+1\r\n2', '@x\n']]))).toEqual([[`'${note}`, "'+1\r\n2", "'@x\n"]]);
  });

  it('separates columns with semicolons, as Finnish Excel expects, and quotes a semicolon inside a cell', () => {
    expect(
      toCsv([
        ['Päivä', 'Aiheet'],
        ['2025-03-04', 'Tietoturva; Liitteet'],
      ]),
    ).toBe(`${BOM}Päivä;Aiheet\r\n2025-03-04;"Tietoturva; Liitteet"`);
  });

  it('parses back to the same cells, with only dangerous first characters escaped', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const width = rows[0]!.length;
        const table = rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ''));
        const back = Papa.parse<string[]>(toCsv(table).slice(BOM.length), { newline: '\r\n', delimiter: ';' }).data;
        const expected = table.map((row) => row.map((cell) => (/^[=+\-@\t\r\n＝＋－＠]/.test(cell) ? `'${cell}` : cell)));
        expect(back).toEqual(expected);
      }),
    );
  });

  it('uses English headers for an English UI and Finnish for Finnish and Swedish', () => {
    expect(csvLanguage('en')).toBe('en');
    expect(csvLanguage('fi')).toBe('fi');
    expect(csvLanguage('sv')).toBe('fi');
  });
});

describe('the files', () => {
  it('logs: a header and one row per log, in the file language', () => {
    fc.assert(
      fc.property(fc.array(sessionLog, { maxLength: 10 }), (logs) => {
        const rows = logRows(logs, i18next.getFixedT('fi'), (id) => id);
        expect(rows).toHaveLength(logs.length + 1);
        expect(rows[0]![0]).toBe('Päivä');
        rows.slice(1).forEach((row, i) => {
          expect(row).toHaveLength(rows[0]!.length);
          expect(row[5]).toBe(logs[i]!.participants.onlooker?.new ?? 0);
        });
      }),
    );
    // 12:05 UTC on 4 March is 14:05 in Helsinki (UTC+2 in winter), whatever zone this machine is in.
    const [header, row] = logRows(
      [
        {
          id: 'a',
          site: '',
          status: 'final',
          startedAt: Date.UTC(2025, 2, 4, 12, 5),
          format: 'walk-in',
          channel: 'in-person',
          instructorId: null,
          participants: { member: { new: 1, returning: 2 } },
          topics: ['security', 'attachments'],
          guidesUsed: ['g1'],
          devicesUsed: ['own'],
          outcome: 'referred',
          referredTo: ['kela'],
          barriers: [],
          note: '=1+1',
          deleted: 0,
          updatedAt: 0,
        },
      ],
      i18next.getFixedT('en'),
      () => 'Send a photo',
    );
    expect(header!.slice(0, 4)).toEqual(['Date', 'Start time', 'Duration', 'Format']);
    expect(row).toEqual([
      '2025-03-04',
      '14:05',
      '',
      'Walk-in hours',
      'In person',
      0,
      0,
      1,
      2,
      0,
      0,
      0,
      0,
      'Security; Attachments',
      'Send a photo',
      'Own device',
      'Referred',
      'Kela',
      '',
      '=1+1',
      'Final',
    ]);
    expect(parse(toCsv([header!, row!]))[1]![19]).toBe("'=1+1");
  });

  it('shareable report: hidden counts read "hidden", shown counts are the numbers', () => {
    const report = aggregate(
      [],
      Array.from({ length: 9 }, (_, i) => ({ answers: { mood: i < 3 ? 4 : 5 } })),
    );
    const rows = reportRows(suppressSmallCells(report), i18next.getFixedT('en'));
    expect(rows[0]).toEqual(['Section', 'Item', 'Count']);
    expect(rows).toContainEqual(['Totals', 'Feedback answers', 9]);
    expect(rows).toContainEqual(['How did today feel', 'Good', 'hidden']);
    expect(rows).toContainEqual(['How did today feel', 'Very good', 'hidden']); // 6, hidden too, or 9 − 6 would tell the 3
    expect(rows).toContainEqual(['How did today feel', 'Bad', 0]);
  });
});
