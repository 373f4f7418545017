import { useTranslation } from 'react-i18next';
import type { TierView } from '../../src-shared/api/contract';
import { useFormat } from './use-format';

/** The member's tier, progress to the next one, and what keeps the current one. */
export function TierBadge({ tier }: { tier: TierView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const measure = (n: number) => (tier.basis === 'spend' ? f.money(n) : t('member.points', f.pointsParams(n)));
  return (
    <div className="tier">
      <p className="tier-line">
        <span className={`tier-badge level-${Math.min(tier.level, 3)}`} aria-label={t('tier.badge')}>
          {tier.name}
        </span>
        {tier.multiplier > 1 && <span className="muted">{t('tier.multiplier', { multiplier: tier.multiplier })}</span>}
      </p>
      {tier.next ? (
        <>
          <progress max={tier.next.threshold} value={Math.min(tier.qualifying, tier.next.threshold)} aria-label={t('tier.progress', { tier: tier.next.name })} />
          <small>{t('tier.toNext', { remaining: measure(tier.next.remaining), tier: tier.next.name })}</small>
        </>
      ) : (
        <small>{t('tier.top')}</small>
      )}
      {tier.keep && (
        <small className={tier.keep.remaining > 0 ? 'warn' : undefined}>
          {tier.keep.inGrace
            ? t('tier.grace', { date: f.dateOf(tier.keep.by) })
            : tier.keep.remaining > 0
              ? t('tier.keep', { remaining: measure(tier.keep.remaining), date: f.dateOf(tier.keep.by), tier: tier.name })
              : t('tier.kept', { tier: tier.name, date: f.dateOf(tier.keep.by) })}
        </small>
      )}
      {tier.perks.length > 0 && <small>{t('tier.perks', { perks: tier.perks.join(', ') })}</small>}
    </div>
  );
}
