import { describe, expect, it } from 'vitest';
import { errorText } from '../../src-renderer/components/error-text';
import { en } from '../../src-renderer/i18n/en';
import { createI18n, languageForLocale } from '../../src-renderer/i18n/i18n';
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

  it("says a wrong or locked PIN in the cashier's language, from the core's numbers, and other errors as before", () => {
    const turkish = createI18n('tr');
    const english = createI18n('en');
    const wrong = { code: 'UNAUTHENTICATED' as const, message: 'Wrong PIN (2 tries left before a lock)', details: { triesLeft: 2 } };
    const locked = { code: 'UNAUTHENTICATED' as const, message: 'Wrong PIN: Can is locked for 30 s', details: { lockedForSeconds: 30 } };
    expect(errorText(wrong, turkish)).toBe('Yanlış PIN. Kilitlenmeden önce kalan deneme: 2');
    expect(errorText(locked, turkish)).toBe('Çok fazla yanlış PIN: 30 sn kilitli');
    expect(errorText(wrong, english)).toBe('Wrong PIN. Tries left before a lock: 2');
    expect(errorText(locked, english)).toBe('Too many wrong PINs: locked for 30 s');
    // No numbers: the core's own words (a deactivated account); a known code: its sentence; validation: the field.
    expect(errorText({ code: 'UNAUTHENTICATED', message: 'That account does not exist or is deactivated' }, turkish)).toBe('That account does not exist or is deactivated');
    expect(errorText({ code: 'STORAGE', message: 'disk full' }, turkish)).toBe(tr.errors.STORAGE);
    expect(errorText({ code: 'VALIDATION', message: 'lines[0].qty: must be at least 1' }, turkish)).toBe('lines[0].qty: must be at least 1');
  });
});
