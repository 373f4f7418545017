import { memberChoicesCleared, type CartSlice, type SliceCreator } from './app-state';

const newKey = () => `sale-${crypto.randomUUID()}`;

export const createCartSlice: SliceCreator<CartSlice> = (client) => (set, get) => {
  let previewSeq = 0;
  const draft = () => {
    const { member, lines, redeemPoints, cartRewards, cartOffers } = get();
    return {
      ...(member ? { memberId: member.memberId } : {}),
      lines,
      ...(redeemPoints > 0 ? { redeemPoints } : {}),
      ...(member && cartRewards.length > 0 ? { rewards: cartRewards } : {}),
      ...(member && cartOffers.length > 0 ? { offerIds: cartOffers } : {}),
    };
  };
  return {
    lines: [],
    redeemPoints: 0,
    quote: null,
    receipt: null,
    idempotencyKey: newKey(),
    busy: false,
    customerPin: '',
    setCustomerPin(pin) {
      set({ customerPin: pin.replace(/\D/g, '').slice(0, 12) });
    },
    addLine(line) {
      set({ lines: [...get().lines, line], receipt: null });
      void get().preview();
    },
    removeLine(index) {
      set({ lines: get().lines.filter((_, i) => i !== index) });
      void get().preview();
    },
    setRedeemPoints(points) {
      set({ redeemPoints: Math.max(0, Math.floor(points)) });
      void get().preview();
    },
    async preview() {
      const seq = ++previewSeq;
      // What the member can afford follows the sale: a free item needs its item in the basket.
      void get().loadRewards();
      if (get().lines.length === 0) return set({ quote: null });
      const r = await client.send('sales.preview', draft());
      // Only the latest preview counts: a slower, older answer is dropped.
      if (seq !== previewSeq) return;
      if (!r.ok) return get().showError(r.error);
      get().showError(null);
      set({ quote: r.value });
    },
    async complete(approval) {
      if (get().busy || get().lines.length === 0) return;
      set({ busy: true });
      const { member, customerPin, redeemPoints, cartRewards } = get();
      const spends = redeemPoints > 0 || cartRewards.length > 0;
      // Points are spent on the balance the server confirms now; if it does not answer within a
      // moment, the core applies the offline redemption policy instead.
      if (member && spends) await client.send('members.confirmBalance', { memberId: member.memberId });
      // Verification travels beside the arguments; the core checks it before the sale runs.
      const r = await client.send(
        'sales.complete',
        { ...draft(), idempotencyKey: get().idempotencyKey },
        {
          ...(member && spends && customerPin ? { customerVerification: { memberId: member.memberId, pin: customerPin } } : {}),
          ...(approval ? { managerOverride: approval } : {}),
        },
      );
      set({ busy: false, customerPin: '' });
      // On failure the key is kept: completing again cannot record the sale twice.
      if (!r.ok) return get().showError(r.error);
      get().showError(null);
      // The offers this sale used are gone from the member's list.
      set({ receipt: r.value, member: r.value.member, cartOffers: [] });
      void get().loadOffers();
    },
    nextCustomer() {
      set({
        ...memberChoicesCleared(),
        lines: [],
        quote: null,
        receipt: null,
        idempotencyKey: newKey(),
        member: null,
        unknownPhone: null,
        phoneInput: '',
        anonymous: false,
        // What the last scan meant was about this customer: it now sits above the counter, and a
        // stale one ('Unknown product …' two customers ago) stayed there until dismissed.
        scanNotice: null,
        // So was the last refusal: 'Not enough points' or a wrong amount stayed over the next customer's lookup.
        error: null,
      });
    },
  };
};
