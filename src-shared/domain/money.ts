// Money is integer minor units plus an ISO 4217 code. Never floats.
import { z } from 'zod';

export const CURRENCY_CODE_FORMAT = 'an ISO 4217 code such as TRY or EUR';
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, CURRENCY_CODE_FORMAT);

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

/** How a cashier types an amount at the counter: what the decimal key shows, the empty field's hint, and an example for an error. */
export type AmountEntry = { decimalSeparator: string | null; placeholder: string; example: string };

/**
 * Amount entry for `currency` in the store's `locale`: its decimal separator (none for a currency
 * without minor units, such as JPY), so the keypad and the hint agree with the amounts on screen
 * (12.50 in an English store, 12,50 in a Turkish one). A locale whose separator the parser does
 * not read (Arabic's) gets "."; parseAmountToMinor reads "." and "," in every store.
 */
export function amountEntryOf(currency: string, locale: string): AmountEntry {
  // Every screen that formats money asks on each render: a NumberFormat per call would be dear.
  const key = `${currency}|${locale}`;
  let entry = amountEntries.get(key);
  if (entry === undefined) {
    entry = amountEntryUncached(currency, locale);
    amountEntries.set(key, entry);
  }
  return entry;
}

const amountEntries = new Map<string, AmountEntry>();

function amountEntryUncached(currency: string, locale: string): AmountEntry {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return { decimalSeparator: null, placeholder: '0', example: '12' };
  const separator = new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value;
  const decimalSeparator = separator === ',' ? ',' : '.';
  return { decimalSeparator, placeholder: `0${decimalSeparator}${'0'.repeat(exponent)}`, example: `12${decimalSeparator}${'50'.padEnd(exponent, '0')}` };
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
