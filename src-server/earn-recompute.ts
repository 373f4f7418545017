// Recomputing an earn entry with its own rule-set version and the member context the terminal
// recorded with it, exactly as the terminal's engine did: ingest checks the points with it, and
// insights take the tier the sale left the member in from it.
import type { LedgerEntry } from '../src-shared/ledger/entry';
import { computeSale } from '../src-shared/program/engine';
import { recordedSaleOf } from '../src-shared/program/replay';
import type { RuleSet } from '../src-shared/program/rule-set';
import { ruleSetKey } from './rule-set-reads';

/**
 * What an earn entry comes to with its rule set: the points it should have earned, and the tier the
 * member was in after it (null: the programme has no tiers, or the entry recorded no member).
 */
export type RecomputedEarn = { expected: number; tierAfter: string | null } | { reason: string };

/** Recomputes an earn entry; `ruleSets` holds what loadRuleSets read for it. */
export function recomputeEarn(entry: LedgerEntry, ruleSets: ReadonlyMap<string, RuleSet | null>): RecomputedEarn {
  if (!entry.ruleSetVersion) return { reason: 'no rule-set version' };
  const ruleSet = ruleSets.get(ruleSetKey(entry.ruleSetVersion, entry.currency));
  if (!ruleSet) return { reason: `rule set ${entry.ruleSetVersion} is unknown to the server` };
  const sale = recordedSaleOf(entry, ruleSet, 'UTC');
  if (!sale) return { reason: 'earn payload is malformed' };
  try {
    const computed = computeSale(ruleSet, sale.request, sale.member, sale.clock, { trustBalance: true });
    return { expected: computed.pointsEarned, tierAfter: computed.tier.after?.tierId ?? null };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}
