// The device slice against a real core: scans open members, unknown cards are offered for linking to the
// member on screen, the test panel keeps scans from serving the counter, and wedge settings stay in bounds.
import { describe, expect, it } from 'vitest';
import type { DeviceScan } from '../../src-shared/api/contract';
import { isProductBarcode, linkableKind, looksLikeTrackFragment, scanOutcome } from '../../src-renderer/devices/scan-kind';
import { DEFAULT_WEDGE_SETTINGS, normalizeWedgeSettings } from '../../src-renderer/devices/wedge-settings';
import { call } from '../core/helpers';
import { OffersRepo } from '../../src-main/core/offers-repo';
import { addDays, localTime } from '../../src-shared/program/local-time';
import type { OfferRecord } from '../../src-shared/program/offers';
import { enrolOnScreen, storeOnRealCore as storeOn } from './store-on-core';
import { TRACK1, TRACK2 } from '../devices/fixtures';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

const scan = (over: Partial<DeviceScan>): DeviceScan => ({
  deviceId: 'front',
  scanId: 'scan-1',
  kind: 'barcode',
  member: null,
  symbology: null,
  display: 'LOY-1',
  message: '',
  at: '2025-01-01T10:00:00.000Z',
  ...over,
});

/** The store on a real core, the core's scans routed to it as main.tsx routes them. */
function storeOnRealCore() {
  const { core, store, client } = storeOn();
  client.on('device.scan', (scan) => store.getState().receiveScan(scan));
  return { core, store };
}

describe('device slice', () => {
  it('opens the member of a scanned card, and keeps the sale lines', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    const { member } = call(core, 'members.enroll', { phone: '05321234567', name: 'Ayşe' });
    call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'LOY-000123456' });
    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 1000 });

    await s().keyboardScan('LOY-000123456');
    await settle();
    expect(s().member?.name).toBe('Ayşe');
    expect(s().history.map((h) => h.kind)).toEqual(['enrol']);
    expect(s().lines).toHaveLength(1);
    expect(s().scanNotice?.scan.member?.memberId).toBe(member.memberId);
    // The result and the event are one scan: recorded once.
    expect(s().recentScans).toHaveLength(1);
    // The next customer starts without the last one's scan notice.
    s().nextCustomer();
    expect(s().scanNotice).toBeNull();
    core.close();
  });

  it("a card scanned for another member brings that member's offers and leaves the last one's points and PIN behind", async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    const first = call(core, 'members.enroll', { phone: '05321234567', name: 'Ayşe' }).member;
    const second = call(core, 'members.enroll', { phone: '05427654321', name: 'İsmail' }).member;
    call(core, 'members.linkCard', { memberId: second.memberId, loyaltyCardNumber: 'LOY-000765432' });
    const today = localTime({ at: new Date().toISOString(), timeZone: core.context.settings.timeZone }).date;
    const offer: OfferRecord = {
      offerId: 'of-bakery-1',
      memberId: second.memberId,
      type: 'favouriteCategory',
      terms: { offerId: 'of-bakery-1', type: 'favouriteCategory', label: '+50 points on bakery', category: 'Bakery', bonusPoints: 50, minSpendMinor: 0 },
      reason: 'You bought bakery 6 times in the last 8 weeks',
      validFrom: today,
      validUntil: addDays(today, 6),
      status: 'active',
      ruleSetVersion: 'server-1',
    };
    expect(new OffersRepo(core.context.db).applyFromServer(offer, new Date().toISOString())).toBe(true);

    // The wrong member found by phone, with points to spend and a PIN typed for them.
    s().setPhoneInput('0532 123 45 67');
    await s().lookup();
    expect(s().member?.memberId).toBe(first.memberId);
    s().addLine({ category: 'Bakery', qty: 1, unitPriceMinor: 2000 });
    s().setRedeemPoints(150);
    s().setCustomerPin('1357');

    await s().keyboardScan('LOY-000765432');
    await expect.poll(() => s().offers.map((o) => o.label)).toEqual(['+50 points on bakery']);
    expect(s().member?.memberId).toBe(second.memberId);
    expect(s().lines).toHaveLength(1);
    expect(s().redeemPoints).toBe(0);
    expect(s().customerPin).toBe('');
    core.close();
  });

  it("ignores another screen's keyboard scans, and does nothing signed out", async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    const { member } = call(core, 'members.enroll', { phone: '05321234567', name: 'Ayşe' });
    s().receiveScan(scan({ deviceId: 'keyboard', member: { memberId: member.memberId, name: 'Ayşe', balance: 0 } }));
    await settle();
    expect(s().member).toBeNull();
    expect(s().recentScans).toHaveLength(1);
    await s().signOut();
    s().receiveScan(scan({ scanId: 'scan-2', member: { memberId: member.memberId, name: 'Ayşe', balance: 0 } }));
    await settle();
    expect(s().member).toBeNull();
    core.close();
  });

  it('offers an unknown payment card for linking to the member on screen and links it', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await enrolOnScreen(store);
    const memberId = s().member?.memberId;

    await s().keyboardScan(`${TRACK1}${TRACK2}`);
    expect(s().scanNotice?.scan.kind).toBe('card');
    expect(s().scanNotice?.linkTo?.memberId).toBe(memberId);
    expect(JSON.stringify(s())).not.toContain('4111111111111111');
    await s().linkScannedCard();
    expect(s().error).toBeNull();
    expect(s().scanNotice?.linked).toBe(true);

    s().clearMember();
    await s().keyboardScan(`${TRACK1}${TRACK2}`);
    await settle();
    expect(s().member?.memberId).toBe(memberId);
    core.close();
  });

  it('offers an unknown card swiped before its customer was found to them once they are enrolled, without a second swipe', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    await s().keyboardScan(`${TRACK1}${TRACK2}`);
    await settle();
    expect(s().scanNotice).toMatchObject({ linkTo: null, linked: false });
    // The cashier finds no one by the card, so types the phone and enrols the customer.
    s().setPhoneInput('05321234567');
    await s().lookup();
    await s().enrol('Ayşe');
    const memberId = s().member?.memberId;
    expect(s().scanNotice?.linkTo).toEqual({ memberId, name: 'Ayşe' });
    await s().linkScannedCard();
    expect(s().scanNotice?.linked).toBe(true);
    // The next time, the card opens them.
    s().clearMember();
    await s().keyboardScan(`${TRACK1}${TRACK2}`);
    await settle();
    expect(s().member?.memberId).toBe(memberId);
    // A card the terminal knows opens its member: nothing is offered for the next member opened.
    s().setPhoneInput('05329876543');
    await s().lookup();
    await s().enrol('Can');
    expect(s().scanNotice?.linkTo ?? null).toBeNull();
    core.close();
  });

  it('while the test panel is open, a scan is listed and opens nobody', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    const { member } = call(core, 'members.enroll', { phone: '05321234567', name: 'Ayşe' });
    call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'LOY-9' });
    s().setShowDevices(true);
    await s().keyboardScan('LOY-9');
    await settle();
    expect(s().member).toBeNull();
    expect(s().recentScans[0]?.member?.memberId).toBe(member.memberId);
    expect(s().deviceList?.devices).toEqual([]);
    s().setShowDevices(false);
    core.close();
  });

  it('adds a scanned product to the sale as a line with its SKU (a sale without a member when none is open); an unknown one adds nothing', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    const product = { sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', unitPriceMinor: 8950, barcodes: ['4006381333931'] };
    // No catalogue yet: explained, nothing added.
    await s().keyboardScan('4006381333931');
    expect(s().lines).toEqual([]);
    expect(scanOutcome(s().scanNotice?.scan as DeviceScan)).toBe('product');
    call(core, 'catalogue.install', { catalogue: { format: 1, version: 'c1', currency: 'TRY', products: [product] } }, { role: 'manager', userId: null });

    await s().keyboardScan('4006381333931');
    await settle();
    expect(s().anonymous).toBe(true);
    expect(s().lines).toEqual([{ sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', qty: 1, unitPriceMinor: 8950 }]);
    expect(scanOutcome(s().scanNotice?.scan as DeviceScan)).toBe('productAdded');
    await s().keyboardScan('9780201379624');
    await settle();
    expect(s().lines).toHaveLength(1);
    expect(scanOutcome(s().scanNotice?.scan as DeviceScan)).toBe('productUnknown');
    // The preview prices the scanned line by its SKU.
    expect(s().quote?.lines[0]?.sku).toBe('TEA-1');
    core.close();
  });
});

describe('scan meanings and wedge settings', () => {
  it('tells product barcodes (valid GS1 check digit) from card codes', () => {
    expect(isProductBarcode('4006381333931')).toBe(true);
    expect(isProductBarcode('4006381333932')).toBe(false);
    expect(isProductBarcode('036000291452')).toBe(true);
    expect(isProductBarcode('96385074')).toBe(true);
    expect(isProductBarcode('LOY-1')).toBe(false);
    expect(scanOutcome(scan({ display: '4006381333931' }))).toBe('product');
    expect(linkableKind(scan({ display: '4006381333931' }))).toBeNull();
    expect(linkableKind(scan({ display: 'LOY-1' }))).toBe('loyalty');
    expect(linkableKind(scan({ display: `${'A'.repeat(64)}…` }))).toBeNull();
    expect(linkableKind(scan({ kind: 'card', display: 'VISA •••• 1111' }))).toBe('card');
    expect(linkableKind(scan({ kind: 'masked-card', display: 'VISA •••• 1111' }))).toBeNull();
  });

  it('drops a swipe cut in two by a stall instead of sending its digits as a barcode', async () => {
    // Every split of both tracks: each piece is a whole track (the core parses it) or a recognised fragment.
    const swipe = `${TRACK1}${TRACK2}`;
    for (let cut = 1; cut < swipe.length; cut += 1) {
      for (const piece of [swipe.slice(0, cut), swipe.slice(cut)]) {
        if (!/\d{5}/.test(piece)) continue;
        const whole = /^[%;]/.test(piece) && piece.endsWith('?');
        expect(whole || looksLikeTrackFragment(piece), piece).toBe(true);
        expect(looksLikeTrackFragment(piece), piece).toBe(!whole);
      }
    }
    expect(looksLikeTrackFragment('LOY-000123456')).toBe(false);
    expect(looksLikeTrackFragment('https://example.com/m/0123456789abcdef')).toBe(false);
    expect(looksLikeTrackFragment('4006381333931')).toBe(false);
    expect(looksLikeTrackFragment(';41111111111')).toBe(true);
    expect(looksLikeTrackFragment(TRACK2)).toBe(false);

    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    await s().keyboardScan('1111111=2812101000000000000?');
    expect(s().scanNotice?.scan).toMatchObject({ kind: 'error', display: '' });
    expect(JSON.stringify(s().recentScans)).not.toContain('1111111');
    core.close();
  });

  it('keeps thresholds in bounds, defaults from WedgeDetector', () => {
    expect(DEFAULT_WEDGE_SETTINGS).toEqual({ enabled: true, maxGapMs: 35, maxJitterGapMs: 70, maxTotalMsPerChar: 35, minLength: 4, suffixKey: 'Enter', idleMs: 100 });
    expect(normalizeWedgeSettings({ maxGapMs: 500, minLength: 0, idleMs: Number.NaN, suffixKey: 'x' })).toMatchObject({ maxGapMs: 75, minLength: 2, idleMs: 100, suffixKey: 'Enter' });
    expect(normalizeWedgeSettings({ maxGapMs: 60, maxJitterGapMs: 40 }).maxJitterGapMs).toBe(60);
    expect(normalizeWedgeSettings({ suffixKey: null }).suffixKey).toBeNull();
  });
});
