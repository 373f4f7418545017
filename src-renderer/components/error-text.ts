import type { i18n as I18n } from 'i18next';
import type { ApiError } from '../../src-shared/api/errors';

/**
 * What the cashier reads for an error: a known code in their language, a wrong or locked PIN from
 * the numbers the core sends with it, and anything else (validation messages name the field) as
 * the core's own message.
 */
export function errorText(error: ApiError, i18n: I18n): string {
  const t = i18n.t.bind(i18n);
  if (error.code === 'UNAUTHENTICATED' && typeof error.details === 'object' && error.details !== null) {
    const { triesLeft, lockedForSeconds } = error.details as { triesLeft?: unknown; lockedForSeconds?: unknown };
    if (typeof lockedForSeconds === 'number') return t('errors.pinLocked', { seconds: lockedForSeconds });
    if (typeof triesLeft === 'number') return t('errors.wrongPin', { count: triesLeft });
  }
  const key = `errors.${error.code}`;
  return i18n.exists(key) && error.code !== 'UNAUTHENTICATED' && error.code !== 'INSUFFICIENT_POINTS' ? t(key) : error.message;
}
