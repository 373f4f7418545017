// A rule-set or catalogue problem's reason in a screen's language: the validator's code and facts
// worded from the tables in problem-sentences.ts through the screen's translate function, for the
// terminal and the console alike. A problem without a code we know (an older server or core) keeps
// its English message.
import { catalogueReasonText, type Translate } from '../catalogue/catalogue-problem-words';
import { isCatalogueOwnProblemCode } from '../catalogue/catalogue-problems';
import { RULE_SET_PROBLEM_SENTENCES_EN } from './problem-sentences';
import { RULE_SET_PROBLEM_CODES, type ProblemFacts, type RuleSetProblemCode } from './rule-set-validation';

export type { Translate } from '../catalogue/catalogue-problem-words';

/** As it comes from the validator or from an error's details.problems (code and facts are newer). */
export type ProblemLike = { path: string; message: string; code?: string; facts?: ProblemFacts };

const isCode = (code: unknown): code is RuleSetProblemCode => RULE_SET_PROBLEM_CODES.includes(code as RuleSetProblemCode) && code !== 'other';

/** A fact's value in words where the table has them (a type, a kind of thing), else the value as it is. */
function wordFor(table: keyof typeof RULE_SET_PROBLEM_SENTENCES_EN, value: string, t: Translate): string {
  return Object.hasOwn(RULE_SET_PROBLEM_SENTENCES_EN[table], value) ? t(`ruleSetProblems.${table}.${value}`) : value;
}

function reasonText(code: RuleSetProblemCode, facts: ProblemFacts, t: Translate): string {
  const got = typeof facts.gotKind === 'string' ? wordFor('gotKinds', facts.gotKind, t) : String(facts.got ?? '');
  const values: Record<string, string | number> = { ...facts, got };
  if (typeof facts.expected === 'string' && code === 'wrong-type') values.expected = wordFor('types', facts.expected, t);
  if (typeof facts.kind === 'string') values.kind = wordFor('kinds', facts.kind, t);
  if (typeof facts.syntax === 'string') values.syntax = wordFor('jsonSyntax', facts.syntax, t);
  if (code === 'bad-key') {
    const inner = isCode(facts.inner) ? reasonText(facts.inner, facts, t) : String(facts.inner ?? '');
    return t('ruleSetProblems.codes.bad-key', { reason: inner });
  }
  // A count picks "1 item" or "2 items" (too-few_one).
  return t(`ruleSetProblems.codes.${code}`, code === 'too-few' ? { ...values, count: Number(facts.min) } : values);
}

/** The reason, without the path. */
export function problemText(problem: ProblemLike, t: Translate): string {
  if (isCode(problem.code)) return reasonText(problem.code, problem.facts ?? {}, t);
  if (isCatalogueOwnProblemCode(problem.code)) return catalogueReasonText(problem.code, problem.facts ?? {}, t);
  return problem.message;
}

/** Whether an error's details.problems item is one: a path and an English message at least. */
export const isProblemLike = (value: unknown): value is ProblemLike =>
  typeof value === 'object' && value !== null && typeof (value as ProblemLike).path === 'string' && typeof (value as ProblemLike).message === 'string';
