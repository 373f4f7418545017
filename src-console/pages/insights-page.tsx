// Insights: is the programme working? Identified share, enrolments, points issued vs redeemed,
// redemption rate, referral conversions and donations for a date range, by period and by store,
// terminal or cashier; tiers and the points liability with its expiry schedule; objectives the
// owner sets against actuals; every table as CSV.
import { useState, type FormEvent } from 'react';
import {
  OBJECTIVE_METRICS,
  RATE_METRICS,
  type InsightFigures,
  type InsightTable,
  type InsightsReport,
  type ObjectiveMetric,
} from '../../src-shared/insights/insights';
import type { ConsoleError } from '../api/console-client';
import { BarChart } from '../components/bar-chart';
import { formatCount, formatMinor, formatPoints } from '../components/format';
import { ErrorMessage } from '../components/error-message';
import { useConsoleQuery } from '../components/use-console-query';
import type { ConsolePageProps } from '../pages';

const TEXT = {
  title: 'Insights',
  from: 'From',
  to: 'To',
  period: 'Period',
  groupBy: 'Compare',
  store: 'Store',
  terminal: 'Terminal',
  cashier: 'Cashier id',
  all: 'All',
  show: 'Show',
  periods: { day: 'Day', week: 'Week', month: 'Month' },
  groups: { none: 'Nothing', store: 'Stores', terminal: 'Terminals', cashier: 'Cashiers' },
  figures: 'Key figures',
  enrolledMembers: 'Enrolled members',
  newMembers: 'New enrolments',
  identifiedShare: 'Sales identified',
  sales: (identified: number, all: number) => `${formatCount(identified)} of ${formatCount(all)} ${all === 1 ? 'sale' : 'sales'}`,
  pointsIssued: 'Points issued',
  pointsRedeemed: 'Points redeemed',
  redemptionRate: 'Redemption rate',
  referralConversions: 'Referral conversions',
  donations: 'Donations',
  donatedPoints: (points: number, match: number) => `${formatPoints(points)} given, ${formatCount(match)} matched`,
  liability: 'Outstanding points liability',
  liabilityPoints: (points: number) => formatPoints(points),
  noRuleSet: 'No rule set is installed: the value of a point is unknown.',
  charts: 'Over time',
  salesChart: 'Sales: identified and anonymous',
  pointsChart: 'Points: issued and redeemed',
  identified: 'Identified',
  anonymous: 'Anonymous',
  issued: 'Issued',
  redeemed: 'Redeemed',
  breakdown: 'Compared',
  name: 'Name',
  tiers: 'Members by tier',
  tier: 'Tier',
  members: 'Members',
  expiry: 'When the outstanding points expire',
  month: 'Month',
  never: 'never',
  overdue: 'overdue',
  points: 'Points',
  value: 'Value',
  objectives: 'Objectives',
  metric: 'Metric',
  target: 'Target',
  actual: 'Actual',
  met: 'Met',
  yes: 'yes',
  no: 'no',
  noData: 'no data',
  save: 'Save',
  remove: 'Remove',
  targetHint: 'Rates in %, counts as numbers, over the chosen range',
  saved: 'Objective saved.',
  csv: 'CSV',
  downloadFailed: 'The CSV could not be made',
  loading: 'Loading…',
  failed: 'That did not work',
  empty: 'Nothing was recorded in this range.',
  noMembers: 'No members yet.',
  noOutstanding: 'No points are outstanding.',
  metrics: {
    identifiedShare: 'Sales identified',
    redemptionRate: 'Redemption rate',
    newMembers: 'New enrolments',
    referralConversions: 'Referral conversions',
    donatedPoints: 'Points donated',
  } satisfies Record<ObjectiveMetric, string>,
};

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const percent = (x: number | null) => (x === null ? TEXT.noData : `${(Math.round(x * 1000) / 10).toFixed(1)} %`);
// Money in the currency's own decimals (a yen amount was shown divided by 100) and the browser's
// number format; counts with thousands separators.
const money = (minor: number, currency: string | null) => formatMinor(minor, currency);
const count = (n: number) => formatCount(n);

/**
 * A table the server adds (offer uptake): rates as percentages like every other rate on the page
 * (a redemption rate of 1 is 100.0 %, not "1"), no rate yet as "no data", counts aligned right.
 */
export function InsightExtraTable({ table }: { table: InsightTable }) {
  const kind = (j: number) => table.kinds?.[j] ?? 'text';
  const cellText = (cell: InsightTable['rows'][number][number], j: number) =>
    kind(j) === 'rate' ? percent(typeof cell === 'number' ? cell : null) : cell === null ? (kind(j) === 'count' ? TEXT.noData : '') : String(cell);
  return (
    <table aria-label={table.title} data-table={table.id}>
      <thead>
        <tr>
          {table.columns.map((c, j) => (
            <th key={c} className={kind(j) === 'text' ? undefined : 'num'}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (
              <td key={j} className={kind(j) === 'text' ? undefined : 'num'}>
                {cellText(cell, j)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Filters = { from: string; to: string; period: 'day' | 'week' | 'month'; groupBy: 'none' | 'store' | 'terminal' | 'cashier'; storeId: string; terminalId: string; cashierId: string };

const queryOf = (f: Filters) => ({
  from: f.from,
  to: f.to,
  period: f.period,
  groupBy: f.groupBy,
  ...(f.storeId ? { storeId: f.storeId } : {}),
  ...(f.terminalId ? { terminalId: f.terminalId } : {}),
  ...(f.cashierId.trim() ? { cashierId: f.cashierId.trim() } : {}),
});

function Figure({ id, label, value, detail }: { id: string; label: string; value: string; detail?: string }) {
  return (
    <div className="panel figure" data-figure={id}>
      <div className="muted">{label}</div>
      <div className="figure-value" data-testid={`figure-${id}`}>
        {value}
      </div>
      {detail ? <div className="muted">{detail}</div> : null}
    </div>
  );
}

function FigureColumns({ f }: { f: InsightFigures }) {
  return (
    <>
      <td className="num">{count(f.identifiedSales)}</td>
      <td className="num">{count(f.anonymousSales)}</td>
      <td className="num">{percent(f.identifiedShare)}</td>
      <td className="num">{count(f.newMembers)}</td>
      <td className="num">{count(f.pointsIssued)}</td>
      <td className="num">{count(f.pointsRedeemed)}</td>
      <td className="num">{percent(f.redemptionRate)}</td>
      <td className="num">{count(f.referralConversions)}</td>
      <td className="num">{count(f.donations)}</td>
    </>
  );
}

const FIGURE_HEADERS = [TEXT.identified, TEXT.anonymous, TEXT.identifiedShare, TEXT.newMembers, TEXT.pointsIssued, TEXT.pointsRedeemed, TEXT.redemptionRate, TEXT.referralConversions, TEXT.donations];

export function InsightsPage({ client }: ConsolePageProps) {
  const today = new Date();
  const [draft, setDraft] = useState<Filters>({ from: isoDay(new Date(today.getTime() - 29 * 86_400_000)), to: isoDay(today), period: 'day', groupBy: 'store', storeId: '', terminalId: '', cashierId: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const report = useConsoleQuery<InsightsReport>(client, '/v1/admin/insights', queryOf(filters));
  const stores = useConsoleQuery<{ stores: { storeId: string; name: string }[] }>(client, '/v1/admin/stores');
  const terminals = useConsoleQuery<{ terminals: { terminalId: string; name: string | null; storeId: string }[] }>(client, '/v1/admin/terminals');
  const [error, setError] = useState<ConsoleError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [targets, setTargets] = useState<Partial<Record<ObjectiveMetric, string>>>({});

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };

  const download = async (table: string) => {
    setError(null);
    const result = await client.getText('/v1/admin/insights/csv', { ...queryOf(filters), table });
    if (!result.ok) return setError(result.error);
    const url = URL.createObjectURL(new Blob([result.value], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `kasa-insights-${table}-${filters.from}-${filters.to}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const saveObjective = async (metric: ObjectiveMetric, remove = false) => {
    setError(null);
    setMessage(null);
    const text = (targets[metric] ?? '').trim().replace(',', '.');
    const number = Number(text);
    if (!remove && (text === '' || !Number.isFinite(number))) {
      return setError({ code: 'VALIDATION', status: 0, message: `${TEXT.metrics[metric]}: ${TEXT.targetHint}` });
    }
    const target = remove ? null : RATE_METRICS.includes(metric) ? number / 100 : number;
    const result = await client.post('/v1/admin/insights/objectives', { metric, target });
    if (!result.ok) return setError(result.error);
    setMessage(TEXT.saved);
    report.reload();
  };

  const csvButton = (table: string) => (
    <button type="button" onClick={() => void download(table)} data-csv={table}>
      {TEXT.csv}
    </button>
  );

  const r = report.value;
  const t = r?.totals;
  return (
    <section className="insights">
      <h1>{TEXT.title}</h1>
      <form className="panel row" onSubmit={apply} aria-label="Filters">
        <label>
          {TEXT.from}
          <input type="date" name="from" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} required />
        </label>
        <label>
          {TEXT.to}
          <input type="date" name="to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} required />
        </label>
        <label>
          {TEXT.period}
          <select name="period" value={draft.period} onChange={(e) => setDraft({ ...draft, period: e.target.value as Filters['period'] })}>
            {(['day', 'week', 'month'] as const).map((p) => (
              <option key={p} value={p}>
                {TEXT.periods[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {TEXT.groupBy}
          <select name="groupBy" value={draft.groupBy} onChange={(e) => setDraft({ ...draft, groupBy: e.target.value as Filters['groupBy'] })}>
            {(['none', 'store', 'terminal', 'cashier'] as const).map((g) => (
              <option key={g} value={g}>
                {TEXT.groups[g]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {TEXT.store}
          <select name="storeId" value={draft.storeId} onChange={(e) => setDraft({ ...draft, storeId: e.target.value })}>
            <option value="">{TEXT.all}</option>
            {(stores.value?.stores ?? []).map((s) => (
              <option key={s.storeId} value={s.storeId}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {TEXT.terminal}
          <select name="terminalId" value={draft.terminalId} onChange={(e) => setDraft({ ...draft, terminalId: e.target.value })}>
            <option value="">{TEXT.all}</option>
            {(terminals.value?.terminals ?? []).map((x) => (
              <option key={x.terminalId} value={x.terminalId}>
                {x.name ?? x.terminalId}
              </option>
            ))}
          </select>
        </label>
        <label>
          {TEXT.cashier}
          <input name="cashierId" value={draft.cashierId} onChange={(e) => setDraft({ ...draft, cashierId: e.target.value })} />
        </label>
        <button type="submit" className="primary">
          {TEXT.show}
        </button>
      </form>
      <ErrorMessage error={error ?? report.error} title={TEXT.failed} />
      {message ? <p className="success">{message}</p> : null}
      {!r || !t ? (
        <p className="muted">{TEXT.loading}</p>
      ) : (
        <div aria-busy={report.loading}>
          <h2>
            {TEXT.figures} {csvButton('totals')}
          </h2>
          <div className="grid">
            <Figure id="enrolledMembers" label={TEXT.enrolledMembers} value={count(r.enrolledMembers)} />
            <Figure id="newMembers" label={TEXT.newMembers} value={count(t.newMembers)} />
            <Figure id="identifiedShare" label={TEXT.identifiedShare} value={percent(t.identifiedShare)} detail={TEXT.sales(t.identifiedSales, t.identifiedSales + t.anonymousSales)} />
            <Figure id="pointsIssued" label={TEXT.pointsIssued} value={count(t.pointsIssued)} />
            <Figure id="pointsRedeemed" label={TEXT.pointsRedeemed} value={count(t.pointsRedeemed)} />
            <Figure id="redemptionRate" label={TEXT.redemptionRate} value={percent(t.redemptionRate)} />
            <Figure id="referralConversions" label={TEXT.referralConversions} value={count(t.referralConversions)} />
            <Figure id="donations" label={TEXT.donations} value={count(t.donations)} detail={TEXT.donatedPoints(t.donatedPoints, t.donationMatchPoints)} />
            <Figure
              id="liability"
              label={TEXT.liability}
              value={r.liability.minorPerPoint === null ? TEXT.liabilityPoints(r.liability.points) : money(r.liability.valueMinor, r.liability.currency)}
              detail={r.liability.minorPerPoint === null ? TEXT.noRuleSet : TEXT.liabilityPoints(r.liability.points)}
            />
          </div>

          <h2>
            {TEXT.charts} {csvButton('series')}
          </h2>
          {r.series.length === 0 ? (
            <p className="muted">{TEXT.empty}</p>
          ) : (
            <div className="grid charts">
              <BarChart
                title={TEXT.salesChart}
                labels={r.series.map((s) => s.period)}
                series={[
                  { name: TEXT.identified, className: 'bar-a', values: r.series.map((s) => s.identifiedSales) },
                  { name: TEXT.anonymous, className: 'bar-b', values: r.series.map((s) => s.anonymousSales) },
                ]}
              />
              <BarChart
                title={TEXT.pointsChart}
                labels={r.series.map((s) => s.period)}
                series={[
                  { name: TEXT.issued, className: 'bar-a', values: r.series.map((s) => s.pointsIssued) },
                  { name: TEXT.redeemed, className: 'bar-b', values: r.series.map((s) => s.pointsRedeemed) },
                ]}
              />
            </div>
          )}

          {r.breakdown.length > 0 ? (
            <>
              <h2>
                {TEXT.breakdown}: {TEXT.groups[r.query.groupBy]} {csvButton('breakdown')}
              </h2>
              <table aria-label={TEXT.breakdown} data-table="breakdown">
                <thead>
                  <tr>
                    <th>{TEXT.name}</th>
                    {FIGURE_HEADERS.map((h) => (
                      <th key={h} className="num">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {r.breakdown.map((b) => (
                    <tr key={b.key} data-key={b.key}>
                      <td>{b.label}</td>
                      <FigureColumns f={b} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}

          <div className="grid two">
            <div>
              <h2>
                {TEXT.tiers} {csvButton('tiers')}
              </h2>
              <table aria-label={TEXT.tiers} data-table="tiers">
                <thead>
                  <tr>
                    <th>{TEXT.tier}</th>
                    <th className="num">{TEXT.members}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.tiers.length === 0 ? (
                    <tr>
                      <td colSpan={2} className="muted">
                        {TEXT.noMembers}
                      </td>
                    </tr>
                  ) : null}
                  {r.tiers.map((x) => (
                    <tr key={x.tierId ?? ''} data-key={x.tierId ?? ''}>
                      <td>{x.name}</td>
                      <td className="num">{count(x.members)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div>
              <h2>
                {TEXT.expiry} {csvButton('liability')}
              </h2>
              <table aria-label={TEXT.expiry} data-table="liability">
                <thead>
                  <tr>
                    <th>{TEXT.month}</th>
                    <th className="num">{TEXT.points}</th>
                    <th className="num">{TEXT.value}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.liability.schedule.length === 0 ? (
                    <tr>
                      <td colSpan={3} className="muted">
                        {TEXT.noOutstanding}
                      </td>
                    </tr>
                  ) : null}
                  {r.liability.schedule.map((e) => (
                    <tr key={e.month ?? 'never'} data-key={e.month ?? 'never'}>
                      <td>
                        {e.month ?? TEXT.never} {e.overdue ? <span className="tag warn">{TEXT.overdue}</span> : null}
                      </td>
                      <td className="num">{count(e.points)}</td>
                      <td className="num">{money(e.valueMinor, r.liability.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>

          <h2>
            {TEXT.objectives} {csvButton('objectives')}
          </h2>
          <p className="muted">{TEXT.targetHint}</p>
          <table aria-label={TEXT.objectives} data-table="objectives">
            <thead>
              <tr>
                <th>{TEXT.metric}</th>
                <th className="num">{TEXT.target}</th>
                <th className="num">{TEXT.actual}</th>
                <th>{TEXT.met}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {OBJECTIVE_METRICS.map((metric) => {
                const objective = r.objectives.find((o) => o.metric === metric);
                const rate = RATE_METRICS.includes(metric);
                const actual = objective?.actual ?? (metric === 'identifiedShare' ? t.identifiedShare : metric === 'redemptionRate' ? t.redemptionRate : t[metric]);
                return (
                  <tr key={metric} data-key={metric}>
                    <td>{TEXT.metrics[metric]}</td>
                    <td className="num">
                      <input
                        aria-label={`${TEXT.target}: ${TEXT.metrics[metric]}`}
                        name={`target-${metric}`}
                        inputMode="decimal"
                        size={8}
                        value={targets[metric] ?? (objective ? String(rate ? Math.round(objective.target * 1000) / 10 : objective.target) : '')}
                        onChange={(e) => setTargets({ ...targets, [metric]: e.target.value })}
                      />
                      {rate ? ' %' : ''}
                    </td>
                    <td className="num" data-testid={`actual-${metric}`}>
                      {rate ? percent(actual) : (actual ?? TEXT.noData)}
                    </td>
                    <td data-testid={`met-${metric}`}>
                      {objective ? <span className={`tag ${objective.met ? 'ok' : 'bad'}`}>{objective.met === null ? TEXT.noData : objective.met ? TEXT.yes : TEXT.no}</span> : null}
                    </td>
                    <td className="row">
                      <button type="button" className="primary" onClick={() => void saveObjective(metric)}>
                        {TEXT.save}
                      </button>
                      {objective ? (
                        <button type="button" onClick={() => void saveObjective(metric, true)}>
                          {TEXT.remove}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>

          {r.extra.map((table) => (
            <div key={table.id}>
              <h2>
                {table.title} {csvButton(table.id)}
              </h2>
              <InsightExtraTable table={table} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
