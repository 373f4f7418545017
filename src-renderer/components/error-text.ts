import type { i18n as I18n } from 'i18next';
import type { ApiError } from '../../src-shared/api/errors';
import { problemsSentence } from './problem-sentence';

type Details = Record<string, unknown>;

/**
 * The core's details as words to put in a sentence: numbers as the cashier writes them, lists
 * joined, and a 0-based line index as the line's number on screen.
 */
function sentenceParams(details: Details, language: string): Record<string, string> {
  const numbers = new Intl.NumberFormat(language);
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'number') params[key] = numbers.format(value);
    else if (typeof value === 'string') params[key] = value;
    else if (Array.isArray(value)) params[key] = value.map(String).join(', ');
  }
  if (typeof details.lineIndex === 'number') params.line = numbers.format(details.lineIndex + 1);
  return params;
}

/** The sentence for what the core's details say, or null when they say nothing the screen knows. */
function fromDetails(error: ApiError, details: Details, i18n: I18n): string | null {
  const t = i18n.t.bind(i18n);
  const params = sentenceParams(details, i18n.language);
  if (error.code === 'UNAUTHENTICATED') {
    if (typeof details.lockedForSeconds === 'number') return t('errors.pinLocked', { seconds: details.lockedForSeconds });
    if (typeof details.triesLeft === 'number') return t('errors.wrongPin', { count: details.triesLeft });
  }
  if (error.code === 'INSUFFICIENT_POINTS' && typeof details.balance === 'number' && typeof details.requested === 'number') {
    return t(typeof details.minimumBalance === 'number' && details.minimumBalance > 0 ? 'errors.insufficientPointsKeep' : 'errors.insufficientPoints', params);
  }
  if (error.code === 'FORBIDDEN' && details.reason === 'outside-refund-window' && details.windowHours === 0) return t('errors.refundManagerOnly');
  // A request to the central server: said by its sync failure code, as the status bar says them.
  if (details.reason === 'sync-failed' && typeof details.syncError === 'string' && i18n.exists(`syncError.${details.syncError}`)) return t(`syncError.${details.syncError}`);
  const sentenceFor = (reason: unknown, facts: Record<string, string | number> = {}) => {
    const key = `errors.reason.${String(reason)}`;
    return typeof reason === 'string' && i18n.exists(key) ? t(key, facts) : null;
  };
  // Items left to refund pick the sentence's singular ("only 1 item is left") or plural.
  const byReason = sentenceFor(details.reason, typeof details.left === 'number' ? { ...params, count: details.left } : params);
  if (byReason !== null) return byReason;
  if (error.code === 'VERIFICATION_REQUIRED' && details.policy === 'card-present') return t('errors.verificationCard');
  // A field's refusal (VALIDATION): the first of its issues whose reason the screen knows.
  if (Array.isArray(details.issues)) {
    for (const issue of details.issues as { reason?: unknown }[]) {
      const byIssue = sentenceFor(issue?.reason);
      if (byIssue !== null) return byIssue;
    }
  }
  return null;
}

/**
 * Whether the error is a manager's approval refused by its PIN check (a wrong or locked PIN, an
 * account gone): the approval that asked for the PIN stays on screen, saying why beside the field,
 * for the manager to try again, instead of vanishing with the code that first asked for a manager.
 */
export function managerPinRefused(error: ApiError | null): boolean {
  if (error?.code !== 'UNAUTHENTICATED') return false;
  const details = typeof error.details === 'object' && error.details !== null ? (error.details as Details) : {};
  return typeof details.triesLeft === 'number' || typeof details.lockedForSeconds === 'number' || details.reason === 'account-unavailable';
}

/** What a person reads for an error: the sentence, and the core's own words beside it when the sentence does not carry them. */
export type ErrorWords = { sentence: string; detail: string | null };

/**
 * What the cashier reads for an error, in their language: a sentence from the details the core
 * sends (a wrong or locked PIN, the points a member has, why a refund or a spend needs a manager,
 * a reward or donation rule, a deactivated account, a server or a device that failed, a programme
 * or catalogue file's problems, docs/local-api.md), else its code's sentence with the core's English message as the detail (a
 * validation message names the field). Never the English as the sentence itself.
 */
export function errorWords(error: ApiError, i18n: I18n): ErrorWords {
  const details = typeof error.details === 'object' && error.details !== null && !Array.isArray(error.details) ? (error.details as Details) : null;
  // A refused programme or catalogue file: its problems in words, the core's English beneath for support.
  const problems = details ? problemsSentence(details.problems, error.code === 'PROGRAM_INVALID', i18n) : null;
  if (problems !== null) return { sentence: problems, detail: error.message };
  const specific = details ? fromDetails(error, details, i18n) : null;
  // A server's failure keeps its technical cause (the system's error, the server's words) for support.
  if (specific !== null) return { sentence: specific, detail: details?.reason === 'sync-failed' ? error.message : null };
  const key = i18n.exists(`errors.${error.code}`) ? `errors.${error.code}` : 'errors.INTERNAL';
  return { sentence: i18n.t(key), detail: error.message };
}

/** The sentence alone (errorWords), where there is no room for a detail. */
export const errorText = (error: ApiError, i18n: I18n): string => errorWords(error, i18n).sentence;
