import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, cashier, openCore, tempDir } from './helpers';

// members.lookup answers input already in stored E.164 form from the member row with exactly that
// phone, without parsing it. Whatever the spelling, the answer (or the error) must be the one the
// full normalisation gives: " +X" (leading space) always takes the full path, "+X" the fast one.
describe('members.lookup by canonical E.164', () => {
  let core: TerminalCore;
  const enrolled = ['0532 123 45 67', '+90 212 555 12 12', '+1 415 555 2671', '+44 20 7946 0958', '+49 30 901820', '+683 4002', '0090 505 000 00 01'];

  beforeAll(() => {
    core = openCore(tempDir('kasa-lookup-fast-'), { store: { country: 'TR' } });
    for (const phone of enrolled) call(core, 'members.enroll', { phone });
  });
  afterAll(() => core.close());

  const answer = (phone: string) => core.dispatch('members.lookup', { phone }, cashier);

  it('finds each enrolled member by its stored spelling exactly as by any other spelling', () => {
    for (const typed of enrolled) {
      const slow = answer(typed);
      expect(slow.ok).toBe(true);
      if (!slow.ok) continue;
      const { member, normalizedPhone } = slow.value as { member: { phone: string } | null; normalizedPhone: string };
      expect(member?.phone).toBe(normalizedPhone);
      expect(answer(normalizedPhone)).toEqual(slow);
      expect(answer(` ${normalizedPhone}`)).toEqual(slow);
    }
  });

  it('gives the full path answer or error for any "+digits" input, enrolled or not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,16}$/), (digits) => {
        expect(answer(`+${digits}`)).toEqual(answer(` +${digits}`));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the errors of numbers that are not valid', () => {
    for (const phone of ['+90000', '+0905321234567', '+1', '+999999999999999']) {
      const fast = answer(phone);
      expect(fast.ok).toBe(false);
      expect(fast).toEqual(answer(` ${phone}`));
    }
  });
});
