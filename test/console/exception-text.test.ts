// The Exceptions page names every kind the server raises (an offer used twice had no name and could
// not be chosen in the Kind filter) and says what happened in words, not as the recorded keys.
import { describe, expect, it } from 'vitest';
import { makeFormat } from '../../src-console/components/format';
import { createConsoleI18n } from '../../src-console/i18n/console-i18n';
import { ALL_EXCEPTION_KINDS } from '../../src-shared/console/exception-kinds';
import { describeException as describeIn, exceptionKindLabel as kindLabelIn, resolutionText } from '../../src-console/pages/exceptions/exception-text';
import { EXCEPTION_KINDS } from '../../src-shared/sync/protocol';
import { resolutionSentence, type ExceptionResolution } from '../../src-shared/console/member-views';

const english = createConsoleI18n('en');
const turkish = createConsoleI18n('tr');
const describeException = (kind: string, details: Record<string, unknown>) => describeIn(kind, details, english.t, makeFormat('en-US', english.t));
const exceptionKindLabel = (kind: string) => kindLabelIn(kind, english.t);

describe('exception kinds and what happened', () => {
  it('names every kind the server raises, and offers each in the Kind filter', () => {
    for (const kind of [...EXCEPTION_KINDS, 'suspicious-redemptions', 'suspicious-enrolments']) {
      expect(exceptionKindLabel(kind), kind).not.toBe(kind);
      expect(ALL_EXCEPTION_KINDS).toContain(kind);
    }
    expect(exceptionKindLabel('offer-misuse')).toBe('Offer used when it could not be');
  });

  it('says what happened in words, with the details as the server records them', () => {
    const said = {
      'negative-balance': describeException('negative-balance', { balance: -72, terminalId: 't-1', batchDelta: -60 }),
      'earn-mismatch': describeException('earn-mismatch', { recorded: 99, recomputed: 12, ruleSetVersion: 'club-1' }),
      'clock-skew': describeException('clock-skew', { terminalId: 't-1', skewSeconds: 10_800 }),
      'chain-break': describeException('chain-break', { hashValid: true, expectedPrevHash: 'a'.repeat(64), receivedPrevHash: 'f'.repeat(64) }),
      'offer-misuse': describeException('offer-misuse', { offerId: 'o-1', problem: 'already-redeemed', firstUse: { terminalId: 't-2', seq: 4, saleId: 's' } }),
      'suspicious-redemptions': describeException('suspicious-redemptions', { subject: 'm-1', day: '2026-12-01', count: 7, threshold: 5 }),
      'suspicious-enrolments': describeException('suspicious-enrolments', { subject: 'c-busy', cashierId: 'c-busy', day: '2026-11-20', count: 41, threshold: 40 }),
    };
    expect(said['negative-balance']).toContain('The balance went down to -72 points when terminal t-1 sent -60 points in one sync');
    expect(said['earn-mismatch']).toContain('The terminal gave 99 points; rule set club-1 gives 12 points for this sale.');
    expect(said['clock-skew']).toContain("The terminal's clock was 3 hours off the server's");
    expect(said['offer-misuse']).toContain('Offer o-1 was used although it was already used by another sale.');
    expect(said['suspicious-redemptions']).toBe('The member redeemed 7 times on 2026-12-01 (more than 5 a day is unusual).');
    expect(said['suspicious-enrolments']).toBe('Cashier c-busy enrolled 41 members on 2026-11-20 (more than 40 a day is unusual).');
    for (const [kind, text] of Object.entries(said)) expect(text, kind).not.toMatch(/batchDelta|skewSeconds|expectedPrevHash|recomputed|threshold|hashValid/);
    // One, not "1 points"; an older server's details are shown as they are.
    expect(describeException('adjust-invalid', { points: 1, problem: 'balanceAfter is not balanceBefore + points' })).toContain('A manual adjustment of 1 point on the terminal');
    expect(describeException('clock-skew', { something: 'else' })).toBeNull();
  });

  it('says which card merged two members, or which phone', () => {
    expect(describeException('duplicate-enrolment', { card: { kind: 'payment', brand: 'visa', last4: '4242' }, mergedMemberId: 'm-2', terminalId: 't-2', mergeId: 7 })).toBe(
      "Terminal t-2 linked visa card ending 4242 to member m-2, and it was already this member's; the server merged m-2 into this member (a card belongs to one member).",
    );
    expect(describeException('duplicate-enrolment', { card: { kind: 'loyalty', cardNumber: 'LOY-77' }, mergedMemberId: 'm-2', terminalId: 't-2', mergeId: 7 })).toContain('linked loyalty card LOY-77 to member m-2');
    expect(describeException('duplicate-enrolment', { phone: '+905551112233', mergedMemberId: 'm-2', terminalId: 't-2' })).toContain('Phone +905551112233 was enrolled again on terminal t-2 as m-2');
    expect(exceptionKindLabel('duplicate-enrolment')).toBe('Same customer enrolled twice (merged)');
    const inTurkish = describeIn('duplicate-enrolment', { card: { kind: 'payment', brand: 'troy', last4: '0001' }, mergedMemberId: 'm-2', terminalId: 't-2' }, turkish.t, makeFormat('tr-TR', turkish.t));
    expect(inTurkish).toContain('sonu 0001 olan troy kartını m-2 üyesine bağladı');
  });

  it('says the same in Turkish, with Turkish numbers and one form of the noun', () => {
    const describe = (kind: string, details: Record<string, unknown>) => describeIn(kind, details, turkish.t, makeFormat('tr-TR', turkish.t));
    expect(kindLabelIn('negative-balance', turkish.t)).toBe('Eksiye düşen bakiye');
    for (const kind of ALL_EXCEPTION_KINDS) expect(kindLabelIn(kind, turkish.t), kind).not.toBe(kindLabelIn(kind, english.t));
    expect(describe('negative-balance', { balance: -1_072, terminalId: 't-1', batchDelta: -1 })).toMatch(/^t-1 terminali tek eşitlemede -1 puan gönderince bakiye -1\.072 puan değerine düştü/);
    expect(describe('clock-skew', { skewSeconds: 10_800 + 300 })).toContain('3 saat 5 dakika');
    expect(describe('suspicious-redemptions', { day: '2026-12-01', count: 7, threshold: 5 })).toBe('Üye 2026-12-01 tarihinde 7 kez puan harcadı (günde 5 kereden fazlası olağan dışıdır).');
    expect(describe('offer-misuse', { offerId: 'o-1', problem: 'other-member' })).toContain('başka bir üyeye ait');
  });

  it('says how an exception was resolved in the console’s language, the owner’s words as written', () => {
    const recorded: ExceptionResolution[] = [
      { action: 'accepted', note: 'same person, two phones' },
      { action: 'adjusted', points: 300, reasonCode: 'offline-double-redemption', note: 'two tills offline at once' },
      { action: 'adjusted', points: -1, reasonCode: 'correction', note: null },
      { action: 'flagged', target: 'member', reason: 'shares a card' },
      { action: 'flagged', target: 'terminal', reason: 'wrong clock (points) edited?' },
    ];
    const tr = (r: ExceptionResolution) => resolutionText(r, turkish.t, makeFormat('tr-TR', turkish.t));
    expect(recorded.map(tr)).toEqual([
      'kabul edildi: same person, two phones',
      'bakiye düzeltildi: +300 puan (çevrimdışı çift harcama): two tills offline at once',
      'bakiye düzeltildi: -1 puan (düzeltme)',
      'üye işaretlendi: shares a card',
      'terminal işaretlendi: wrong clock (points) edited?',
    ]);
    const en = (r: ExceptionResolution) => resolutionText(r, english.t, makeFormat('en-US', english.t));
    expect(recorded.map(en)).toEqual([
      'accepted: same person, two phones',
      'adjusted +300 points (offline-double-redemption): two tills offline at once',
      'adjusted -1 point (correction)',
      'member flagged: shares a card',
      'terminal flagged: wrong clock (points) edited?',
    ]);
    // The English sentence the server records beside each, for the CLI.
    expect(recorded.map(resolutionSentence)).toEqual([
      'accepted: same person, two phones',
      'adjusted +300 points (offline-double-redemption): two tills offline at once',
      'adjusted -1 points (correction)',
      'member flagged: shares a card',
      'terminal flagged: wrong clock (points) edited?',
    ]);
    // The CLI's resolve-exception takes any text: shown as written.
    expect(tr({ action: 'noted', text: 'accepted: called the store, all fine' })).toBe('accepted: called the store, all fine');
  });
});
