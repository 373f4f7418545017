// The member panel's offers through the app store on a real terminal core: shown at lookup with
// their reason, applied to the sale with their own breakdown line, gone once used.
import { describe, expect, it } from 'vitest';
import { localTime } from '../../src-shared/program/local-time';
import type { OfferRecord } from '../../src-shared/program/offers';
import { addDays } from '../../src-shared/program/local-time';
import { OffersRepo } from '../../src-main/core/offers-repo';
import { enrolOnScreen, storeOnRealCore } from './store-on-core';

describe('app store: personalised offers', () => {
  it('shows the member’s offers at lookup, applies one to the sale, and drops it once used', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await enrolOnScreen(store, '0532 222 33 44');
    const memberId = s().member?.memberId ?? '';
    const today = localTime({ at: new Date().toISOString(), timeZone: core.context.settings.timeZone }).date;
    const offer: OfferRecord = {
      offerId: 'of-coffee-1',
      memberId,
      type: 'favouriteCategory',
      terms: { offerId: 'of-coffee-1', type: 'favouriteCategory', label: '+50 points on coffee', category: 'Coffee', bonusPoints: 50, minSpendMinor: 0 },
      reason: 'You bought coffee 6 times in the last 8 weeks',
      validFrom: today,
      validUntil: addDays(today, 6),
      status: 'active',
      ruleSetVersion: 'server-1',
    };
    // As the sync client applies it from the feed.
    expect(new OffersRepo(core.context.db).applyFromServer(offer, new Date().toISOString())).toBe(true);

    s().clearMember();
    s().setPhoneInput('0532 222 33 44');
    await s().lookup();
    expect(s().offers.map((o) => [o.label, o.reason])).toEqual([['+50 points on coffee', 'You bought coffee 6 times in the last 8 weeks']]);

    s().addLine({ category: 'Coffee', qty: 1, unitPriceMinor: 4000 });
    await s().preview();
    expect(s().quote?.pointsEarned).toBe(40);
    s().toggleOffer('of-coffee-1');
    await s().preview();
    expect(s().quote?.pointsEarned).toBe(90);
    expect(s().quote?.breakdown.at(-1)).toMatchObject({ ruleId: 'offer:of-coffee-1', label: '+50 points on coffee', points: 50 });
    await s().complete();
    expect(s().error).toBeNull();
    expect(s().receipt?.offers).toEqual([{ offerId: 'of-coffee-1', type: 'favouriteCategory', label: '+50 points on coffee', points: 50, discountMinor: 0 }]);
    await s().loadOffers();
    expect(s().offers).toEqual([]);
    expect(s().cartOffers).toEqual([]);
    core.close();
  });
});
