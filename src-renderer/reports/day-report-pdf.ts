// The day report as a PDF, on one A4 page (more when a long list of approvals runs on): pdf-lib, pure JavaScript, runs in the renderer and in tests.
// Standard fonts draw only the WinAnsi set, so letters outside it (ş, ğ, ı...) are written without marks.
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { DayReport } from '../../src-shared/api/sync-methods';

export type PdfLabels = {
  title: string;
  lines: [label: string, value: string][];
  chartTitle: string;
  /** Each kind's label, its points (the bar) and the points as the screen writes them. */
  chart: [label: string, points: number, text: string][];
  syncLine: string;
  /** The core's technical detail under the sync line, smaller (null: none). */
  syncDetail?: string | null;
  /** Figures per cashier, as on the screen: a header row and one row per cashier. */
  cashiers?: { title: string; header: string[]; rows: string[][] } | null;
  /** Manager approvals, one sentence each. */
  approvals?: { title: string; lines: string[] } | null;
  footer: string;
};

// Letters and signs Helvetica's WinAnsi set lacks, said with ones it has: Turkish letters without
// their marks, the lira as TL, the minus sign and narrow spaces that Intl writes as plain ones.
const FOLD: Record<string, string> = { ş: 's', Ş: 'S', ğ: 'g', Ğ: 'G', ı: 'i', İ: 'I', '₺': 'TL ', '−': '-', '\u202f': ' ', '\u2009': ' ' };
const LATIN_1 = (codePoint: number) => codePoint <= 0xff;
/** Text the standard Helvetica can draw: folded where FOLD says how, '?' for anything else the font cannot draw. */
export const pdfSafe = (text: string, drawable: (codePoint: number) => boolean = LATIN_1): string =>
  [...text].map((ch) => FOLD[ch] ?? (drawable(ch.codePointAt(0) ?? 0) ? ch : '?')).join('');

const TOP = 800;
const BOTTOM = 50;

export async function dayReportPdf(report: DayReport, labels: PdfLabels): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(pdfSafe(labels.title));
  pdf.setCreator('Kasa');
  pdf.setCreationDate(new Date(report.generatedAt));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  // Both fonts draw the same WinAnsi set (which has €, – and … beyond Latin-1).
  const drawable = new Set(font.getCharacterSet());
  const safe = (value: string) => pdfSafe(value, (c) => drawable.has(c));
  const pages = [pdf.addPage([595, 842])]; // A4 in points
  let page = pages[0]!;
  let y = TOP;
  const text = (value: string, x: number, size = 10, f = font) => page.drawText(safe(value), { x, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });
  /** Moves down by `height`, on a new page when this one is full: a long list of approvals runs on. */
  const down = (height: number) => {
    y -= height;
    if (y < BOTTOM) {
      page = pdf.addPage([595, 842]);
      pages.push(page);
      y = TOP;
    }
  };

  text(labels.title, 40, 16, bold);
  down(28);
  for (const [label, value] of labels.lines) {
    text(label, 40);
    text(value, 300);
    down(15);
  }

  down(15);
  text(labels.chartTitle, 40, 12, bold);
  down(20);
  const max = Math.max(1, ...labels.chart.map(([, p]) => Math.abs(p)));
  for (const [label, points, shown] of labels.chart) {
    text(label, 40);
    const width = Math.round((Math.abs(points) / max) * 300);
    page.drawRectangle({ x: 160, y: y - 2, width: Math.max(1, width), height: 10, color: points < 0 ? rgb(0.8, 0.35, 0.3) : rgb(0.25, 0.55, 0.35) });
    text(shown, 170 + width);
    down(16);
  }

  if (labels.cashiers && labels.cashiers.rows.length > 0) {
    down(15);
    text(labels.cashiers.title, 40, 12, bold);
    down(18);
    // The name column, then the figures in equal columns across the rest of the page.
    const columns = labels.cashiers.header.length;
    const xOf = (i: number) => (i === 0 ? 40 : 160 + ((i - 1) * 395) / Math.max(1, columns - 1));
    labels.cashiers.header.forEach((cell, i) => text(cell, xOf(i), 8, bold));
    down(14);
    for (const row of labels.cashiers.rows) {
      row.forEach((cell, i) => text(cell, xOf(i), 9));
      down(14);
    }
  }

  if (labels.approvals && labels.approvals.lines.length > 0) {
    down(15);
    text(labels.approvals.title, 40, 12, bold);
    down(18);
    for (const line of labels.approvals.lines) {
      text(line, 40, 9);
      down(14);
    }
  }

  down(15);
  text(labels.syncLine, 40, 11, report.sync.everythingPushed ? font : bold);
  if (labels.syncDetail) {
    down(14);
    text(labels.syncDetail, 40, 8);
  }
  for (const p of pages) p.drawText(safe(labels.footer), { x: 40, y: 30, size: 8, font, color: rgb(0.4, 0.4, 0.4) });
  return pdf.save();
}
