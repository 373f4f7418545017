// The day report as CSV for a spreadsheet: one "section,item,value" table, so it opens in any
// spreadsheet without guessing. Cells that a spreadsheet would run as formulas are neutralised.
import type { DayReport } from '../api/sync-methods';
import { csvCell, csvTable, RFC_4180, type CsvDialect } from './csv';

export { csvCell };

export function dayReportCsv(report: DayReport, dialect: CsvDialect = RFC_4180): string {
  const rows: (string | number | boolean | null)[][] = [];
  const add = (section: string, item: string, value: string | number | boolean | null) => rows.push([section, item, value]);
  add('report', 'day', report.day);
  add('report', 'time zone', report.timeZone);
  add('report', 'store', report.storeName);
  add('report', 'terminal', report.terminalId);
  add('report', 'generated at', report.generatedAt);
  add('sales', 'identified', report.sales.identified);
  add('sales', 'anonymous', report.sales.anonymous);
  add('sales', 'total (minor units)', report.sales.totalMinor);
  add('sales', 'identified total (minor units)', report.sales.identifiedTotalMinor);
  add('sales', 'after refunds (minor units)', report.sales.netMinor);
  add('points', 'issued', report.points.issued);
  add('points', 'redeemed', report.points.redeemed);
  for (const [kind, points] of Object.entries(report.points.byKind)) add('points by kind', kind, points);
  add('members', 'enrolments', report.enrolments);
  add('members', 'referrals', report.referrals);
  add('donations', 'count', report.donations.count);
  add('donations', 'points', report.donations.points);
  add('refunds', 'count', report.refunds.count);
  add('refunds', 'amount (minor units)', report.refunds.amountMinor);
  add('refunds', 'points', report.refunds.points);
  for (const o of report.overrides) {
    const by = o.approvedByName ?? o.approvedBy ?? '?';
    add('override', `${o.at} ${o.action}`, o.userId !== null && o.userId === o.approvedBy ? `by manager ${by}` : `approved by ${by} for ${o.userName ?? o.userId ?? '?'}`);
  }
  for (const c of report.cashiers) {
    const who = c.name ?? c.userId ?? 'unknown';
    add(`cashier ${who}`, 'sales', c.sales);
    add(`cashier ${who}`, 'identified', c.identified);
    add(`cashier ${who}`, 'points issued', c.pointsIssued);
    add(`cashier ${who}`, 'points redeemed', c.pointsRedeemed);
    add(`cashier ${who}`, 'enrolments', c.enrolments);
  }
  add('sync', 'everything pushed', report.sync.everythingPushed);
  add('sync', 'queued entries', report.sync.queuedEntries);
  add('sync', 'oldest queued', report.sync.oldestQueuedAt);
  add('sync', 'last success', report.sync.lastSuccessAt);
  add('sync', 'last error code', report.sync.lastErrorCode);
  add('sync', 'last error', report.sync.lastError);
  add('sync', 'reason', report.sync.reason);
  for (const x of report.sync.exceptions) add('server exception', `entry ${x.seq} (member ${x.memberId}, ${x.points} points)`, x.kinds.join(' '));
  for (const o of report.sync.flaggedOnOtherDays) add('server exceptions on another day', o.day, o.count);
  return csvTable(['section', 'item', 'value'], rows, dialect);
}
