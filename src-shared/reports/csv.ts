// A CSV writer for every table the programme exports (day report, insights): RFC 4180 quoting, CRLF
// line ends, and cells a spreadsheet would run as formulas neutralised.
export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 quoting, and a leading apostrophe for text a spreadsheet would treat as a formula. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A header row and data rows as one CSV document. */
export function csvTable(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
