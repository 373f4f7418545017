import type { TFunction } from 'i18next';
import type { ConsoleError } from '../api/console-client';

/**
 * Codes whose meaning is the whole message: said in the console's language. Any other code
 * (VALIDATION, NOT_FOUND, ALREADY_EXISTS) comes with the server's own words naming what it is
 * about (a member id, a reason code), which no code could say, so those are shown as sent.
 */
const SENTENCE_CODES = ['UNREACHABLE', 'BAD_RESPONSE', 'UNAUTHENTICATED', 'RATE_LIMITED', 'UNAVAILABLE', 'TOO_LARGE'] as const;

const detailText = (error: ConsoleError, key: string): string => {
  const details = error.details as Record<string, unknown> | undefined;
  return typeof details?.[key] === 'string' ? (details[key] as string) : '';
};

/**
 * What the owner reads for a failed call. `signingIn`: an UNAUTHENTICATED answer to the sign-in
 * itself means a wrong name or password, not an ended session.
 */
export function errorText(error: ConsoleError, t: TFunction, options: { signingIn?: boolean } = {}): string {
  if (error.code === 'UNAUTHENTICATED' && options.signingIn) return t('errors.signInRefused');
  if ((SENTENCE_CODES as readonly string[]).includes(error.code)) return t(`errors.${error.code}`, { cause: detailText(error, 'cause') });
  // A proxy's page instead of the server's JSON: the status line.
  if (/^HTTP_\d+$/.test(error.code)) return t('errors.httpStatus', { status: error.status, statusText: detailText(error, 'statusText') }).trim();
  return error.message.split('\n')[0] ?? '';
}
