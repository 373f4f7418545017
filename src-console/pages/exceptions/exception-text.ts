// What each kind of exception is called on the Exceptions page, and what happened in one sentence a
// programme owner can act on (the details the server recorded stay available as they are).
import { EXCEPTION_KINDS, type ExceptionKind } from '../../../src-shared/sync/protocol';
import { formatPoints } from '../../components/format';

/** The kinds the server raises from what the terminals sent over a day, beside those it raises at ingest. */
export const SUSPICIOUS_EXCEPTION_KINDS = ['suspicious-redemptions', 'suspicious-enrolments'] as const;
export type ConsoleExceptionKind = ExceptionKind | (typeof SUSPICIOUS_EXCEPTION_KINDS)[number];

export const EXCEPTION_KIND_LABELS: Record<ConsoleExceptionKind, string> = {
  'negative-balance': 'Over-drawn balance',
  'earn-mismatch': 'Points do not follow the rules',
  'adjust-invalid': 'Terminal adjustment does not add up',
  'clock-skew': 'Clock skew',
  'chain-break': 'Broken chain',
  fork: 'Fork (two entries, one number)',
  'duplicate-enrolment': 'Same phone enrolled twice (merged)',
  'unknown-member': 'Unknown member',
  'offer-misuse': 'Offer used when it could not be',
  'suspicious-redemptions': 'Many redemptions in a day',
  'suspicious-enrolments': 'Many enrolments by one cashier',
};

/** Every kind, in the order the Kind filter lists them. */
export const CONSOLE_EXCEPTION_KINDS: readonly ConsoleExceptionKind[] = [...EXCEPTION_KINDS, ...SUSPICIOUS_EXCEPTION_KINDS];

export const exceptionKindLabel = (kind: string): string => EXCEPTION_KIND_LABELS[kind as ConsoleExceptionKind] ?? kind;

const times = (n: number) => `${n} ${n === 1 ? 'time' : 'times'}`;

function duration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} ${s === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h} ${h === 1 ? 'hour' : 'hours'}${m ? ` ${m} ${m === 1 ? 'minute' : 'minutes'}` : ''}`;
}

const OFFER_PROBLEMS: Record<string, string> = {
  'already-redeemed': 'was already used by another sale',
  unknown: 'is not one the server issued',
  'other-member': 'belongs to another member',
  'used-while-expired': 'had expired',
  'used-while-withdrawn': 'had been withdrawn',
};

/**
 * What happened, in words; null when the recorded details are not what this kind records (an
 * older server's), and the page shows them as they are.
 */
export function describeException(kind: string, details: Record<string, unknown>): string | null {
  const num = (key: string) => (typeof details[key] === 'number' ? (details[key] as number) : null);
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : null);
  switch (kind) {
    case 'negative-balance': {
      const balance = num('balance');
      const delta = num('batchDelta');
      if (balance === null) return null;
      return `The balance went down to ${formatPoints(balance)}${delta !== null && delta < 0 ? ` when terminal ${text('terminalId') ?? '?'} sent ${formatPoints(delta)} in one sync` : ''}: points were spent that were no longer there (often two terminals offline at once). Bring the balance back with an adjustment, or accept it.`;
    }
    case 'earn-mismatch': {
      const recorded = num('recorded');
      if (recorded === null) return null;
      const recomputed = num('recomputed');
      if (recomputed !== null) return `The terminal gave ${formatPoints(recorded)}; rule set ${text('ruleSetVersion') ?? '?'} gives ${formatPoints(recomputed)} for this sale. Check the terminal's programme version and adjust the balance if the member got too many or too few.`;
      return `The terminal gave ${formatPoints(recorded)}, which the server could not check: ${text('reason') ?? 'no reason recorded'}.`;
    }
    case 'adjust-invalid': {
      const p = num('points');
      return `A manual adjustment of ${p === null ? 'points' : formatPoints(p)} on the terminal does not add up: ${text('problem') ?? 'no reason recorded'}.`;
    }
    case 'clock-skew': {
      const skew = num('skewSeconds');
      if (skew === null) return null;
      return `The terminal's clock was ${duration(skew)} off the server's: its sales are dated wrongly. Set the terminal's date and time.`;
    }
    case 'chain-break':
      return `This entry does not follow the one the server stored before it from this terminal${details.hashValid === false ? ', and its own fingerprint does not match its contents' : ''}: entries may be missing or were changed. The entry is kept; find out what happened to the terminal.`;
    case 'fork':
      return 'Two different entries came with the same number from this terminal (a terminal restored from an old backup, or copied to another PC). The first one counts; the second is kept beside it.';
    case 'duplicate-enrolment':
      return `Phone ${text('phone') ?? '?'} was enrolled again on terminal ${text('terminalId') ?? '?'} as ${text('mergedMemberId') ?? '?'}; the server merged it into this member (a phone belongs to one member).`;
    case 'unknown-member':
      return `Terminal ${text('terminalId') ?? '?'} recorded this member, whom the server had never seen enrolled; the server created the member without a phone.`;
    case 'offer-misuse': {
      const problem = text('problem');
      return `Offer ${text('offerId') ?? '?'} was used although it ${problem ? (OFFER_PROBLEMS[problem] ?? problem) : 'could not be'}. The sale is kept as it happened.`;
    }
    case 'suspicious-redemptions': {
      const count = num('count');
      const threshold = num('threshold');
      if (count === null) return null;
      return `The member redeemed ${times(count)} on ${text('day') ?? '?'}${threshold !== null ? ` (more than ${threshold} a day is unusual)` : ''}.`;
    }
    case 'suspicious-enrolments': {
      const count = num('count');
      const threshold = num('threshold');
      if (count === null) return null;
      return `Cashier ${text('cashierId') ?? '?'} enrolled ${count} ${count === 1 ? 'member' : 'members'} on ${text('day') ?? '?'}${threshold !== null ? ` (more than ${threshold} a day is unusual)` : ''}.`;
    }
    default:
      return null;
  }
}
