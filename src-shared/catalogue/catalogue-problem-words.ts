// A catalogue's own problems (duplicates, GTINs, control characters) in a screen's language, from
// their codes and facts, and a catalogue path as the owner reads it ("Product 3 › Barcode 1"). The
// schema's problems (required, too long...) carry the rule set's codes and are worded as those are
// (program/problem-words.ts). The words come from a translate function over the tables in
// program/problem-sentences.ts, so the terminal and the console say them alike.
import type { ProblemFacts } from '../program/rule-set-validation';
import type { CatalogueOwnProblemCode } from './catalogue-problems';

/** A screen's i18n lookup: the key's sentence with its {{params}} filled in (i18next's t). */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

const FIELDS = new Set(['format', 'version', 'currency', 'name', 'products', 'sku', 'category', 'unitPriceMinor', 'barcodes']);

const fieldName = (field: string, t: Translate) => (FIELDS.has(field) ? t(`catalogueFields.${field}`) : field);

/** products[2].barcodes[0] as "Product 3 › Barcode 1"; a document field by its name; '' for the whole document. */
export function catalogueFieldLabel(path: string, t: Translate): string {
  const m = /^products\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?$/.exec(path);
  if (!m) return fieldName(path, t);
  const product = t('catalogueFields.product', { n: Number(m[1]) + 1 });
  const [, , field, index] = m;
  if (!field) return product;
  const named = field === 'barcodes' && index !== undefined ? t('catalogueFields.barcode', { n: Number(index) + 1 }) : fieldName(field, t);
  return `${product} › ${named}`;
}

/** The reason of one of the catalogue's own problems, without its place. */
export function catalogueReasonText(code: CatalogueOwnProblemCode, facts: ProblemFacts, t: Translate): string {
  const values: Record<string, string | number> = { ...facts };
  if (typeof facts.alsoAt === 'string') values.alsoAt = catalogueFieldLabel(facts.alsoAt, t);
  if (typeof facts.maxBytes === 'number') values.megabytes = Math.round(facts.maxBytes / (1024 * 1024));
  return t(`catalogueProblems.codes.${code}`, values);
}
