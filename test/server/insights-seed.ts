// The small programme the insights tests seed through the real ingest (two stores, two terminals,
// two cashiers, sales, a redemption, a referral, a donation, an expiry, an offline duplicate
// enrolment and anonymous sale counts), with the figures computed by hand in insights.test.ts and
// read off the screen in test/e2e/console-insights.test.ts.
import { randomUUID } from 'node:crypto';
import { sealEntry, type LedgerEntry, type UnhashedEntry } from '../../src-shared/ledger/entry';
import { defaultRuleSet } from '../../src-shared/program/rule-set';
import { PROTOCOL_VERSION, type AnonymousSaleCounts } from '../../src-shared/sync/protocol';
import { createAdminAccount } from '../../src-server/admin-accounts';
import { createStore, installRuleSet } from '../../src-server/admin';
import { openDatabase } from '../../src-server/start-server';
import { freshDatabase } from './databases';
import { spawnServer, type ServerProcess } from './server-process';
import { http, sha256Hex, SimTerminal } from './sim-terminal';

export const D1 = '2026-03-10T09:00:00.000Z';
export const D2 = '2026-03-11T15:30:00.000Z';
export const D3 = '2026-04-02T11:00:00.000Z';
export const INSIGHTS_VERSION = 'insights-1';

/** Bronze and silver tiers, a point worth 5 minor units, points that expire after 12 months. */
export function insightsRuleSet() {
  const base = defaultRuleSet('TRY');
  return {
    ...base,
    version: INSIGHTS_VERSION,
    tiers: { basis: 'spend', windowMonths: 12, downgrade: 'none', levels: [{ id: 'bronze', name: 'Bronze', threshold: 0 }, { id: 'silver', name: 'Silver', threshold: 100000 }] },
    redemption: { ...base.redemption, minorPerPoint: 5 },
    expiry: { type: 'months', months: 12 },
  };
}

/** A terminal that writes any kind of entry, chained like a real one. */
export class InsightTerminal extends SimTerminal {
  record(entry: Partial<UnhashedEntry> & Pick<UnhashedEntry, 'kind' | 'memberId' | 'points'>, deviceTime: string): LedgerEntry {
    this.seq += 1;
    const full: UnhashedEntry = {
      amountMinor: null,
      currency: 'TRY',
      ruleSetVersion: INSIGHTS_VERSION,
      saleId: null,
      breakdown: [],
      payload: {},
      cashierId: null,
      ...entry,
      terminalId: this.terminalId,
      seq: this.seq,
      prevHash: this.prevHash,
      deviceTime,
    };
    const sealed = sealEntry(full, sha256Hex);
    this.prevHash = sealed.hash;
    this.entries.push(sealed);
    return sealed;
  }

  enrolAt(memberId: string, phone: string, cashierId: string, at: string) {
    return this.record({ kind: 'enrol', memberId, points: 0, currency: null, ruleSetVersion: null, payload: { phone, name: null }, cashierId }, at);
  }

  /**
   * A member sale as the programme engine records it: the member's tier before it (null: none yet,
   * their first purchase), their qualifying spend before it, and when its points expire.
   */
  sale(memberId: string, amountMinor: number, points: number, tierId: string | null, expiresOn: string, cashierId: string, at: string, qualifying = 0) {
    return this.record(
      {
        kind: 'earn',
        memberId,
        points,
        amountMinor,
        saleId: randomUUID(),
        cashierId,
        payload: {
          lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: amountMinor }],
          redeemPoints: 0,
          subtotalMinor: amountMinor,
          discountMinor: 0,
          at,
          timeZone: 'UTC',
          member: { memberId, balance: 0, tier: tierId === null ? null : { tierId, since: D1 }, qualifying, firstPurchase: tierId === null, birthMonth: null, pointsEarnedToday: 0, referral: null },
          expiresOn,
        },
      },
      at,
    );
  }

  /** Enrols through the HTTP API with a code made by the admin (token or console session). */
  async enrolWith(url: string, adminToken: string, storeId: string): Promise<void> {
    const code = await http(url, 'POST', '/v1/admin/enrol-codes', { storeId }, adminToken);
    if (code.status !== 200) throw new Error(`enrolment code: ${JSON.stringify(code.body)}`);
    const res = await http(url, 'POST', '/v1/terminals/enrol', { code: code.body.code, terminalId: this.terminalId });
    if (res.status !== 200) throw new Error(`enrol failed: ${JSON.stringify(res.body)}`);
    this.credential = res.body.credential;
  }

  send(url: string, entries: LedgerEntry[], anonymousSales?: AnonymousSaleCounts) {
    return http(url, 'POST', '/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, entries, ...(anonymousSales ? { anonymousSales } : {}) }, this.credential);
  }
}

export type InsightsSeed = { a: InsightTerminal; b: InsightTerminal; members: { m1: string; m2: string; m3: string; m2b: string } };

/** Writes the data set's entries (the stores kadikoy and besiktas and the rule set must exist) and pushes them; checks each push answer. */
export async function seedInsights(url: string, adminToken: string): Promise<InsightsSeed> {
  const a = new InsightTerminal();
  const b = new InsightTerminal();
  await a.enrolWith(url, adminToken, 'kadikoy');
  await b.enrolWith(url, adminToken, 'besiktas');
  const [m1, m2, m3, m2b] = ['m1', 'm2', 'm3', 'm2b'].map((m) => `${m}-${randomUUID().slice(0, 6)}`) as [string, string, string, string];

  const referral = randomUUID();
  const donation = { donationId: randomUUID(), rewardId: 'charity', charity: 'Trees', memberPoints: 10, matchPoints: 5, match: { programmePoints: 1, perMemberPoints: 2 } };
  a.enrolAt(m1, '+905550000001', 'c1', D1);
  a.enrolAt(m2, '+905550000002', 'c1', D1);
  a.sale(m1, 10000, 100, 'bronze', '2027-03-10', 'c1', D1);
  a.sale(m2, 5000, 50, 'bronze', '2027-03-10', 'c2', D1);
  a.record({ kind: 'redeem', memberId: m1, points: -40, amountMinor: 200, saleId: randomUUID(), payload: { discountMinor: 200 }, cashierId: 'c1' }, D2);
  a.record({ kind: 'referral', memberId: m2, points: 20, saleId: referral, payload: { role: 'referee', referrerMemberId: m1, refereeMemberId: m2 }, cashierId: 'c1' }, D2);
  a.record({ kind: 'referral', memberId: m1, points: 30, saleId: referral, payload: { role: 'referrer', referrerMemberId: m1, refereeMemberId: m2 }, cashierId: 'c1' }, D2);
  a.record({ kind: 'donate', memberId: m1, points: -10, amountMinor: 50, payload: { ...donation, role: 'member' }, cashierId: 'c1' }, D2);
  a.record({ kind: 'donate', memberId: m1, points: 0, amountMinor: 25, payload: { ...donation, role: 'match' }, cashierId: 'c1' }, D2);

  b.enrolAt(m3, '+905550000003', 'c2', D3);
  b.sale(m3, 3000, 30, 'bronze', '2026-03-31', 'c2', D1);
  b.sale(m3, 20000, 200, 'silver', '2027-04-02', 'c2', D3);
  b.record({ kind: 'expire', memberId: m3, points: -30, currency: null, payload: { lots: [{ ref: `${b.terminalId}:2`, points: 30, expiresOn: '2026-03-31' }] }, cashierId: 'c2' }, D3);
  // The same phone as m2, enrolled offline on the other terminal: merged into m2, not a new member.
  b.enrolAt(m2b, '+905550000002', 'c2', D3);
  b.sale(m2b, 1000, 10, 'silver', '2027-04-02', 'c2', D3);

  const expect = (what: string, ok: boolean, body: unknown) => {
    if (!ok) throw new Error(`${what}: ${JSON.stringify(body)}`);
  };
  // Terminal A pushes in two batches (the referral pair split across them), with anonymous sales.
  const first = await a.send(url, a.entries.slice(0, 6), { fromSale: 0, throughSale: 5, counts: [{ day: '2026-03-10', cashierId: 'c1', sales: 3, totalMinor: 3000 }, { day: '2026-03-11', cashierId: null, sales: 1, totalMinor: 700 }] });
  expect('first push', first.status === 200 && first.body.anonymousSalesAckedThrough === 5, first.body);
  // A retry of the same counts is not counted twice; counts that skip ahead are not taken.
  const retry = await a.send(url, a.entries.slice(0, 6), { fromSale: 0, throughSale: 5, counts: [{ day: '2026-03-10', cashierId: 'c1', sales: 3, totalMinor: 3000 }] });
  expect('retry', retry.body.anonymousSalesAckedThrough === 5, retry.body);
  const skipped = await a.send(url, [], { fromSale: 6, throughSale: 9, counts: [{ day: '2026-03-11', cashierId: 'c1', sales: 9, totalMinor: 9000 }] });
  expect('skipped', skipped.body.anonymousSalesAckedThrough === 5, skipped.body);
  const second = await a.send(url, a.entries.slice(6), { fromSale: 5, throughSale: 6, counts: [{ day: '2026-03-11', cashierId: 'c1', sales: 1, totalMinor: 300 }] });
  expect('second push', second.body.ackedThroughSeq === 9 && second.body.anonymousSalesAckedThrough === 6, second.body);
  const pushB = await b.send(url, b.entries);
  expect('push B', pushB.body.ackedThroughSeq === 6, pushB.body);
  return { a, b, members: { m1, m2, m3, m2b } };
}

/**
 * A server process (PGlite) holding the two stores, the console owner and this programme, seeded
 * through the real ingest: what the console's e2e tests read. `token` is the owner's session.
 */
export async function spawnInsightsServer(owner: { name: string; password: string }): Promise<{ server: ServerProcess; token: string }> {
  const { choice } = await freshDatabase('pglite');
  const db = await openDatabase(choice);
  try {
    await createStore(db, 'setup', 'Kadıköy', 'kadikoy');
    await createStore(db, 'setup', 'Beşiktaş', 'besiktas');
    await createAdminAccount(db, 'setup', owner.name, owner.password);
    await installRuleSet(db, 'setup', insightsRuleSet(), '2026-01-01T00:00:00Z');
  } finally {
    await db.close();
  }
  const server = await spawnServer(choice);
  const token = (await http(server.url, 'POST', '/v1/admin/sign-in', owner)).body.token as string;
  await seedInsights(server.url, token);
  return { server, token };
}
