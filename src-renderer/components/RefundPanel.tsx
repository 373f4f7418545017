import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { managerPinRefused } from './error-text';
import { ManagerApproval } from './ManagerApproval';
import { useRepeatedKeyPress } from './repeated-press';
import { useFormat } from './use-format';

/** Refund from the member's history: pick items by line (or everything left); points follow the engine. */
export function RefundPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const refund = useAppStore((s) => s.refund);
  const busy = useAppStore((s) => s.busy);
  const error = useAppStore((s) => s.error);
  const setRefundQty = useAppStore((s) => s.setRefundQty);
  const submitRefund = useAppStore((s) => s.submitRefund);
  const closeRefund = useAppStore((s) => s.closeRefund);
  const [all, setAll] = useState(false);
  // A refund recorded: its button is disabled (nothing picked any more) and the focus went with it.
  // Close, the next thing to press, takes it.
  const closeButton = useRef<HTMLButtonElement>(null);
  const recorded = refund?.receipt ?? null;
  useEffect(() => {
    if (recorded) closeButton.current?.focus();
  }, [recorded]);
  // Enter pressed twice on the refund lands on Close: the result stays to be read.
  const repeated = useRepeatedKeyPress(recorded);
  if (!refund) return null;
  const { sale, receipt } = refund;
  const picked = Object.values(refund.qty).some((q) => q > 0);
  // The first line with items left takes the keyboard: the cashier types how many come back.
  const firstOpen = sale.lines.find((l) => l.qty > l.refundedQty)?.lineIndex;
  const submit = (everything: boolean, approval?: { userId: string; pin: string }) => {
    setAll(everything);
    void submitRefund(everything, approval);
  };
  return (
    <section className="panel refund" aria-label={t('refund.title')}>
      <h2>{t('refund.title')}</h2>
      <p className="muted">
        {t('refund.sale', { date: f.dateTime(sale.completedAt) })} · {f.money(sale.totalMinor)}
      </p>
      {/* A form, so Enter in a count refunds what is picked, as Enter adds a sale's line: the cashier
          typed 1 and pressed Enter, and nothing happened until they reached for the mouse. */}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (picked && !busy) submit(false);
        }}
      >
        <ol className="lines">
          {sale.lines.map((l) => {
            const left = l.qty - l.refundedQty;
            return (
              <li key={l.lineIndex}>
                <span>{l.name ?? t(`category.${l.category}`, { defaultValue: l.category })}</span>
                <span>
                  {l.qty} × {f.money(l.unitPriceMinor)}
                </span>
                <small className="muted">{t('refund.left', { left, qty: l.qty })}</small>
                <input
                  type="number"
                  min={0}
                  max={left}
                  disabled={left === 0}
                  autoFocus={l.lineIndex === firstOpen}
                  aria-label={t('refund.qty', { n: l.lineIndex + 1 })}
                  // None is an empty field, not a 0 the next digit typed follows ("01"), as the points to redeem.
                  placeholder="0"
                  value={refund.qty[l.lineIndex] || ''}
                  onChange={(e) => setRefundQty(l.lineIndex, Number(e.target.value))}
                />
              </li>
            );
          })}
        </ol>
        {sale.fullyRefunded ? (
          <p className="muted">{t('refund.full')}</p>
        ) : (
          <div className="row">
            <button type="submit" className="primary" disabled={!picked || busy}>
              {t('refund.selected')}
            </button>
            <button type="button" disabled={busy} onClick={() => submit(true)}>
              {t('refund.all')}
            </button>
          </div>
        )}
      </form>
      {(error?.code === 'FORBIDDEN' || managerPinRefused(error)) && !receipt && <ManagerApproval onApprove={(approval) => submit(all, approval)} />}
      {receipt && (
        <div className="refund-result" role="status" aria-label={t('refund.done')}>
          <h3>{t('refund.done')}</h3>
          <p>
            <span>{t('refund.money')}</span>
            <strong aria-label={t('refund.money')}>{f.money(receipt.refundAmountMinor)}</strong>
          </p>
          <p>
            <span>{t('refund.reversed')}</span>
            <strong aria-label={t('refund.reversed')}>{f.points(receipt.pointsReversed)}</strong>
          </p>
          {receipt.pointsReturned > 0 && (
            <p>
              <span>{t('refund.returned')}</span>
              <strong aria-label={t('refund.returned')}>{f.points(receipt.pointsReturned)}</strong>
            </p>
          )}
          {receipt.balanceAfter !== null && (
            <p>
              <span>{t('refund.newBalance')}</span>
              <strong aria-label={t('refund.newBalance')}>{f.points(receipt.balanceAfter)}</strong>
            </p>
          )}
          <ul className="breakdown">
            {[...receipt.reversal, ...receipt.returned].map((b, i) => (
              <li key={i}>
                <span>{b.label}</span>
                <span>{f.points(b.points)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <button
        type="button"
        ref={closeButton}
        onClick={(event) => {
          if (!repeated(event)) closeRefund();
        }}
      >
        {t('refund.close')}
      </button>
    </section>
  );
}
