import type { ProgrammeSlice, SliceCreator } from './app-state';

const newKey = (what: string) => `${what}-${crypto.randomUUID()}`;

/** The programme at the counter: rewards for the member, donations, refunds and "How points work". */
export const createProgrammeSlice: SliceCreator<ProgrammeSlice> = (client) => (set, get) => {
  let rewardsSeq = 0;
  const refreshMember = async (memberId: string) => {
    const [member, history] = await Promise.all([client.send('members.get', { memberId }), client.send('members.history', { memberId, limit: 8 })]);
    if (get().member?.memberId !== memberId) return;
    if (member.ok) set({ member: member.value });
    if (history.ok) set({ history: history.value.entries });
  };
  return {
    rewards: [],
    cartRewards: [],
    donationKey: newKey('donation'),
    lastDonation: null,
    program: null,
    showProgram: false,
    refund: null,
    referralCode: null,
    adjustKey: newKey('adjust'),

    async loadRewards() {
      const member = get().member;
      const seq = ++rewardsSeq;
      if (!member) return set({ rewards: [] });
      const lines = get().lines;
      const r = await client.send('rewards.list', { memberId: member.memberId, ...(lines.length > 0 ? { lines } : {}) });
      if (seq !== rewardsSeq || !r.ok) return;
      set({ rewards: r.value.rewards });
    },
    redeemReward(rewardId) {
      set({ cartRewards: [...get().cartRewards, { rewardId }], receipt: null });
      void get().preview();
    },
    removeReward(index) {
      set({ cartRewards: get().cartRewards.filter((_, i) => i !== index) });
      void get().preview();
    },
    async donate(rewardId, points, approval) {
      const member = get().member;
      if (!member) return false;
      const r = await client.send(
        'rewards.donate',
        { memberId: member.memberId, rewardId, points, idempotencyKey: get().donationKey },
        approval ? { managerOverride: approval } : undefined,
      );
      // On failure the key is kept: a retry cannot donate twice.
      if (!r.ok) {
        get().showError(r.error);
        return false;
      }
      get().showError(null);
      set({ donationKey: newKey('donation'), lastDonation: r.value, member: r.value.member });
      await refreshMember(member.memberId);
      await get().loadRewards();
      return true;
    },

    async loadProgram() {
      const r = await client.send('program.get', {});
      if (!r.ok) return get().showError(r.error);
      set({ program: r.value });
    },
    toggleProgram(show) {
      set({ showProgram: show });
      if (show) void get().loadProgram();
    },

    async loadReferralCode() {
      const member = get().member;
      if (!member) return;
      const r = await client.send('members.referralCode', { memberId: member.memberId });
      if (!r.ok) return get().showError(r.error);
      if (get().member?.memberId === member.memberId) set({ referralCode: r.value.display });
    },

    async openRefund(saleId) {
      const r = await client.send('sales.get', { saleId });
      if (!r.ok) return get().showError(r.error);
      get().showError(null);
      set({ refund: { sale: r.value, qty: {}, key: newKey('refund'), receipt: null } });
    },
    setRefundQty(lineIndex, qty) {
      const refund = get().refund;
      const line = refund?.sale.lines.find((l) => l.lineIndex === lineIndex);
      if (!refund || !line) return;
      const left = line.qty - line.refundedQty;
      set({ refund: { ...refund, qty: { ...refund.qty, [lineIndex]: Math.max(0, Math.min(left, Math.floor(qty) || 0)) } } });
    },
    async submitRefund(all, approval) {
      const refund = get().refund;
      if (!refund || get().busy) return;
      const lines = Object.entries(refund.qty)
        .map(([lineIndex, qty]) => ({ lineIndex: Number(lineIndex), qty }))
        .filter((l) => l.qty > 0);
      if (!all && lines.length === 0) return;
      set({ busy: true });
      const r = await client.send(
        'sales.refund',
        { saleId: refund.sale.saleId, ...(all ? {} : { lines }), idempotencyKey: refund.key },
        approval ? { managerOverride: approval } : undefined,
      );
      set({ busy: false });
      if (!r.ok) return get().showError(r.error);
      get().showError(null);
      const sale = await client.send('sales.get', { saleId: refund.sale.saleId });
      set({ refund: { sale: sale.ok ? sale.value : refund.sale, qty: {}, key: newKey('refund'), receipt: r.value } });
      if (r.value.member) {
        set({ member: r.value.member });
        await refreshMember(r.value.member.memberId);
      }
    },
    async adjustBalance(adjustment, approval) {
      const member = get().member;
      if (!member) return false;
      const note = adjustment.note.trim();
      const r = await client.send(
        'members.adjust',
        { memberId: member.memberId, points: adjustment.points, reason: adjustment.reason, ...(note ? { note } : {}), idempotencyKey: get().adjustKey },
        approval ? { managerOverride: approval } : undefined,
      );
      // On failure the key is kept: a retry (or the manager's approval) cannot adjust twice.
      if (!r.ok) {
        get().showError(r.error);
        return false;
      }
      get().showError(null);
      set({ adjustKey: newKey('adjust'), member: r.value.member });
      await refreshMember(member.memberId);
      return true;
    },
    closeRefund() {
      set({ refund: null });
      void get().loadRewards();
    },
  };
};
