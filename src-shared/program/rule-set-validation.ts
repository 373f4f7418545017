// Reading a rule set someone wrote: every problem comes back as "exact.path[2]: reason", in words a
// programme owner understands, plus a stable code and its facts so the console can say the reason
// in its own language (the English message stays for the server, the CLI and logs). Never throws.
import type { z } from 'zod';
import { KasaError } from '../api/errors';
import { formatIssuePath } from '../api/validation';
import { CURRENCY_CODE_FORMAT } from '../domain/money';
import { LOCAL_DATE_TIME_FORMAT, RULE_ID_FORMAT, RuleSet, TIME_OF_DAY_FORMAT } from './rule-set';
import { firstJsonSyntaxError } from './json-syntax';
import { RULE_SET_PROBLEM_SENTENCES_EN } from './problem-sentences';

export const RULE_SET_PROBLEM_CODES = [
  // From the schema's types and bounds.
  'required',
  'wrong-type',
  'not-allowed-value',
  'unknown-kind',
  'no-matching-form',
  'empty',
  'too-short',
  'too-long',
  'too-few',
  'too-many',
  'too-small',
  'must-be-above',
  'too-big',
  'must-be-below',
  'not-multiple',
  'bad-key',
  'unknown-field',
  'bad-format',
  'bad-id',
  'bad-local-date-time',
  'bad-time-of-day',
  'bad-currency',
  // From the rule set's own checks (params.problem on their issues).
  'not-a-real-date',
  'three-decimals',
  'unknown-day',
  'from-and-to',
  'sku-or-category',
  'promotion-multiplier',
  'rule-conflict',
  'excluded-but-has-rule',
  'duplicate-id',
  'first-tier-threshold',
  'tier-thresholds-order',
  'unknown-tier',
  'no-tiers',
  'stacking-required',
  'ends-before-starts',
  'group-needs-exclusive-groups',
  'max-below-step',
  'excluded-from-offers',
  // Before any schema: the input itself.
  'unreadable',
  'not-json',
  'json-syntax',
  // A store's own refusals when installing (src-main/core/rule-set-store.ts).
  'wrong-currency',
  'version-taken',
  'default-version',
  // A check without a code (a future one): only its English message. A catalogue's own checks have
  // theirs (src-shared/catalogue/catalogue-problems.ts).
  'other',
] as const;
export type RuleSetProblemCode = (typeof RULE_SET_PROBLEM_CODES)[number];
export type ProblemFacts = Record<string, string | number>;

/** `message` is the English sentence; `code` and `facts` say the same for whoever words it anew. */
export type RuleSetProblem = { path: string; message: string; code: RuleSetProblemCode; facts: ProblemFacts };
type Reason = Omit<RuleSetProblem, 'path'>;
export type RuleSetValidation = { ok: true; value: RuleSet } | { ok: false; problems: RuleSetProblem[] };

const MAX_PROBLEMS = 50;

/** A short, safe description of a bad value for a message: never the whole of a large input. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'a number that is not finite';
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
};

/** A bad value as facts: the value itself when short and plain, else what kind of thing it is. */
function gotFacts(value: unknown): ProblemFacts {
  if (value === undefined) return { gotKind: 'nothing' };
  if (value === null) return { gotKind: 'null' };
  if (Array.isArray(value)) return { gotKind: 'list' };
  if (typeof value === 'object') return { gotKind: 'object' };
  if (typeof value === 'number' && !Number.isFinite(value)) return { gotKind: 'not-finite' };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { got: describeValue(value) };
  return { gotKind: typeof value };
}

const FORMAT_CODES: Record<string, RuleSetProblemCode> = {
  [RULE_ID_FORMAT]: 'bad-id',
  [LOCAL_DATE_TIME_FORMAT]: 'bad-local-date-time',
  [TIME_OF_DAY_FORMAT]: 'bad-time-of-day',
  [CURRENCY_CODE_FORMAT]: 'bad-currency',
};

function sizeReason(issue: z.core.$ZodIssue & { code: 'too_small' | 'too_big' }): Reason {
  const small = issue.code === 'too_small';
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const b = String(bound);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (!small) return { code: 'too-long', facts: { max: bound }, message: `is longer than ${b} characters` };
      return bound === 1 ? { code: 'empty', facts: {}, message: 'must not be empty' } : { code: 'too-short', facts: { min: bound }, message: `needs at least ${b} characters` };
    case 'array':
    case 'set':
      return small
        ? { code: 'too-few', facts: { min: bound }, message: `needs at least ${b} item${b === '1' ? '' : 's'}` }
        : { code: 'too-many', facts: { max: bound }, message: `has more than ${b} items` };
    default:
      if (small) return inclusive ? { code: 'too-small', facts: { min: bound }, message: `must be at least ${b}` } : { code: 'must-be-above', facts: { min: bound }, message: `must be above ${b}` };
      return inclusive ? { code: 'too-big', facts: { max: bound }, message: `must be at most ${b}` } : { code: 'must-be-below', facts: { max: bound }, message: `must be below ${b}` };
  }
}

const isCode = (value: unknown): value is RuleSetProblemCode => RULE_SET_PROBLEM_CODES.includes(value as RuleSetProblemCode);

/** A custom issue's code and facts travel in its params: { problem: code, ...facts }. */
function customReason(issue: z.core.$ZodIssue): Reason {
  const { problem, ...facts } = ((issue as { params?: Record<string, unknown> }).params ?? {}) as Record<string, unknown>;
  const plain: ProblemFacts = {};
  for (const [k, v] of Object.entries(facts)) if (typeof v === 'string' || typeof v === 'number') plain[k] = v;
  return { code: isCode(problem) ? problem : 'other', facts: plain, message: issue.message };
}

function issueReason(issue: z.core.$ZodIssue): Reason {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return { code: 'required', facts: {}, message: 'required' };
      return { code: 'wrong-type', facts: { expected: issue.expected, ...gotFacts(input) }, message: `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${describeValue(input)}` };
    case 'invalid_value': {
      const expected = issue.values.map((v) => JSON.stringify(v)).join(' or ');
      return { code: 'not-allowed-value', facts: { expected: issue.values.map((v) => JSON.stringify(v)).join(', '), ...gotFacts(input) }, message: `expected ${expected}, got ${describeValue(input)}` };
    }
    case 'invalid_union': {
      const { options, discriminator } = issue as { options?: unknown[]; discriminator?: string };
      if (discriminator && options) {
        const got = input && typeof input === 'object' ? (input as Record<string, unknown>)[discriminator] : input;
        const expected = options.map((o) => JSON.stringify(o)).join(', ');
        return { code: 'unknown-kind', facts: { field: discriminator, expected, ...gotFacts(got) }, message: `unknown ${discriminator} ${describeValue(got)}; expected ${expected}` };
      }
      return { code: 'no-matching-form', facts: gotFacts(input), message: `does not match any allowed form (got ${describeValue(input)})` };
    }
    case 'too_small':
    case 'too_big':
      return sizeReason(issue);
    case 'not_multiple_of':
      return { code: 'not-multiple', facts: { divisor: Number(issue.divisor) }, message: `must be a multiple of ${String(issue.divisor)}` };
    case 'invalid_key': {
      // The first reason the key is wrong, as the key's facts (inner: its code).
      const inner = issue.issues.map(issueReason);
      const first = inner[0] ?? { code: 'other' as const, facts: {}, message: '' };
      return { code: 'bad-key', facts: { ...first.facts, inner: first.code }, message: `has a key that is not allowed: ${inner.map((r) => r.message).join('; ')}` };
    }
    case 'invalid_element': {
      const inner = issue.issues.map(issueReason);
      const first = inner[0] ?? { code: 'other' as const, facts: {}, message: '' };
      return { ...first, message: inner.map((r) => r.message).join('; ') };
    }
    case 'invalid_format':
      return { code: FORMAT_CODES[issue.message] ?? 'bad-format', facts: { format: issue.format }, message: issue.message };
    case 'custom':
      return customReason(issue);
    default:
      return { code: 'other', facts: {}, message: (issue as { message: string }).message };
  }
}

/** One problem per issue; an unknown field is named in the path so it can be found and deleted. */
export function describeRuleSetIssues(issues: readonly z.core.$ZodIssue[]): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: formatIssuePath([...issue.path, key]), message: 'unknown field', code: 'unknown-field', facts: { field: key } });
    } else if (issue.code === 'invalid_key' && issue.origin === 'record') {
      const inner = issue.issues.map(issueReason);
      const first = inner[0] ?? { code: 'other' as const, facts: {} };
      problems.push({ path: formatIssuePath(issue.path), message: `key ${inner.map((r) => r.message).join('; ')}`, code: 'bad-key', facts: { ...first.facts, inner: first.code } });
    } else {
      problems.push({ path: formatIssuePath(issue.path), ...issueReason(issue) });
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
}

export const formatProblems = (problems: readonly Pick<RuleSetProblem, 'path' | 'message'>[]): string =>
  problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');

const detail = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Validates a parsed JSON value. Returns the rule set with defaults filled in, or every problem found. */
export function validateRuleSet(input: unknown): RuleSetValidation {
  try {
    const result = RuleSet.safeParse(input, { reportInput: true });
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, problems: describeRuleSetIssues(result.error.issues) };
  } catch (error) {
    // Getters that throw, proxies and the like: not a rule set, and no reason to crash.
    return { ok: false, problems: [{ path: '', message: `could not be read: ${detail(error)}`, code: 'unreadable', facts: { detail: detail(error) } }] };
  }
}

/** Validates rule-set JSON text, as uploaded or pasted. */
export function validateRuleSetText(text: string): RuleSetValidation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [notJsonProblem(text, error)] };
  }
  return validateRuleSet(parsed);
}

/**
 * Why `text` (which JSON.parse refused with `error`) is not JSON: where and why, as facts a screen
 * words in its language ('json-syntax'), or the engine's English words when the scanner finds
 * nothing ('not-json').
 */
export function notJsonProblem(text: string, error: unknown): RuleSetProblem {
  const found = firstJsonSyntaxError(text);
  if (!found) return { path: '', message: `not valid JSON: ${detail(error)}`, code: 'not-json', facts: { detail: detail(error) } };
  const why = RULE_SET_PROBLEM_SENTENCES_EN.jsonSyntax[found.syntax];
  return { path: '', message: `not valid JSON at line ${found.line}, column ${found.column}: ${why}`, code: 'json-syntax', facts: found };
}

/** For API handlers: the rule set, or a PROGRAM_INVALID error listing every problem. */
export function parseRuleSetOrThrow(input: unknown): RuleSet {
  const result = validateRuleSet(input);
  if (result.ok) return result.value;
  throw new KasaError('PROGRAM_INVALID', `Invalid rule set:\n${formatProblems(result.problems)}`, { problems: result.problems });
}
