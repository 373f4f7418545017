// A terminal whose clock is wrong at boot (earlier than its last entry): it keeps selling, order
// stays by seq, the hash chain holds, entries keep the device time they were written at, and the
// log says the clock is behind. Documented in docs/installation.md ("A wrong clock at boot").
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src-shared/ledger/entry';
import { iterateEntries, sha256Hex } from '../../src-main/core/ledger-writer';
import { call, openCore, tempDir } from './helpers';

const manager = { role: 'manager' as const, userId: null };

describe('a wrong clock at boot', () => {
  it('keeps order by seq, the chain intact and the times as written, across a restart', () => {
    const dataDir = tempDir('kasa-clock-');
    let clock = '2026-06-01T12:00:00.000+03:00';
    let core = openCore(dataDir, { sync: false, now: () => clock });
    const { member } = call(core, 'members.enroll', { phone: '+905321234567' });
    const sell = (key: string, amountMinor: number) =>
      call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: amountMinor }], idempotencyKey: key });
    sell('wrong-clock-sale-1', 1000);
    core.close();

    // The machine boots with its clock years behind.
    clock = '2020-01-01T08:00:00.000+03:00';
    core = openCore(dataDir, { sync: false, now: () => clock });
    sell('wrong-clock-sale-2', 2000);
    clock = '2020-01-01T08:05:00.000+03:00';
    sell('wrong-clock-sale-3', 3000);

    const rows = core.context.db.prepare<[], { seq: number; device_time: string }>('SELECT seq, device_time FROM ledger ORDER BY seq').all();
    const seqs = rows.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // The device time is what the clock said: the later entries carry the earlier (wrong) time.
    expect(rows.at(-1)?.device_time).toBe('2020-01-01T08:05:00.000+03:00');
    expect(rows.some((r) => r.device_time.startsWith('2026-06-01'))).toBe(true);
    expect(verifyChain(iterateEntries(core.context.db), sha256Hex)).toBeNull();
    // History is newest first by seq, not by time.
    const history = call(core, 'members.history', { memberId: member.memberId, limit: 10 });
    expect(history.entries.map((e) => e.seq)).toEqual([...history.entries.map((e) => e.seq)].sort((a, b) => b - a));
    expect(call(core, 'members.get', { memberId: member.memberId }).balance).toBe(60);
    expect(call(core, 'terminal.status', {}, manager).integrity).toEqual({ ledger: null, audit: null });
    core.close();

    const log = fs.readFileSync(path.join(dataDir, 'logs', 'kasa.log'), 'utf8');
    expect(log).toContain('"event":"core.clock-behind"');

    // And when the clock is right again, nothing needs repair.
    clock = '2026-06-02T09:00:00.000+03:00';
    core = openCore(dataDir, { sync: false, now: () => clock });
    sell('wrong-clock-sale-4', 4000);
    expect(verifyChain(iterateEntries(core.context.db), sha256Hex)).toBeNull();
    expect(call(core, 'members.get', { memberId: member.memberId }).balance).toBe(100);
    core.close();
  });
});
