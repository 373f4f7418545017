// A terminal as the server sees it, without a terminal core: its own seq and hash chain. Used by
// the server tests and the server benches (so it imports nothing of vitest).
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../src-shared/ledger/canonical-json';
import { GENESIS_HASH, sealEntry, type LedgerEntry, type UnhashedEntry } from '../../src-shared/ledger/entry';
import { quoteSale } from '../../src-shared/program/engine';
import { defaultRuleSet, type RuleSet } from '../../src-shared/program/rule-set';
import { entriesArrayJson, pushBodyText, type PushBody } from '../../src-shared/sync/push-body';
import { createEnrolCode } from '../../src-server/admin';
import type { RunningServer } from '../../src-server/start-server';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** A push request's text as a terminal lays it out (one entry per line; no audit records unless given). */
export function pushBodyOf(entries: readonly unknown[], rest: Partial<Omit<PushBody, 'entriesJson'>> = {}): string {
  return pushBodyText({ auditJson: '[]', ...rest, entriesJson: entriesArrayJson(entries.map((e) => JSON.stringify(e))) });
}

export async function http(server: RunningServer | string, method: string, path: string, body?: unknown, token?: string) {
  const base = typeof server === 'string' ? server : server.url;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** A terminal as the server sees it: its own seq and hash chain, and a credential after enrolling. */
export class SimTerminal {
  seq = 0;
  prevHash = GENESIS_HASH;
  credential = '';
  readonly entries: LedgerEntry[] = [];

  constructor(readonly terminalId = `t-${randomUUID().slice(0, 8)}`) {}

  async enrol(server: RunningServer, storeId = 'kadikoy'): Promise<void> {
    const { code } = await createEnrolCode(server.db, 'test', storeId);
    const res = await http(server, 'POST', '/v1/terminals/enrol', { code, terminalId: this.terminalId });
    if (res.status !== 200) throw new Error(`enrol failed: ${JSON.stringify(res.body)}`);
    this.credential = res.body.credential;
  }

  private add(entry: Omit<UnhashedEntry, 'terminalId' | 'seq' | 'prevHash' | 'deviceTime'>, deviceTime = new Date().toISOString()): LedgerEntry {
    this.seq += 1;
    // Breakdown and payload in canonical key order, as a terminal stores and pushes them (ledger-writer.ts).
    const ordered = { ...entry, breakdown: JSON.parse(canonicalJson(entry.breakdown)), payload: JSON.parse(canonicalJson(entry.payload)) };
    const sealed = sealEntry({ ...ordered, terminalId: this.terminalId, seq: this.seq, prevHash: this.prevHash, deviceTime }, sha256Hex);
    this.prevHash = sealed.hash;
    this.entries.push(sealed);
    return sealed;
  }

  enrolMember(phone: string, memberId: string = randomUUID(), options: { cashierId?: string; name?: string; deviceTime?: string } = {}): LedgerEntry {
    return this.add(
      { kind: 'enrol', memberId, points: 0, amountMinor: null, currency: null, ruleSetVersion: null, saleId: null, breakdown: [], payload: { phone, name: options.name ?? null }, cashierId: options.cashierId ?? null },
      options.deviceTime,
    );
  }

  /** An earn entry exactly as a terminal's programme (the default one unless given) computes it, or with `points` forced. */
  earn(memberId: string, amountMinor: number, options: { points?: number; deviceTime?: string; ruleSet?: RuleSet } = {}): LedgerEntry {
    const ruleSet = options.ruleSet ?? defaultRuleSet('TRY');
    const lines = [{ category: 'Groceries', qty: 1, unitPriceMinor: amountMinor }];
    const quote = quoteSale(ruleSet, { lines }, 0);
    return this.add(
      {
        kind: 'earn',
        memberId,
        points: options.points ?? quote.pointsEarned,
        amountMinor,
        currency: 'TRY',
        ruleSetVersion: ruleSet.version,
        saleId: randomUUID(),
        breakdown: quote.breakdown,
        payload: { lines, redeemPoints: 0, subtotalMinor: amountMinor, discountMinor: 0 },
        cashierId: 'c1',
      },
      options.deviceTime,
    );
  }

  redeem(memberId: string, points: number, deviceTime?: string): LedgerEntry {
    return this.add(
      { kind: 'redeem', memberId, points: -points, amountMinor: points, currency: 'TRY', ruleSetVersion: defaultRuleSet('TRY').version, saleId: randomUUID(), breakdown: [], payload: { discountMinor: points }, cashierId: 'c1' },
      deviceTime,
    );
  }

  /** A manual adjustment; `payload` overrides what a terminal would record (to forge a bad one). */
  adjust(memberId: string, points: number, balanceBefore: number, payload: Record<string, unknown> = {}): LedgerEntry {
    const recorded = { adjustmentId: randomUUID(), reason: 'goodwill', note: null, approvedBy: null, balanceBefore, balanceAfter: balanceBefore + points, ...payload };
    return this.add({ kind: 'adjust', memberId, points, amountMinor: null, currency: null, ruleSetVersion: null, saleId: null, breakdown: [], payload: recorded, cashierId: 'm1' });
  }

  /** `sentAt`: the terminal's clock when sending (a terminal with a wrong clock sends a wrong one). */
  push(server: RunningServer | string, entries: LedgerEntry[], credential = this.credential, sentAt?: string) {
    // Laid out as a terminal lays it out (one entry per line): the server parses it entry by entry.
    return http(server, 'POST', '/v1/sync/push', pushBodyOf(entries, sentAt ? { sentAt } : {}), credential);
  }
}

