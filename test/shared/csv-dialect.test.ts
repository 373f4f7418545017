// CSV as the reader's spreadsheet reads it: commas and decimal points (RFC 4180) where numbers are
// written "1.5", semicolons and decimal commas where they are written "1,5" (Excel takes the list
// separator of the PC's regional settings).
import { describe, expect, it } from 'vitest';
import { csvCell, csvDialectFor, csvTable, RFC_4180, SEMICOLON_DECIMAL_COMMA } from '../../src-shared/reports/csv';

describe('CSV dialects', () => {
  it('picks semicolons and decimal commas for the locales that write "1,5"', () => {
    expect(csvDialectFor('tr-TR')).toEqual(SEMICOLON_DECIMAL_COMMA);
    expect(csvDialectFor('de-DE')).toEqual(SEMICOLON_DECIMAL_COMMA);
    expect(csvDialectFor('tr')).toEqual(SEMICOLON_DECIMAL_COMMA);
    expect(csvDialectFor('en-US')).toEqual(RFC_4180);
    expect(csvDialectFor('en-GB')).toEqual(RFC_4180);
    // A locale Intl cannot read: the standard.
    expect(csvDialectFor('not a locale!')).toEqual(RFC_4180);
  });

  it('writes the same table in each dialect, every text one cell in both', () => {
    const header = ['store', 'name', 'identified share', 'sales'];
    const rows = [
      ['kadikoy', 'Kadıköy; Moda', 0.5, 1200],
      ['besiktas', 'Beşiktaş, Çarşı', 1, 3],
      ['x', '=HYPERLINK("evil")', null, -4],
    ];
    expect(csvTable(header, rows)).toBe(
      'store,name,identified share,sales\r\nkadikoy,"Kadıköy; Moda",0.5,1200\r\nbesiktas,"Beşiktaş, Çarşı",1,3\r\nx,"\'=HYPERLINK(""evil"")",,-4\r\n',
    );
    expect(csvTable(header, rows, SEMICOLON_DECIMAL_COMMA)).toBe(
      'store;name;identified share;sales\r\nkadikoy;"Kadıköy; Moda";0,5;1200\r\nbesiktas;"Beşiktaş, Çarşı";1;3\r\nx;"\'=HYPERLINK(""evil"")";;-4\r\n',
    );
    expect(csvCell(0.125, SEMICOLON_DECIMAL_COMMA)).toBe('0,125');
    expect(csvCell(true, SEMICOLON_DECIMAL_COMMA)).toBe('true');
  });
});
