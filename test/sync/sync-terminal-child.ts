// A terminal in its own process for the kill tests: argv = dataDir serverUrl enrolCode|- sales phoneBlock.
// It rings up `sales` sales (resuming its count from the database), then syncs until everything
// is acknowledged, printing "phase <name>" as the sync loop moves and "synced" at the end.
import { createTerminalCore } from '../../src-main/core/terminal-core';

const [dataDir = '', serverUrl = '', enrolCode = '-', salesText = '0', phoneBlock = '0'] = process.argv.slice(2);
const core = createTerminalCore({ dataDir, sync: { requestTimeoutMs: 5_000, intervalMs: 60_000, pokeDelayMs: 60_000, backoff: { baseMs: 50, capMs: 300 } } });
const manager = { role: 'manager' as const, userId: null };
const cashier = { role: 'cashier' as const, userId: 'c1' };

core.events.subscribe((name, payload) => {
  if (name === 'sync.status') process.stdout.write(`phase ${(payload as { phase: string }).phase}\n`);
});

async function main() {
  if (enrolCode !== '-') {
    const enrolled = await core.dispatchAsync('terminal.enrol', { serverUrl, code: enrolCode }, manager);
    if (!enrolled.ok) throw new Error(JSON.stringify(enrolled.error));
  }
  const done = core.context.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sales').get()?.n ?? 0;
  for (let i = done; i < Number(salesText); i += 1) {
    const phone = `+905325${phoneBlock}${String(i % 50).padStart(5, '0')}`;
    const member = core.dispatch('members.enroll', { phone }, cashier);
    if (!member.ok) throw new Error(JSON.stringify(member.error));
    const memberId = (member.value as { member: { memberId: string } }).member.memberId;
    const sale = core.dispatch('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 + i }], idempotencyKey: `child-sale-${i}` }, cashier);
    if (!sale.ok) throw new Error(JSON.stringify(sale.error));
  }
  process.stdout.write('sold\n');
  for (;;) {
    const status = await core.sync.syncNow(30_000);
    if (status.queuedEntries === 0 && status.phase === 'idle') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write('synced\n');
  core.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
