// Insights: is the programme working? Identified share, enrolments, points issued vs redeemed,
// redemption rate, referral conversions and donations for a date range, by period and by store,
// terminal or cashier; tiers and the points liability with its expiry schedule; objectives the
// owner sets against actuals; every table as CSV.
import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  OBJECTIVE_METRICS,
  RATE_METRICS,
  type InsightFigures,
  type InsightTable,
  type InsightsReport,
  type ObjectiveMetric,
} from '../../src-shared/insights/insights';
import { CSV_FILE_BOM, csvDialectFor } from '../../src-shared/reports/csv';
import type { ConsoleError } from '../api/console-client';
import { BarChart } from '../components/bar-chart';
import { ErrorMessage } from '../components/error-message';
import { useConsoleQuery } from '../components/use-console-query';
import { useFormat } from '../components/use-format';
import { parseTypedNumber } from '../components/format';
import type { ConsolePageProps } from '../pages';
import { StoreSelect } from '../components/store-select';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A table the server adds (offer uptake): rates as percentages like every other rate on the page
 * (a redemption rate of 1 is 100.0 %, not "1"), no rate yet as "no data", counts aligned right.
 */
/**
 * A server table's own word in the console's language when the console knows it, else as sent (a
 * word with i18next's key or namespace separator in it could only be read as a path, so it is sent on).
 */
const serverWord = (text: string, t: TFunction): string => (text === '' || /[.:]/.test(text) ? text : t(`insights.serverWords.${text}`, { defaultValue: text }));

export function InsightExtraTable({ table }: { table: InsightTable }) {
  const { t } = useTranslation();
  const f = useFormat();
  const kind = (j: number) => table.kinds?.[j] ?? 'text';
  const cellText = (cell: InsightTable['rows'][number][number], j: number): string => {
    if (kind(j) === 'rate') return f.percent(typeof cell === 'number' ? cell : null);
    if (cell === null) return kind(j) === 'count' ? t('format.noData') : '';
    if (typeof cell === 'number') return kind(j) === 'count' ? f.count(cell) : String(cell);
    return typeof cell === 'string' ? serverWord(cell, t) : String(cell);
  };
  return (
    <table aria-label={serverWord(table.title, t)} data-table={table.id}>
      <thead>
        <tr>
          {table.columns.map((c, j) => (
            <th key={c} className={kind(j) === 'text' ? undefined : 'num'}>
              {serverWord(c, t)}
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

function FigureColumns({ figures }: { figures: InsightFigures }) {
  const f = useFormat();
  return (
    <>
      <td className="num">{f.count(figures.identifiedSales)}</td>
      <td className="num">{f.count(figures.anonymousSales)}</td>
      <td className="num">{f.percent(figures.identifiedShare)}</td>
      <td className="num">{f.count(figures.newMembers)}</td>
      <td className="num">{f.count(figures.pointsIssued)}</td>
      <td className="num">{f.count(figures.pointsRedeemed)}</td>
      <td className="num">{f.percent(figures.redemptionRate)}</td>
      <td className="num">{f.count(figures.referralConversions)}</td>
      <td className="num">{f.count(figures.donations)}</td>
    </>
  );
}

/** The breakdown's columns, in FigureColumns' order. */
const FIGURE_HEADER_KEYS = ['identified', 'anonymous', 'identifiedShare', 'newMembers', 'pointsIssued', 'pointsRedeemed', 'redemptionRate', 'referralConversions', 'donations'] as const;

export function InsightsPage({ client }: ConsolePageProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const today = new Date();
  const [draft, setDraft] = useState<Filters>({ from: isoDay(new Date(today.getTime() - 29 * 86_400_000)), to: isoDay(today), period: 'day', groupBy: 'store', storeId: '', terminalId: '', cashierId: '' });
  // Each field's change applies to the draft as it is then: two changes before a render keep both.
  const patchDraft = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));
  const [filters, setFilters] = useState<Filters>(draft);
  const report = useConsoleQuery<InsightsReport>(client, '/v1/admin/insights', queryOf(filters));
  const stores = useConsoleQuery<{ stores: { storeId: string; name: string }[] }>(client, '/v1/admin/stores');
  const terminals = useConsoleQuery<{ terminals: { terminalId: string; name: string | null; storeId: string }[] }>(client, '/v1/admin/terminals');
  const [error, setError] = useState<ConsoleError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [targets, setTargets] = useState<Partial<Record<ObjectiveMetric, string>>>({});

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    // Said here in the console's language (the server's refusal is in English), before asking.
    if (draft.from && draft.to && draft.to < draft.from) return setError({ code: 'VALIDATION', status: 0, message: t('insights.toBeforeFrom') });
    setFilters(draft);
  };

  const download = async (table: string) => {
    setError(null);
    // As the owner's spreadsheet reads CSV: semicolons where numbers are written "1,5" (f.locale), and UTF-8 said by a BOM.
    const separator = csvDialectFor(f.locale).separator === ';' ? 'semicolon' : 'comma';
    const result = await client.getText('/v1/admin/insights/csv', { ...queryOf(filters), table, separator });
    if (!result.ok) return setError(result.error);
    const url = URL.createObjectURL(new Blob([CSV_FILE_BOM, result.value], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `kasa-insights-${table}-${filters.from}-${filters.to}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const saveObjective = async (metric: ObjectiveMetric, remove = false) => {
    setError(null);
    setMessage(null);
    const text = (targets[metric] ?? '').trim();
    const number = parseTypedNumber(text, f.locale);
    if (!remove && (text === '' || !Number.isFinite(number))) {
      return setError({ code: 'VALIDATION', status: 0, message: `${t(`insights.metrics.${metric}`)}: ${t('insights.targetHint')}` });
    }
    const target = remove ? null : RATE_METRICS.includes(metric) ? number / 100 : number;
    const result = await client.post('/v1/admin/insights/objectives', { metric, target });
    if (!result.ok) return setError(result.error);
    setMessage(t('insights.saved'));
    report.reload();
  };

  const csvButton = (table: string) => (
    <button type="button" onClick={() => void download(table)} data-csv={table}>
      {t('insights.csv')}
    </button>
  );

  const r = report.value;
  const totals = r?.totals;
  return (
    <section className="insights">
      <h1>{t('insights.title')}</h1>
      <form className="panel row" onSubmit={apply} aria-label={t('insights.filters')}>
        <label>
          {t('insights.from')}
          <input type="date" name="from" value={draft.from} onChange={(e) => patchDraft({ from: e.target.value })} required />
        </label>
        <label>
          {t('insights.to')}
          <input type="date" name="to" value={draft.to} onChange={(e) => patchDraft({ to: e.target.value })} required />
        </label>
        <label>
          {t('insights.period')}
          <select name="period" value={draft.period} onChange={(e) => patchDraft({ period: e.target.value as Filters['period'] })}>
            {(['day', 'week', 'month'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`insights.periods.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('insights.groupBy')}
          <select name="groupBy" value={draft.groupBy} onChange={(e) => patchDraft({ groupBy: e.target.value as Filters['groupBy'] })}>
            {(['none', 'store', 'terminal', 'cashier'] as const).map((g) => (
              <option key={g} value={g}>
                {t(`insights.groups.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <StoreSelect name="storeId" label={t('insights.store')} anyLabel={t('insights.all')} stores={stores.value?.stores} value={draft.storeId} onChange={(storeId) => patchDraft({ storeId })} />
        <label>
          {t('insights.terminal')}
          <select name="terminalId" value={draft.terminalId} onChange={(e) => patchDraft({ terminalId: e.target.value })}>
            <option value="">{t('insights.all')}</option>
            {(terminals.value?.terminals ?? []).map((x) => (
              <option key={x.terminalId} value={x.terminalId}>
                {x.name ?? x.terminalId}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('insights.cashier')}
          <input name="cashierId" value={draft.cashierId} onChange={(e) => patchDraft({ cashierId: e.target.value })} />
        </label>
        <button type="submit" className="primary">
          {t('insights.show')}
        </button>
      </form>
      <ErrorMessage error={error ?? report.error} title={t('common.failed')} />
      {message ? <p className="success">{message}</p> : null}
      {!r || !totals ? (
        report.error ? null : <p className="muted">{t('common.loading')}</p>
      ) : (
        <div aria-busy={report.loading}>
          <h2>
            {t('insights.figures')} {csvButton('totals')}
          </h2>
          <div className="grid">
            <Figure id="enrolledMembers" label={t('insights.enrolledMembers')} value={f.count(r.enrolledMembers)} />
            <Figure id="newMembers" label={t('insights.newMembers')} value={f.count(totals.newMembers)} />
            <Figure id="identifiedShare" label={t('insights.identifiedShare')} value={f.percent(totals.identifiedShare)} detail={t('insights.sales', { identified: f.count(totals.identifiedSales), all: f.count(totals.identifiedSales + totals.anonymousSales), count: totals.identifiedSales + totals.anonymousSales })} />
            <Figure id="pointsIssued" label={t('insights.pointsIssued')} value={f.count(totals.pointsIssued)} />
            <Figure id="pointsRedeemed" label={t('insights.pointsRedeemed')} value={f.count(totals.pointsRedeemed)} />
            <Figure id="redemptionRate" label={t('insights.redemptionRate')} value={f.percent(totals.redemptionRate)} />
            <Figure id="referralConversions" label={t('insights.referralConversions')} value={f.count(totals.referralConversions)} />
            <Figure id="donations" label={t('insights.donations')} value={f.count(totals.donations)} detail={t('insights.donatedPoints', { points: f.points(totals.donatedPoints), match: f.count(totals.donationMatchPoints) })} />
            <Figure
              id="liability"
              label={t('insights.liability')}
              value={r.liability.minorPerPoint === null ? f.points(r.liability.points) : f.money(r.liability.valueMinor, r.liability.currency)}
              detail={r.liability.minorPerPoint === null ? t('insights.noRuleSet') : f.points(r.liability.points)}
            />
          </div>

          <h2>
            {t('insights.charts')} {csvButton('series')}
          </h2>
          {r.series.length === 0 ? (
            <p className="muted">{t('insights.empty')}</p>
          ) : (
            <div className="grid charts">
              <BarChart
                title={t('insights.salesChart')}
                labels={r.series.map((s) => s.period)}
                series={[
                  { name: t('insights.identified'), className: 'bar-a', values: r.series.map((s) => s.identifiedSales) },
                  { name: t('insights.anonymous'), className: 'bar-b', values: r.series.map((s) => s.anonymousSales) },
                ]}
              />
              <BarChart
                title={t('insights.pointsChart')}
                labels={r.series.map((s) => s.period)}
                series={[
                  { name: t('insights.issued'), className: 'bar-a', values: r.series.map((s) => s.pointsIssued) },
                  { name: t('insights.redeemed'), className: 'bar-b', values: r.series.map((s) => s.pointsRedeemed) },
                ]}
              />
            </div>
          )}

          {r.breakdown.length > 0 ? (
            <>
              <h2>
                {t('insights.breakdown')}: {t(`insights.groups.${r.query.groupBy}`)} {csvButton('breakdown')}
              </h2>
              <table aria-label={t('insights.breakdown')} data-table="breakdown">
                <thead>
                  <tr>
                    <th>{t('insights.name')}</th>
                    {FIGURE_HEADER_KEYS.map((h) => (
                      <th key={h} className="num">
                        {t(`insights.${h}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {r.breakdown.map((b) => (
                    <tr key={b.key} data-key={b.key}>
                      {/* Sales recorded without a cashier (the server's key is empty) are named, not "(none)". */}
                      <td>{b.key === '' ? t('insights.noCashier') : b.label}</td>
                      <FigureColumns figures={b} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}

          <div className="grid two">
            <div>
              <h2>
                {t('insights.tiers')} {csvButton('tiers')}
              </h2>
              <table aria-label={t('insights.tiers')} data-table="tiers">
                <thead>
                  <tr>
                    <th>{t('insights.tier')}</th>
                    <th className="num">{t('insights.members')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.tiers.length === 0 ? (
                    <tr>
                      <td colSpan={2} className="muted">
                        {t('insights.noMembers')}
                      </td>
                    </tr>
                  ) : null}
                  {r.tiers.map((x) => (
                    <tr key={x.tierId ?? ''} data-key={x.tierId ?? ''}>
                      <td>{x.tierId === null ? t('insights.noTierYet') : x.name}</td>
                      <td className="num">{f.count(x.members)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div>
              <h2>
                {t('insights.expiry')} {csvButton('liability')}
              </h2>
              <table aria-label={t('insights.expiry')} data-table="liability">
                <thead>
                  <tr>
                    <th>{t('insights.month')}</th>
                    <th className="num">{t('insights.points')}</th>
                    <th className="num">{t('insights.value')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.liability.schedule.length === 0 ? (
                    <tr>
                      <td colSpan={3} className="muted">
                        {t('insights.noOutstanding')}
                      </td>
                    </tr>
                  ) : null}
                  {r.liability.schedule.map((e) => (
                    <tr key={e.month ?? 'never'} data-key={e.month ?? 'never'}>
                      <td>
                        {e.month ?? t('insights.never')} {e.overdue ? <span className="tag warn">{t('insights.overdue')}</span> : null}
                      </td>
                      <td className="num">{f.count(e.points)}</td>
                      <td className="num">{f.money(e.valueMinor, r.liability.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>

          <h2>
            {t('insights.objectives')} {csvButton('objectives')}
          </h2>
          <p className="muted">{t('insights.targetHint')}</p>
          <table aria-label={t('insights.objectives')} data-table="objectives">
            <thead>
              <tr>
                <th>{t('insights.metric')}</th>
                <th className="num">{t('insights.target')}</th>
                <th className="num">{t('insights.actual')}</th>
                <th>{t('insights.met')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {OBJECTIVE_METRICS.map((metric) => {
                const objective = r.objectives.find((o) => o.metric === metric);
                const rate = RATE_METRICS.includes(metric);
                const actual = objective?.actual ?? (metric === 'identifiedShare' ? totals.identifiedShare : metric === 'redemptionRate' ? totals.redemptionRate : totals[metric]);
                return (
                  <tr key={metric} data-key={metric}>
                    <td>{t(`insights.metrics.${metric}`)}</td>
                    <td className="num">
                      <input
                        aria-label={t('insights.targetOf', { metric: t(`insights.metrics.${metric}`) })}
                        name={`target-${metric}`}
                        inputMode="decimal"
                        size={8}
                        value={targets[metric] ?? (objective ? String(rate ? Math.round(objective.target * 1000) / 10 : objective.target) : '')}
                        onChange={(e) => setTargets({ ...targets, [metric]: e.target.value })}
                      />
                      {rate ? ' %' : ''}
                    </td>
                    <td className="num" data-testid={`actual-${metric}`}>
                      {rate ? f.percent(actual) : actual === null ? t('format.noData') : f.count(actual)}
                    </td>
                    <td data-testid={`met-${metric}`}>
                      {objective ? <span className={`tag ${objective.met ? 'ok' : 'bad'}`}>{objective.met === null ? t('format.noData') : objective.met ? t('insights.yes') : t('insights.no')}</span> : null}
                    </td>
                    <td className="row">
                      <button type="button" className="primary" onClick={() => void saveObjective(metric)}>
                        {t('common.save')}
                      </button>
                      {objective ? (
                        <button type="button" onClick={() => void saveObjective(metric, true)}>
                          {t('insights.remove')}
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
                {serverWord(table.title, t)} {csvButton(table.id)}
              </h2>
              <InsightExtraTable table={table} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
