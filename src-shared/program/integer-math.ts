// Exact integer arithmetic for points and money: products that could pass 2^53 go through BigInt,
// and every split breaks ties by a rank that belongs to the item, never by its position in a list.

export type RoundingMode = 'floor' | 'round' | 'ceil';

/** floor(a * b / c) for non-negative integers, exactly. */
export function mulDivFloor(a: number, b: number, c: number): number {
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) return Math.floor(product / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** `thousandths / 1000` rounded as the rule set says; half up for "round". */
export function roundThousandths(thousandths: number, mode: RoundingMode): number {
  if (mode === 'floor') return Math.floor(thousandths / 1000);
  if (mode === 'ceil') return Math.ceil(thousandths / 1000);
  return Math.floor((2 * thousandths + 1000) / 2000);
}

/** Whether item `a` gets a leftover unit before `b`: larger remainder first, then lower rank, then position. */
const comesFirst = (remainders: readonly number[], ranks: readonly number[], a: number, b: number): boolean => {
  const byRemainder = (remainders[b] ?? 0) - (remainders[a] ?? 0);
  if (byRemainder !== 0) return byRemainder < 0;
  const byRank = (ranks[a] ?? 0) - (ranks[b] ?? 0);
  return byRank !== 0 ? byRank < 0 : a < b;
};

/** Hands out `leftover` single units to the items with a remainder, in the order `comesFirst` gives. */
function handOut(parts: number[], remainders: readonly number[], ranks: readonly number[], leftover: number): void {
  if (leftover <= 0) return;
  let withRemainder = 0;
  for (let i = 0; i < remainders.length; i += 1) if ((remainders[i] ?? 0) > 0) withRemainder += 1;
  if (leftover >= withRemainder) {
    // Enough for every item with a remainder: the order does not matter.
    for (let i = 0; i < remainders.length; i += 1) if ((remainders[i] ?? 0) > 0) parts[i] = (parts[i] ?? 0) + 1;
    return;
  }
  if (leftover === 1) {
    let first = -1;
    for (let i = 0; i < remainders.length; i += 1) {
      if ((remainders[i] ?? 0) > 0 && (first < 0 || comesFirst(remainders, ranks, i, first))) first = i;
    }
    parts[first] = (parts[first] ?? 0) + 1;
    return;
  }
  const order = packedOrder(remainders, ranks, withRemainder);
  if (order) {
    for (let k = 0; k < leftover; k += 1) {
      const i = (order[k] as number) % PACK;
      parts[i] = (parts[i] ?? 0) + 1;
    }
    return;
  }
  const sorted: number[] = [];
  for (let i = 0; i < remainders.length; i += 1) if ((remainders[i] ?? 0) > 0) sorted.push(i);
  sorted.sort((a, b) => (comesFirst(remainders, ranks, a, b) ? -1 : 1));
  for (let k = 0; k < leftover; k += 1) {
    const i = sorted[k] as number;
    parts[i] = (parts[i] ?? 0) + 1;
  }
}

const PACK = 2 ** 20;
const MAX_PACKED_REMAINDER = 4096;

/**
 * The items with a remainder in `comesFirst` order, as numbers that sort as plain numbers:
 * (4095 - remainder, rank, position) packed in 52 bits. Rounding's remainders (thousandths) and
 * line ranks fit; anything else (null) takes the general sort.
 */
function packedOrder(remainders: readonly number[], ranks: readonly number[], count: number): Float64Array | null {
  if (remainders.length >= PACK) return null;
  const keys = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < remainders.length; i += 1) {
    const r = remainders[i] ?? 0;
    if (!(r > 0)) continue;
    const rank = ranks[i] ?? 0;
    if (!Number.isInteger(r) || r >= MAX_PACKED_REMAINDER || !Number.isInteger(rank) || rank < 0 || rank >= PACK) return null;
    keys[k] = (MAX_PACKED_REMAINDER - 1 - r) * PACK * PACK + rank * PACK + i;
    k += 1;
  }
  return keys.sort();
}

/**
 * Turns thousandths of a point into whole points that sum to `mode(total / 1000)`: each cell keeps
 * its whole points and the units that rounding adds go to the largest fractions.
 */
export function roundCells(cells: readonly number[], mode: RoundingMode, ranks: readonly number[]): number[] {
  const parts = new Array<number>(cells.length);
  let fractionSum = 0;
  for (let i = 0; i < cells.length; i += 1) {
    const c = cells[i] as number;
    parts[i] = Math.floor(c / 1000);
    fractionSum += c % 1000;
  }
  const leftover = roundThousandths(fractionSum, mode);
  if (leftover > 0) handOut(parts, fractionsOf(cells), ranks, leftover);
  return parts;
}

const fractionsOf = (cells: readonly number[]): number[] => {
  const fractions = new Array<number>(cells.length);
  for (let i = 0; i < cells.length; i += 1) fractions[i] = (cells[i] as number) % 1000;
  return fractions;
};

/**
 * Splits `whole` points (at most the cells' total, rounded up) over cells in thousandths: each cell
 * keeps its whole points and the rest goes to the largest fractions.
 */
export function distributeWhole(whole: number, cells: readonly number[], ranks: readonly number[]): number[] {
  const parts = new Array<number>(cells.length);
  let kept = 0;
  for (let i = 0; i < cells.length; i += 1) {
    const part = Math.floor((cells[i] as number) / 1000);
    parts[i] = part;
    kept += part;
  }
  if (whole - kept > 0) handOut(parts, fractionsOf(cells), ranks, whole - kept);
  return parts;
}

/**
 * Splits `total` over non-negative integer `weights` in proportion, by largest remainder, exactly.
 * The parts sum to `total`; ties go to the lower rank.
 */
export function allocateExact(total: number, weights: readonly number[], ranks: readonly number[]): number[] {
  let sum = 0;
  let max = 0;
  for (const w of weights) {
    sum += w;
    if (w > max) max = w;
  }
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const parts = new Array<number>(weights.length);
  const remainders = new Array<number>(weights.length);
  if (total * max <= Number.MAX_SAFE_INTEGER) {
    weights.forEach((w, i) => {
      const q = Math.floor((total * w) / sum);
      parts[i] = q;
      remainders[i] = total * w - q * sum;
    });
  } else {
    const bigTotal = BigInt(total);
    const bigSum = BigInt(sum);
    // Remainders are below `sum`, so they fit a double once divided down for ordering.
    weights.forEach((w, i) => {
      const product = bigTotal * BigInt(w);
      const q = product / bigSum;
      parts[i] = Number(q);
      remainders[i] = Number(product - q * bigSum);
    });
  }
  const given = parts.reduce((a, b) => a + b, 0);
  handOut(parts, remainders, ranks, total - given);
  return parts;
}

/** Rank of each of `n` items in the order `compare` gives (a total order: it never ties two items). */
export function ranksBy(n: number, compare: (a: number, b: number) => number): number[] {
  const order = new Array<number>(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  if (n <= 16) {
    // A few lines: insertion sort, without the general sort's setup.
    for (let i = 1; i < n; i += 1) {
      const item = order[i] as number;
      let j = i - 1;
      while (j >= 0 && compare(order[j] as number, item) > 0) {
        order[j + 1] = order[j] as number;
        j -= 1;
      }
      order[j + 1] = item;
    }
  } else order.sort(compare);
  const ranks = new Array<number>(n);
  for (let rank = 0; rank < n; rank += 1) ranks[order[rank] as number] = rank;
  return ranks;
}

/** Rank of each item when sorted by `key` (then by position, which only separates identical keys). */
export function ranksByKey(keys: readonly string[]): number[] {
  return ranksBy(keys.length, (a, b) => {
    const ka = keys[a] ?? '';
    const kb = keys[b] ?? '';
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
}
