import { KasaError } from '../../../src-shared/api/errors';
import { CARD_LINKED_ACTION, type CardLinkedDetails } from '../../../src-shared/sync/protocol';
import type { DeviceManager } from '../devices/device-manager';
import { chainPaymentLink, MemberCardsRepo, toLinkedCardView } from '../devices/member-cards';
import { looksLikePan, normalizeCardCode } from '../devices/scan-interpreter';
import { MembersRepo } from '../members-repo';
import type { HandlerModule } from './handler-types';

type DeviceMethods = 'devices.list' | 'devices.health' | 'devices.configure' | 'devices.keyboardScan' | 'devices.feedback' | 'members.linkCard';

export const deviceHandlers = (devices: DeviceManager): HandlerModule<DeviceMethods> => (ctx) => {
  const members = new MembersRepo(ctx.db);
  const cards = new MemberCardsRepo(ctx.db);

  const requireMember = (memberId: string) => {
    const member = members.byId(memberId);
    if (!member) throw new KasaError('NOT_FOUND', `No member with id ${memberId}`);
    return member;
  };

  return {
    'devices.list': (args) => devices.list(args),
    'devices.health': () => devices.health(),
    'devices.configure': (args) => devices.configure(args),
    'devices.keyboardScan': (args) => devices.keyboardScan(args.text),
    'devices.feedback': (args) => devices.feedback(args.deviceId, args.kind),
    'members.linkCard': (args, caller) => {
      const memberId = requireMember(args.memberId).memberId;
      const at = ctx.now();
      // Every link is told to the server (card.linked, in this transaction), once the card can be
      // known chain-wide: it then finds the card at every store, and merges two members holding it.
      const share = (details: CardLinkedDetails) => ctx.audit.append({ userId: caller.userId, role: caller.role, action: CARD_LINKED_ACTION, outcome: 'ok', details }, at);
      if ('lastCardScan' in args) {
        const card = devices.lastCardForLink(args.scanId);
        const existing = cards.byTokens(card.tokens);
        if (existing && existing.member_id !== memberId) throw new KasaError('ALREADY_EXISTS', 'This card is already linked to another member');
        const { row, shared } = chainPaymentLink(cards, existing ?? cards.insertPayment(ctx.newId(), memberId, card.token, card.brand, card.last4, at, caller.userId), card);
        if (shared) share(shared);
        return { member: requireMember(memberId), card: toLinkedCardView(row), created: existing === null };
      }
      const code = normalizeCardCode(args.loyaltyCardNumber);
      if (code === null) throw new KasaError('VALIDATION', 'A card number is 1 to 128 printable characters without spaces (or a digital card link)');
      // A payment card number typed or scanned here would be kept in clear: refuse it, point to the swipe.
      if (looksLikePan(code)) throw new KasaError('VALIDATION', 'This is a payment card number: swipe the card and link it with lastCardScan instead');
      const existing = cards.byNumber(code);
      if (existing && existing.member_id !== memberId) throw new KasaError('ALREADY_EXISTS', 'This card number is already linked to another member');
      const row = existing ?? cards.insertLoyalty(ctx.newId(), memberId, code, at, caller.userId);
      share({ kind: 'loyalty', memberId, cardId: row.card_id, cardNumber: row.card_number ?? code });
      return { member: requireMember(memberId), card: toLinkedCardView(row), created: existing === null };
    },
  };
};
