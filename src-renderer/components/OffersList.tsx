import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';

/** The member's personalised offers, with why they got each: one tap applies it to this sale. */
export function OffersList() {
  const { t } = useTranslation();
  const f = useFormat();
  const offers = useAppStore(useShallow((s) => s.offers));
  const cartOffers = useAppStore(useShallow((s) => s.cartOffers));
  const toggleOffer = useAppStore((s) => s.toggleOffer);
  if (offers.length === 0) return null;
  return (
    <section className="offers" aria-label={t('offers.title')}>
      <h3>{t('offers.title')}</h3>
      <ul>
        {offers.map((offer) => {
          const taken = cartOffers.includes(offer.offerId);
          return (
            <li key={offer.offerId} className={taken ? 'taken' : undefined}>
              <strong>{offer.label}</strong>
              <small className="muted">{offer.reason}</small>
              <small className="muted">{t('offers.until', { date: f.date(offer.validUntil) })}</small>
              <button type="button" aria-pressed={taken} aria-label={t(taken ? 'offers.removeName' : 'offers.applyName', { offer: offer.label })} onClick={() => toggleOffer(offer.offerId)}>
                {t(taken ? 'offers.remove' : 'offers.apply')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
