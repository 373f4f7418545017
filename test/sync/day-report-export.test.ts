// The day report's exports: CSV a spreadsheet opens as-is (and cannot be tricked into running a
// formula), and a PDF with the figures.
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { DayReport } from '../../src-shared/api/sync-methods';
import { csvCell, dayReportCsv } from '../../src-shared/reports/day-report-csv';
import { dayReportPdf, pdfSafe } from '../../src-renderer/reports/day-report-pdf';

const report: DayReport = {
  day: '2026-11-30',
  timeZone: 'Europe/Istanbul',
  storeName: 'Kadıköy, "Merkez"',
  terminalId: 't-1',
  generatedAt: '2026-11-30T18:00:00.000Z',
  sales: { identified: 3, anonymous: 2, totalMinor: 45_000, identifiedTotalMinor: 30_000, netMinor: 41_500 },
  points: { issued: 300, redeemed: 50, byKind: { earn: 300, redeem: -50 } },
  enrolments: 1,
  referrals: 0,
  donations: { count: 0, points: 0 },
  refunds: { count: 1, amountMinor: 3_500, points: -35 },
  overrides: [
    { at: '2026-11-30T10:00:00.000Z', action: 'sales.complete', userId: 'u1', userName: 'Can', approvedBy: 'm1', approvedByName: 'Meral' },
    { at: '2026-11-30T11:00:00.000Z', action: 'members.adjust', userId: 'm1', userName: 'Meral', approvedBy: 'm1', approvedByName: 'Meral' },
  ],
  cashiers: [{ userId: 'u1', name: '=HYPERLINK("http://x")', sales: 5, identified: 3, pointsIssued: 300, pointsRedeemed: 50, enrolments: 1 }],
  sync: { everythingPushed: false, queuedEntries: 2, oldestQueuedAt: '2026-11-30T17:00:00.000Z', lastSuccessAt: null, lastError: 'The server is unreachable', lastErrorCode: 'unreachable', reason: 'The last attempt failed', reasonCode: 'retrying', exceptions: [{ seq: 7, kinds: ['negative-balance'], memberId: 'm-9', points: -400 }], flaggedOnOtherDays: [{ day: '2026-11-28', count: 2 }] },
};

describe('day report exports', () => {
  it('writes CSV with quoting and without formula injection', () => {
    const csv = dayReportCsv(report);
    expect(csv.split('\r\n')[0]).toBe('section,item,value');
    expect(csv).toContain('report,store,"Kadıköy, ""Merkez"""');
    expect(csv).toContain('points by kind,redeem,-50');
    expect(csv).toContain('server exceptions on another day,2026-11-28,2');
    // The money refunds gave back, and the day's sales less it.
    expect(csv).toContain('refunds,amount (minor units),3500');
    expect(csv).toContain('sales,after refunds (minor units),41500');
    expect(csv).toContain('"cashier =HYPERLINK(""http://x"")",sales,5');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csv).toContain('server exception,"entry 7 (member m-9, -400 points)",negative-balance');
    // Who asked and who approved, by the names staff sign in with.
    expect(csv).toContain('override,2026-11-30T10:00:00.000Z sales.complete,approved by Meral for Can');
    expect(csv).toContain('override,2026-11-30T11:00:00.000Z members.adjust,by manager Meral');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });

  it('writes a PDF, folding letters the standard font lacks', async () => {
    const pdf = await dayReportPdf(report, {
      title: 'Gün raporu · Kadıköy',
      lines: [
        ['Satış toplamı', '₺1.599,50'],
        ['İadeler', '1 · −45 puan'],
      ],
      chartTitle: 'Puanlar',
      chart: [
        ['Kazanılan', 1599, '1.599'],
        ['Harcanan', -50, '−50'],
      ],
      syncLine: '2 kayıt gönderilmedi',
      cashiers: { title: 'Kasiyere göre', header: ['Kasiyer', 'Satış'], rows: [['Deniz', '3']] },
      approvals: { title: 'Yönetici onayları', lines: ['2 Ara 2026 07:17: Bakiye düzeltme (Deniz), onaylayan Meral'] },
      footer: 't-1 · 2 Ara 2026 21:00',
    });
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const drawn = await pdfText(pdf);
    // The lira as TL and the minus sign as a hyphen, not '?'; the cashiers and approvals as on screen.
    expect(drawn).toEqual(
      expect.arrayContaining(['TL 1.599,50', '1 · -45 puan', '1.599', '-50', 'Kasiyere göre', 'Deniz', 'Yönetici onaylari', '2 Ara 2026 07:17: Bakiye düzeltme (Deniz), onaylayan Meral', 't-1 · 2 Ara 2026 21:00']),
    );
    expect(drawn.filter((t) => t.includes('?'))).toEqual([]);
    expect(pdfSafe('Şişli ığdır ₺5 −3 ✓')).toBe('Sisli igdir TL 5 -3 ?');
    // The euro is in the font's set though not in Latin-1: drawn as it is when the font says so.
    expect(pdfSafe('€5', (c) => c <= 0xff || c === 0x20ac)).toBe('€5');
  });

  it('runs a long list of approvals on to a second page, each page with its footer', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => `Approval ${i + 1}`);
    const pdf = await dayReportPdf(report, { title: 'Day report', lines: [], chartTitle: 'Points', chart: [], syncLine: 'Everything reached the server.', approvals: { title: 'Manager approvals', lines }, footer: 't-1' });
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(2);
    const drawn = await pdfText(pdf);
    expect(drawn).toEqual(expect.arrayContaining(['Approval 1', 'Approval 80']));
    expect(drawn.filter((t) => t === 't-1')).toHaveLength(2);
  });
});

/** The strings a pdf-lib PDF draws, in order (its content streams are deflated, text as hex strings). */
async function pdfText(pdf: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(pdf);
  const texts: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const content = inflateSync(Buffer.from(stream.contents)).toString('latin1');
      for (const [, hex] of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) texts.push(decodeWinAnsi(Buffer.from(hex!, 'hex')));
    }
  }
  return texts;
}

/** WinAnsi bytes as text: Latin-1, with the few WinAnsi places above 0x7f that differ (enough for these tests). */
const decodeWinAnsi = (bytes: Buffer): string => bytes.toString('latin1').replace(/\x80/g, '€').replace(/\x96/g, '–');
