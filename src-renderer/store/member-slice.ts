import { memberChoicesCleared, type MemberSlice, type SliceCreator } from './app-state';

export const createMemberSlice: SliceCreator<MemberSlice> = (client) => (set, get) => {
  const loadHistory = async (memberId: string) => {
    const r = await client.send('members.history', { memberId, limit: 8 });
    if (r.ok && get().member?.memberId === memberId) set({ history: r.value.entries });
  };
  return {
    phoneInput: '',
    member: null,
    history: [],
    unknownPhone: null,
    anonymous: false,
    setPhoneInput(value) {
      set({ phoneInput: value, unknownPhone: null });
    },
    async lookup() {
      const phone = get().phoneInput.trim();
      if (!phone) return;
      const r = await client.send('members.lookup', { phone });
      if (!r.ok) {
        // A card number typed (or swiped past the wedge detector) into the phone field goes from the
        // screen at once: it is never shown. Anything else stays, for the cashier to correct.
        if ((r.error.details as { reason?: unknown } | undefined)?.reason === 'card-number') set({ phoneInput: '' });
        return get().showError(r.error);
      }
      get().showError(null);
      set({ ...memberChoicesCleared(), member: r.value.member, unknownPhone: r.value.member ? null : r.value.normalizedPhone });
      if (r.value.member) {
        await Promise.all([loadHistory(r.value.member.memberId), get().loadOffers()]);
        await get().preview();
      }
    },
    async enrol(name, referralCode) {
      const phone = get().unknownPhone ?? get().phoneInput;
      const code = referralCode?.trim() ?? '';
      const r = await client.send('members.enroll', { phone, ...(name.trim() ? { name: name.trim() } : {}), ...(code ? { referralCode: code } : {}) });
      if (!r.ok) return get().showError(r.error);
      get().showError(null);
      set({ member: r.value.member, unknownPhone: null, history: [] });
      await loadHistory(r.value.member.memberId);
      await get().preview();
    },
    startAnonymous() {
      set({ anonymous: true, member: null, unknownPhone: null });
    },
    clearMember() {
      // The last error went with the member too: it was about them (their points, their PIN).
      set({ ...memberChoicesCleared(), member: null, unknownPhone: null, phoneInput: '', anonymous: false, error: null });
      void get().preview();
    },
  };
};

