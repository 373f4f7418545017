// What installing a catalogue would change, in the console's language, from the server's diff facts
// (src-shared/catalogue/catalogue-diff.ts): a sentence saying against what, and per kind of change a
// counted heading and its first lines (SKU, name, old and new value); prices in the console's locale.
import type { TFunction } from 'i18next';
import { CATALOGUE_DIFF_KINDS, type CatalogueDiff, type CatalogueDiffKind, type ProductLine } from '../../src-shared/catalogue/catalogue-diff';

/** Money in minor units of a currency, as the console's locale writes it. */
export type MoneyText = (minor: number, currency: string) => string;

export type CatalogueChangeSection = { kind: CatalogueDiffKind; heading: string; lines: string[]; more: string | null };

/** Against what the new catalogue is compared, and what changes beside its products (currency, name). */
export function catalogueSummaryLines(diff: CatalogueDiff, t: TFunction): string[] {
  const { from, to } = diff;
  if (!from) return [t('catalogueChanges.first', { version: to.version, count: to.products })];
  const lines = [t('catalogueChanges.against', { from: from.version, to: to.version, unchanged: diff.unchanged, count: from.products })];
  if (from.currency !== to.currency) lines.push(t('catalogueChanges.currencyChanged', { from: from.currency, to: to.currency }));
  if (from.name !== to.name) lines.push(t('catalogueChanges.nameChanged', { from: from.name ?? t('catalogueChanges.none'), to: to.name ?? t('catalogueChanges.none') }));
  if (CATALOGUE_DIFF_KINDS.every((kind) => diff[kind].count === 0)) lines.push(t('catalogueChanges.noProductChanges'));
  return lines;
}

function productLine(p: ProductLine, currency: string, t: TFunction, money: MoneyText): string {
  return t('catalogueChanges.lines.product', { sku: p.sku, name: p.name, category: p.category, price: money(p.unitPriceMinor, currency) });
}

function linesOf(kind: CatalogueDiffKind, diff: CatalogueDiff, t: TFunction, money: MoneyText): string[] {
  const oldCurrency = diff.from?.currency ?? diff.to.currency;
  const codes = (list: string[]) => (list.length > 0 ? list.join(', ') : t('catalogueChanges.none'));
  switch (kind) {
    case 'added':
      return diff.added.first.map((p) => productLine(p, diff.to.currency, t, money));
    case 'removed':
      return diff.removed.first.map((p) => productLine(p, oldCurrency, t, money));
    case 'priceChanged':
      return diff.priceChanged.first.map((c) => t('catalogueChanges.lines.changed', { sku: c.sku, name: c.name, from: money(c.from, oldCurrency), to: money(c.to, diff.to.currency) }));
    case 'categoryChanged':
      return diff.categoryChanged.first.map((c) => t('catalogueChanges.lines.changed', { sku: c.sku, name: c.name, from: c.from, to: c.to }));
    case 'renamed':
      return diff.renamed.first.map((c) => t('catalogueChanges.lines.renamed', { sku: c.sku, from: c.from, to: c.to }));
    case 'barcodesChanged':
      return diff.barcodesChanged.first.map((c) => t('catalogueChanges.lines.barcodes', { sku: c.sku, name: c.name, added: codes(c.added), removed: codes(c.removed) }));
  }
}

/** One section per kind of change that has any, in a fixed order. */
export function catalogueChangeSections(diff: CatalogueDiff, t: TFunction, money: MoneyText): CatalogueChangeSection[] {
  return CATALOGUE_DIFF_KINDS.filter((kind) => diff[kind].count > 0).map((kind) => {
    const { count, first } = diff[kind];
    const rest = count - first.length;
    return { kind, heading: t(`catalogueChanges.kinds.${kind}`, { count }), lines: linesOf(kind, diff, t, money), more: rest > 0 ? t('catalogueChanges.more', { count: rest }) : null };
  });
}
