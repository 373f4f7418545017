// The console's i18next t as the plain translate function src-shared's wording takes: i18next's
// overloaded TFunction type does not match a plain (key, params) function by itself.
import type { TFunction } from 'i18next';
import type { Translate } from '../../src-shared/program/problem-words';

export const translateWith =
  (t: TFunction): Translate =>
  (key, params) =>
    t(key, params ?? {});
