// The chain's card key ring arriving from the server (at enrolment, or when a pull says its version
// moved): kept in the secret store, and the first time, the loyalty cards linked here before are
// told to the server, which had never heard of them. Payment cards linked under the terminal's own
// key cannot be: their number was never kept. Linking such a card again shares it.
import { CARD_LINKED_ACTION, type CardKeyRing, type CardLinkedDetails } from '../../../src-shared/sync/protocol';
import type { CoreContext } from '../core-context';

type Context = Pick<CoreContext, 'db' | 'audit' | 'cardKeys' | 'log' | 'now'>;

export function installChainCardKeys(ctx: Context, ring: CardKeyRing): void {
  const first = ctx.cardKeys.chainVersion === null;
  const installed = ctx.cardKeys.installChainRing(ring);
  if (!installed.changed) return;
  ctx.log.info('sync.card-keys', { version: ring.current, versions: Object.keys(ring.keys).length, replacedKeys: installed.replacedKeys });
  if (first) shareLoyaltyCards(ctx);
}

function shareLoyaltyCards(ctx: Context): void {
  ctx.db.transaction(() => {
    const at = ctx.now();
    const rows = ctx.db.prepare<[], { card_id: string; member_id: string; card_number: string }>("SELECT card_id, member_id, card_number FROM member_cards WHERE kind = 'loyalty' ORDER BY linked_at, card_id").all();
    for (const row of rows) {
      const details: CardLinkedDetails = { kind: 'loyalty', memberId: row.member_id, cardId: row.card_id, cardNumber: row.card_number };
      ctx.audit.append({ userId: null, role: null, action: CARD_LINKED_ACTION, outcome: 'ok', details }, at);
    }
  })();
}
