// Programme insights as the console asks for them and the server answers: the query, the figures,
// objectives, and each table as CSV. docs/console.md ("Insights") explains every figure.
import { z } from 'zod';
import { csvTable, RFC_4180, type CsvDialect, type CsvValue } from '../reports/csv';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date "YYYY-MM-DD"');

export const INSIGHT_PERIODS = ['day', 'week', 'month'] as const;
export const INSIGHT_GROUPS = ['none', 'store', 'terminal', 'cashier'] as const;
/** The most days one request may span (a long programme is read a year or two at a time). */
export const INSIGHT_MAX_DAYS = 1100;

export const InsightsQuery = z
  .object({
    from: IsoDate,
    to: IsoDate,
    period: z.enum(INSIGHT_PERIODS).default('day'),
    groupBy: z.enum(INSIGHT_GROUPS).default('none'),
    storeId: z.string().min(1).max(64).optional(),
    terminalId: z.string().min(1).max(64).optional(),
    cashierId: z.string().max(64).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const from = Date.parse(`${q.from}T00:00:00Z`);
    const to = Date.parse(`${q.to}T00:00:00Z`);
    if (!Number.isFinite(from)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'not a real date' });
    if (!Number.isFinite(to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'not a real date' });
    if (to < from) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" is before "from"' });
    if ((to - from) / 86_400_000 > INSIGHT_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `a range of at most ${INSIGHT_MAX_DAYS} days` });
  });
export type InsightsQuery = z.output<typeof InsightsQuery>;

/**
 * Every period of a query's range, each named by its first day as PostgreSQL's date_trunc names
 * it ('YYYY-MM-DD'; weeks start on Monday): the series has one row for each, so a day without
 * sales is a zero on the chart, not a gap the axis closes up.
 */
export function periodsOf(query: Pick<InsightsQuery, 'from' | 'to' | 'period'>): string[] {
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const at = day(query.from);
  if (query.period === 'week') at.setUTCDate(at.getUTCDate() - ((at.getUTCDay() + 6) % 7));
  if (query.period === 'month') at.setUTCDate(1);
  const end = day(query.to).getTime();
  const periods: string[] = [];
  while (at.getTime() <= end) {
    periods.push(at.toISOString().slice(0, 10));
    if (query.period === 'month') at.setUTCMonth(at.getUTCMonth() + 1);
    else at.setUTCDate(at.getUTCDate() + (query.period === 'week' ? 7 : 1));
  }
  return periods;
}

/** Sums over a set of days (and stores, terminals, cashiers), and the rates derived from them. */
export type InsightFigures = {
  identifiedSales: number;
  anonymousSales: number;
  /** identified / (identified + anonymous); null without sales. */
  identifiedShare: number | null;
  identifiedSalesMinor: number;
  anonymousSalesMinor: number;
  newMembers: number;
  pointsIssued: number;
  pointsRedeemed: number;
  redemptions: number;
  /** points redeemed / points issued; null when nothing was issued. */
  redemptionRate: number | null;
  pointsExpired: number;
  pointsRefunded: number;
  referralConversions: number;
  donations: number;
  donatedPoints: number;
  donationMatchPoints: number;
  donatedMinor: number;
};

export type InsightSeriesRow = InsightFigures & { period: string };
export type InsightBreakdownRow = InsightFigures & { key: string; label: string };

export const OBJECTIVE_METRICS = ['identifiedShare', 'redemptionRate', 'newMembers', 'referralConversions', 'donatedPoints'] as const;
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];
/** Rates are fractions from 0 to 1; the other metrics are counts over the chosen range. */
export const RATE_METRICS: readonly ObjectiveMetric[] = ['identifiedShare', 'redemptionRate'];

export const ObjectiveInput = z
  .object({
    metric: z.enum(OBJECTIVE_METRICS),
    /** A fraction (0.6 = 60 %) for rates, a count for the others; null removes the objective. */
    target: z.number().min(0).max(1_000_000_000).nullable(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.target !== null && RATE_METRICS.includes(o.metric) && o.target > 1) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'a rate is a fraction from 0 to 1 (0.6 for 60 %)' });
    }
  });
export type ObjectiveInput = z.output<typeof ObjectiveInput>;

export type ObjectiveView = { metric: ObjectiveMetric; target: number; actual: number | null; met: boolean | null; updatedBy: string; updatedAt: string };

export type TierRow = { tierId: string | null; name: string; members: number };
export type ExpiryRow = { month: string | null; points: number; valueMinor: number; overdue: boolean };

/**
 * Another figure a part of the programme adds (e.g. offer uptake): a titled table of its own on
 * the Insights page (and as CSV). `kinds` says how the console shows each
 * column: `rate` is a fraction (0.25) shown as a percentage (25.0 %), `count` a number aligned
 * right; absent, text. The CSV keeps the raw values.
 */
export type InsightTable = { id: string; title: string; columns: string[]; kinds?: ('text' | 'count' | 'rate')[]; rows: CsvValue[][] };

export type InsightsReport = {
  query: InsightsQuery;
  totals: InsightFigures;
  series: InsightSeriesRow[];
  breakdown: InsightBreakdownRow[];
  /** Members enrolled up to the end of the range (within the store/terminal/cashier filter). */
  enrolledMembers: number;
  tiers: TierRow[];
  liability: { points: number; valueMinor: number; currency: string | null; minorPerPoint: number | null; schedule: ExpiryRow[] };
  objectives: ObjectiveView[];
  extra: InsightTable[];
};

export const INSIGHT_CSV_TABLES = ['totals', 'series', 'breakdown', 'tiers', 'liability', 'objectives'] as const;
export type InsightCsvTable = (typeof INSIGHT_CSV_TABLES)[number];

const FIGURE_COLUMNS: [keyof InsightFigures, string][] = [
  ['identifiedSales', 'identified sales'],
  ['anonymousSales', 'anonymous sales'],
  ['identifiedShare', 'identified share'],
  ['identifiedSalesMinor', 'identified sales (minor units)'],
  ['anonymousSalesMinor', 'anonymous sales (minor units)'],
  ['newMembers', 'new members'],
  ['pointsIssued', 'points issued'],
  ['pointsRedeemed', 'points redeemed'],
  ['redemptions', 'redemptions'],
  ['redemptionRate', 'redemption rate'],
  ['pointsExpired', 'points expired'],
  ['pointsRefunded', 'points refunded (net)'],
  ['referralConversions', 'referral conversions'],
  ['donations', 'donations'],
  ['donatedPoints', 'donated points'],
  ['donationMatchPoints', 'programme match points'],
  ['donatedMinor', 'donated value (minor units)'],
];

const figureCells = (f: InsightFigures): CsvValue[] => FIGURE_COLUMNS.map(([k]) => f[k]);

/** One table of the report as CSV, or null for an extra table id the report does not have. */
export function insightCsv(report: InsightsReport, table: InsightCsvTable | string, dialect: CsvDialect = RFC_4180): string | null {
  const figures = FIGURE_COLUMNS.map(([, label]) => label);
  switch (table) {
    case 'totals':
      return csvTable(['from', 'to', 'enrolled members', ...figures], [[report.query.from, report.query.to, report.enrolledMembers, ...figureCells(report.totals)]], dialect);
    case 'series':
      return csvTable([report.query.period, ...figures], report.series.map((r) => [r.period, ...figureCells(r)]), dialect);
    case 'breakdown':
      return csvTable([report.query.groupBy, 'name', ...figures], report.breakdown.map((r) => [r.key, r.label, ...figureCells(r)]), dialect);
    case 'tiers':
      return csvTable(['tier', 'name', 'members'], report.tiers.map((t) => [t.tierId, t.name, t.members]), dialect);
    case 'liability':
      return csvTable(
        ['expires in month', 'points', 'value (minor units)', 'overdue'],
        report.liability.schedule.map((e) => [e.month ?? 'never', e.points, e.valueMinor, e.overdue]),
        dialect,
      );
    case 'objectives':
      return csvTable(['metric', 'target', 'actual', 'met', 'set by', 'set at'], report.objectives.map((o) => [o.metric, o.target, o.actual, o.met, o.updatedBy, o.updatedAt]), dialect);
    default: {
      const extra = report.extra.find((t) => t.id === table);
      return extra ? csvTable(extra.columns, extra.rows, dialect) : null;
    }
  }
}

/** Rates from sums: kept in one place so the server, the console and the CSV agree. */
export function withRates(sums: Omit<InsightFigures, 'identifiedShare' | 'redemptionRate'>): InsightFigures {
  const sales = sums.identifiedSales + sums.anonymousSales;
  return {
    ...sums,
    identifiedShare: sales > 0 ? sums.identifiedSales / sales : null,
    redemptionRate: sums.pointsIssued > 0 ? sums.pointsRedeemed / sums.pointsIssued : null,
  };
}
