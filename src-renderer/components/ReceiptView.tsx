import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';

export function ReceiptView() {
  const { t } = useTranslation();
  const f = useFormat();
  const receipt = useAppStore((s) => s.receipt);
  const nextCustomer = useAppStore((s) => s.nextCustomer);
  if (!receipt) return null;
  return (
    <section className="panel receipt" aria-label={t('receipt.title')}>
      <h2>{t('receipt.title')}</h2>
      <p className="muted">{f.dateTime(receipt.completedAt)}</p>
      <ul className="breakdown">
        {receipt.lines.map((l, i) => (
          <li key={i}>
            <span>
              {t(`category.${l.category}`, { defaultValue: l.category })} · {l.qty} × {f.money(l.unitPriceMinor)}
            </span>
            <span>{f.money(l.amountMinor)}</span>
          </li>
        ))}
      </ul>
      <p className="total">
        <span>{t('sale.total')}</span>
        <span>{f.money(receipt.totalMinor)}</span>
      </p>
      {receipt.member && (
        <>
          <p>
            <span>{t('receipt.earned')}</span>
            <strong aria-label={t('receipt.earned')}>{f.points(receipt.pointsEarned)}</strong>
          </p>
          {receipt.pointsRedeemed > 0 && (
            <p>
              <span>{t('receipt.redeemed')}</span>
              <strong>{f.points(receipt.pointsRedeemed)}</strong>
            </p>
          )}
          <p>
            <span>{t('receipt.newBalance')}</span>
            <strong aria-label={t('receipt.newBalance')}>{f.points(receipt.balanceAfter ?? 0)}</strong>
          </p>
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
      <button type="button" className="primary big" autoFocus onClick={nextCustomer}>
        {t('receipt.next')}
      </button>
    </section>
  );
}
