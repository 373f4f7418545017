// The product catalogue (docs/catalogue.md): what a barcode or SKU scanned at the counter is, what it
// costs and which category it counts in. Published by the programme owner through the server's change
// feed ('catalogue' dataset), or imported by a manager on a standalone terminal. One document is the
// whole catalogue (absolute state): installing it replaces the previous one.
import { z } from 'zod';
import { AmountMinor, CurrencyCode } from '../domain/money';
import { formatProblems, notJsonProblem } from '../program/rule-set-validation';
import { KasaError } from '../api/errors';
import { CATALOGUE_MESSAGES, describeCatalogueIssues, type CatalogueProblem } from './catalogue-problems';
import { gtinCheckDigit, gtinCheckDigitValid, gtinKey } from './gtin';

export type { CatalogueProblem } from './catalogue-problems';

/** The document format this code reads; a later format gets a new number. */
export const CATALOGUE_FORMAT = 1;

export const CATALOGUE_LIMITS = {
  products: 50_000,
  barcodesPerProduct: 10,
  sku: 64,
  name: 120,
  category: 64,
  version: 64,
  /** The JSON text of a catalogue, as uploaded or imported. */
  textBytes: 16 * 1024 * 1024,
} as const;

const GTIN_SHAPE = /^(\d{8}|\d{12}|\d{13})$/;
const NoControl = /^[^\u0000-\u001f\u007f]+$/;
const Field = (max: number, what: string) =>
  z.string().trim().min(1).max(max).regex(NoControl, `${what}${CATALOGUE_MESSAGES.controlCharacterSuffix}`);

/** An EAN-13, UPC-A or EAN-8, digits only, with a valid GS1 check digit. */
export const Gtin = z
  .string()
  .regex(GTIN_SHAPE, CATALOGUE_MESSAGES.gtinShape)
  .superRefine((value, ctx) => {
    if (GTIN_SHAPE.test(value) && !gtinCheckDigitValid(value)) {
      const body = value.slice(0, -1);
      const needs = gtinCheckDigit(body);
      ctx.addIssue({ code: 'custom', message: `check digit is wrong: ${body} needs ${needs}, not ${value.slice(-1)}`, params: { problem: 'gtin-check-digit', barcode: value, needs, found: Number(value.slice(-1)) } });
    }
  });

export const CatalogueProduct = z
  .object({
    sku: Field(CATALOGUE_LIMITS.sku, 'the SKU'),
    name: Field(CATALOGUE_LIMITS.name, 'the name'),
    /** The sale-line category: category rules of the rule set apply to it. */
    category: Field(CATALOGUE_LIMITS.category, 'the category'),
    unitPriceMinor: AmountMinor,
    barcodes: z.array(Gtin).max(CATALOGUE_LIMITS.barcodesPerProduct).default([]),
  })
  .strict();
export type CatalogueProduct = z.infer<typeof CatalogueProduct>;

export const Catalogue = z
  .object({
    format: z.literal(CATALOGUE_FORMAT),
    /** Names this catalogue ("2026-12-01", "winter-2"); terminals show which one they have. */
    version: z.string().trim().min(1).max(CATALOGUE_LIMITS.version).regex(/^[\w.:-]+$/, CATALOGUE_MESSAGES.versionCharacters),
    /** Prices are minor units of this currency; it must be the store's. */
    currency: CurrencyCode,
    name: Field(CATALOGUE_LIMITS.name, 'the name').optional(),
    products: z.array(CatalogueProduct).min(1).max(CATALOGUE_LIMITS.products),
  })
  .strict()
  .superRefine((catalogue, ctx) => {
    // A SKU or a barcode names one product: a duplicate would make a scan ambiguous.
    const skus = new Map<string, number>();
    const barcodes = new Map<string, string>();
    catalogue.products.forEach((product, i) => {
      const first = skus.get(product.sku);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['products', i, 'sku'], message: `duplicate SKU "${product.sku}" (also products[${first}])`, params: { problem: 'duplicate-sku', sku: product.sku, alsoAt: `products[${first}]` } });
      } else skus.set(product.sku, i);
      product.barcodes.forEach((code, j) => {
        const key = gtinKey(code);
        if (key === null) return;
        const seen = barcodes.get(key);
        if (seen !== undefined) ctx.addIssue({ code: 'custom', path: ['products', i, 'barcodes', j], message: `duplicate barcode ${code} (also ${seen})`, params: { problem: 'duplicate-barcode', barcode: code, alsoAt: seen } });
        else barcodes.set(key, `products[${i}].barcodes[${j}]`);
      });
    });
  });
export type Catalogue = z.infer<typeof Catalogue>;

export type CatalogueValidation = { ok: true; value: Catalogue } | { ok: false; problems: CatalogueProblem[] };

/** Validates a parsed JSON value: the catalogue with defaults filled in, or every problem by path. Never throws. */
export function validateCatalogue(input: unknown): CatalogueValidation {
  try {
    const result = Catalogue.safeParse(input, { reportInput: true });
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, problems: describeCatalogueIssues(result.error.issues) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: '', message: `could not be read: ${detail}`, code: 'unreadable', facts: { detail } }] };
  }
}

/** Validates catalogue JSON text, as imported from a file. */
export function validateCatalogueText(text: string): CatalogueValidation {
  if (text.length > CATALOGUE_LIMITS.textBytes) {
    return { ok: false, problems: [{ path: '', message: `larger than ${CATALOGUE_LIMITS.textBytes} bytes`, code: 'text-too-large', facts: { maxBytes: CATALOGUE_LIMITS.textBytes } }] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [notJsonProblem(text, error)] };
  }
  return validateCatalogue(parsed);
}

/** For handlers: the catalogue (from JSON or its text), or a VALIDATION error listing every problem. */
export function parseCatalogueOrThrow(input: unknown): Catalogue {
  const result = typeof input === 'string' ? validateCatalogueText(input) : validateCatalogue(input);
  if (result.ok) return result.value;
  throw new KasaError('VALIDATION', `Invalid catalogue:\n${formatProblems(result.problems)}`, { problems: result.problems });
}
