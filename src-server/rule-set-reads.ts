// Reading rule sets from the server's database: the one in force now, and the versions a batch of
// earn entries names (parsed once per process: an installed version never changes).
import type { LedgerEntry } from '../src-shared/ledger/entry';
import { defaultRuleSet, RuleSet } from '../src-shared/program/rule-set';
import type { Database, Queryable } from './db/database';

/** The rule set in force at `at` (the newest one whose activation has come), or null before any is installed. */
export async function activeRuleSet(db: Queryable, at: Date): Promise<RuleSet | null> {
  const [row] = await db.query<{ document: unknown }>('SELECT document FROM rule_sets WHERE active_from <= $1 ORDER BY active_from DESC, installed_at DESC LIMIT 1', [at.toISOString()]);
  return row ? RuleSet.parse(row.document) : null;
}

/** How loadRuleSets keys what it read: a version, and the currency a default rule set is made for. */
export const ruleSetKey = (version: string, currency: string | null) => `${version}|${currency ?? ''}`;

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
