// Card-present customer verification (issue 7): with the store's policy at `card-present`, points can be
// spent only when a card identified the member in this sale (a loyalty card scanned on a serial scanner or
// handed over as a keyboard-wedge burst, a linked payment card swiped), or with the customer's PIN, or a
// manager's approval. A phone number alone is refused. Real scans go through the device layer and the
// scan interpreter; the receipt, the redeem entry and the audit record say how the customer was verified.
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { CARD_PRESENCE_MAX_MEMBERS, CARD_PRESENCE_TTL_MS, CardPresence } from '../../src-main/core/card-presence';
import { managerCaller, watchDevices } from '../devices-core/core-events';
import { SocatPair } from '../devices-core/socat-pair';
import { openCore, tempDir, errorOf, valueOf as value } from './helpers';

const SWIPE = '%B4111111111111111^DOE/JOHN^2512101000000000000000000?;4111111111111111=25121010000000000000?';
const OTHER_SWIPE = '%B5555555555554444^ROE/JANE^2612101000000000000000000?;5555555555554444=26121010000000000000?';
const LOYALTY = 'LOY-000123456';

let core: TerminalCore | null = null;
let pair: SocatPair | null = null;
let now = Date.parse('2026-06-01T10:00:00.000Z');
afterEach(async () => {
  core?.close();
  await core?.devices.close();
  core = null;
  await pair?.stop();
  pair = null;
});


function counter(policy: 'card-present' | 'customer-pin' | 'none' = 'card-present') {
  now = Date.parse('2026-06-01T10:00:00.000Z');
  core = openCore(tempDir(), { now: () => new Date(now).toISOString(), idleTimeoutSeconds: 24 * 3600 });
  const managerScreen = core.sessions.open();
  const manager = value(core.sessions.call(managerScreen, 'auth.setup', { name: 'Meral', pin: '2580' }));
  const cashier = value(core.sessions.call(managerScreen, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }));
  value(core.sessions.call(managerScreen, 'terminal.configure', { redemptionVerification: policy }));
  const screen = core.sessions.open();
  value(core.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
  const ayse = value(core.sessions.call(screen, 'members.enroll', { phone: '05321234567', name: 'Ayşe', customerPin: '4826' })).member;
  const mehmet = value(core.sessions.call(screen, 'members.enroll', { phone: '05321234568', name: 'Mehmet' })).member;
  // Ayşe's loyalty card and Visa card are linked to her; both members earn 1000 points.
  value(core.sessions.call(screen, 'members.linkCard', { memberId: ayse.memberId, loyaltyCardNumber: LOYALTY }));
  const swipe = value(core.sessions.call(screen, 'devices.keyboardScan', { text: SWIPE }));
  value(core.sessions.call(screen, 'members.linkCard', { memberId: ayse.memberId, lastCardScan: true, scanId: swipe.scanId }));
  for (const m of [ayse, mehmet]) {
    value(core.sessions.call(screen, 'sales.complete', { memberId: m.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 100_000 }], idempotencyKey: `seed-${m.memberId}` }));
  }
  return { core, screen, managerScreen, manager, cashier, ayse, mehmet };
}

let keySeq = 0;
const redeem = (memberId: string, extra: Record<string, unknown> = {}) => ({
  memberId,
  lines: [{ category: 'G', qty: 1, unitPriceMinor: 5000 }],
  redeemPoints: 100,
  idempotencyKey: `redeem-key-${(keySeq += 1)}`,
  ...extra,
});

const lastRedeemPayload = (c: TerminalCore) =>
  JSON.parse((c.context.db.prepare("SELECT payload FROM ledger WHERE kind = 'redeem' ORDER BY seq DESC LIMIT 1").get() as { payload: string }).payload);
const lastSaleAudit = (c: TerminalCore) =>
  JSON.parse((c.context.db.prepare("SELECT details FROM audit_log WHERE action = 'sales.complete' AND outcome = 'ok' ORDER BY seq DESC LIMIT 1").get() as { details: string }).details);

describe('card-present redemption', () => {
  it('refuses a member found by phone number only, with a message naming what would do', () => {
    const { core: c, screen, ayse } = counter();
    value(c.sessions.call(screen, 'members.lookup', { phone: '0532 123 45 67' }));
    const error = errorOf(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId)));
    expect(error?.code).toBe('VERIFICATION_REQUIRED');
    expect(error?.message).toMatch(/card in this sale.*PIN.*manager/);
    expect(value(c.sessions.call(screen, 'terminal.status', {})).redemptionVerification).toBe('card-present');
    // Earning never needs a card.
    value(c.sessions.call(screen, 'sales.complete', { memberId: ayse.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 500 }], idempotencyKey: 'earn-only-1' }));
  });

  it('passes when the loyalty card was scanned in this sale (keyboard wedge), and only for that sale', () => {
    const { core: c, screen, ayse } = counter();
    const scan = value(c.sessions.call(screen, 'devices.keyboardScan', { text: LOYALTY }));
    expect(scan).toMatchObject({ kind: 'barcode', member: { memberId: ayse.memberId } });
    const receipt = value(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId)));
    expect(receipt).toMatchObject({ pointsRedeemed: 100, verifiedBy: 'loyalty-card' });
    expect(lastRedeemPayload(c)).toMatchObject({ verifiedBy: 'loyalty-card' });
    expect(lastSaleAudit(c).result).toMatchObject({ verifiedBy: 'loyalty-card', pointsRedeemed: 100 });
    // The next sale is a new sale: the card must be scanned again.
    expect(errorOf(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId)))?.code).toBe('VERIFICATION_REQUIRED');
  });

  it('passes when a linked payment card is swiped, and records it as the payment card', () => {
    const { core: c, screen, ayse } = counter();
    expect(value(c.sessions.call(screen, 'devices.keyboardScan', { text: SWIPE }))).toMatchObject({ kind: 'card', member: { memberId: ayse.memberId } });
    const receipt = value(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId)));
    expect(receipt.verifiedBy).toBe('payment-card');
    expect(lastRedeemPayload(c)).toMatchObject({ verifiedBy: 'payment-card' });
  });

  it("does not let one member's card, an unlinked card, a product barcode or an unreadable swipe vouch for another member", () => {
    const { core: c, screen, mehmet } = counter();
    for (const text of [LOYALTY, SWIPE, OTHER_SWIPE, '4006381333931', '%B41111^DOE']) value(c.sessions.call(screen, 'devices.keyboardScan', { text }));
    expect(errorOf(c.sessions.call(screen, 'sales.complete', redeem(mehmet.memberId)))?.code).toBe('VERIFICATION_REQUIRED');
  });

  it('forgets a scan after the sale is abandoned for longer than the time limit', () => {
    const { core: c, screen, ayse } = counter();
    value(c.sessions.call(screen, 'devices.keyboardScan', { text: LOYALTY }));
    now += CARD_PRESENCE_TTL_MS + 1000;
    expect(errorOf(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId)))?.code).toBe('VERIFICATION_REQUIRED');
  });

  it('still takes the customer PIN or a manager instead of the card, and says which', () => {
    const { core: c, screen, manager, ayse, mehmet } = counter();
    const byPin = value(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId, { customerVerification: { memberId: ayse.memberId, pin: '4826' } })));
    expect(byPin.verifiedBy).toBe('customer-pin');
    const byManager = value(c.sessions.call(screen, 'sales.complete', redeem(mehmet.memberId, { managerOverride: { userId: manager.userId, pin: '2580' } })));
    expect(byManager.verifiedBy).toBe('manager');
    expect(lastRedeemPayload(c)).toMatchObject({ verifiedBy: 'manager', approvedBy: manager.userId });
  });

  it('applies to donations too', () => {
    const { core: c, screen, managerScreen, ayse } = counter();
    const ruleSet = value(c.sessions.call(managerScreen, 'program.get', {})).ruleSet;
    const donation = { id: 'tema', type: 'donation', label: 'Plant a tree', charity: 'TEMA', match: { programmePoints: 1, perMemberPoints: 1 }, minimumPoints: 100, stepPoints: 100 };
    value(c.sessions.call(managerScreen, 'program.install', { ruleSet: { ...ruleSet, version: 'club-2', rewards: [donation] } }));
    const args = { memberId: ayse.memberId, rewardId: 'tema', points: 100 };
    expect(errorOf(c.sessions.call(screen, 'rewards.donate', { ...args, idempotencyKey: 'donate-key-1' }))?.code).toBe('VERIFICATION_REQUIRED');
    value(c.sessions.call(screen, 'devices.keyboardScan', { text: LOYALTY }));
    expect(value(c.sessions.call(screen, 'rewards.donate', { ...args, idempotencyKey: 'donate-key-2' })).verifiedBy).toBe('loyalty-card');
  });

  it('takes a loyalty card scanned on a serial scanner (a real pseudo-terminal)', async () => {
    const { core: c, screen, ayse } = counter();
    pair = await SocatPair.start(tempDir('kasa-card-present-pty-'));
    const watch = watchDevices(c);
    c.dispatch('devices.configure', { deviceId: 'till-scanner', name: 'Till scanner', config: { transport: 'serial', path: pair.scannerPath } }, managerCaller);
    await watch.status('till-scanner', 'connected');
    pair.write(`${LOYALTY}\r`);
    expect(await watch.scan(1)).toMatchObject({ deviceId: 'till-scanner', kind: 'barcode', member: { memberId: ayse.memberId } });
    expect(value(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId))).verifiedBy).toBe('loyalty-card');
  });
});

describe('what the terminal remembers of scans', () => {
  it('stays bounded when card after card is scanned without a sale, dropping the oldest and the expired', () => {
    let at = Date.parse('2026-06-01T10:00:00.000Z');
    const presence = new CardPresence(() => new Date(at).toISOString());
    const scan = (i: number) => ({
      deviceId: 'keyboard',
      scanId: `scan-${i}`,
      kind: 'barcode' as const,
      member: { memberId: `m-${i}`, name: null, balance: 0 },
      symbology: null,
      display: `LOY-${i}`,
      message: '',
      at: new Date(at).toISOString(),
    });
    for (let i = 0; i < CARD_PRESENCE_MAX_MEMBERS + 50; i += 1) presence.record(scan(i));
    expect(presence.size).toBe(CARD_PRESENCE_MAX_MEMBERS);
    expect(presence.current('m-0')).toBeNull();
    expect(presence.current(`m-${CARD_PRESENCE_MAX_MEMBERS + 49}`)).toMatchObject({ method: 'loyalty-card', scanId: `scan-${CARD_PRESENCE_MAX_MEMBERS + 49}` });
    at += CARD_PRESENCE_TTL_MS + 1;
    presence.record(scan(100_000));
    expect(presence.size).toBe(1);
    // Errors, products and unknown cards identify nobody.
    presence.record({ ...scan(7), kind: 'error' });
    presence.record({ ...scan(8), member: null });
    expect(presence.size).toBe(1);
  });
});

describe('other policies', () => {
  it('customer-pin: a scanned card is not enough', () => {
    const { core: c, screen, ayse } = counter('customer-pin');
    value(c.sessions.call(screen, 'devices.keyboardScan', { text: LOYALTY }));
    expect(errorOf(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId)))?.message).toMatch(/customer's PIN/);
  });

  it('none: a phone number is enough, and a card scanned is still recorded', () => {
    const { core: c, screen, ayse, mehmet } = counter('none');
    expect(value(c.sessions.call(screen, 'sales.complete', redeem(mehmet.memberId))).verifiedBy).toBe('none');
    value(c.sessions.call(screen, 'devices.keyboardScan', { text: SWIPE }));
    expect(value(c.sessions.call(screen, 'sales.complete', redeem(ayse.memberId))).verifiedBy).toBe('payment-card');
  });

  it('refuses an unknown policy', () => {
    const { core: c, managerScreen } = counter();
    expect(errorOf(c.sessions.call(managerScreen, 'terminal.configure', { redemptionVerification: 'phone' }))?.code).toBe('VALIDATION');
  });
});
