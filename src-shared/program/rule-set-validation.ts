// Reading a rule set someone wrote: every problem comes back as "exact.path[2]: reason", in words a
// programme owner understands. Never throws, whatever the input.
import type { z } from 'zod';
import { KasaError } from '../api/errors';
import { formatIssuePath } from '../api/validation';
import { RuleSet } from './rule-set';

export type RuleSetProblem = { path: string; message: string };
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

function sizeMessage(issue: z.core.$ZodIssue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      return small ? (bound === '1' ? 'must not be empty' : `needs at least ${bound} characters`) : `is longer than ${bound} characters`;
    case 'array':
    case 'set':
      return small ? `needs at least ${bound} item${bound === '1' ? '' : 's'}` : `has more than ${bound} items`;
    default:
      if (small) return inclusive ? `must be at least ${bound}` : `must be above ${bound}`;
      return inclusive ? `must be at most ${bound}` : `must be below ${bound}`;
  }
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'required';
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${describeValue(input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(input)}`;
    case 'invalid_union': {
      const { options, discriminator } = issue as { options?: unknown[]; discriminator?: string };
      if (discriminator && options) {
        const got = input && typeof input === 'object' ? (input as Record<string, unknown>)[discriminator] : input;
        return `unknown ${discriminator} ${describeValue(got)}; expected ${options.map((o) => JSON.stringify(o)).join(', ')}`;
      }
      return `does not match any allowed form (got ${describeValue(input)})`;
    }
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
      return `has a key that is not allowed: ${issue.issues.map(issueMessage).join('; ')}`;
    case 'invalid_element':
      return issue.issues.map(issueMessage).join('; ');
    case 'invalid_format':
    case 'custom':
    default:
      return issue.message;
  }
}

/** One problem per issue; an unknown field is named in the path so it can be found and deleted. */
export function describeRuleSetIssues(issues: readonly z.core.$ZodIssue[]): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: formatIssuePath([...issue.path, key]), message: 'unknown field' });
    } else if (issue.code === 'invalid_key' && issue.origin === 'record') {
      problems.push({ path: formatIssuePath(issue.path), message: `key ${issue.issues.map(issueMessage).join('; ')}` });
    } else {
      problems.push({ path: formatIssuePath(issue.path), message: issueMessage(issue) });
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
}

export const formatProblems = (problems: readonly RuleSetProblem[]): string =>
  problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');

/** Validates a parsed JSON value. Returns the rule set with defaults filled in, or every problem found. */
export function validateRuleSet(input: unknown): RuleSetValidation {
  try {
    const result = RuleSet.safeParse(input, { reportInput: true });
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, problems: describeRuleSetIssues(result.error.issues) };
  } catch (error) {
    // Getters that throw, proxies and the like: not a rule set, and no reason to crash.
    return { ok: false, problems: [{ path: '', message: `could not be read: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

/** Validates rule-set JSON text, as uploaded or pasted. */
export function validateRuleSetText(text: string): RuleSetValidation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return validateRuleSet(parsed);
}

/** For API handlers: the rule set, or a PROGRAM_INVALID error listing every problem. */
export function parseRuleSetOrThrow(input: unknown): RuleSet {
  const result = validateRuleSet(input);
  if (result.ok) return result.value;
  throw new KasaError('PROGRAM_INVALID', `Invalid rule set:\n${formatProblems(result.problems)}`, { problems: result.problems });
}
