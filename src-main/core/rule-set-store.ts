import type { Database, Statement } from 'better-sqlite3';
import { KasaError } from '../../src-shared/api/errors';
import { canonicalJson } from '../../src-shared/ledger/canonical-json';
import { parseInstant } from '../../src-shared/program/local-time';
import { defaultRuleSet, RuleSet } from '../../src-shared/program/rule-set';
import { formatProblems, validateRuleSet, validateRuleSetText, type RuleSetProblem } from '../../src-shared/program/rule-set-validation';
import { sha256Hex } from './ledger-writer';

export type ActiveRuleSet = {
  ruleSet: RuleSet;
  /** 'default' until a rule set is installed: 1 point per currency unit, nothing else. */
  source: 'default' | 'installed';
  activeFrom: string | null;
  installedAt: string | null;
};

export type InstallOutcome = { version: string; installed: boolean; activeFrom: string; activeNow: boolean };

type ActivationRow = { version: string; active_from: string };
type RuleSetRow = { version: string; document: string; digest: string; installed_at: string };

const invalid = (problems: RuleSetProblem[]) =>
  new KasaError('PROGRAM_INVALID', `Invalid rule set:\n${formatProblems(problems)}`, { problems });

/**
 * Installed rule sets, immutable per version, and which one is active when. Every version ever
 * installed stays readable: refunds and replays recompute a sale with the version it recorded.
 */
export class RuleSetStore {
  readonly #byVersion = new Map<string, { ruleSet: RuleSet; installedAt: string }>();
  readonly #defaults = new Map<string, RuleSet>();
  readonly #select: Statement<[string], RuleSetRow>;
  readonly #activations: Statement<[], ActivationRow & { active_from_ms: number }>;
  /** Activations in order; dropped by every install and read again on next use, so a rolled-back install leaves no trace. */
  #cached: (ActivationRow & { active_from_ms: number })[] | null = null;
  readonly #insert: Statement;
  readonly #activate: Statement;

  constructor(
    private readonly db: Database,
    private readonly currency: () => string,
  ) {
    this.#select = db.prepare('SELECT version, document, digest, installed_at FROM rule_sets WHERE version = ?');
    this.#insert = db.prepare('INSERT INTO rule_sets (version, document, digest, installed_at, installed_by) VALUES (?, ?, ?, ?, ?)');
    this.#activate = db.prepare('INSERT INTO rule_set_activations (version, active_from, active_from_ms, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)');
    this.#activations = db.prepare('SELECT version, active_from, active_from_ms FROM rule_set_activations ORDER BY active_from_ms, seq');
  }

  /** The rule set of the store's currency used before any is installed (one object per currency, so its compilation is cached). */
  defaultFor(currency = this.currency()): RuleSet {
    let rs = this.#defaults.get(currency);
    if (!rs) {
      rs = defaultRuleSet(currency);
      this.#defaults.set(currency, rs);
    }
    return rs;
  }

  /** A rule set by the version an entry recorded; undefined when this terminal never had it. */
  get(version: string): RuleSet | undefined {
    const cached = this.#byVersion.get(version);
    if (cached) return cached.ruleSet;
    const row = this.#select.get(version);
    if (row) {
      const ruleSet = RuleSet.parse(JSON.parse(row.document));
      this.#byVersion.set(version, { ruleSet, installedAt: row.installed_at });
      return ruleSet;
    }
    const fallback = this.defaultFor();
    return fallback.version === version ? fallback : undefined;
  }

  /** The activation with the latest start at or before `at` wins (the later-recorded one on a tie). */
  #activationsInOrder() {
    this.#cached ??= this.#activations.all();
    return this.#cached;
  }

  activeAt(at: string): ActiveRuleSet {
    const ms = parseInstant(at);
    let current: ActivationRow | undefined;
    for (const a of this.#activationsInOrder()) {
      if (a.active_from_ms > ms) break;
      current = a;
    }
    const ruleSet = current ? this.get(current.version) : undefined;
    if (!current || !ruleSet) return { ruleSet: this.defaultFor(), source: 'default', activeFrom: null, installedAt: null };
    return { ruleSet, source: 'installed', activeFrom: current.active_from, installedAt: this.#byVersion.get(current.version)?.installedAt ?? null };
  }

  /** Activations still to come after `at`, soonest first. */
  scheduledAfter(at: string): { version: string; activeFrom: string }[] {
    const ms = parseInstant(at);
    return this.#activationsInOrder()
      .filter((a) => a.active_from_ms > ms)
      .map((a) => ({ version: a.version, activeFrom: a.active_from }));
  }

  /**
   * Validates and installs a rule set (a parsed JSON value or its text) and activates it at
   * `activeFrom` (never before `now`). Installing a version again with the same content only
   * re-activates it; different content under an installed version is refused. Runs in the caller's
   * transaction: the active rule set is never half-replaced.
   */
  install(input: unknown, options: { activeFrom: string | null; now: string; by: string | null }): InstallOutcome {
    const result = typeof input === 'string' ? validateRuleSetText(input) : validateRuleSet(input);
    if (!result.ok) throw invalid(result.problems);
    const ruleSet = result.value;
    const currency = this.currency();
    if (ruleSet.currency !== currency) {
      throw invalid([{ path: 'currency', message: `the store sells in ${currency}, this rule set is in ${ruleSet.currency}`, code: 'wrong-currency', facts: { storeCurrency: currency, currency: ruleSet.currency } }]);
    }
    const nowMs = parseInstant(options.now);
    let activeFromMs = nowMs;
    if (options.activeFrom !== null) {
      try {
        activeFromMs = Math.max(nowMs, parseInstant(options.activeFrom));
      } catch (error) {
        throw new KasaError('VALIDATION', `activeFrom: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const activeFrom = activeFromMs === nowMs ? options.now : new Date(activeFromMs).toISOString();
    const document = canonicalJson(ruleSet);
    const digest = sha256Hex(document);
    const existing = this.#select.get(ruleSet.version);
    if (existing && existing.digest !== digest) {
      throw new KasaError(
        'ALREADY_EXISTS',
        `Rule set version "${ruleSet.version}" is already installed with different content. An installed version never changes: give this one a new version`,
        { problems: [{ path: 'version', message: 'already installed with different content', code: 'version-taken', facts: { version: ruleSet.version } }] },
      );
    }
    if (!existing && ruleSet.version === this.defaultFor().version) {
      throw invalid([{ path: 'version', message: `"${ruleSet.version}" is the built-in default's version: choose another`, code: 'default-version', facts: { version: ruleSet.version } }]);
    }
    if (!existing) this.#insert.run(ruleSet.version, document, digest, options.now, options.by);
    this.#activate.run(ruleSet.version, activeFrom, activeFromMs, options.now, options.by);
    this.#cached = null;
    // Nothing is cached here: the version is read (and cached) on first use, after this transaction
    // commits, so a rolled-back install leaves no trace in memory.
    return { version: ruleSet.version, installed: !existing, activeFrom, activeNow: activeFromMs <= nowMs };
  }
}
