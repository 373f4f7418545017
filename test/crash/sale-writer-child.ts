// Child process for the crash test: completes sales in a loop and reports each one on stdout only
// after sales.complete returned. The parent kills it with SIGKILL at random moments.
import { createTerminalCore } from '../../src-main/core/terminal-core';

const [dataDir, startArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: sale-writer-child DATA_DIR START');
const core = createTerminalCore({ dataDir });
const caller = { role: 'cashier' as const, userId: 'crash-test' };

const enrolled = core.dispatch('members.enroll', { phone: '+905321234567', name: 'Crash' }, caller);
if (!enrolled.ok) throw new Error(enrolled.error.message);
const memberId = (enrolled.value as { member: { memberId: string } }).member.memberId;

let n = Number(startArg ?? 0);
for (;;) {
  n += 1;
  const key = `crash-sale-${n}`;
  const result = core.dispatch(
    'sales.complete',
    {
      memberId,
      lines: [
        { category: 'Groceries', qty: 1 + (n % 3), unitPriceMinor: 1000 + (n % 97) },
        { category: 'Bakery', qty: 1, unitPriceMinor: 250 },
      ],
      // Every fifth sale redeems a little, so redeem entries are in the mix.
      ...(n % 5 === 0 ? { redeemPoints: 3 } : {}),
      idempotencyKey: key,
    },
    caller,
  );
  if (!result.ok) {
    process.stderr.write(`${result.error.code}: ${result.error.message}\n`);
    process.exit(3);
  }
  process.stdout.write(`done ${key}\n`);
}
