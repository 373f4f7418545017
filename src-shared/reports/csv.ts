// A CSV writer for every table the programme exports (day report, insights): RFC 4180 quoting, CRLF
// line ends, cells a spreadsheet would run as formulas neutralised, and the dialect the reader's
// spreadsheet expects.
export type CsvValue = string | number | boolean | null;

/**
 * How a spreadsheet splits and reads a CSV file. Excel takes the list separator of the PC's
 * regional settings, which is ";" wherever the decimal mark is a comma (Türkiye, most of Europe):
 * a comma-separated file opens there as one column, and "0.75" as text.
 */
export type CsvDialect = { separator: ',' | ';'; decimalMark: '.' | ',' };
export const RFC_4180: CsvDialect = { separator: ',', decimalMark: '.' };
export const SEMICOLON_DECIMAL_COMMA: CsvDialect = { separator: ';', decimalMark: ',' };

/** The dialect of a locale's spreadsheets: semicolons and decimal commas where numbers are written "1,5". */
export function csvDialectFor(locale: string): CsvDialect {
  try {
    const mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
    return mark === ',' ? SEMICOLON_DECIMAL_COMMA : RFC_4180;
  } catch {
    return RFC_4180;
  }
}

/** Put in front of a CSV file that is saved: Excel reads the file as UTF-8 only with it ("Kadıköy", not "KadÄ±kÃ¶y"). */
export const CSV_FILE_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 quoting, and a leading apostrophe for text a spreadsheet would treat as a formula. */
export function csvCell(value: CsvValue, dialect: CsvDialect = RFC_4180): string {
  if (value === null) return '';
  if (typeof value === 'number') return dialect.decimalMark === ',' ? String(value).replace('.', ',') : String(value);
  if (typeof value !== 'string') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  // Quoted when it holds either separator: the same text is then one cell in both dialects.
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A header row and data rows as one CSV document. */
export function csvTable(header: readonly string[], rows: readonly (readonly CsvValue[])[], dialect: CsvDialect = RFC_4180): string {
  return `${[header, ...rows].map((r) => r.map((cell) => csvCell(cell, dialect)).join(dialect.separator)).join('\r\n')}\r\n`;
}
