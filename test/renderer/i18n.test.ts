import { describe, expect, it } from 'vitest';
import { en } from '../../src-renderer/i18n/en';
import { languageForLocale } from '../../src-renderer/i18n/i18n';
import { tr } from '../../src-renderer/i18n/tr';

const flatten = (value: unknown, prefix = ''): Record<string, string> =>
  value && typeof value === 'object'
    ? Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)))
    : { [prefix]: String(value) };

describe('translations', () => {
  it('English and Turkish have the same keys, none empty, with the same placeholders', () => {
    const a = flatten(en);
    const b = flatten(tr);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const [key, text] of Object.entries(a)) {
      expect(text.trim(), `en ${key}`).not.toBe('');
      expect(b[key]?.trim(), `tr ${key}`).not.toBe('');
      const placeholders = (s: string) => [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
      expect(placeholders(b[key] ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('picks the language from the store locale', () => {
    expect(languageForLocale('tr-TR')).toBe('tr');
    expect(languageForLocale('en-GB')).toBe('en');
    expect(languageForLocale('de-DE')).toBe('en');
  });
});
