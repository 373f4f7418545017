import type { OfferSlice, SliceCreator } from './app-state';

/** The member's personalised offers (kept by the core, so offline too) and the ones taken on this sale. */
export const createOfferSlice: SliceCreator<OfferSlice> = (client) => (set, get) => ({
  offers: [],
  cartOffers: [],
  async loadOffers() {
    const member = get().member;
    if (!member) return set({ offers: [], cartOffers: [] });
    const r = await client.send('offers.forMember', { memberId: member.memberId });
    // Another member may be on screen by now: their answer is not this one.
    if (get().member?.memberId !== member.memberId) return;
    if (!r.ok) return get().showError(r.error);
    const usable = new Set(r.value.offers.map((o) => o.offerId));
    set({ offers: r.value.offers, cartOffers: get().cartOffers.filter((id) => usable.has(id)) });
  },
  toggleOffer(offerId) {
    const taken = get().cartOffers;
    set({ cartOffers: taken.includes(offerId) ? taken.filter((id) => id !== offerId) : [...taken, offerId] });
    void get().preview();
  },
});
