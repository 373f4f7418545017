import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, callError, openCore, tempDir } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => core?.close());

describe('the sale loop in the core', () => {
  it('treats every common spelling of a Turkish number as one member', () => {
    core = openCore(tempDir());
    const enrolled = call(core, 'members.enroll', { phone: '0532 123 45 67', name: 'Ayşe' });
    expect(enrolled.created).toBe(true);
    expect(enrolled.member.phone).toBe('+905321234567');
    for (const spelling of ['+90 532 123 4567', '905321234567', '(0532) 123-45-67']) {
      expect(call(core, 'members.lookup', { phone: spelling }).member?.memberId).toBe(enrolled.member.memberId);
    }
    const again = call(core, 'members.enroll', { phone: '905321234567' });
    expect(again).toMatchObject({ created: false, member: { memberId: enrolled.member.memberId, name: 'Ayşe' } });
  });

  it('offers enrolment for an unknown number with its normalised form', () => {
    core = openCore(tempDir());
    expect(call(core, 'members.lookup', { phone: '0555 000 11 22' })).toEqual({ member: null, normalizedPhone: '+905550001122' });
  });

  it('earns 1 point per whole unit, floored per receipt, and records earn with its breakdown', () => {
    core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    const receipt = call(core, 'sales.complete', {
      memberId: member.memberId,
      lines: [
        { category: 'Groceries', qty: 1, unitPriceMinor: 1000 },
        { category: 'Bakery', qty: 2, unitPriceMinor: 117 },
      ],
      idempotencyKey: 'sale-0001',
    });
    expect(receipt.subtotalMinor).toBe(1234);
    expect(receipt.pointsEarned).toBe(12);
    expect(receipt.breakdown.map((b) => b.points).reduce((a, b) => a + b, 0)).toBe(12);
    expect(receipt.balanceAfter).toBe(12);
    expect(call(core, 'members.get', { memberId: member.memberId }).balance).toBe(12);
    const history = call(core, 'members.history', { memberId: member.memberId });
    expect(history.entries.map((e) => e.kind)).toEqual(['earn', 'enrol']);
  });

  it('redeems points as a discount at the point value, never beyond the balance', () => {
    core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 50_000 }], idempotencyKey: 'sale-a-0001' });
    expect(callError(core, 'sales.preview', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 }], redeemPoints: 501 }).code).toBe('INSUFFICIENT_POINTS');
    const receipt = call(core, 'sales.complete', {
      memberId: member.memberId,
      lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 }],
      redeemPoints: 200,
      idempotencyKey: 'sale-b-0001',
    });
    expect(receipt.discountMinor).toBe(200);
    expect(receipt.totalMinor).toBe(800);
    expect(receipt.pointsEarned).toBe(8); // earned on what was paid
    expect(receipt.balanceAfter).toBe(500 - 200 + 8);
  });

  it('completes a sale once for one idempotency key and refuses the key for another sale', () => {
    core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    const sale = { memberId: member.memberId, lines: [{ category: 'Drinks', qty: 3, unitPriceMinor: 450 }], idempotencyKey: 'same-key-1' };
    const first = call(core, 'sales.complete', sale);
    const second = call(core, 'sales.complete', sale);
    expect(second).toEqual(first);
    expect(call(core, 'members.get', { memberId: member.memberId }).balance).toBe(13);
    expect(callError(core, 'sales.complete', { ...sale, lines: [{ category: 'Drinks', qty: 4, unitPriceMinor: 450 }] }).code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('keeps everything across a restart', () => {
    const dir = tempDir();
    core = openCore(dir);
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 9999 }], idempotencyKey: 'restart-1' });
    const terminalId = core.terminalId;
    core.close();
    core = openCore(dir);
    expect(core.terminalId).toBe(terminalId);
    expect(call(core, 'members.lookup', { phone: '+905321234567' }).member?.balance).toBe(99);
    expect(call(core, 'terminal.status', {})).toMatchObject({ queuedEntries: 2, lastSeq: 2, members: 1, currency: 'TRY' });
  });
});
