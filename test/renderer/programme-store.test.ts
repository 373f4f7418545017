import { describe, expect, it } from 'vitest';
import { ownerCaller } from '../../src-main/core/terminal-core';
import { storeOnRealCore as storeOn } from './store-on-core';

const rules = {
  schema: 2,
  version: 'store-test-1',
  name: 'Club',
  currency: 'TRY',
  earning: { pointsPerUnit: 1 },
  tiers: {
    basis: 'spend',
    windowMonths: 12,
    downgrade: 'none',
    levels: [
      { id: 'member', name: 'Member', threshold: 0 },
      { id: 'vip', name: 'VIP', threshold: 100_000, multiplier: 2 },
    ],
  },
  referral: { referrerPoints: 100, refereePoints: 50 },
  redemption: { minorPerPoint: 1 },
  rewards: [
    { id: 'free-pastry', type: 'freeItem', label: 'Free pastry', category: 'Bakery', points: 300 },
    { id: 'tema', type: 'donation', label: 'Plant a tree', charity: 'TEMA', match: { programmePoints: 1, perMemberPoints: 1 }, minimumPoints: 100, stepPoints: 100 },
  ],
};

/** The store on a real core that has the rules above installed. */
const storeOnRealCore = () =>
  storeOn({}, (core) => {
    const installed = core.dispatch('program.install', { ruleSet: rules }, ownerCaller);
    if (!installed.ok) throw new Error(installed.error.message);
  });

describe('app store: the programme', () => {
  it('enrols with a referral code, takes a reward, donates, refunds from history and shows "How points work"', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');

    // A first member and their referral code.
    s().setPhoneInput('0532 111 11 11');
    await s().lookup();
    await s().enrol('Ayşe');
    await s().loadReferralCode();
    const code = s().referralCode;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 150_000 });
    await s().preview();
    await s().complete();
    expect(s().receipt?.tier.after?.change).toBe('up');
    s().nextCustomer();

    // A friend joins with it.
    s().setPhoneInput('0532 222 22 22');
    await s().lookup();
    await s().enrol('Mehmet', code ?? '');
    expect(s().member?.programme?.referredBy).not.toBeNull();
    s().nextCustomer();

    // Ayşe again: VIP, a free pastry from the rewards list.
    s().setPhoneInput('05321111111');
    await s().lookup();
    expect(s().member?.programme?.tier?.tierId).toBe('vip');
    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 10_000 });
    s().addLine({ category: 'Bakery', qty: 1, unitPriceMinor: 2_500 });
    await s().loadRewards();
    expect(s().rewards.find((r) => r.rewardId === 'free-pastry')?.available).toBe(true);
    s().redeemReward('free-pastry');
    await s().preview();
    expect(s().quote?.rewards.map((r) => r.rewardId)).toEqual(['free-pastry']);
    expect(s().quote?.pointsEarned).toBe(200);
    await s().complete();
    expect(s().receipt?.balanceAfter).toBe(1500 - 300 + 200);
    s().nextCustomer();
    expect(s().cartRewards).toEqual([]);

    // Donate, then refund the pastry sale's groceries from the history.
    s().setPhoneInput('05321111111');
    await s().lookup();
    expect(await s().donate('tema', 200)).toBe(true);
    expect(s().lastDonation?.matchPoints).toBe(200);
    expect(s().member?.balance).toBe(1200);
    const earn = s().history.find((h) => h.kind === 'earn');
    await s().openRefund(earn?.saleId ?? '');
    expect(s().refund?.sale.lines).toHaveLength(2);
    s().setRefundQty(0, 5); // clamped to what is left
    expect(s().refund?.qty[0]).toBe(1);
    await s().submitRefund(false);
    expect(s().refund?.receipt).toMatchObject({ pointsReversed: 200, balanceAfter: 1000 });
    expect(s().refund?.sale.lines[0]?.refundedQty).toBe(1);
    expect(s().member?.balance).toBe(1000);
    s().closeRefund();
    expect(s().refund).toBeNull();

    s().toggleProgram(true);
    await s().loadProgram();
    expect(s().program?.explanation.sections.map((x) => x.key)).toContain('rewards');
    core.close();
  });
});
