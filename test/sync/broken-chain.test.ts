// A terminal whose ledger was edited behind the database's back (a text-editor-like write) finds
// it at start, says so, and refuses to push the broken chain as if it were fine.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tempDir } from '../core/helpers';
import { startTestServer } from '../server/server-harness';
import { enrolTerminal, openTerminal, sell, syncNow } from './sync-harness';

describe('a tampered ledger and sync', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    ctx = await startTestServer('postgres');
  });
  afterAll(() => ctx.close());

  it('is detected at start and nothing is pushed', async () => {
    const dir = tempDir('kasa-tamper-');
    let core = openTerminal(dir);
    await enrolTerminal(core, ctx.server);
    sell(core, '+905328880001', 5_000);
    core.close();

    const db = new BetterSqlite3(path.join(dir, 'kasa.db'));
    db.exec('DROP TRIGGER ledger_no_update');
    db.prepare("UPDATE ledger SET points = 5000 WHERE kind = 'earn'").run();
    db.close();

    core = openTerminal(dir);
    try {
      expect(call(core, 'terminal.status', {}).integrity.ledger).toMatchObject({ reason: 'hash-mismatch' });
      const status = await syncNow(core);
      expect(status.phase).toBe('blocked');
      expect(status.lastError).toMatchObject({ code: 'ledger-broken', message: expect.stringMatching(/integrity check at start \(entry \d+: hash-mismatch\)/) });
      expect(status.queuedEntries).toBeGreaterThan(0);
      const [stored] = await ctx.server.db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM ledger WHERE terminal_id = $1', [core.terminalId]);
      expect(stored?.n).toBe(0);
    } finally {
      core.close();
    }
  });
});
