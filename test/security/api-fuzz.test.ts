import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../src-shared/api/contract';
import { ERROR_CODES } from '../../src-shared/api/errors';
import type { Session } from '../../src-main/core/handlers/handler-types';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { openCore, tempDir } from '../core/helpers';

let core: TerminalCore;
let manager: Session;
let cashier: Session;

const snapshot = () =>
  core.context.db
    .prepare(
      `SELECT (SELECT count(*) FROM ledger) AS ledger, (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM members) AS members,
              (SELECT count(*) FROM users) AS users, (SELECT coalesce(sum(balance), 0) FROM members) AS balances`,
    )
    .get();

beforeAll(() => {
  core = openCore(tempDir());
  manager = core.sessions.open();
  const setup = core.sessions.call(manager, 'auth.setup', { name: 'Meral', pin: '2580' });
  const created = core.sessions.call(manager, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' });
  if (!setup.ok || !created.ok) throw new Error('set-up failed');
  cashier = core.sessions.open();
  core.sessions.call(cashier, 'auth.signIn', { userId: (created.value as { userId: string }).userId, pin: '1357' });
  core.sessions.call(cashier, 'members.enroll', { phone: '05321234567' });
});
afterAll(() => core.close());

// Values that break naive handlers: wrong types, huge numbers, prototype keys, long strings.
const nasty = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(null, undefined, NaN, Infinity, -1, 2 ** 53, '', ' ', '💥'.repeat(500), '__proto__', 'constructor', "'; DROP TABLE ledger; --"),
  fc.record({ phone: fc.string(), memberId: fc.string(), name: fc.string() }, { requiredKeys: [] }),
  fc.record({ lines: fc.array(fc.record({ category: fc.string(), qty: fc.double(), unitPriceMinor: fc.integer() })), idempotencyKey: fc.string() }, { requiredKeys: [] }),
);
const anyMethod = fc.oneof(fc.constantFrom(...methodNames), fc.string({ maxLength: 40 }));

describe('API handlers under random input', () => {
  it('never crash or hang, always answer with a known code, and change nothing when they fail', async () => {
    await fc.assert(
      fc.asyncProperty(anyMethod, nasty, fc.boolean(), async (method, params, asManager) => {
        // Changing methods that could legitimately succeed are fuzzed for errors only.
        const before = snapshot();
        // callAsync, as the transports call: it serves every method, network ones too.
        const result = await core.sessions.callAsync(asManager ? manager : cashier, method, params);
        if (!result.ok) {
          expect(ERROR_CODES).toContain(result.error.code);
          expect(result.error.code).not.toBe('INTERNAL');
          expect(typeof result.error.message).toBe('string');
          expect(snapshot()).toEqual(before);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a prototype-polluting JSON payload without touching Object.prototype', () => {
    const payload = JSON.parse('{"phone":"05321234567","__proto__":{"polluted":true}}');
    const result = core.sessions.call(cashier, 'members.lookup', payload);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.ok).toBe(false);
  });
});
