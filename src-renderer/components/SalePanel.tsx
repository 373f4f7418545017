import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { MAX_AMOUNT_MINOR, parseAmountToMinor } from '../../src-shared/domain/money';
import { BUILT_IN_CATEGORIES } from '../../src-shared/program/earn-words';
import { useAppStore } from '../store/store-context';
import { applyKey, Keypad } from './Keypad';
import { managerPinRefused } from './error-text';
import { ManagerApproval } from './ManagerApproval';
import { useFormat } from './use-format';

export function SalePanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const lines = useAppStore(useShallow((s) => s.lines));
  const quote = useAppStore((s) => s.quote);
  const member = useAppStore((s) => s.member);
  const redeemPoints = useAppStore((s) => s.redeemPoints);
  const busy = useAppStore((s) => s.busy);
  const addLine = useAppStore((s) => s.addLine);
  const removeLine = useAppStore((s) => s.removeLine);
  const setRedeemPoints = useAppStore((s) => s.setRedeemPoints);
  const complete = useAppStore((s) => s.complete);
  const nextCustomer = useAppStore((s) => s.nextCustomer);
  const showError = useAppStore((s) => s.showError);
  const error = useAppStore((s) => s.error);
  const customerPin = useAppStore((s) => s.customerPin);
  const setCustomerPin = useAppStore((s) => s.setCustomerPin);
  // Card present also takes the customer's PIN when the card was not scanned; the core decides.
  const pinPolicy = useAppStore((s) => s.status?.redemptionVerification === 'customer-pin' || s.status?.redemptionVerification === 'card-present');
  const cartRewards = useAppStore(useShallow((s) => s.cartRewards));
  const removeReward = useAppStore((s) => s.removeReward);
  const spends = redeemPoints > 0 || cartRewards.length > 0;
  const [category, setCategory] = useState<string>(BUILT_IN_CATEGORIES[0]);
  const [amount, setAmount] = useState('');
  // As typed: a number held here put 1 back the moment the field was emptied, so rubbing out the 1
  // and typing 3 made 13. The field's min, max and step are checked by the form before a line is added.
  const [qty, setQty] = useState('1');
  // The amount field has the keyboard: when the member (or a sale without one) opens, after a category
  // is picked and after a line is added, so the cashier keys the next amount without reaching for the mouse.
  const amountField = useRef<HTMLInputElement>(null);
  // "How points work" and a refund open in the left column beside the sale; closed (Close or Escape),
  // the keyboard was left on nothing and the next amount typed was lost. The amount takes it back.
  const besideOpen = useAppStore((s) => s.showProgram || s.refund !== null);
  const wasBesideOpen = useRef(besideOpen);
  useEffect(() => {
    const focusLost = document.activeElement === null || document.activeElement === document.body;
    if (wasBesideOpen.current && !besideOpen && focusLost) amountField.current?.focus();
    wasBesideOpen.current = besideOpen;
  }, [besideOpen]);
  const categoryLabel = (c: string) => t(`category.${c}`, { defaultValue: c });

  const add = () => {
    amountField.current?.focus();
    // Nothing typed is nothing to add, not a mistake: Enter pressed once more after enrolling (or an
    // empty Add line) landed here and said 'Enter an amount like 12.50'. The field has the keyboard.
    if (amount.trim() === '') return;
    const minor = parseAmountToMinor(amount, f.currency);
    if (minor === null || minor === 0) return showError({ code: 'VALIDATION', message: 'Not an amount', details: { reason: 'amount-format', example: f.amountEntry.example } });
    // Left empty, the quantity is the one item it starts at.
    const items = qty.trim() === '' ? 1 : Number(qty);
    // A sale the core would refuse as too large is said here, with the amount and quantity kept to
    // correct: added, the line sat in the sale under a general 'check what you entered', and the
    // cashier had to find and remove it.
    const saleTotal = lines.reduce((sum, l) => sum + l.qty * l.unitPriceMinor, 0) + items * minor;
    if (saleTotal > MAX_AMOUNT_MINOR) {
      return showError({ code: 'VALIDATION', message: `The sale total would be above ${MAX_AMOUNT_MINOR} minor units`, details: { reason: 'sale-too-large', max: f.money(MAX_AMOUNT_MINOR) } });
    }
    addLine({ category, qty: items, unitPriceMinor: minor });
    setAmount('');
    setQty('1');
  };

  return (
    <section className="panel sale" aria-label={t('sale.title')}>
      <h2>{t('sale.title')}</h2>
      <div className="categories" role="group" aria-label={t('sale.categories')}>
        {/* The engine names the same categories on receipts (earn-words.ts). */}
        {BUILT_IN_CATEGORIES.map((c) => (
          <button
            key={c}
            type="button"
            aria-pressed={category === c}
            onClick={() => {
              setCategory(c);
              amountField.current?.focus();
            }}
          >
            {categoryLabel(c)}
          </button>
        ))}
      </div>
      <form
        className="amount"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label>
          {t('sale.amount')}
          <input ref={amountField} className="big" inputMode="decimal" autoFocus value={amount} onChange={(e) => setAmount(e.target.value)} placeholder={f.amountEntry.placeholder} />
        </label>
        <label>
          {t('sale.qty')}
          <input type="number" min={1} max={9999} step={1} value={qty} onChange={(e) => setQty(e.target.value)} />
        </label>
        <Keypad label={t('keypad', { field: t('sale.amount') })} extraKey={f.amountEntry.decimalSeparator ?? undefined} onKey={(k) => setAmount(applyKey(amount, k, 12))} />
        <button type="submit" className="primary">
          {t('sale.addLine')}
        </button>
      </form>

      <h3>{t('sale.lines')}</h3>
      {lines.length === 0 ? (
        <p className="muted">{t('sale.empty')}</p>
      ) : (
        <ol className="lines" aria-label={t('sale.lines')}>
          {lines.map((l, i) => {
            const quoted = quote?.lines[i];
            return (
              <li key={i}>
                <span>
                  {l.name ?? categoryLabel(l.category)}
                  {l.sku && <small className="muted"> {l.sku}</small>}
                </span>
                <span>
                  {l.qty} × {f.money(l.unitPriceMinor)}
                </span>
                <span className="pts">{quoted ? `+${f.points(quoted.points)}` : ''}</span>
                <button type="button" aria-label={t('sale.removeLine', { n: i + 1 })} onClick={() => removeLine(i)}>
                  ×
                </button>
              </li>
            );
          })}
        </ol>
      )}

      {quote && (
        <div className="totals">
          <p>
            <span>{t('sale.subtotal')}</span>
            <span>{f.money(quote.subtotalMinor)}</span>
          </p>
          {quote.discountMinor > 0 && (
            <p>
              <span>{t('sale.discount')}</span>
              <span>−{f.money(quote.discountMinor)}</span>
            </p>
          )}
          <p className="total">
            <span>{t('sale.total')}</span>
            <span>{f.money(quote.totalMinor)}</span>
          </p>
          <p className="earn">
            <span>{t('sale.earnPreview')}</span>
            <strong aria-label={t('sale.earnPreview')}>{f.points(quote.pointsEarned)}</strong>
          </p>
          {quote.rewards.length > 0 && (
            <section className="sale-rewards" aria-label={t('sale.rewards')}>
              <h3>{t('sale.rewards')}</h3>
              <ul className="breakdown">
                {quote.rewards.map((r, i) => (
                  <li key={`${r.rewardId}-${i}`}>
                    <span>{r.label}</span>
                    <span>
                      −{f.money(r.discountMinor)} · {t('rewards.cost', f.pointsParams(r.points))}
                    </span>
                    <button
                      type="button"
                      aria-label={t('sale.removeReward', { name: r.label })}
                      onClick={() => removeReward(Math.max(0, cartRewards.findIndex((c) => c.rewardId === r.rewardId)))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {quote.tier.after?.change === 'up' && <p className="ok">{t('sale.tierUp', { tier: quote.tier.after.name })}</p>}
          {/* The referral bonus is not in the points this sale earns but lands on the balance with it: without
              this line the cashier said +342 and the receipt's new balance was 200 more. */}
          {member && quote.referral?.refereeMemberId === member.memberId && (
            <p className="ok">{t('sale.referral', f.pointsParams(quote.referral.refereePoints))}</p>
          )}
          <details open>
            <summary>{t('sale.breakdown')}</summary>
            <ul className="breakdown">
              {quote.breakdown.map((b, i) => (
                <li key={i}>
                  <span>{b.label}</span>
                  <span>{f.points(b.points)}</span>
                </li>
              ))}
            </ul>
            {quote.redemption.length > 0 && (
              <>
                <h3>{t('sale.paidWithPoints')}</h3>
                <ul className="breakdown">
                  {quote.redemption.map((b, i) => (
                    <li key={i}>
                      <span>{b.label}</span>
                      <span>{f.points(b.points)}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </details>
          {member && quote.maxRedeemablePoints > 0 && (
            <label className="redeem">
              {t('sale.redeem')}
              {/* None is an empty field, not a 0 that the next digit typed would follow ("050"). */}
              <input type="number" min={0} max={quote.maxRedeemablePoints} placeholder="0" value={redeemPoints || ''} onChange={(e) => setRedeemPoints(Number(e.target.value) || 0)} />
              <small>{t('sale.redeemHelp', { max: f.points(quote.maxRedeemablePoints), count: quote.maxRedeemablePoints })}</small>
            </label>
          )}
          {member && pinPolicy && spends && (
            <label className="redeem">
              {t('sale.customerPin')}
              <input type="password" inputMode="numeric" autoComplete="off" maxLength={12} value={customerPin} onChange={(e) => setCustomerPin(e.target.value)} />
              <small>{t('sale.customerPinHelp')}</small>
            </label>
          )}
        </div>
      )}
      {(error?.code === 'VERIFICATION_REQUIRED' || error?.code === 'FORBIDDEN' || managerPinRefused(error)) && lines.length > 0 && (
        <ManagerApproval onApprove={(approval) => void complete(approval)} />
      )}
      {/* Sticks above the status bar while the lines and totals of a long sale, or a short screen, scroll under it. */}
      <div className="row actions">
        {/* The total in sight beside the buttons, though the totals above may have scrolled under them (read once, above, by a screen reader). */}
        {quote && (
          <p className="sale-summary" aria-hidden="true">
            <strong>{f.money(quote.totalMinor)}</strong>
            <span className="pos">+{t('member.points', f.pointsParams(quote.pointsEarned))}</span>
          </p>
        )}
        <button type="button" className="primary big" disabled={lines.length === 0 || busy} onClick={() => void complete()}>
          {t('sale.complete')}
        </button>
        <button type="button" onClick={nextCustomer}>
          {t('sale.cancel')}
        </button>
      </div>
    </section>
  );
}
