// The manager's day report (reports.day): which day it covers in the store's time zone, and the
// manager approvals it lists (what a manager's PIN let through, by name; not attempts that failed).
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { localDateBounds } from '../../src-shared/program/local-time';
import { openCore, tempDir, valueOf as value } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});


/** A manager Meral and a cashier Can signed in at the counter, with a member; the store's clock is `clock.at`. */
function counter(timeZone: string, clock: { at: string }) {
  core = openCore(tempDir(), { sync: false, now: () => clock.at, store: { timeZone, locale: 'tr-TR', country: 'TR', currency: 'TRY' } });
  const managerScreen = core.sessions.open();
  const manager = value(core.sessions.call(managerScreen, 'auth.setup', { name: 'Meral', pin: '2580' }));
  const cashier = value(core.sessions.call(managerScreen, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }));
  const screen = core.sessions.open();
  value(core.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
  const member = value(core.sessions.call(screen, 'members.enroll', { phone: '05321234567' })).member;
  /** The clock moves on; both sign in again (a long pause signs them out). */
  const later = (at: string) => {
    clock.at = at;
    value(core!.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
    value(core!.sessions.call(managerScreen, 'auth.signIn', { userId: manager.userId, pin: '2580' }));
  };
  return { core, screen, managerScreen, manager, cashier, member, later };
}

const sell = (c: TerminalCore, screen: ReturnType<TerminalCore['sessions']['open']>, memberId: string, minor: number, key: string) =>
  value(c.sessions.call(screen, 'sales.complete', { memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: minor }], idempotencyKey: key }));

describe('reports.day', () => {
  it('lists the approvals a manager gave on a cashier’s screen by name, and a manager’s own balance adjustment, but not an approved attempt that failed', () => {
    const clock = { at: '2026-12-02T09:00:00.000Z' };
    const { core: c, screen, managerScreen, manager, cashier, member, later } = counter('Europe/Istanbul', clock);
    sell(c, screen, member.memberId, 10_000, 'day-report-sale-1');
    const approval = { userId: manager.userId, pin: '2580' };
    later('2026-12-02T10:00:00.000Z');
    value(c.sessions.call(screen, 'members.adjust', { memberId: member.memberId, points: 50, reason: 'goodwill', idempotencyKey: 'day-report-adj-1', managerOverride: approval }));
    // The manager's PIN was right, but the adjustment would take the balance below zero: nothing was approved.
    later('2026-12-02T11:00:00.000Z');
    const refused = c.sessions.call(screen, 'members.adjust', { memberId: member.memberId, points: -5_000, reason: 'correction', idempotencyKey: 'day-report-adj-2', managerOverride: approval });
    expect(refused.ok).toBe(false);
    // The manager adjusts a balance signed in themselves: listed too, as theirs. Selling is not.
    later('2026-12-02T12:00:00.000Z');
    value(c.sessions.call(managerScreen, 'members.adjust', { memberId: member.memberId, points: 20, reason: 'goodwill', idempotencyKey: 'day-report-adj-3' }));
    sell(c, managerScreen, member.memberId, 5_000, 'day-report-sale-2');

    const report = value(c.sessions.call(managerScreen, 'reports.day', {}));
    expect(report.overrides).toEqual([
      { at: '2026-12-02T10:00:00.000Z', action: 'members.adjust', userId: cashier.userId, userName: 'Can', approvedBy: manager.userId, approvedByName: 'Meral' },
      { at: '2026-12-02T12:00:00.000Z', action: 'members.adjust', userId: manager.userId, userName: 'Meral', approvedBy: manager.userId, approvedByName: 'Meral' },
    ]);
  });

  it('covers the store’s own calendar day in a zone 13 hours ahead of UTC, and in Istanbul across midnight', () => {
    // Auckland in December is UTC+13: 2 December there runs from 1 December 11:00 UTC to 2 December 11:00 UTC.
    const clock = { at: '2026-12-01T11:30:00.000Z' }; // 00:30 on 2 December in Auckland
    const { core: c, screen, managerScreen, member, later } = counter('Pacific/Auckland', clock);
    sell(c, screen, member.memberId, 10_000, 'auckland-2-dec-early');
    later('2026-12-02T10:30:00.000Z'); // 23:30 on 2 December in Auckland
    sell(c, screen, member.memberId, 20_000, 'auckland-2-dec-late');
    later('2026-12-02T11:30:00.000Z'); // 00:30 on 3 December in Auckland
    sell(c, screen, member.memberId, 40_000, 'auckland-3-dec');

    const second = value(c.sessions.call(managerScreen, 'reports.day', { day: '2026-12-02' }));
    expect(second).toMatchObject({ day: '2026-12-02', timeZone: 'Pacific/Auckland', sales: { identified: 2, totalMinor: 30_000 } });
    const today = value(c.sessions.call(managerScreen, 'reports.day', {}));
    expect(today).toMatchObject({ day: '2026-12-03', sales: { identified: 1, totalMinor: 40_000 } });
    expect(localDateBounds('2026-12-02', 'Pacific/Kiritimati')).toEqual({ start: '2026-12-01T10:00:00.000Z', end: '2026-12-02T10:00:00.000Z' });
    expect(localDateBounds('2026-12-02', 'Europe/Istanbul')).toEqual({ start: '2026-12-01T21:00:00.000Z', end: '2026-12-02T21:00:00.000Z' });
  });

  it('counts each refund once with the money it gave back, and takes that money off the day’s sales', () => {
    const clock = { at: '2026-12-01T09:00:00.000Z' };
    const { core: c, screen, managerScreen, member, later } = counter('Europe/Istanbul', clock);
    const yesterday = value(
      c.sessions.call(screen, 'sales.complete', {
        memberId: member.memberId,
        lines: [
          { category: 'G', qty: 1, unitPriceMinor: 10_000 },
          { category: 'G', qty: 1, unitPriceMinor: 5_000 },
        ],
        idempotencyKey: 'refund-day-yesterday',
      }),
    );
    later('2026-12-02T09:00:00.000Z');
    sell(c, screen, member.memberId, 20_000, 'refund-day-today');
    const anonymous = value(c.sessions.call(screen, 'sales.complete', { lines: [{ category: 'G', qty: 1, unitPriceMinor: 3_000 }], idempotencyKey: 'refund-day-anonymous' }));
    // Yesterday's second line, and today's sale without a member (which writes no ledger entry).
    value(c.sessions.call(managerScreen, 'sales.refund', { saleId: yesterday.saleId, lines: [{ lineIndex: 1, qty: 1 }], idempotencyKey: 'refund-day-r1' }));
    value(c.sessions.call(managerScreen, 'sales.refund', { saleId: anonymous.saleId, idempotencyKey: 'refund-day-r2' }));

    const report = value(c.sessions.call(managerScreen, 'reports.day', {}));
    expect(report.sales).toMatchObject({ identified: 1, anonymous: 1, totalMinor: 23_000, netMinor: 15_000 });
    expect(report.refunds).toMatchObject({ count: 2, amountMinor: 8_000 });
    expect(report.refunds.points).toBeLessThan(0);
    // Yesterday's report is as it was: its sales, and no refund made that day.
    const before = value(c.sessions.call(managerScreen, 'reports.day', { day: '2026-12-01' }));
    expect(before.sales).toMatchObject({ totalMinor: 15_000, netMinor: 15_000 });
    expect(before.refunds).toEqual({ count: 0, amountMinor: 0, points: 0 });
  });

  it('refuses a day that is not on the calendar, in words', () => {
    const clock = { at: '2026-12-02T09:00:00.000Z' };
    const { core: c, managerScreen } = counter('Europe/Istanbul', clock);
    const refused = c.sessions.call(managerScreen, 'reports.day', { day: '2026-02-30' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('"2026-02-30" is not a date on the calendar') } });
  });
});
