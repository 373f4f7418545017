// The hand-written checks of hot methods' arguments may only ever accept what the contract's zod
// schema accepts, and the value must then be the one zod returns; everything else goes to zod.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { api } from '../../src-shared/api/contract';
import { certainArgs } from '../../src-main/core/certain-args';

const validText = (max: number) => fc.stringMatching(new RegExp(`^[A-Za-zÇçğ0-9][A-Za-z0-9 Çç-]{0,${max - 2}}[A-Za-z0-9]$|^[A-Za-z]$`));
const validLine = fc.record(
  { sku: validText(64), name: validText(120), category: validText(64), qty: fc.integer({ min: 1, max: 9999 }), unitPriceMinor: fc.integer({ min: 0, max: 100_000 }) },
  { requiredKeys: ['category', 'qty', 'unitPriceMinor'] },
);
const validSale = fc.record(
  {
    memberId: fc.oneof(fc.uuid(), validText(64)),
    lines: fc.array(validLine, { minLength: 1, maxLength: 4 }),
    redeemPoints: fc.integer({ min: 0, max: 1_000_000_000 }),
    idempotencyKey: fc.stringMatching(/^[\w.:-]{8,40}$/),
  },
  { requiredKeys: ['lines', 'idempotencyKey'] },
);

/** What a damage puts in place of a field: edge values of every kind, or removal. */
const DELETE = Symbol('delete');
const replacement = fc.oneof(
  fc.constant(DELETE),
  fc.constantFrom('', ' x', 'x ', '\u00a0x', 'x'.repeat(64), 'x'.repeat(65), 'y'.repeat(120), 'y'.repeat(121), 'has space 12', 'k'.repeat(100), 'k'.repeat(101), 'short'),
  fc.constantFrom(0, -0, -1, 1, 9999, 10_000, 1_000_000_000, 1_000_000_001, 1.5, Number.NaN, Infinity, 2 ** 53, null, undefined, true, [], {}, [[]]),
  fc.anything(),
);
const damage = fc.tuple(fc.constantFrom('memberId', 'lines', 'redeemPoints', 'idempotencyKey', 'rewards', 'offerIds', 'extra', 'line', 'line.sku', 'line.name', 'line.category', 'line.qty', 'line.unitPriceMinor', 'line.extra'), replacement);

function damaged(sale: Record<string, unknown>, damages: [string, unknown][]): Record<string, unknown> {
  const copy = structuredClone(sale);
  for (const [path, value] of damages) {
    const [head, field] = path.split('.') as [string, string | undefined];
    const lines: unknown = copy.lines;
    const first: unknown = Array.isArray(lines) ? lines[0] : undefined;
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
    // A damage to a line after `lines` itself was replaced has nothing to change.
    const target = head !== 'line' ? copy : field ? first : lines;
    if (!isObject(target)) continue;
    const key = head === 'line' && !field ? '0' : (field ?? head);
    if (value === DELETE) delete target[key];
    else target[key] = value;
  }
  return copy;
}

describe('certain arguments', () => {
  for (const method of ['sales.preview', 'sales.complete'] as const) {
    it(`${method}: accepted only when zod accepts, with the value zod returns`, () => {
      const check = certainArgs[method];
      if (!check) throw new Error(`no check for ${method}`);
      let accepted = 0;
      fc.assert(
        fc.property(validSale, fc.array(damage, { maxLength: 2 }), fc.boolean(), (sale, damages, throughJson) => {
          const base = method === 'sales.preview' ? (({ idempotencyKey: _key, ...draft }) => draft)(sale) : sale;
          let value: unknown = damaged(base, damages);
          // Through JSON as a client sends it (no undefined), or as an in-process caller may pass it.
          if (throughJson) {
            try {
              value = JSON.parse(JSON.stringify(value) ?? 'null');
            } catch {
              // fc.anything() can be cyclic: no client can send that.
            }
          }
          if (!check(value)) return;
          accepted += 1;
          const parsed = api[method].args.safeParse(value);
          expect(parsed.success).toBe(true);
          expect(parsed.data).toStrictEqual(value);
        }),
        { numRuns: 10_000 },
      );
      // The generator does reach the accepting side.
      expect(accepted).toBeGreaterThan(500);
    });
  }

  it('members.lookup: accepted only when zod accepts, with the value zod returns', () => {
    const check = certainArgs['members.lookup'];
    fc.assert(
      fc.property(fc.oneof(fc.record({ phone: fc.string({ maxLength: 45 }) }), fc.record({ phone: fc.anything() }), fc.record({ phone: fc.string(), memberId: fc.string() }), fc.anything()), (value) => {
        if (!check?.(value)) return;
        const parsed = api['members.lookup'].args.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toStrictEqual(value);
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes the sale the counter sends every time', () => {
    const draft = { memberId: 'a5d7c0de-0000-4000-8000-000000000001', lines: [{ sku: 'TEA-1', name: 'Tea', category: 'Drinks', qty: 2, unitPriceMinor: 4500 }], redeemPoints: 10 };
    expect(certainArgs['sales.preview']?.(draft)).toBe(true);
    expect(certainArgs['sales.complete']?.({ ...draft, idempotencyKey: 'sale-000001' })).toBe(true);
    expect(certainArgs['members.lookup']?.({ phone: '0532 123 45 67' })).toBe(true);
  });
});
