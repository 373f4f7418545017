// The same card linked on different terminals is one member (docs/sync-protocol.md): the server
// hands its terminals the chain's card key ring, stores the cards their card.linked audit records
// name, merges two members holding one card (undoably), and publishes each member's cards in the
// feed and the snapshot. A card token never reaches an exception or the log.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHashInput, type AuditEntry } from '../../src-shared/ledger/audit-entry';
import { GENESIS_HASH } from '../../src-shared/ledger/entry';
import { CARD_LINKED_ACTION, type CardLinkedDetails } from '../../src-shared/sync/protocol';
import type { PushBody } from '../../src-shared/sync/push-body';
import { buildApp } from '../../src-server/app';
import { readCardKeyFile } from '../../src-server/card-key-file';
import type { RunningServer } from '../../src-server/start-server';
import { tempDir } from '../core/helpers';
import { createEnrolCode } from '../../src-server/admin';
import { ADMIN_TOKEN, balancesMatchLedger, ENGINES, http, pushBodyOf, sha256Hex, SimTerminal, startTestServer } from './server-harness';

type PushExtras = Partial<Omit<PushBody, 'entriesJson' | 'auditJson'>>;

/** A terminal with its audit log (hash-chained like a terminal's) beside its ledger. */
class AuditingTerminal extends SimTerminal {
  auditSeq = 0;
  auditPrev = GENESIS_HASH;
  readonly audit: AuditEntry[] = [];

  record(action: string, details: Record<string, unknown>): AuditEntry {
    this.auditSeq += 1;
    const unhashed = { terminalId: this.terminalId, seq: this.auditSeq, at: new Date().toISOString(), userId: 'c1', role: 'cashier', action, outcome: 'ok' as const, details, prevHash: this.auditPrev };
    const record = { ...unhashed, hash: sha256Hex(auditHashInput(unhashed)) };
    this.auditPrev = record.hash;
    this.audit.push(record);
    return record;
  }

  linkCard(details: CardLinkedDetails): AuditEntry {
    return this.record(CARD_LINKED_ACTION, details);
  }

  pushAll(server: RunningServer, extras: PushExtras = {}, entries = this.entries, audit = this.audit) {
    return http(server, 'POST', '/v1/sync/push', pushBodyOf(entries, { auditJson: JSON.stringify(audit), ...extras }), this.credential);
  }
}

const token = (version = 1) => `c${version}:${randomBytes(32).toString('hex')}`;
const phone = () => `+90555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

describe.each(ENGINES)('cards linked across terminals on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    ctx = await startTestServer(engine);
  });
  afterAll(() => ctx.close());

  const admin = (method: string, p: string, body?: unknown) => http(ctx.server, method, p, body, ADMIN_TOKEN);
  const balanceOf = async (memberId: string) => (await admin('GET', `/v1/admin/members/${memberId}`)).body.member.balance as number;
  const exceptionsOf = (terminalId: string) =>
    ctx.server.db.query<{ kind: string; member_id: string; seq: number | null; details: Record<string, unknown> }>(`SELECT kind, member_id, seq, details FROM exceptions WHERE terminal_id = $1 AND kind = 'duplicate-enrolment' ORDER BY exception_id`, [terminalId]);
  /** The feed from its start (tried again while another test file's transaction holds it back). */
  async function feedUntil(t: SimTerminal, found: (changes: { dataset: string; key: string; payload: any }[]) => boolean) {
    let changes: { dataset: string; key: string; payload: any }[] = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      changes = [];
      let cursor = '';
      for (;;) {
        const page = (await http(ctx.server, 'GET', `/v1/sync/pull?limit=5000${cursor ? `&cursor=${cursor}` : ''}`, undefined, t.credential)).body;
        changes.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      if (found(changes)) return changes;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return changes;
  }

  it('hands the key ring to terminals: in the enrolment answer, by GET /v1/terminals/card-keys, its version on every pull page', async () => {
    const ring = readCardKeyFile(ctx.cardKeyFile ?? '');
    const t = new SimTerminal();
    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    const enrolled = await http(ctx.server, 'POST', '/v1/terminals/enrol', { code, terminalId: t.terminalId });
    expect(enrolled.status).toBe(200);
    expect(enrolled.body.cardKeys).toEqual(ring);
    t.credential = enrolled.body.credential;
    expect(await http(ctx.server, 'GET', '/v1/terminals/card-keys', undefined, t.credential)).toEqual({ status: 200, body: ring });
    expect((await http(ctx.server, 'GET', '/v1/terminals/card-keys')).status).toBe(401);
    expect((await http(ctx.server, 'GET', '/v1/terminals/card-keys', undefined, ADMIN_TOKEN)).status).toBe(401);
    const page = await http(ctx.server, 'GET', '/v1/sync/pull?limit=1', undefined, t.credential);
    expect(page.body).toMatchObject({ mustRefetch: false, cardKeyVersion: ring.current });
  });

  it('runs without a key as before: no ring to hand out (404), none on the pull, and says so once in the log', async () => {
    const bare = await startTestServer(engine, { cardKeyFile: null });
    try {
      const t = new SimTerminal();
      await t.enrol(bare.server);
      const { code } = await createEnrolCode(bare.server.db, 'test', 'kadikoy');
      const other = await http(bare.server, 'POST', '/v1/terminals/enrol', { code, terminalId: `t-${randomUUID().slice(0, 8)}` });
      expect(other.body.cardKeys).toBeUndefined();
      const none = await http(bare.server, 'GET', '/v1/terminals/card-keys', undefined, t.credential);
      expect(none.status).toBe(404);
      expect(none.body.error).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('This server has no card key') });
      const page = await http(bare.server, 'GET', '/v1/sync/pull', undefined, t.credential);
      expect(page.body.mustRefetch).toBe(false);
      expect(page.body).not.toHaveProperty('cardKeyVersion');
    } finally {
      await bare.close();
    }
    const lines: string[] = [];
    const app = await buildApp({ db: ctx.server.db, adminToken: ADMIN_TOKEN, logger: { stream: { write: (line: string) => lines.push(line) } } });
    await app.close();
    expect(lines.filter((l) => l.includes('No card key file'))).toHaveLength(1);
    expect(lines.join('')).toContain('a linked payment card is known only at the terminal that linked it');
  });

  it('logs where it made a new key and that it must be backed up apart from the database, never the key', async () => {
    const file = path.join(tempDir('kasa-card-key-'), 'card-key.json');
    const lines: string[] = [];
    const app = await buildApp({ db: ctx.server.db, adminToken: ADMIN_TOKEN, cardKeyFile: file, logger: { stream: { write: (line: string) => lines.push(line) } } });
    await app.close();
    const log = lines.join('');
    expect(log).toContain(`Made a new chain card key in ${file}`);
    expect(log).toContain('apart from the database');
    expect(log).not.toContain(readCardKeyFile(file).keys['1']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('makes one member of two that the same payment card was linked to on two offline terminals, undoably, and never shows the token', async () => {
    const t1 = new AuditingTerminal();
    const t2 = new AuditingTerminal();
    await t1.enrol(ctx.server);
    await t2.enrol(ctx.server);
    const [v1, v2] = [token(1), token(2)];
    const first = t1.enrolMember(phone(), undefined, { name: 'Ayşe' }).memberId;
    t1.earn(first, 10_000);
    t1.linkCard({ kind: 'payment', memberId: first, cardId: 'card-a', tokens: [v1], brand: 'visa', last4: '4242' });
    const second = t2.enrolMember(phone(), undefined, { name: 'Ayşe Y.' }).memberId;
    t2.earn(second, 20_000);
    const own = `OWN-${randomUUID().slice(0, 8)}`;
    t2.linkCard({ kind: 'loyalty', memberId: second, cardId: 'own-card', cardNumber: own });
    // The second terminal holds keys 1 and 2 (a rotation): its record brings both tokens.
    t2.linkCard({ kind: 'payment', memberId: second, cardId: 'card-b', tokens: [v1, v2], brand: 'visa', last4: '4242' });
    expect((await t1.pushAll(ctx.server)).body.auditAckedThroughSeq).toBe(1);
    const firstAlone = await balanceOf(first);

    // The second push goes through an app whose log this test reads.
    const lines: string[] = [];
    const app = await buildApp({ db: ctx.server.db, adminToken: ADMIN_TOKEN, logger: { stream: { write: (line: string) => lines.push(line) } } });
    const body = pushBodyOf(t2.entries, { auditJson: JSON.stringify(t2.audit) });
    let answer;
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/sync/push', payload: body, headers: { authorization: `Bearer ${t2.credential}`, 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(200);
      answer = res.json();
    } finally {
      await app.close();
    }
    expect(answer.auditAckedThroughSeq).toBe(2);
    const total = await balanceOf(first);
    const secondAlone = total - firstAlone;
    expect(secondAlone).toBeGreaterThan(0);
    // The answer gives the survivor's balance, not the merged-away member's.
    expect(answer.balances.map((b: { memberId: string }) => b.memberId)).toEqual([first]);
    expect(answer.balances[0].balance).toBe(total);
    expect((await admin('GET', `/v1/admin/members/${second}`)).body.member.memberId).toBe(first);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);

    const exceptions = await exceptionsOf(t2.terminalId);
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]).toMatchObject({ member_id: first, seq: null, details: { card: { kind: 'payment', brand: 'visa', last4: '4242' }, mergedMemberId: second, terminalId: t2.terminalId, mergeId: expect.any(Number) } });
    for (const secret of [v1, v2, v1.slice(3), v2.slice(3)]) {
      expect(JSON.stringify(exceptions)).not.toContain(secret);
      expect(lines.join('')).not.toContain(secret);
    }
    // Both tokens are the survivor's, under one card id (the first link's).
    const rows = await ctx.server.db.query<{ card_key: string; card_id: string; member_id: string; key_version: number }>('SELECT card_key, card_id, member_id, key_version FROM linked_cards WHERE card_key = ANY($1::text[]) ORDER BY key_version', [[v1, v2]]);
    expect(rows).toEqual([
      { card_key: v1, card_id: 'card-a', member_id: first, key_version: 1 },
      { card_key: v2, card_id: 'card-a', member_id: first, key_version: 2 },
    ]);

    // Terminals learn the merge and the survivor's card (under the newest key version).
    const card = { kind: 'payment', cardId: 'card-a', token: v2, brand: 'visa', last4: '4242' };
    const ownCard = { kind: 'loyalty', cardId: 'own-card', cardNumber: own };
    const changes = await feedUntil(t1, (all) => all.some((c) => c.dataset === 'members' && c.key === first && c.payload.cards?.length === 2));
    expect(changes).toContainEqual({ dataset: 'merges', key: second, payload: { from: second, into: first } });
    // The merged member's own card went with it to the survivor.
    expect(changes.filter((c) => c.dataset === 'members' && c.key === first).at(-1)?.payload).toEqual({ memberId: first, phone: expect.any(String), name: 'Ayşe', cards: expect.arrayContaining([card, ownCard]) });

    // The same push again stores nothing new.
    const again = await t2.pushAll(ctx.server);
    expect(again.status).toBe(200);
    expect(await exceptionsOf(t2.terminalId)).toHaveLength(1);
    expect((await ctx.server.db.query('SELECT 1 FROM member_merges WHERE from_member_id = $1', [second])).length).toBe(1);
    expect(await balanceOf(first)).toBe(total);

    // The console undoes it: the merged member comes back with its points; the card stays with the first holder.
    const mergeId = exceptions[0]?.details.mergeId as number;
    const undone = await admin('POST', `/v1/admin/member-merges/${mergeId}/undo`, { note: 'two people, one card?' });
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ memberId: second, balance: secondAlone, survivorId: first, survivorBalance: firstAlone });
    expect((await ctx.server.db.query<{ member_id: string }>('SELECT DISTINCT member_id FROM linked_cards WHERE card_key = ANY($1::text[])', [[v1, v2]])).map((r) => r.member_id)).toEqual([first]);
    // It takes back the card it had; terminals learn both members' cards.
    expect(await ctx.server.db.query('SELECT member_id FROM linked_cards WHERE card_id = $1', ['own-card'])).toEqual([{ member_id: second }]);
    const afterUndo = await feedUntil(t1, (all) => all.some((c) => c.dataset === 'merges' && c.key === second && c.payload.into === null));
    expect(afterUndo.filter((c) => c.dataset === 'members' && c.key === second).at(-1)?.payload.cards).toEqual([ownCard]);
    expect(afterUndo.filter((c) => c.dataset === 'members' && c.key === first).at(-1)?.payload.cards).toEqual([card]);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });

  it('makes one member of two that one loyalty card number was linked to, whatever its letter case', async () => {
    const t1 = new AuditingTerminal();
    const t2 = new AuditingTerminal();
    await t1.enrol(ctx.server);
    await t2.enrol(ctx.server);
    const number = `loy-${randomUUID().slice(0, 8)}`;
    const first = t1.enrolMember(phone()).memberId;
    t1.earn(first, 5_000);
    t1.linkCard({ kind: 'loyalty', memberId: first, cardId: 'loyalty-1', cardNumber: number });
    const second = t2.enrolMember(phone()).memberId;
    t2.earn(second, 7_000);
    t2.linkCard({ kind: 'loyalty', memberId: second, cardId: 'loyalty-2', cardNumber: number.toUpperCase() });
    await t1.pushAll(ctx.server);
    const before = await balanceOf(first);
    const pushed = await t2.pushAll(ctx.server);
    expect(pushed.body.balances).toEqual([expect.objectContaining({ memberId: first })]);
    expect(await balanceOf(first)).toBeGreaterThan(before);
    expect(await exceptionsOf(t2.terminalId)).toEqual([expect.objectContaining({ member_id: first, details: expect.objectContaining({ card: { kind: 'loyalty', cardNumber: number.toUpperCase() }, mergedMemberId: second }) })]);
    const rows = await ctx.server.db.query<{ card_key: string; member_id: string; card_number: string }>('SELECT card_key, member_id, card_number FROM linked_cards WHERE card_id = $1', ['loyalty-1']);
    expect(rows).toEqual([{ card_key: `loyalty:${number.toUpperCase()}`, member_id: first, card_number: number }]);
    const changes = await feedUntil(t1, (all) => all.some((c) => c.dataset === 'merges' && c.key === second));
    expect(changes.filter((c) => c.dataset === 'members' && c.key === first).at(-1)?.payload.cards).toEqual([{ kind: 'loyalty', cardId: 'loyalty-1', cardNumber: number }]);
  });

  it('holds back a link for a member whose enrolment is still queued at the terminal, then applies it', async () => {
    const t = new AuditingTerminal();
    await t.enrol(ctx.server);
    const member = t.enrolMember(phone()).memberId;
    t.earn(member, 3_000);
    t.linkCard({ kind: 'loyalty', memberId: member, cardId: 'held-1', cardNumber: `HELD-${randomUUID().slice(0, 8)}` });
    t.record('members.search', { args: { query: 'x' } });
    // The audit log goes first; the enrolment is still in the terminal's queue.
    const early = await t.pushAll(ctx.server, { queueDepth: 1 }, []);
    expect(early.status).toBe(200);
    expect(early.body.auditAckedThroughSeq).toBe(0);
    expect(await ctx.server.db.query('SELECT 1 FROM linked_cards WHERE card_id = $1', ['held-1'])).toHaveLength(0);
    // Its entries in a batch with a gap (the first one missing) hold it back too.
    const gapped = await t.pushAll(ctx.server, {}, t.entries.slice(1));
    expect(gapped.body).toMatchObject({ ackedThroughSeq: 0, auditAckedThroughSeq: 0 });
    const later = await t.pushAll(ctx.server, { queueDepth: 0 });
    expect(later.body.auditAckedThroughSeq).toBe(2);
    expect(await ctx.server.db.query<{ member_id: string }>('SELECT member_id FROM linked_cards WHERE card_id = $1', ['held-1'])).toEqual([{ member_id: member }]);

    // With nothing queued, a link for an id the server does not know is stored under it.
    const unknown = randomUUID();
    t.linkCard({ kind: 'payment', memberId: unknown, cardId: 'unknown-1', tokens: [token(1)], brand: 'mastercard', last4: '0001' });
    expect((await t.pushAll(ctx.server, { queueDepth: 0 }, [])).body.auditAckedThroughSeq).toBe(3);
    expect(await ctx.server.db.query<{ member_id: string }>('SELECT member_id FROM linked_cards WHERE card_id = $1', ['unknown-1'])).toEqual([{ member_id: unknown }]);
  });

  it('makes one member when six terminals push links of one new card at the same moment', async () => {
    const terminals = Array.from({ length: 6 }, () => new AuditingTerminal());
    for (const t of terminals) await t.enrol(ctx.server);
    const card = token();
    const members = terminals.map((t, i) => {
      const memberId = t.enrolMember(phone()).memberId;
      t.earn(memberId, 1_000 * (i + 1));
      t.linkCard({ kind: 'payment', memberId, cardId: `race-${i}`, tokens: [card], brand: 'mastercard', last4: '5454' });
      return memberId;
    });
    // All at once; a push that lost a race for the card (or a lock) answers 503 with nothing
    // stored, and is pushed again as a terminal would.
    const statuses = await Promise.all(
      terminals.map(async (t) => {
        const seen: number[] = [];
        for (let attempt = 0; attempt < 20; attempt += 1) {
          const res = await t.pushAll(ctx.server);
          seen.push(res.status);
          if (res.status === 200) return seen;
          expect(res.status).toBe(503);
        }
        return seen;
      }),
    );
    for (const seen of statuses) expect(seen.at(-1)).toBe(200);
    const holders = await ctx.server.db.query<{ member_id: string }>('SELECT DISTINCT member_id FROM linked_cards WHERE card_key = $1', [card]);
    expect(holders).toHaveLength(1);
    const survivor = holders[0]?.member_id;
    expect(members).toContain(survivor);
    const aliased = await ctx.server.db.query<{ alias_id: string; member_id: string }>('SELECT alias_id, member_id FROM member_aliases WHERE alias_id = ANY($1::text[])', [members]);
    expect(aliased.map((a) => a.member_id)).toEqual(Array(5).fill(survivor));
    expect(await balanceOf(survivor ?? '')).toBe(Array.from({ length: 6 }, (_, i) => 10 * (i + 1)).reduce((a, b) => a + b, 0));
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
    const merges = await ctx.server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM exceptions WHERE kind = 'duplicate-enrolment' AND details->'card'->>'last4' = '5454'");
    expect(merges[0]?.n).toBe(5);
  });

  it("takes the merged member's cards to the survivor when the owner merges two members, and tells terminals", async () => {
    const t = new AuditingTerminal();
    await t.enrol(ctx.server);
    const from = t.enrolMember(phone()).memberId;
    const into = t.enrolMember(phone()).memberId;
    const number = `LOY-${randomUUID().slice(0, 8)}`;
    t.linkCard({ kind: 'loyalty', memberId: from, cardId: 'merged-card', cardNumber: number });
    expect((await t.pushAll(ctx.server)).status).toBe(200);
    expect((await admin('POST', '/v1/admin/member-merges', { from, into })).status).toBe(200);
    expect((await admin('GET', `/v1/admin/members/${into}`)).body.member.linkedCards).toEqual([expect.objectContaining({ cardId: 'merged-card', kind: 'loyalty', cardNumber: number })]);
    const changes = await feedUntil(t, (all) => all.some((c) => c.dataset === 'members' && c.key === into && Array.isArray(c.payload.cards) && c.payload.cards.length > 0));
    const last = changes.filter((c) => c.dataset === 'members' && c.key === into).at(-1);
    expect(last?.payload.cards).toEqual([{ kind: 'loyalty', cardId: 'merged-card', cardNumber: number }]);
  });

  it("puts each member's cards on their snapshot line, and none on a line of a member without cards", async () => {
    const t = new AuditingTerminal();
    await t.enrol(ctx.server);
    const carded = t.enrolMember(phone()).memberId;
    const plain = t.enrolMember(phone()).memberId;
    const [old, newer] = [token(1), token(2)];
    t.linkCard({ kind: 'payment', memberId: carded, cardId: 'snap-card', tokens: [old, newer], brand: 'troy', last4: '9876' });
    t.linkCard({ kind: 'loyalty', memberId: carded, cardId: 'snap-loyalty', cardNumber: 'Snap-1' });
    await t.pushAll(ctx.server);
    const res = await fetch(`${ctx.server.url}/v1/members/snapshot`, { headers: { authorization: `Bearer ${t.credential}` } });
    const lines = (await res.text()).trim().split('\n').slice(1).map((l) => JSON.parse(l) as { memberId: string; cards?: unknown[] });
    expect(lines.find((m) => m.memberId === carded)?.cards).toEqual([
      { kind: 'payment', cardId: 'snap-card', token: newer, brand: 'troy', last4: '9876' },
      { kind: 'loyalty', cardId: 'snap-loyalty', cardNumber: 'Snap-1' },
    ]);
    expect(lines.find((m) => m.memberId === plain)).not.toHaveProperty('cards');
  });
});
