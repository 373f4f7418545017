import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, callError, openCore, tempDir } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

const rowCounts = (c: TerminalCore) =>
  c.context.db.prepare('SELECT (SELECT count(*) FROM ledger) AS ledger, (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM members) AS members').get();

describe('bad input gets a clear error and writes nothing', () => {
  it('rejects malformed arguments with VALIDATION and the path of the bad field', () => {
    core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    const before = rowCounts(core);
    const cases: [string, unknown, string][] = [
      ['sales.complete', { lines: [{ category: 'G', qty: -1, unitPriceMinor: 100 }], idempotencyKey: 'bad-0001' }, 'lines[0].qty'],
      ['sales.complete', { lines: [{ category: 'G', qty: 1, unitPriceMinor: -5 }], idempotencyKey: 'bad-0002' }, 'lines[0].unitPriceMinor'],
      ['sales.complete', { lines: [{ category: 'G', qty: 1.5, unitPriceMinor: 5 }], idempotencyKey: 'bad-0003' }, 'lines[0].qty'],
      ['sales.complete', { lines: [], idempotencyKey: 'bad-0004' }, 'lines'],
      ['sales.complete', { lines: [{ category: 'G', qty: 1, unitPriceMinor: 5 }] }, 'idempotencyKey'],
      ['sales.complete', { lines: [{ category: '', qty: 1, unitPriceMinor: 5 }], idempotencyKey: 'bad-0005' }, 'lines[0].category'],
      ['sales.complete', { lines: [{ category: 'G', qty: 9999, unitPriceMinor: 1_000_000_000 }], idempotencyKey: 'bad-0006' }, 'lines'],
      ['sales.preview', { lines: [{ category: 'G', qty: 1, unitPriceMinor: 5, colour: 'red' }] }, 'lines[0]'],
      ['members.enroll', { phone: 42 }, 'phone'],
      ['members.enroll', {}, 'phone'],
      ['members.history', { memberId: member.memberId, limit: 10_000 }, 'limit'],
      ['members.lookup', 'not an object', ''],
      ['members.lookup', { phone: '0532', memberId: 'x' }, ''],
    ];
    for (const [method, args, pathText] of cases) {
      const error = callError(core, method, args);
      expect(error.code, `${method} ${JSON.stringify(args)}`).toBe('VALIDATION');
      expect(error.message).toContain(pathText);
    }
    expect(rowCounts(core)).toEqual(before);
  });

  it('names an unknown method, an impossible phone, a missing member and an over-redemption', () => {
    core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    const before = rowCounts(core);
    expect(callError(core, 'members.delete', {}).code).toBe('METHOD_NOT_FOUND');
    expect(callError(core, '__proto__', {}).code).toBe('METHOD_NOT_FOUND');
    expect(callError(core, 'members.enroll', { phone: '123' }).code).toBe('INVALID_PHONE');
    expect(callError(core, 'members.enroll', { phone: '0532 ABC' }).code).toBe('INVALID_PHONE');
    expect(callError(core, 'members.get', { memberId: 'nobody' }).code).toBe('NOT_FOUND');
    expect(callError(core, 'sales.complete', { memberId: 'nobody', lines: [{ category: 'G', qty: 1, unitPriceMinor: 5 }], idempotencyKey: 'ghost-0001' }).code).toBe('NOT_FOUND');
    const over = callError(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 500 }], redeemPoints: 1, idempotencyKey: 'over-0001' });
    expect(over.code).toBe('INSUFFICIENT_POINTS');
    expect(callError(core, 'sales.complete', { lines: [{ category: 'G', qty: 1, unitPriceMinor: 500 }], redeemPoints: 1, idempotencyKey: 'anon-0001' }).code).toBe('VALIDATION');
    expect(rowCounts(core)).toEqual(before);
  });

  it('refuses a file that is not a database and leaves it untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, 'kasa.db');
    const garbage = Buffer.from('this is a spreadsheet, not a database'.repeat(200));
    fs.writeFileSync(file, garbage);
    expect(() => openCore(dir)).toThrow(/not a Kasa database/);
    expect(fs.readFileSync(file)).toEqual(garbage);
  });

  it('refuses a database from a newer version and changes nothing', () => {
    const dir = tempDir();
    openCore(dir).close();
    const db = new BetterSqlite3(path.join(dir, 'kasa.db'));
    db.pragma('user_version = 999');
    db.close();
    expect(() => openCore(dir)).toThrow(/newer Kasa \(schema 999/);
    const reopened = new BetterSqlite3(path.join(dir, 'kasa.db'), { readonly: true });
    expect(reopened.pragma('user_version', { simple: true })).toBe(999);
    reopened.close();
  });

  it('refuses invalid store settings with a clear message', () => {
    expect(() => openCore(tempDir(), { store: { currency: 'lira' } })).toThrow(/currency/);
    expect(() => openCore(tempDir(), { store: { timeZone: 'Mars/Olympus' } })).toThrow(/time zone/);
  });

  it('reports a full disk as STORAGE and records nothing', () => {
    core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    const before = rowCounts(core);
    // A real "disk full" from SQLite: cap the database at its current page count.
    const pages = core.context.db.pragma('page_count', { simple: true }) as number;
    core.context.db.pragma(`max_page_count = ${pages}`);
    let error = null;
    for (let i = 0; i < 200 && !error; i += 1) {
      const result = core.dispatch('sales.complete', { memberId: member.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 500 + i, name: 'x'.repeat(100) }], idempotencyKey: `full-disk-${i}` }, { role: 'cashier', userId: null });
      if (!result.ok) error = result.error;
    }
    expect(error?.code).toBe('STORAGE');
    expect(error?.message).toMatch(/full|refused/);
    // Whatever was written before the disk filled is whole: balances still equal the ledger.
    const mismatch = core.context.db.prepare('SELECT m.balance AS b, (SELECT coalesce(sum(points),0) FROM ledger l WHERE l.member_id = m.member_id) AS s FROM members m').get() as { b: number; s: number };
    expect(mismatch.b).toBe(mismatch.s);
    expect(before).toBeTruthy();
  });
});
