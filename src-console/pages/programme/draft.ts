// The rule set being edited is plain JSON (what the owner would write by hand), so the form and the
// JSON editor edit the same thing and validation reports the exact paths of the shared validator.
import { defaultRuleSet } from '../../../src-shared/program/rule-set';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Draft = { [key: string]: Json };
export type Path = readonly (string | number)[];

export const clone = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function getIn(value: Json | undefined, path: Path): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, Json>)[key as never];
  }
  return current;
}

/** A copy of `draft` with `path` set to `value` (undefined deletes it); missing objects are created. */
export function setIn(draft: Draft, path: Path, value: Json | undefined): Draft {
  const next = clone(draft);
  let current: Record<string | number, Json> = next;
  path.slice(0, -1).forEach((key, i) => {
    const existing = current[key as never];
    if (existing === null || typeof existing !== 'object') current[key as never] = typeof path[i + 1] === 'number' ? [] : {};
    current = current[key as never] as unknown as Record<string | number, Json>;
  });
  const last = path.at(-1);
  if (last === undefined) return next;
  if (value === undefined) {
    if (Array.isArray(current) && typeof last === 'number') current.splice(last, 1);
    else delete current[last as never];
  } else current[last as never] = value;
  return next;
}

/**
 * What a typed field means: empty is "not set", a number is a number, anything else stays text so
 * the validator can name it ("expected a number, got "abc"") instead of it silently disappearing.
 */
export function numberOrText(text: string): Json | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed.replace(',', '.'));
  return Number.isFinite(n) ? n : text;
}

export const listFromText = (text: string): Json | undefined => {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
};

/** The same path text as src-shared's formatIssuePath: promotions[0].effect.multiplier */
export const pathText = (path: Path): string => path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');

/**
 * A new version id: a trailing number goes up by one, as wide as it was written ("2026-06" is
 * followed by "2026-07", not "2026-7", so versions still sort by their text); otherwise "-2" is added.
 */
export function nextVersion(version: string, taken: readonly string[]): string {
  const bump = (id: string): string => {
    const match = /^(.*?)(\d+)$/.exec(id);
    if (!match) return `${id}-2`;
    const digits = match[2] ?? '';
    return `${match[1]}${(BigInt(digits) + 1n).toString().padStart(digits.length, '0')}`;
  };
  let candidate = bump(version);
  while (taken.includes(candidate)) candidate = bump(candidate);
  return candidate.slice(0, 64);
}

export const starterDraft = (currency: string): Draft => clone(defaultRuleSet(currency)) as unknown as Draft;
