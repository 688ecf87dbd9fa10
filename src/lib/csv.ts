// Owns writing CSV text, for the tablet's exports and the server's admin export alike: RFC 4180 quoting, CRLF lines,
// a BOM so Excel reads ä and ö, and no cell a spreadsheet could run as a formula. Pure; imports nothing.

export const BOM = '\uFEFF';

export type CsvCell = string | number | null | undefined;

/**
 * A cell that starts with one of these is a formula (or becomes one) in Excel, LibreOffice or Google Sheets, whatever
 * follows, line breaks included. The full-width forms are read as their ASCII twins by some spreadsheets.
 */
export const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;

/** Prefixes a quote so the cell is text: `=1+1` becomes `'=1+1`. */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(cell: CsvCell): string {
  const text = escapeFormula(cell === null || cell === undefined ? '' : String(cell));
  // Quoted when a comma, quote or line break would otherwise split it, or when spaces at its ends would be trimmed.
  return /[",;\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Finnish (and Swedish) Excel splits columns at ';': a comma-separated file opens in one column there. */
export const EXCEL_DELIMITER = ';';
export type CsvDelimiter = ',' | ';';

function rowText(row: readonly CsvCell[], delimiter: CsvDelimiter): string {
  // A row of one empty cell would be an empty line, which readers skip: quote it so the row stays.
  if (row.length === 1 && cellText(row[0]) === '') return '""';
  return row.map(cellText).join(delimiter);
}

/** The text of a CSV file: BOM, then the rows with CRLF between them. */
export function csvText(rows: readonly (readonly CsvCell[])[], delimiter: CsvDelimiter = ','): string {
  return BOM + rows.map((row) => rowText(row, delimiter)).join('\r\n');
}
