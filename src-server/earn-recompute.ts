// Recomputing an earn entry with its own rule-set version and the member context the terminal
// recorded with it, exactly as the terminal's engine did: ingest checks the points with it, and
// insights take the tier the sale left the member in from it.
import type { LedgerEntry } from '../src-shared/ledger/entry';
import { computeSale } from '../src-shared/program/engine';
import { recordedSaleOf } from '../src-shared/program/replay';
import { defaultRuleSet, RuleSet } from '../src-shared/program/rule-set';
import type { Database, Queryable } from './db/database';

const ruleSetKey = (version: string, currency: string | null) => `${version}|${currency ?? ''}`;

/**
 * Reads every rule set the earn entries after `afterSeq` name that `cache` does not hold yet (a
 * batch names one or two): recomputing each entry then needs no await, which cost more than the
 * engine itself at 1,000 entries a batch.
 */
export async function loadRuleSets(tx: Queryable, entries: readonly LedgerEntry[], cache: Map<string, RuleSet | null>, afterSeq = -1): Promise<void> {
  for (const entry of entries) {
    if (entry.kind !== 'earn' || entry.seq <= afterSeq || !entry.ruleSetVersion) continue;
    const key = ruleSetKey(entry.ruleSetVersion, entry.currency);
    if (!cache.has(key)) cache.set(key, await readRuleSet(tx, entry.ruleSetVersion, entry.currency));
  }
}

/**
 * Rule sets already read, per database. An installed version never changes (admin.ts refuses other
 * content under it), so parsing and compiling it once serves every later batch; a version not
 * found is not remembered, as it may be installed later.
 */
const knownRuleSets = new WeakMap<Database, Map<string, RuleSet>>();

/** The rule sets this process has read from `db`; the caller adds those it read once its transaction commits. */
export function knownRuleSetsOf(db: Database): Map<string, RuleSet> {
  let known = knownRuleSets.get(db);
  if (!known) knownRuleSets.set(db, (known = new Map()));
  return known;
}

const defaultRuleSets = new Map<string, RuleSet>();

function defaultRuleSetFor(currency: string): RuleSet {
  let ruleSet = defaultRuleSets.get(currency);
  if (!ruleSet) {
    ruleSet = defaultRuleSet(currency);
    defaultRuleSets.set(currency, ruleSet);
  }
  return ruleSet;
}

async function readRuleSet(tx: Queryable, version: string, currency: string | null): Promise<RuleSet | null> {
  const [row] = await tx.query<{ document: unknown }>('SELECT document FROM rule_sets WHERE version = $1', [version]);
  if (row) return RuleSet.parse(row.document);
  if (currency && version === defaultRuleSetFor(currency).version) return defaultRuleSetFor(currency);
  return null;
}

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
