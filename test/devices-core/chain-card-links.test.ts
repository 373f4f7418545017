// A payment card is known chain-wide once the server handed the terminal the chain's card key:
// every terminal makes the same `c<N>:` token of it, a link is told to the server (card.linked),
// and cards the server publishes are found here. The server's part is in test/server; a whole
// chain of terminals in test/sync/chain-card-links.test.ts.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CardKeys } from '../../src-main/core/card-keys';
import { createFileSecretStore } from '../../src-main/core/secret-store';
import { installChainCardKeys } from '../../src-main/core/sync/chain-card-keys';
import { SyncStore } from '../../src-main/core/sync/sync-store';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { CARD_LINKED_ACTION, type CardKeyRing } from '../../src-shared/sync/protocol';
import { call, callError, openCore, tempDir } from '../core/helpers';

const PAN = '4111111111111111';
const SWIPE = `%B${PAN}^DOE/JOHN^2512101000000000000000000?;${PAN}=25121010000000000000?`;
const ring = (current: number, versions = current): CardKeyRing => ({
  current,
  keys: Object.fromEntries(Array.from({ length: versions }, (_, i) => [String(i + 1), randomBytes(32).toString('base64')])),
});

const cores: TerminalCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) {
    core.close();
    await core.devices.close();
  }
});
function startCore(dataDir = tempDir('kasa-chain-cards-')): TerminalCore {
  const core = openCore(dataDir);
  cores.push(core);
  return core;
}

const sharedLinks = (core: TerminalCore) =>
  core.context.db
    .prepare<[string], { user_id: string | null; details: string }>('SELECT user_id, details FROM audit_log WHERE action = ? ORDER BY seq')
    .all(CARD_LINKED_ACTION)
    .map((r): Record<string, unknown> => ({ userId: r.user_id, ...(JSON.parse(r.details) as Record<string, unknown>) }));

describe("the chain's card keys", () => {
  it('tokenise under the chain key once it is installed, and still find cards linked under the own key', () => {
    const dir = tempDir();
    const keys = new CardKeys(createFileSecretStore(dir));
    const own = keys.token(PAN);
    expect(own).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(keys.chainVersion).toBeNull();
    expect(keys.chainTokens(PAN)).toEqual([]);

    const chain = ring(2);
    expect(keys.installChainRing(chain)).toEqual({ changed: true, replacedKeys: false });
    expect(keys.installChainRing(chain)).toEqual({ changed: false, replacedKeys: false });
    const reopened = new CardKeys(createFileSecretStore(dir));
    expect(reopened.chainVersion).toBe(2);
    const token = reopened.token(PAN);
    expect(token).toMatch(/^c2:[0-9a-f]{64}$/);
    expect(reopened.chainTokens(PAN)).toEqual([token, expect.stringMatching(/^c1:/)]);
    expect(reopened.candidateTokens(PAN)).toEqual([...reopened.chainTokens(PAN), own]);
    // Another terminal holding the same ring makes the same tokens; one with its own key does not.
    const other = new CardKeys(createFileSecretStore(tempDir()));
    other.installChainRing(chain);
    expect(other.chainTokens(PAN)).toEqual(reopened.chainTokens(PAN));
    expect(other.candidateTokens(PAN)).not.toContain(own);
    // Another chain's ring (enrolled with another server) replaces it, and says so.
    expect(reopened.installChainRing(ring(1))).toEqual({ changed: true, replacedKeys: true });
  });

  it('refuses a damaged ring kept on the terminal, saying what to do', () => {
    const dir = tempDir();
    createFileSecretStore(dir).set('chain-card-keys', Buffer.from('{"current":1,"keys":{}}'));
    expect(() => new CardKeys(createFileSecretStore(dir))).toThrow(/damaged: enrol the terminal again/);
  });
});

describe('members.linkCard tells the server about the card', () => {
  it('a payment card under every chain key version, never its number; a loyalty card by its number', () => {
    const core = startCore();
    installChainCardKeys(core.context, ring(2));
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    const swipe = call(core, 'devices.keyboardScan', { text: SWIPE });
    expect(swipe.member).toBeNull();
    const linked = call(core, 'members.linkCard', { memberId: member.memberId, lastCardScan: true, scanId: swipe.scanId });
    call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'LOY-77' });
    expect(sharedLinks(core)).toEqual([
      { userId: 'cashier-1', kind: 'payment', memberId: member.memberId, cardId: linked.card.cardId, tokens: core.context.cardKeys.chainTokens(PAN), brand: 'visa', last4: '1111' },
      { userId: 'cashier-1', kind: 'loyalty', memberId: member.memberId, cardId: expect.any(String), cardNumber: 'LOY-77' },
    ]);
    const everything = JSON.stringify(core.context.db.prepare('SELECT * FROM audit_log').all());
    expect(everything).not.toContain(PAN);
    expect(everything).not.toContain(PAN.slice(0, 12));
    // The card is found again by its chain token.
    expect(call(core, 'devices.keyboardScan', { text: SWIPE }).member?.memberId).toBe(member.memberId);
  });

  it('a payment card linked before the chain key is shared the next time it is swiped, and found all along', () => {
    const core = startCore();
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    call(core, 'members.linkCard', { memberId: member.memberId, lastCardScan: true, scanId: call(core, 'devices.keyboardScan', { text: SWIPE }).scanId });
    call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'LOY-1' });
    // Without the chain key, a payment card stays this terminal's: no record carries it.
    expect(sharedLinks(core).map((l) => l.kind)).toEqual(['loyalty']);
    const ownToken = core.context.cardKeys.token(PAN);

    installChainCardKeys(core.context, ring(1));
    // The loyalty cards linked before are told to the server once, when the key first arrives.
    expect(sharedLinks(core).map((l) => [l.kind, l.userId])).toEqual([['loyalty', 'cashier-1'], ['loyalty', null]]);
    installChainCardKeys(core.context, ring(1, 1));
    expect(sharedLinks(core)).toHaveLength(2);

    // The next swipe finds the member by the own-key token, and from then on the card is the chain's.
    const cardRow = () => core.context.db.prepare("SELECT card_token FROM member_cards WHERE kind = 'payment'").get() as { card_token: string };
    expect(cardRow().card_token).toBe(ownToken);
    const swipe = call(core, 'devices.keyboardScan', { text: SWIPE });
    expect(swipe.member?.memberId).toBe(member.memberId);
    expect(cardRow().card_token).toBe(core.context.cardKeys.token(PAN));
    expect(cardRow().card_token).toMatch(/^c1:/);
    expect(sharedLinks(core).at(-1)).toEqual({ userId: null, kind: 'payment', memberId: member.memberId, cardId: expect.any(String), tokens: core.context.cardKeys.chainTokens(PAN), brand: 'visa', last4: '1111' });
    expect(call(core, 'devices.keyboardScan', { text: SWIPE }).member?.memberId).toBe(member.memberId);
    expect(sharedLinks(core)).toHaveLength(3);
    // Linking it again tells the server again (it takes a link it knows as nothing new); still one member per card.
    expect(call(core, 'members.linkCard', { memberId: member.memberId, lastCardScan: true }).created).toBe(false);
    expect(sharedLinks(core)).toHaveLength(4);
    const other = call(core, 'members.enroll', { phone: '05321234568' }).member;
    expect(callError(core, 'members.linkCard', { memberId: other.memberId, lastCardScan: true }).code).toBe('ALREADY_EXISTS');
  });
});

describe('cards the server publishes', () => {
  it('are found at a terminal that never saw them, and move to the member the server says holds them', () => {
    const chain = ring(1);
    const linking = new CardKeys(createFileSecretStore(tempDir()));
    linking.installChainRing(chain);
    const [token] = linking.chainTokens(PAN);
    if (!token) throw new Error('no chain token');

    const core = startCore();
    installChainCardKeys(core.context, chain);
    const local = call(core, 'members.enroll', { phone: '05329999999' }).member;
    call(core, 'members.linkCard', { memberId: local.memberId, loyaltyCardNumber: 'LOY-9' });
    const store = new SyncStore(core.context.db);
    store.applyPage(
      [
        {
          dataset: 'members',
          key: 'm-server',
          payload: {
            memberId: 'm-server',
            phone: '05321111111',
            name: 'Ayşe',
            cards: [
              { kind: 'payment', cardId: 'card-1', token, brand: 'visa', last4: '1111' },
              // Linked here to another member; the server merged and says it is this one's now.
              { kind: 'loyalty', cardId: 'card-2', cardNumber: 'loy-9' },
              // A kind this terminal does not know is left out.
              { kind: 'nfc-wristband', cardId: 'card-3', uid: '04A1' },
            ],
          },
        },
      ],
      'cursor-1',
      core.context.now(),
    );
    expect(call(core, 'devices.keyboardScan', { text: SWIPE }).member).toMatchObject({ memberId: 'm-server', name: 'Ayşe' });
    expect(call(core, 'devices.keyboardScan', { text: 'LOY-9' }).member?.memberId).toBe('m-server');
    expect(core.context.db.prepare('SELECT count(*) AS n FROM member_cards').get()).toEqual({ n: 2 });

    // The snapshot brings them too.
    store.applySnapshotMembers([{ memberId: 'm-snap', phone: '05322222222', name: null, balance: 40, cards: [{ kind: 'loyalty', cardId: 'card-4', cardNumber: 'LOY-SNAP' }] }], core.context.now());
    expect(call(core, 'devices.keyboardScan', { text: 'LOY-SNAP' }).member).toMatchObject({ memberId: 'm-snap', balance: 40 });
    // A change without `cards` says nothing about them.
    store.applyPage([{ dataset: 'members', key: 'm-server', payload: { memberId: 'm-server', phone: '05321111111', name: 'Ayşe Y.' } }], 'cursor-2', core.context.now());
    expect(call(core, 'devices.keyboardScan', { text: SWIPE }).member).toMatchObject({ memberId: 'm-server', name: 'Ayşe Y.' });
  });
});

describe("a member's cards as a feed change lists them", () => {
  it('drops the cards the server no longer lists, but not one the server never knew or has not been told of yet', () => {
    const core = startCore();
    installChainCardKeys(core.context, ring(1));
    const store = new SyncStore(core.context.db);
    store.saveEnrolment('https://kasa.example', 's1', 'Moda', core.context.now());
    const member = call(core, 'members.enroll', { phone: '05321234567' }).member;
    // Linked here and told to the server (its record acknowledged): the server has it.
    const told = call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'LOY-TOLD' }).card;
    const acked = (core.context.db.prepare('SELECT max(seq) AS seq FROM audit_log').get() as { seq: number }).seq;
    core.context.db.prepare('UPDATE sync_state SET audit_acked_through_seq = ? WHERE id = 1').run(acked);
    // Linked here a moment ago: its record has not gone yet.
    call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'LOY-QUEUED' });
    // A payment card under this terminal's own key, as linked before the chain's: the server never knew it.
    core.context.db
      .prepare("INSERT INTO member_cards (card_id, member_id, kind, card_token, brand, last4, linked_at) VALUES ('own-1', ?, 'payment', ?, 'visa', '0004', ?)")
      .run(member.memberId, `v1:${'ab'.repeat(32)}`, core.context.now());
    const cardsHere = () => (core.context.db.prepare('SELECT card_id FROM member_cards WHERE member_id = ? ORDER BY card_id').all(member.memberId) as { card_id: string }[]).map((r) => r.card_id).sort();

    // The owner took LOY-TOLD off the member: the server lists only another card of theirs.
    store.applyPage([{ dataset: 'members', key: member.memberId, payload: { memberId: member.memberId, phone: member.phone, name: null, cards: [{ kind: 'loyalty', cardId: 'card-x', cardNumber: 'LOY-X' }] } }], 'c1', core.context.now());
    const queued = core.context.db.prepare("SELECT card_id FROM member_cards WHERE card_number = 'LOY-QUEUED'").get() as { card_id: string };
    expect(cardsHere()).toEqual(['card-x', 'own-1', queued.card_id].sort());
    expect(cardsHere()).not.toContain(told.cardId);
    expect(call(core, 'devices.keyboardScan', { text: 'LOY-TOLD' }).member).toBeNull();
    expect(call(core, 'devices.keyboardScan', { text: 'LOY-QUEUED' }).member?.memberId).toBe(member.memberId);
    // The snapshot only adds: a member line lists what the server holds, and older servers list nothing.
    store.applySnapshotMembers([{ memberId: member.memberId, phone: member.phone, name: null, balance: 0, cards: [] }], core.context.now());
    expect(cardsHere()).toEqual(['card-x', 'own-1', queued.card_id].sort());
  });
});
