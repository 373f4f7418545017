// The exact splits behind rounding, partial refunds and discounts, against their plain definition:
// every item keeps its whole part, and the units left over go one each to the items with the
// largest remainders, ties to the lower rank, then to the earlier item. The engine takes shortcuts
// (one unit, or enough units for everyone); these properties hold them to the definition.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineRanks } from '../../src-shared/program/engine';
import { allocateExact, distributeWhole, ranksByKey, roundCells, roundThousandths, type RoundingMode } from '../../src-shared/program/integer-math';

/** The definition: sort the items that have a remainder, give the first `leftover` of them one unit each. */
function handOutByDefinition(parts: number[], remainders: readonly number[], ranks: readonly number[], leftover: number): number[] {
  const order = remainders.map((r, i) => ({ r, i })).filter((x) => x.r > 0);
  order.sort((a, b) => b.r - a.r || (ranks[a.i] ?? 0) - (ranks[b.i] ?? 0) || a.i - b.i);
  const out = [...parts];
  for (const { i } of order.slice(0, Math.max(0, leftover))) out[i] = (out[i] ?? 0) + 1;
  return out;
}

const cellsArb = fc.array(fc.oneof(fc.nat({ max: 5000 }), fc.constantFrom(0, 500, 999, 1000, 1500, 2500)), { minLength: 0, maxLength: 12 });
/** Ranks with ties (several items may share one), as a permutation would never have. */
const ranksFor = (n: number) => fc.array(fc.nat({ max: 3 }), { minLength: n, maxLength: n });
const modeArb = fc.constantFrom<RoundingMode>('floor', 'round', 'ceil');

describe('integer splits', () => {
  it('roundCells gives each cell its whole points and the rounded-up units to the largest fractions', () => {
    fc.assert(
      fc.property(
        cellsArb.chain((cells) => fc.tuple(fc.constant(cells), ranksFor(cells.length), modeArb)),
        ([cells, ranks, mode]) => {
          const whole = cells.map((c) => Math.floor(c / 1000));
          const fractions = cells.map((c) => c % 1000);
          const leftover = roundThousandths(
            fractions.reduce((a, b) => a + b, 0),
            mode,
          );
          expect(roundCells(cells, mode, ranks)).toEqual(handOutByDefinition(whole, fractions, ranks, leftover));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('distributeWhole hands out exactly what is asked above the whole parts', () => {
    fc.assert(
      fc.property(
        cellsArb.chain((cells) => fc.tuple(fc.constant(cells), ranksFor(cells.length), fc.integer({ min: -2, max: 14 }))),
        ([cells, ranks, extra]) => {
          const whole = cells.map((c) => Math.floor(c / 1000));
          const kept = whole.reduce((a, b) => a + b, 0);
          const expected = handOutByDefinition(
            whole,
            cells.map((c) => c % 1000),
            ranks,
            extra,
          );
          expect(distributeWhole(kept + extra, cells, ranks)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('allocateExact splits in proportion by largest remainder, and the parts sum to the total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 100_000 }), { minLength: 1, maxLength: 12 }).chain((weights) => fc.tuple(fc.constant(weights), ranksFor(weights.length), fc.nat({ max: 1_000_000 }))),
        ([weights, ranks, total]) => {
          const parts = allocateExact(total, weights, ranks);
          const sum = weights.reduce((a, b) => a + b, 0);
          if (sum === 0 || total === 0) {
            expect(parts).toEqual(weights.map(() => 0));
            return;
          }
          const floors = weights.map((w) => Math.floor((total * w) / sum));
          const remainders = weights.map((w, i) => total * w - (floors[i] ?? 0) * sum);
          const given = floors.reduce((a, b) => a + b, 0);
          expect(parts).toEqual(handOutByDefinition(floors, remainders, ranks, total - given));
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('ranksByKey ranks by key, identical keys by position', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('', 'a', 'a\u0000b', 'ab', 'b', '10', '9'), { maxLength: 40 }), (keys) => {
        const order = keys.map((k, i) => ({ k, i })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
        const expected = new Array<number>(keys.length);
        order.forEach(({ i }, rank) => {
          expected[i] = rank;
        });
        expect(ranksByKey(keys)).toEqual(expected);
      }),
    );
  });

  it('lineRanks ranks lines by their whole content key, whatever text the fields hold', () => {
    const text = fc.constantFrom('', 'a', 'ab', 'a\u0000', '\u0000b', 'B', 'é');
    const line = fc.record({
      sku: fc.option(text, { nil: undefined }),
      name: fc.option(text, { nil: undefined }),
      category: text,
      qty: fc.constantFrom(1, 2, 10, 11),
      unitPriceMinor: fc.constantFrom(0, 9, 10, 100, 99),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const keys = lines.map((l) => [l.sku ?? '', l.category, String(l.unitPriceMinor), String(l.qty), l.name ?? ''].join('\u0000'));
        expect(lineRanks(lines)).toEqual(ranksByKey(keys));
      }),
      { numRuns: 2000 },
    );
  });
});
