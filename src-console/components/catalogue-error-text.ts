// A refused catalogue install in the console's language: a version already installed with other
// content (the server names it in details.version) and a document with problems (listed beside it);
// any other failure as every console call words it.
import type { TFunction } from 'i18next';
import type { ConsoleError } from '../api/console-client';
import { errorText } from './error-text';

export function catalogueErrorText(error: ConsoleError, t: TFunction): string {
  const details = error.details as { version?: unknown; problems?: unknown } | undefined;
  if (error.code === 'ALREADY_EXISTS' && typeof details?.version === 'string') return t('catalogue.versionTaken', { version: details.version });
  if (error.code === 'VALIDATION' && Array.isArray(details?.problems)) return t('catalogue.invalid');
  return errorText(error, t);
}
