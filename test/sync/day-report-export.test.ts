// The day report's exports: CSV a spreadsheet opens as-is (and cannot be tricked into running a
// formula), and a PDF with the figures.
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
  sales: { identified: 3, anonymous: 2, totalMinor: 45_000, identifiedTotalMinor: 30_000 },
  points: { issued: 300, redeemed: 50, byKind: { earn: 300, redeem: -50 } },
  enrolments: 1,
  referrals: 0,
  donations: { count: 0, points: 0 },
  refunds: { count: 0, points: 0 },
  overrides: [{ at: '2026-11-30T10:00:00.000Z', action: 'sales.complete', userId: 'u1', userName: 'Can', approvedBy: 'm1', approvedByName: 'Meral' }],
  cashiers: [{ userId: 'u1', name: '=HYPERLINK("http://x")', sales: 5, identified: 3, pointsIssued: 300, pointsRedeemed: 50, enrolments: 1 }],
  sync: { everythingPushed: false, queuedEntries: 2, oldestQueuedAt: '2026-11-30T17:00:00.000Z', lastSuccessAt: null, lastError: 'The server is unreachable', lastErrorCode: 'unreachable', reason: 'The last attempt failed', reasonCode: 'retrying', exceptions: [{ seq: 7, kinds: ['negative-balance'], memberId: 'm-9', points: -400 }] },
};

describe('day report exports', () => {
  it('writes CSV with quoting and without formula injection', () => {
    const csv = dayReportCsv(report);
    expect(csv.split('\r\n')[0]).toBe('section,item,value');
    expect(csv).toContain('report,store,"Kadıköy, ""Merkez"""');
    expect(csv).toContain('points by kind,redeem,-50');
    expect(csv).toContain('"cashier =HYPERLINK(""http://x"")",sales,5');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csv).toContain('server exception,"entry 7 (member m-9, -400 points)",negative-balance');
    // Who asked and who approved, by the names staff sign in with.
    expect(csv).toContain('override,2026-11-30T10:00:00.000Z sales.complete,approved by Meral for Can');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });

  it('writes a PDF, folding letters the standard font lacks', async () => {
    const pdf = await dayReportPdf(report, { title: 'Gün raporu · Kadıköy', lines: [['Verilen puan', '300']], chartTitle: 'Puanlar', chart: [['Kazanılan', 300], ['Harcanan', -50]], syncLine: '2 kayıt gönderilmedi', footer: 't-1' });
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
    expect(pdfSafe('Şişli ığdır €')).toBe('Sisli igdir ?');
  });
});
