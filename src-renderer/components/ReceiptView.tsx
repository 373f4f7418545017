import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../src-shared/domain/phone';
import { useAppStore } from '../store/store-context';
import { useRepeatedKeyPress } from './repeated-press';
import { useFormat } from './use-format';

export function ReceiptView() {
  const { t } = useTranslation();
  const f = useFormat();
  const receipt = useAppStore((s) => s.receipt);
  const nextCustomer = useAppStore((s) => s.nextCustomer);
  // Next customer has the keyboard, so Enter moves on; Enter pressed twice on Complete sale took the
  // receipt away before anyone read the points on it.
  const repeated = useRepeatedKeyPress(receipt);
  const next = (event: MouseEvent) => {
    if (!repeated(event)) nextCustomer();
  };
  if (!receipt) return null;
  return (
    <section className="panel receipt" aria-label={t('receipt.title')}>
      <h2>{t('receipt.title')}</h2>
      <p className="muted">{f.dateTime(receipt.completedAt)}</p>
      <ul className="breakdown">
        {receipt.lines.map((l, i) => (
          <li key={i}>
            <span>
              {l.name ?? t(`category.${l.category}`, { defaultValue: l.category })} · {l.qty} × {f.money(l.unitPriceMinor)}
            </span>
            <span>{f.money(l.amountMinor)}</span>
          </li>
        ))}
      </ul>
      {/* What points took off, as the sale showed it: the lines' sum and the total differed unexplained. */}
      {receipt.discountMinor > 0 && (
        <>
          <p>
            <span>{t('sale.subtotal')}</span>
            <span>{f.money(receipt.subtotalMinor)}</span>
          </p>
          <p>
            <span>{t('sale.discount')}</span>
            <span aria-label={t('sale.discount')}>−{f.money(receipt.discountMinor)}</span>
          </p>
        </>
      )}
      <p className="total">
        <span>{t('sale.total')}</span>
        <span>{f.money(receipt.totalMinor)}</span>
      </p>
      {receipt.member && (
        <>
          {/* Whose points these are: the member panel is gone once the sale is done. */}
          <p className="receipt-member">
            <span>{t('receipt.member')}</span>
            <strong aria-label={t('receipt.member')}>{receipt.member.name ?? formatPhone(receipt.member.phone)}</strong>
          </p>
          <p>
            <span>{t('receipt.earned')}</span>
            <strong aria-label={t('receipt.earned')}>{f.points(receipt.pointsEarned)}</strong>
          </p>
          {receipt.pointsRedeemed > 0 && (
            <p className="receipt-spent">
              <span>{t('receipt.redeemed')}</span>
              <strong aria-label={t('receipt.redeemed')}>{f.points(receipt.pointsRedeemed)}</strong>
            </p>
          )}
          {receipt.pointsRedeemed > 0 && receipt.verifiedBy && receipt.verifiedBy !== 'none' && (
            <p className="muted">{t(`receipt.verifiedBy_${receipt.verifiedBy}`)}</p>
          )}
          <p>
            <span>{t('receipt.newBalance')}</span>
            <strong aria-label={t('receipt.newBalance')}>{f.points(receipt.balanceAfter ?? 0)}</strong>
          </p>
          {receipt.tier.after?.change === 'up' && <p className="ok">{t('receipt.tierNow', { tier: receipt.tier.after.name })}</p>}
          {receipt.rewards.length > 0 && (
            <>
              <h3>{t('receipt.rewards')}</h3>
              <ul className="breakdown">
                {receipt.rewards.map((r, i) => (
                  <li key={i}>
                    <span>{r.label}</span>
                    <span>
                      −{f.money(r.discountMinor)} · {f.points(-r.points)}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {receipt.referral && receipt.referral.refereeMemberId === receipt.member.memberId && (
            <p className="ok">{t('receipt.referral', f.pointsParams(receipt.referral.refereePoints))}</p>
          )}
          {receipt.expiresOn && <p className="muted">{t('receipt.expiresOn', { date: f.date(receipt.expiresOn) })}</p>}
          {receipt.member.programme?.expiring && (
            <p className="muted">{t('member.expiring', { ...f.pointsParams(receipt.member.programme.expiring.points), date: f.date(receipt.member.programme.expiring.on) })}</p>
          )}
          <h3>{t('sale.breakdown')}</h3>
          <ul className="breakdown">
            {receipt.breakdown.map((b, i) => (
              <li key={i}>
                <span>{b.label}</span>
                <span>{f.points(b.points)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="primary big" autoFocus onClick={next}>
        {t('receipt.next')}
      </button>
    </section>
  );
}
