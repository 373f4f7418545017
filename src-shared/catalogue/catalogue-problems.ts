// A catalogue's problems as codes and facts, so the console can say them in its own language; the
// English message stays for the CLI, the server's error text and older clients. The schema's own
// reasons (required, too long, unknown field...) are the rule set's codes; the catalogue's own
// checks (duplicates, GTINs, control characters) have codes of their own.
import type { z } from 'zod';
import { formatIssuePath } from '../api/validation';
import { describeRuleSetIssues, describeValue, type ProblemFacts, type RuleSetProblemCode } from '../program/rule-set-validation';

export const CATALOGUE_PROBLEM_CODES = [
  'duplicate-sku',
  'duplicate-barcode',
  'gtin-check-digit',
  'gtin-shape',
  'control-character',
  'version-characters',
  'text-too-large',
] as const;
export type CatalogueOwnProblemCode = (typeof CATALOGUE_PROBLEM_CODES)[number];

/** `code`: one of the catalogue's own, or the rule set's for what the schema checks (required, too-long, not-json...). */
export type CatalogueProblem = { path: string; message: string; code: CatalogueOwnProblemCode | RuleSetProblemCode; facts: ProblemFacts };

/** The schema's messages for the checks that have no issue params: recognised by their words. */
export const CATALOGUE_MESSAGES = {
  gtinShape: 'expected an EAN-13 (13 digits), UPC-A (12) or EAN-8 (8), digits only',
  versionCharacters: 'letters, digits and . : _ - only',
  controlCharacterSuffix: ' holds a control character (tab, newline...)',
} as const;

const MAX_PROBLEMS = 50;

export const isCatalogueOwnProblemCode = (code: unknown): code is CatalogueOwnProblemCode => CATALOGUE_PROBLEM_CODES.includes(code as CatalogueOwnProblemCode);

function plainFacts(values: Record<string, unknown>): ProblemFacts {
  const facts: ProblemFacts = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string' || typeof v === 'number') facts[k] = v;
  return facts;
}

/** The catalogue's own reason for an issue, or null when the issue is the schema's (worded as a rule set's). */
function ownReason(issue: z.core.$ZodIssue): Omit<CatalogueProblem, 'path'> | null {
  if (issue.code === 'custom') {
    const { problem, ...facts } = ((issue as { params?: Record<string, unknown> }).params ?? {}) as Record<string, unknown>;
    return isCatalogueOwnProblemCode(problem) ? { code: problem, facts: plainFacts(facts), message: issue.message } : null;
  }
  if (issue.code !== 'invalid_format') return null;
  const input = (issue as { input?: unknown }).input;
  if (issue.message === CATALOGUE_MESSAGES.gtinShape) return { code: 'gtin-shape', facts: { got: describeValue(input) }, message: issue.message };
  if (issue.message === CATALOGUE_MESSAGES.versionCharacters) return { code: 'version-characters', facts: { got: describeValue(input) }, message: issue.message };
  if (issue.message.endsWith(CATALOGUE_MESSAGES.controlCharacterSuffix)) return { code: 'control-character', facts: { field: String(issue.path.at(-1) ?? '') }, message: issue.message };
  return null;
}

/** One problem per issue (an unknown field per key), at most 50, each with its path, code and facts. */
export function describeCatalogueIssues(issues: readonly z.core.$ZodIssue[]): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  for (const issue of issues) {
    const own = ownReason(issue);
    if (own) problems.push({ path: formatIssuePath(issue.path), ...own });
    else problems.push(...describeRuleSetIssues([issue]));
  }
  return problems.slice(0, MAX_PROBLEMS);
}
