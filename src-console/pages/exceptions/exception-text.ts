// What each kind of exception is called on the Exceptions page, and what happened in one sentence a
// programme owner can act on (the details the server recorded stay available as they are), in the
// console's language (i18n/en.ts exceptionKinds, exceptionText).
import type { TFunction } from 'i18next';
import { isExceptionKind } from '../../../src-shared/console/exception-kinds';
import type { ExceptionResolution } from '../../../src-shared/console/member-views';
import type { ConsoleFormat } from '../../components/format';
import { reasonCodeLabel } from '../../components/code-labels';

/** The kind's name; a kind this console does not know (a newer server's) as the server calls it. */
export const exceptionKindLabel = (kind: string, t: TFunction): string => (isExceptionKind(kind) ? t(`exceptionKinds.${kind}`) : kind);

/** Why an offer could not be used, as the server records it (details.problem). */
const OFFER_PROBLEMS = ['already-redeemed', 'unknown', 'other-member', 'used-while-expired', 'used-while-withdrawn'];

/**
 * What happened, in words; null when the recorded details are not what this kind records (an
 * older server's), and the page shows them as they are.
 */
export function describeException(kind: string, details: Record<string, unknown>, t: TFunction, f: ConsoleFormat): string | null {
  const num = (key: string) => (typeof details[key] === 'number' ? (details[key] as number) : null);
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : null);
  const unknown = t('common.unknown');
  const terminal = text('terminalId') ?? unknown;
  switch (kind) {
    case 'negative-balance': {
      const balance = num('balance');
      const delta = num('batchDelta');
      if (balance === null) return null;
      return delta !== null && delta < 0
        ? t('exceptionText.negativeBalanceInSync', { balance: f.points(balance), terminal, delta: f.points(delta) })
        : t('exceptionText.negativeBalance', { balance: f.points(balance) });
    }
    case 'earn-mismatch': {
      const recorded = num('recorded');
      if (recorded === null) return null;
      const recomputed = num('recomputed');
      if (recomputed !== null) return t('exceptionText.earnMismatch', { recorded: f.points(recorded), version: text('ruleSetVersion') ?? unknown, recomputed: f.points(recomputed) });
      return t('exceptionText.earnUnchecked', { recorded: f.points(recorded), reason: text('reason') ?? t('exceptionText.noReason') });
    }
    case 'adjust-invalid': {
      const p = num('points');
      const problem = text('problem') ?? t('exceptionText.noReason');
      return p === null ? t('exceptionText.adjustInvalidNoPoints', { problem }) : t('exceptionText.adjustInvalid', { points: f.points(p), problem });
    }
    case 'clock-skew': {
      const skew = num('skewSeconds');
      if (skew === null) return null;
      return t('exceptionText.clockSkew', { duration: f.duration(skew) });
    }
    case 'chain-break':
      return t(details.hashValid === false ? 'exceptionText.chainBreakAndHash' : 'exceptionText.chainBreak');
    case 'fork':
      return t('exceptionText.fork');
    case 'duplicate-enrolment': {
      const merged = text('mergedMemberId') ?? unknown;
      // Merged by a card linked to both members (details.card: never a token), or by a phone.
      const card = typeof details.card === 'object' && details.card !== null ? (details.card as Record<string, unknown>) : null;
      const cardText = (key: string) => (typeof card?.[key] === 'string' ? (card[key] as string) : unknown);
      if (card?.kind === 'payment') return t('exceptionText.duplicateEnrolmentPaymentCard', { brand: cardText('brand'), last4: cardText('last4'), terminal, merged });
      if (card?.kind === 'loyalty') return t('exceptionText.duplicateEnrolmentLoyaltyCard', { cardNumber: cardText('cardNumber'), terminal, merged });
      return t('exceptionText.duplicateEnrolment', { phone: text('phone') ?? unknown, terminal, merged });
    }
    case 'unknown-member':
      return t('exceptionText.unknownMember', { terminal });
    case 'offer-misuse': {
      const problem = text('problem');
      const offer = text('offerId') ?? unknown;
      if (problem === null) return t('exceptionText.offerMisuse.none', { offer });
      return OFFER_PROBLEMS.includes(problem) ? t(`exceptionText.offerMisuse.${problem}`, { offer }) : t('exceptionText.offerMisuse.other', { offer, problem });
    }
    case 'suspicious-redemptions':
    case 'suspicious-enrolments': {
      const count = num('count');
      const threshold = num('threshold');
      if (count === null) return null;
      const sentence = kind === 'suspicious-redemptions' ? 'exceptionText.suspiciousRedemptions' : 'exceptionText.suspiciousEnrolments';
      return t(threshold !== null ? `${sentence}Over` : sentence, { count, threshold, day: text('day') ?? unknown, cashier: text('cashierId') ?? unknown });
    }
    default:
      return null;
  }
}

/**
 * How an exception was resolved, in the console's language; the owner's own words (a note, a
 * reason, a resolution typed at the CLI) as written.
 */
export function resolutionText(resolution: ExceptionResolution, t: TFunction, f: ConsoleFormat): string {
  switch (resolution.action) {
    case 'accepted':
      return t('exceptions.resolutions.accepted', { note: resolution.note });
    case 'adjusted': {
      const said = t('exceptions.resolutions.adjusted', { points: f.points(resolution.points, 'plus'), reason: reasonCodeLabel(resolution.reasonCode, t) });
      return resolution.note === null ? said : `${said}: ${resolution.note}`;
    }
    case 'flagged':
      return t(resolution.target === 'member' ? 'exceptions.resolutions.memberFlagged' : 'exceptions.resolutions.terminalFlagged', { reason: resolution.reason });
    case 'noted':
      return resolution.text;
  }
}
