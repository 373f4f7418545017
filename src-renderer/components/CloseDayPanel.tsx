import { useTranslation } from 'react-i18next';
import type { DayReport } from '../../src-shared/api/sync-methods';
import { addDays } from '../../src-shared/program/local-time';
import { CSV_FILE_BOM, csvDialectFor } from '../../src-shared/reports/csv';
import { dayReportCsv } from '../../src-shared/reports/day-report-csv';
import type { PdfLabels } from '../reports/day-report-pdf';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';
import { usePanelFocus } from './use-panel-focus';

function download(name: string, type: string, data: BlobPart) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The kinds the chart shows: an enrolment moves no points (it is counted as New members). */
const chartedKinds = (byKind: DayReport['points']['byKind']) => Object.entries(byKind).filter(([kind]) => kind !== 'enrol');

function PointsChart({ byKind }: { byKind: DayReport['points']['byKind'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const entries = chartedKinds(byKind);
  const max = Math.max(1, ...entries.map(([, p]) => Math.abs(p)));
  return (
    <figure className="chart" aria-label={t('closeDay.chart')}>
      <figcaption>{t('closeDay.chart')}</figcaption>
      {entries.map(([kind, points]) => (
        <div className="chart-row" key={kind}>
          <span className="chart-label">{t(`closeDay.kind_${kind}`, { defaultValue: kind })}</span>
          <span className={points < 0 ? 'chart-bar negative' : 'chart-bar'} style={{ width: `${Math.round((Math.abs(points) / max) * 100)}%` }} />
          <span className="chart-value">{f.points(points)}</span>
        </div>
      ))}
    </figure>
  );
}

export function CloseDayPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const closeDay = useAppStore((s) => s.closeDay);
  const sync = useAppStore((s) => s.sync);
  const close = useAppStore((s) => s.closeCloseDay);
  const showDayReport = useAppStore((s) => s.showDayReport);
  const heading = usePanelFocus(closeDay?.stage);
  if (!closeDay) return null;

  if (closeDay.stage === 'syncing' || !closeDay.report) {
    const progress = sync?.snapshot ? t('closeDay.snapshot', { loaded: sync.snapshot.loaded, total: sync.snapshot.total }) : t('closeDay.queued', { count: sync?.queuedEntries ?? 0 });
    return (
      <section className="panel close-day" aria-busy="true">
        <h2 ref={heading} tabIndex={-1}>
          {t('closeDay.title')}
        </h2>
        <p role="status">{t('closeDay.syncing')}</p>
        <progress aria-label={t('closeDay.syncing')} />
        <p className="muted">{progress}</p>
        <button type="button" onClick={close}>
          {t('closeDay.cancel')}
        </button>
      </section>
    );
  }

  const r = closeDay.report;
  // No one: entries recorded without a cashier (enrolments by an earlier version).
  const cashierName = (c: DayReport['cashiers'][number]) => c.name ?? c.userId ?? t('closeDay.noCashier');
  // Said as staff know it: the action in words (a POS system's other method as it is called), people by name.
  const overrideText = (o: DayReport['overrides'][number]) => {
    const words = { at: f.dateTime(o.at), action: t(`closeDay.action_${o.action.replace('.', '_')}`, { defaultValue: o.action }), by: o.approvedByName ?? o.approvedBy ?? '?' };
    // A manager's own adjustment: they asked and approved it.
    if (o.userId !== null && o.userId === o.approvedBy) return t('closeDay.overrideByManager', words);
    const who = o.userName ?? o.userId;
    return who ? t('closeDay.override', { ...words, who }) : t('closeDay.overrideSelf', words);
  };
  const rows: [string, string][] = [
    [t('closeDay.identified'), `${r.sales.identified} · ${f.money(r.sales.identifiedTotalMinor)}`],
    [t('closeDay.anonymous'), String(r.sales.anonymous)],
    [t('closeDay.salesTotal'), f.money(r.sales.totalMinor)],
    // Only when money went back today: otherwise the same figure twice.
    ...(r.refunds.amountMinor !== 0 ? ([[t('closeDay.netSales'), f.money(r.sales.netMinor)]] as [string, string][]) : []),
    [t('closeDay.issued'), f.points(r.points.issued)],
    [t('closeDay.redeemed'), f.points(r.points.redeemed)],
    [t('closeDay.enrolments'), String(r.enrolments)],
    [t('closeDay.referrals'), String(r.referrals)],
    // How many, then how many points: '2 · 200 points', not the bare '2 · 200' (or '0 · 0').
    [t('closeDay.donations'), `${r.donations.count} · ${t('member.points', f.pointsParams(r.donations.points))}`],
    // How many, the money given back, the points moved: '1 · ₺50,00 · −40 points'; none is just '0'.
    [t('closeDay.refunds'), r.refunds.count === 0 ? '0' : `${r.refunds.count} · ${f.money(r.refunds.amountMinor)} · ${t('member.points', f.pointsParams(r.refunds.points))}`],
  ];
  // Why, in the manager's language: the core's reasonCode, with its last failure said by its code.
  const why = r.sync.reasonCode ? t(`closeDay.why.${r.sync.reasonCode}`, { error: t(`syncError.${r.sync.lastErrorCode ?? 'other'}`) }) : '';
  const isToday = r.day === closeDay.today;
  const syncLine = r.sync.everythingPushed
    ? isToday
      ? t('closeDay.allSynced')
      : t('closeDay.allSyncedDay', { date: f.date(r.day) })
    : t('closeDay.notSynced', { count: r.sync.queuedEntries, reason: why });
  // The core's English message stays, smaller, for support: never the sentence itself.
  const syncDetail = !r.sync.everythingPushed && r.sync.lastError ? t('technicalDetail', { message: r.sync.lastError }) : null;
  const savePdf = async () => {
    const labels: PdfLabels = {
      title: `${t('closeDay.title')} · ${r.storeName} · ${f.date(r.day)}`,
      lines: rows,
      chartTitle: t('closeDay.chart'),
      chart: chartedKinds(r.points.byKind).map(([kind, p]) => [t(`closeDay.kind_${kind}`, { defaultValue: kind }), p, f.points(p)]),
      syncLine,
      syncDetail,
      cashiers: {
        title: t('closeDay.perCashier'),
        header: [t('closeDay.cashier'), t('closeDay.sales'), t('closeDay.identified'), t('closeDay.issued'), t('closeDay.redeemed'), t('closeDay.enrolments')],
        rows: r.cashiers.map((c) => [cashierName(c), String(c.sales), String(c.identified), f.points(c.pointsIssued), f.points(c.pointsRedeemed), String(c.enrolments)]),
      },
      approvals: { title: t('closeDay.overrides'), lines: r.overrides.map(overrideText) },
      footer: `${r.terminalId} · ${f.dateTime(r.generatedAt)}`,
    };
    // pdf-lib is loaded only when a manager saves a PDF: the counter screen stays light.
    const { dayReportPdf } = await import('../reports/day-report-pdf');
    download(`kasa-day-${r.day}.pdf`, 'application/pdf', (await dayReportPdf(r, labels)) as BlobPart);
  };

  return (
    <section className="panel close-day" aria-labelledby="close-day-title">
      <h2 id="close-day-title" ref={heading} tabIndex={-1}>
        {t('closeDay.title')} · {f.date(r.day)}
      </h2>
      <div className="row no-print">
        <button type="button" onClick={() => void showDayReport(addDays(r.day, -1))}>
          {t('closeDay.previousDay')}
        </button>
        {/* No report of a day that has not begun in the store. */}
        <button type="button" disabled={closeDay.today !== null && r.day >= closeDay.today} onClick={() => void showDayReport(addDays(r.day, 1))}>
          {t('closeDay.nextDay')}
        </button>
      </div>
      <p className={r.sync.everythingPushed ? 'ok' : 'bad'} role="status">
        {syncLine}
      </p>
      {syncDetail && (
        <p className="muted">
          <small>{syncDetail}</small>
        </p>
      )}
      {r.sync.exceptions.length > 0 && (
        <div className="exceptions" role="alert">
          <h3>{t('closeDay.exceptions')}</h3>
          <ul>
            {r.sync.exceptions.map((x) => (
              <li key={x.seq}>{t('closeDay.exception', { seq: x.seq, kinds: x.kinds.map((k) => t(`closeDay.exception_${k}`, { defaultValue: k })).join(', '), ...f.pointsParams(x.points) })}</li>
            ))}
          </ul>
        </div>
      )}
      {r.sync.flaggedOnOtherDays.length > 0 && (
        <div className="exceptions no-print">
          <h3 id="close-day-flagged-elsewhere">{t('closeDay.flaggedOtherDays')}</h3>
          <ul aria-labelledby="close-day-flagged-elsewhere">
            {r.sync.flaggedOnOtherDays.map((o) => (
              <li key={o.day}>
                <button type="button" onClick={() => void showDayReport(o.day)}>
                  {t('closeDay.flaggedOnDay', { date: f.date(o.day), count: o.count })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <dl className="report-figures">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <PointsChart byKind={r.points.byKind} />
      {r.cashiers.length > 0 && (
        <table className="cashiers">
          <caption>{t('closeDay.perCashier')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('closeDay.cashier')}</th>
              <th scope="col">{t('closeDay.sales')}</th>
              <th scope="col">{t('closeDay.identified')}</th>
              <th scope="col">{t('closeDay.issued')}</th>
              <th scope="col">{t('closeDay.redeemed')}</th>
              <th scope="col">{t('closeDay.enrolments')}</th>
            </tr>
          </thead>
          <tbody>
            {r.cashiers.map((c) => (
              <tr key={c.userId ?? 'none'}>
                <th scope="row">{cashierName(c)}</th>
                <td>{c.sales}</td>
                <td>{c.identified}</td>
                <td>{f.points(c.pointsIssued)}</td>
                <td>{f.points(c.pointsRedeemed)}</td>
                <td>{c.enrolments}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.overrides.length > 0 && (
        <>
          <h3 id="close-day-overrides">{t('closeDay.overrides')}</h3>
          <ul aria-labelledby="close-day-overrides">
            {r.overrides.map((o) => (
              <li key={`${o.at}-${o.action}`}>{overrideText(o)}</li>
            ))}
          </ul>
        </>
      )}
      <div className="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t('closeDay.print')}
        </button>
        <button type="button" onClick={() => void savePdf()}>
          {t('closeDay.savePdf')}
        </button>
        {/* As the store's spreadsheet reads CSV: semicolons where numbers are written "1,5", and UTF-8 said by a BOM. */}
        <button type="button" onClick={() => download(`kasa-day-${r.day}.csv`, 'text/csv;charset=utf-8', CSV_FILE_BOM + dayReportCsv(r, csvDialectFor(f.locale)))}>
          {t('closeDay.saveCsv')}
        </button>
        <button type="button" onClick={close}>
          {t('closeDay.done')}
        </button>
      </div>
    </section>
  );
}
