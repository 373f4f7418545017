// What changed between two rule-set versions: structured changes (kind and facts) a screen words in
// its own language, and the short English lines the version history has always shown ("promotion
// tuesday-evening added", "earning.pointsPerUnit: 1 → 2"), made from them.
import type { RuleSet } from './rule-set';

/** A plain value as it was or is; absent: there was none. */
export type ChangedValue = string | number | boolean;

export type RuleSetChange =
  | { kind: 'first-version' }
  | { kind: 'no-change' }
  /** A plain value changed: name, currency, stacking, or a section's field ("earning.pointsPerUnit"). */
  | { kind: 'value-changed'; field: string; from?: ChangedValue; to?: ChangedValue }
  /** A field holding more than one value (a list of objects, say) changed: "tiers.levels". */
  | { kind: 'field-changed'; field: string }
  /** A list of plain values gained or lost some: "earning.excludedCategories". */
  | { kind: 'list-changed'; field: string; added: ChangedValue[]; removed: ChangedValue[] }
  | { kind: 'section-added' | 'section-removed'; section: string }
  | { kind: 'item-added' | 'item-changed' | 'item-removed'; list: 'promotion' | 'reward'; id: string }
  | { kind: 'expiry-changed'; months?: number; endOfMonth?: boolean };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isPlain = (v: unknown): v is ChangedValue | undefined => v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const isPlainMap = (v: unknown): v is Record<string, ChangedValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => x !== undefined && isPlain(x));
const isPlainList = (v: unknown): v is ChangedValue[] => Array.isArray(v) && v.every((x) => x !== undefined && isPlain(x));

/**
 * What changed in one field: a plain value from and to; a map of plain values (category rates)
 * key by key, so the owner reads each rate that moved; a list of plain values (excluded
 * categories) as what it gained and lost; anything else as "changed".
 */
function valueChanges(field: string, from: unknown, to: unknown): RuleSetChange[] {
  if (isPlain(from) && isPlain(to)) return [{ kind: 'value-changed', field, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }];
  if ((from === undefined || isPlainMap(from)) && (to === undefined || isPlainMap(to))) {
    const before = from ?? {};
    const after = to ?? {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.filter((k) => before[k] !== after[k]).flatMap((k) => valueChanges(`${field}.${k}`, before[k], after[k]));
  }
  if ((from === undefined || isPlainList(from)) && (to === undefined || isPlainList(to))) {
    const before = from ?? [];
    const after = to ?? [];
    const added = after.filter((x) => !before.includes(x));
    const removed = before.filter((x) => !after.includes(x));
    // Only the order changed: still a change of the document, said as such.
    return added.length + removed.length > 0 ? [{ kind: 'list-changed', field, added, removed }] : [{ kind: 'field-changed', field }];
  }
  return [{ kind: 'field-changed', field }];
}

function fieldChanges(section: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): RuleSetChange[] {
  if (before === null && after === null) return [];
  if (before === null) return [{ kind: 'section-added', section }];
  if (after === null) return [{ kind: 'section-removed', section }];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((k) => !same(before[k], after[k])).flatMap((k) => valueChanges(`${section}.${k}`, before[k], after[k]));
}

function listChanges(list: 'promotion' | 'reward', before: readonly { id: string }[], after: readonly { id: string }[]): RuleSetChange[] {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  const changes: RuleSetChange[] = [];
  for (const [id, item] of now) {
    const was = old.get(id);
    if (!was) changes.push({ kind: 'item-added', list, id });
    else if (!same(was, item)) changes.push({ kind: 'item-changed', list, id });
  }
  for (const id of old.keys()) if (!now.has(id)) changes.push({ kind: 'item-removed', list, id });
  return changes;
}

/** Every difference from `before` to `after`; `before` null means this is the first version. */
export function diffRuleSets(before: RuleSet | null, after: RuleSet): RuleSetChange[] {
  if (!before) return [{ kind: 'first-version' }];
  const changes: RuleSetChange[] = [];
  if (before.name !== after.name) changes.push(...valueChanges('name', before.name, after.name));
  if (before.currency !== after.currency) changes.push(...valueChanges('currency', before.currency, after.currency));
  changes.push(...fieldChanges('earning', before.earning, after.earning));
  changes.push(...fieldChanges('tiers', before.tiers, after.tiers));
  changes.push(...listChanges('promotion', before.promotions, after.promotions));
  if (before.stacking !== after.stacking) changes.push(...valueChanges('stacking', before.stacking, after.stacking));
  changes.push(...fieldChanges('referral', before.referral, after.referral));
  changes.push(...fieldChanges('redemption', before.redemption, after.redemption));
  changes.push(...listChanges('reward', before.rewards, after.rewards));
  if (!same(before.expiry, after.expiry)) {
    changes.push(after.expiry.type === 'never' ? { kind: 'expiry-changed' } : { kind: 'expiry-changed', months: after.expiry.months, endOfMonth: after.expiry.endOfMonth });
  }
  const known = new Set(['schema', 'version', 'name', 'currency', 'earning', 'tiers', 'promotions', 'stacking', 'referral', 'redemption', 'rewards', 'expiry']);
  const other = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !known.has(k) && !same((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k]));
  changes.push(...other.map((field): RuleSetChange => ({ kind: 'field-changed', field })));
  return changes.length > 0 ? changes : [{ kind: 'no-change' }];
}

const show = (v: ChangedValue | undefined) => (v === undefined ? 'none' : JSON.stringify(v));

/** One change as the English line the version history has always shown. */
export function changeLine(change: RuleSetChange): string {
  switch (change.kind) {
    case 'first-version':
      return 'first version';
    case 'no-change':
      return 'no change but the version';
    case 'value-changed':
      // The currency was always written bare (TRY → EUR), every other value as JSON.
      return change.field === 'currency' ? `currency: ${String(change.from)} → ${String(change.to)}` : `${change.field}: ${show(change.from)} → ${show(change.to)}`;
    case 'field-changed':
      return `${change.field} changed`;
    case 'list-changed':
      return `${change.field}: ${[change.added.length > 0 ? `added ${change.added.map(show).join(', ')}` : '', change.removed.length > 0 ? `removed ${change.removed.map(show).join(', ')}` : ''].filter(Boolean).join('; ')}`;
    case 'section-added':
      return `${change.section} added`;
    case 'section-removed':
      return `${change.section} removed`;
    case 'item-added':
      return `${change.list} ${change.id} added`;
    case 'item-changed':
      return `${change.list} ${change.id} changed`;
    case 'item-removed':
      return `${change.list} ${change.id} removed`;
    case 'expiry-changed':
      return `expiry: ${change.months === undefined ? 'never' : `${change.months} months${change.endOfMonth ? ', end of month' : ''}`}`;
  }
}

/** The English lines, for the server's `changes` and whoever reads them. */
export const describeRuleSetChanges = (before: RuleSet | null, after: RuleSet): string[] => diffRuleSets(before, after).map(changeLine);
