// A terminal offline for a week with 20,000 sales catches up by itself once it reaches the
// server: in seq order, batch by batch, with progress, and without a false clock alarm.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src-shared/api/sync-methods';
import { createTerminalCore } from '../../src-main/core/terminal-core';
import { cashier, tempDir } from '../core/helpers';
import { ENGINES, startTestServer } from '../server/server-harness';
import { enrolTerminal, FAST_SYNC } from './sync-harness';

const SALES = 20_000;
const WEEK_MS = 7 * 86_400_000;
let template = '';

beforeAll(() => {
  // One week of sales, made once; each engine gets its own copy of the terminal's files.
  template = tempDir('kasa-week-');
  let clock = Date.now() - WEEK_MS;
  const core = createTerminalCore({ dataDir: template, sync: false, now: () => new Date(clock).toISOString() });
  // Making the fixture is not what is tested: skip the per-sale fsync to make it quickly.
  core.context.db.pragma('synchronous = OFF');
  const members = Array.from({ length: 200 }, (_, i) => {
    const r = core.dispatch('members.enroll', { phone: `+90532444${String(i).padStart(4, '0')}` }, cashier);
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { member: { memberId: string } }).member.memberId;
  });
  for (let i = 0; i < SALES; i += 1) {
    clock += WEEK_MS / SALES;
    const r = core.dispatch('sales.complete', { memberId: members[i % members.length], lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 500 + (i % 3000) }], idempotencyKey: `week-sale-${i}` }, cashier);
    if (!r.ok) throw new Error(r.error.message);
  }
  core.close();
}, 300_000);

describe.each(ENGINES)('offline catch-up on %s', { timeout: 300_000 }, (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    ctx = await startTestServer(engine);
  });
  afterAll(() => ctx.close());

  it(`pushes ${SALES} queued sales in order by itself, with progress`, async () => {
    const dataDir = tempDir('kasa-week-copy-');
    fs.cpSync(template, dataDir, { recursive: true });
    const core = createTerminalCore({ dataDir, sync: FAST_SYNC });
    try {
      const statuses: SyncStatus[] = [];
      const done = new Promise<void>((resolve) =>
        core.events.subscribe((name, payload) => {
          if (name !== 'sync.status') return;
          const status = payload as SyncStatus;
          statuses.push(status);
          if (status.enrolled && status.phase === 'idle' && status.queuedEntries === 0) resolve();
        }),
      );
      // Enrolling starts the loop; nothing else is called: it catches up by itself.
      await enrolTerminal(core, ctx.server);
      await done;

      const lastSeq = core.context.db.prepare<[], { seq: number }>('SELECT max(seq) AS seq FROM ledger').get()!.seq;
      expect(lastSeq).toBeGreaterThanOrEqual(SALES);
      const [stored] = await ctx.server.db.query<{ n: number; min: number; max: number }>('SELECT count(*)::bigint AS n, min(seq) AS min, max(seq) AS max FROM ledger WHERE terminal_id = $1', [core.terminalId]);
      expect(stored).toEqual({ n: lastSeq, min: 1, max: lastSeq });
      // In order and visibly: acknowledgements only ever grew, in many steps.
      const acks = statuses.map((s) => s.ackedThroughSeq);
      expect(acks).toEqual([...acks].sort((a, b) => a - b));
      expect(new Set(acks).size).toBeGreaterThan(10);
      const queued = statuses.filter((s) => s.phase === 'pushing').map((s) => s.queuedEntries);
      expect(queued[0]).toBe(lastSeq);
      // A week-old entry sent by a terminal with a right clock is no clock problem.
      const [skew] = await ctx.server.db.query<{ n: number }>("SELECT count(*)::bigint AS n FROM exceptions WHERE kind = 'clock-skew' AND terminal_id = $1", [core.terminalId]);
      expect(skew?.n).toBe(0);
      const total = core.context.db.prepare<[], { points: number }>('SELECT sum(points) AS points FROM ledger').get()!.points;
      const [server] = await ctx.server.db.query<{ points: number }>('SELECT sum(balance)::bigint AS points FROM members WHERE phone LIKE $1', ['+90532444%']);
      expect(server?.points).toBe(total);
      expect(fs.existsSync(path.join(dataDir, 'kasa.db'))).toBe(true);
    } finally {
      core.close();
    }
  });
});
