// Child process for the crash test: completes sales in a loop and reports each one on stdout only
// after sales.complete returned. The parent kills it with SIGKILL at random moments. With LANES > 0,
// that many lanes sell at once through dispatchAsync, so sales are group-committed.
import { createTerminalCore } from '../../src-main/core/terminal-core';

const [dataDir, startArg, lanesArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: sale-writer-child DATA_DIR START [LANES]');
const core = createTerminalCore({ dataDir });
const caller = { role: 'cashier' as const, userId: 'crash-test' };
const lanes = Number(lanesArg ?? 0);

const enrolled = core.dispatch('members.enroll', { phone: '+905321234567', name: 'Crash' }, caller);
if (!enrolled.ok) throw new Error(enrolled.error.message);
const memberId = (enrolled.value as { member: { memberId: string } }).member.memberId;

let n = Number(startArg ?? 0);
const nextSale = () => {
  n += 1;
  const key = `crash-sale-${n}`;
  const args = {
    memberId,
    lines: [
      { category: 'Groceries', qty: 1 + (n % 3), unitPriceMinor: 1000 + (n % 97) },
      { category: 'Bakery', qty: 1, unitPriceMinor: 250 },
    ],
    // Every fifth sale redeems a little, so redeem entries are in the mix.
    ...(n % 5 === 0 ? { redeemPoints: 3 } : {}),
    idempotencyKey: key,
  };
  return { key, args };
};
const reportOrExit = (key: string, result: { ok: true } | { ok: false; error: { code: string; message: string } }) => {
  if (!result.ok) {
    process.stderr.write(`${result.error.code}: ${result.error.message}\n`);
    process.exit(3);
  }
  process.stdout.write(`done ${key}\n`);
};

if (lanes > 0) {
  const lane = async () => {
    for (;;) {
      const { key, args } = nextSale();
      reportOrExit(key, await core.dispatchAsync('sales.complete', args, caller));
    }
  };
  for (let i = 0; i < lanes; i += 1) void lane();
  setInterval(() => {
    const { groups, grouped } = core.groupCommitStats();
    process.stdout.write(`groups ${groups} ${grouped}\n`);
  }, 20).unref();
} else {
  for (;;) {
    const { key, args } = nextSale();
    reportOrExit(key, core.dispatch('sales.complete', args, caller));
  }
}
