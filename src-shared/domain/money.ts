// Money is integer minor units plus an ISO 4217 code. Never floats.
import { z } from 'zod';

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as TRY or EUR');

/** Largest amount accepted anywhere (minor units): keeps every product below 2^53 in the engine. */
export const MAX_AMOUNT_MINOR = 1_000_000_000;

export const AmountMinor = z.number().int().min(0).max(MAX_AMOUNT_MINOR);

const exponentCache = new Map<string, number>();

/** Number of minor-unit digits of a currency (TRY 2, JPY 0, KWD 3), from the runtime's ICU data. */
export function currencyExponent(currency: string): number {
  let exponent = exponentCache.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponentCache.set(currency, exponent);
  }
  return exponent;
}

export const minorPerUnit = (currency: string): number => 10 ** currencyExponent(currency);

/** Formats minor units for people, in the store's locale: 1234 TRY in tr-TR is "₺12,34". */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(amountMinor / 10 ** exponent);
}

/**
 * Parses what a cashier types ("12,34", "12.34", "12") into minor units without floating point.
 * Returns null for anything that is not a plain non-negative amount with at most the currency's digits.
 */
export function parseAmountToMinor(text: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const match = /^\s*(\d{1,10})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match) return null;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return null;
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return minor <= MAX_AMOUNT_MINOR ? minor : null;
}

/**
 * Splits `total` over `weights` in proportion, in integers, by largest remainder; the parts sum to `total`.
 * Ties go to the earlier index, so the result depends only on the inputs.
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let remaining = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (remaining <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    remaining -= 1;
  }
  return parts;
}
