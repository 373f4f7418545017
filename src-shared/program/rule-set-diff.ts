// What changed between two rule-set versions, in short lines a programme owner reads in the
// version history ("promotion tuesday-evening added", "earning.pointsPerUnit: 1 → 2").
import type { RuleSet } from './rule-set';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown) => (v === undefined ? 'none' : typeof v === 'object' && v !== null ? 'changed' : JSON.stringify(v));

function fieldChanges(section: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  if (before === null && after === null) return [];
  if (before === null) return [`${section} added`];
  if (after === null) return [`${section} removed`];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((k) => !same(before[k], after[k]))
    .map((k) => {
      const [a, b] = [before[k], after[k]];
      return (a === undefined || typeof a !== 'object') && (b === undefined || typeof b !== 'object') ? `${section}.${k}: ${show(a)} → ${show(b)}` : `${section}.${k} changed`;
    });
}

function listChanges(what: string, before: readonly { id: string }[], after: readonly { id: string }[]): string[] {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  const lines: string[] = [];
  for (const [id, item] of now) {
    const was = old.get(id);
    if (!was) lines.push(`${what} ${id} added`);
    else if (!same(was, item)) lines.push(`${what} ${id} changed`);
  }
  for (const id of old.keys()) if (!now.has(id)) lines.push(`${what} ${id} removed`);
  return lines;
}

/** Every difference from `before` to `after`; `before` null means this is the first version. */
export function describeRuleSetChanges(before: RuleSet | null, after: RuleSet): string[] {
  if (!before) return ['first version'];
  const lines: string[] = [];
  if (before.name !== after.name) lines.push(`name: ${show(before.name)} → ${show(after.name)}`);
  if (before.currency !== after.currency) lines.push(`currency: ${before.currency} → ${after.currency}`);
  lines.push(...fieldChanges('earning', before.earning, after.earning));
  lines.push(...fieldChanges('tiers', before.tiers, after.tiers));
  lines.push(...listChanges('promotion', before.promotions, after.promotions));
  if (before.stacking !== after.stacking) lines.push(`stacking: ${show(before.stacking)} → ${show(after.stacking)}`);
  lines.push(...fieldChanges('referral', before.referral, after.referral));
  lines.push(...fieldChanges('redemption', before.redemption, after.redemption));
  lines.push(...listChanges('reward', before.rewards, after.rewards));
  if (!same(before.expiry, after.expiry)) lines.push(`expiry: ${after.expiry.type === 'never' ? 'never' : `${after.expiry.months} months${after.expiry.endOfMonth ? ', end of month' : ''}`}`);
  const known = new Set(['schema', 'version', 'name', 'currency', 'earning', 'tiers', 'promotions', 'stacking', 'referral', 'redemption', 'rewards', 'expiry']);
  const other = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !known.has(k) && !same((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k]));
  lines.push(...other.map((k) => `${k} changed`));
  return lines.length > 0 ? lines : ['no change but the version'];
}
