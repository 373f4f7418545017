// The offline redemption policy. A terminal that cannot confirm a member's balance with the
// server lets the member spend at most what the server last confirmed less what was spent here
// since (points earned offline are not spendable yet), and at most the programme's offline daily
// cap; above that a manager approves, and the approval is recorded with the redemption. A balance
// the server confirmed moments ago (members.confirmBalance) lifts both limits.
import { because, KasaError } from '../../../src-shared/api/errors';
import { localDayBounds } from '../../../src-shared/program/local-time';
import type { RuleSet } from '../../../src-shared/program/rule-set';
import type { CoreContext } from '../core-context';
import type { CallerContext } from '../handlers/handler-types';
import type { SyncClient } from './sync-client';

export function offlineSpendGuard(ctx: CoreContext, sync: SyncClient) {
  return (memberId: string, points: number, caller: CallerContext, ruleSet: RuleSet): void => {
    if (points <= 0) return;
    const status = sync.store.state();
    // A terminal that is not part of a chain is the authority for its own members.
    if (!status || status.revoked_at) return;
    if (sync.isConfirmed(memberId)) return;
    const approved = Boolean(caller.approvedBy) || caller.role === 'manager';
    const { known, pendingSpent } = sync.store.offlineBalance(memberId);
    const spendable = Math.max(0, known - pendingSpent - ruleSet.redemption.minimumBalance);
    if (points > spendable && !approved) {
      throw new KasaError(
        'VERIFICATION_REQUIRED',
        `The server cannot confirm this balance now: the member can spend up to ${spendable} points here (the balance the server last confirmed, less what was spent since). A manager can approve more.`,
        because('offline-balance', { spendable }),
      );
    }
    const cap = ruleSet.redemption.offlineDailyCapPoints;
    if (cap !== undefined && !approved) {
      const { start, end } = localDayBounds({ at: ctx.now(), timeZone: ctx.settings.timeZone });
      const today = sync.store.spentBetween(memberId, start, end);
      if (today + points > cap) {
        throw new KasaError(
          'VERIFICATION_REQUIRED',
          `Without the server, a member may spend ${cap} points a day here (${today} already today). A manager can approve more.`,
          because('offline-daily-cap', { cap, spentToday: today }),
        );
      }
    }
  };
}
