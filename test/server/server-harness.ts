// Test harness for the central server: every server test runs on PGlite and on a fresh
// PostgreSQL database, and simulated terminals make real hash-chained entries.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { GENESIS_HASH, sealEntry, type LedgerEntry, type UnhashedEntry } from '../../src-shared/ledger/entry';
import { quoteSale } from '../../src-shared/program/engine';
import { defaultRuleSet } from '../../src-shared/program/rule-set';
import { PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { createEnrolCode, createStore } from '../../src-server/admin';
import { startServer, type DatabaseChoice, type RunningServer } from '../../src-server/start-server';
import { tempDir } from '../core/helpers';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const POSTGRES_ADMIN_URL = process.env.KASA_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];

/** A new, empty database for one test file; dropped by the returned function. */
export async function freshDatabase(engine: Engine): Promise<{ choice: DatabaseChoice; drop: () => Promise<void> }> {
  if (engine === 'pglite') return { choice: { pgliteDir: tempDir('kasa-pglite-') }, drop: async () => undefined };
  const name = `kasa_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    choice: { url },
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function startTestServer(engine: Engine, options: { clockSkewToleranceMs?: number; enrolLimitPerMinute?: number; now?: () => Date } = {}) {
  const { choice, drop } = await freshDatabase(engine);
  const server = await startServer({ database: choice, port: 0, adminToken: ADMIN_TOKEN, enrolLimitPerMinute: options.enrolLimitPerMinute ?? 1000, rateLimitPerMinute: 100_000, ...options });
  await createStore(server.db, 'test', 'Kadıköy', 'kadikoy');
  return {
    server,
    choice,
    async close() {
      await server.close();
      await drop();
    },
  };
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
    const sealed = sealEntry({ ...entry, terminalId: this.terminalId, seq: this.seq, prevHash: this.prevHash, deviceTime }, sha256Hex);
    this.prevHash = sealed.hash;
    this.entries.push(sealed);
    return sealed;
  }

  enrolMember(phone: string, memberId: string = randomUUID()): LedgerEntry {
    return this.add({ kind: 'enrol', memberId, points: 0, amountMinor: null, currency: null, ruleSetVersion: null, saleId: null, breakdown: [], payload: { phone, name: null }, cashierId: null });
  }

  /** An earn entry exactly as a terminal's default programme computes it (or with `points` forced). */
  earn(memberId: string, amountMinor: number, options: { points?: number; deviceTime?: string } = {}): LedgerEntry {
    const ruleSet = defaultRuleSet('TRY');
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

  redeem(memberId: string, points: number): LedgerEntry {
    return this.add({ kind: 'redeem', memberId, points: -points, amountMinor: points, currency: 'TRY', ruleSetVersion: defaultRuleSet('TRY').version, saleId: randomUUID(), breakdown: [], payload: { discountMinor: points }, cashierId: 'c1' });
  }

  push(server: RunningServer | string, entries: LedgerEntry[], credential = this.credential) {
    return http(server, 'POST', '/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, entries }, credential);
  }
}

/** Balances must always equal the sum of the stored ledger. */
export async function balancesMatchLedger(server: RunningServer): Promise<boolean> {
  const rows = await server.db.query<{ n: number }>(
    `SELECT count(*)::bigint AS n FROM members m
     WHERE m.balance <> coalesce((SELECT sum(points) FROM ledger l WHERE l.member_id = m.member_id), 0)`,
  );
  return rows[0]?.n === 0;
}
