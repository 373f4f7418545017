// The day report as a one-page PDF (pdf-lib: pure JavaScript, runs in the renderer and in tests).
// Standard fonts only cover Latin-1, so letters outside it (ş, ğ, ı...) are written without marks.
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { DayReport } from '../../src-shared/api/sync-methods';

export type PdfLabels = {
  title: string;
  lines: [label: string, value: string][];
  chartTitle: string;
  chart: [label: string, points: number][];
  syncLine: string;
  /** The core's technical detail under the sync line, smaller (null: none). */
  syncDetail?: string | null;
  footer: string;
};

const FOLD: Record<string, string> = { ş: 's', Ş: 'S', ğ: 'g', Ğ: 'G', ı: 'i', İ: 'I' };
/** Text the standard Helvetica can draw (WinAnsi): Turkish letters lose their marks, others become '?'. */
export const pdfSafe = (text: string): string =>
  [...text].map((ch) => FOLD[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch : '?')).join('');

export async function dayReportPdf(report: DayReport, labels: PdfLabels): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(pdfSafe(labels.title));
  pdf.setCreator('Kasa');
  pdf.setCreationDate(new Date(report.generatedAt));
  const page = pdf.addPage([595, 842]); // A4 in points
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = 800;
  const text = (value: string, x: number, size = 10, f = font) => page.drawText(pdfSafe(value), { x, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });

  text(labels.title, 40, 16, bold);
  y -= 28;
  for (const [label, value] of labels.lines) {
    text(label, 40);
    text(value, 300);
    y -= 15;
  }

  y -= 15;
  text(labels.chartTitle, 40, 12, bold);
  y -= 20;
  const max = Math.max(1, ...labels.chart.map(([, p]) => Math.abs(p)));
  for (const [label, points] of labels.chart) {
    text(label, 40);
    const width = Math.round((Math.abs(points) / max) * 300);
    page.drawRectangle({ x: 160, y: y - 2, width: Math.max(1, width), height: 10, color: points < 0 ? rgb(0.8, 0.35, 0.3) : rgb(0.25, 0.55, 0.35) });
    text(String(points), 170 + width);
    y -= 16;
  }

  y -= 15;
  text(labels.syncLine, 40, 11, report.sync.everythingPushed ? font : bold);
  if (labels.syncDetail) {
    y -= 14;
    text(labels.syncDetail, 40, 8);
  }
  page.drawText(pdfSafe(labels.footer), { x: 40, y: 30, size: 8, font, color: rgb(0.4, 0.4, 0.4) });
  return pdf.save();
}
