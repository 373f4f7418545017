import { spawn } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/core/db/open-database';
import { auditLedger } from '../core/ledger-audit';
import { tempDir } from '../core/helpers';

const root = path.resolve(__dirname, '../..');
const KILLS = 24;
const GROUPED_KILLS = 20;

/** Runs the writer until it has reported `minSales` more sales past a random extra delay, then SIGKILLs it. */
function runAndKill(dataDir: string, start: number, reported: Set<string>, lanes = 0, groupStats?: { groups: number; grouped: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would miss.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sale-writer-child.ts'), dataDir, String(start), String(lanes)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let stderr = '';
    let killed = false;
    // Kill after a random number of completed sales, then a random sub-millisecond-to-few-ms delay,
    // so the kill lands anywhere inside the next transaction.
    const killAfter = 5 + Math.floor(Math.random() * 200);
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const groups = /^groups (\d+) (\d+)$/.exec(line);
        if (groups && groupStats) {
          groupStats.groups = Number(groups[1]);
          groupStats.grouped = Number(groups[2]);
        }
        if (!line.startsWith('done ')) continue;
        reported.add(line.slice(5));
        seen += 1;
        if (seen === killAfter && !killed) {
          killed = true;
          const delay = Math.random() * 3;
          setTimeout(() => child.kill('SIGKILL'), delay);
        }
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (_code, signal) => {
      // Only lines fully written before the kill count as reported.
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited by itself: ${stderr}`));
    });
  });
}

/** Reopens the database the way the app does and checks it against every sale reported so far. */
function checkAfterKill(dataDir: string, reported: Set<string>): void {
  openDatabase(path.join(dataDir, 'kasa.db')).db.close();
  const db = new BetterSqlite3(path.join(dataDir, 'kasa.db'), { readonly: true });
  try {
    const audit = auditLedger(db);
    expect(audit.chainBreak).toBeNull();
    expect(audit.balanceMismatches).toEqual([]);
    expect(audit.orphans).toBe(0);
    expect(audit.outbox).toBe(audit.entries);
    expect(audit.partialSales).toBe(0);
    expect(audit.entriesWithoutSale).toBe(0);
    const keys = db.prepare("SELECT idempotency_key AS k, count(*) AS n FROM sales WHERE idempotency_key LIKE 'crash-%' GROUP BY k").all() as { k: string; n: number }[];
    const stored = new Set(keys.map((r) => r.k));
    expect(keys.every((r) => r.n === 1)).toBe(true);
    const lost = [...reported].filter((k) => !stored.has(k));
    expect(lost).toEqual([]);
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it(`loses no reported sale and duplicates none across ${KILLS} SIGKILLs`, async () => {
    const dataDir = tempDir('kasa-crash-');
    const reported = new Set<string>();
    for (let i = 0; i < KILLS; i += 1) {
      await runAndKill(dataDir, i * 100_000, reported);
      checkAfterKill(dataDir, reported);
    }
    expect(reported.size).toBeGreaterThan(KILLS * 5);
  }, 300_000);

  it(`loses no reported sale and duplicates none across ${GROUPED_KILLS} SIGKILLs during group commits`, async () => {
    const dataDir = tempDir('kasa-crash-group-');
    const reported = new Set<string>();
    const stats = { groups: 0, grouped: 0 };
    let maxCallsPerGroup = 0;
    for (let i = 0; i < GROUPED_KILLS; i += 1) {
      // Eight lanes selling at once: their sales are committed in groups (one transaction each).
      await runAndKill(dataDir, i * 100_000, reported, 8, stats);
      if (stats.groups > 0) maxCallsPerGroup = Math.max(maxCallsPerGroup, stats.grouped / stats.groups);
      checkAfterKill(dataDir, reported);
    }
    expect(reported.size).toBeGreaterThan(GROUPED_KILLS * 5);
    // The kills did land among grouped commits.
    expect(maxCallsPerGroup).toBeGreaterThan(2);
  }, 300_000);
});
