import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { OfferView } from '../../src-shared/api/contract';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';

/**
 * An offer's name and reason in the store's language, from the facts the server sent with it; an
 * offer without them (an older server) shows the server's English words.
 */
function offerWords(t: TFunction, offer: OfferView, f: Pick<ReturnType<typeof useFormat>, 'date' | 'pointsParams'>): { label: string; reason: string } {
  const { terms } = offer;
  const why = terms.why;
  if (!why) return { label: offer.label, reason: offer.reason };
  const reason = why.lastVisit ? t('offers.reason_away', { date: f.date(why.lastVisit) }) : t('offers.reason_visits', { subject: why.subject ?? '', weeks: why.weeks, visits: why.visits ?? 0 });
  switch (terms.type) {
    case 'favouriteCategory':
      return { label: t('offers.label_favouriteCategory', { ...f.pointsParams(terms.bonusPoints), subject: why.subject ?? terms.category }), reason };
    case 'bundle': {
      const deal = terms.discountPercent === 100 ? t('offers.free') : t('offers.percentOff', { percent: terms.discountPercent });
      return { label: t('offers.label_bundle', { subject: why.subject ?? terms.usualSku, addOn: why.addOn ?? '', deal }), reason };
    }
    case 'winBack':
      return { label: t('offers.label_winBack', f.pointsParams(terms.bonusPoints)), reason };
  }
}

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
          const words = offerWords(t, offer, f);
          return (
            <li key={offer.offerId} className={taken ? 'taken' : undefined}>
              <strong>{words.label}</strong>
              <small className="muted">{words.reason}</small>
              <small className="muted">{t('offers.until', { date: f.date(offer.validUntil) })}</small>
              <button type="button" aria-pressed={taken} aria-label={t(taken ? 'offers.removeName' : 'offers.applyName', { offer: words.label })} onClick={() => toggleOffer(offer.offerId)}>
                {t(taken ? 'offers.remove' : 'offers.apply')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
