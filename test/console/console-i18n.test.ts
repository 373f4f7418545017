// The console speaks English and Turkish: both have every string, with the same placeholders; it
// opens in the owner's stored choice, else in the browser's first language; it counts and writes
// numbers, money and dates the way its language does.
import { describe, expect, it } from 'vitest';
import { errorText } from '../../src-console/components/error-text';
import { makeFormat } from '../../src-console/components/format';
import { createConsoleI18n, initialLanguage, languageOfBrowser, localeOf } from '../../src-console/i18n/console-i18n';
import { en } from '../../src-console/i18n/en';
import { tr } from '../../src-console/i18n/tr';
import { createConsoleStore, type LanguagePersistence, type SessionPersistence } from '../../src-console/store/console-store';
import { expectSameKeysAndPlaceholders, flattenTranslations } from '../shared/translations';


describe('the console’s translations', () => {
  it('has the same keys in English and Turkish, none empty, with the same placeholders per key', () => {
    expectSameKeysAndPlaceholders(en, tr);
  });

  it('has a singular and a plural for every count, in both languages', () => {
    for (const key of Object.keys(flattenTranslations(en)).filter((k) => k.endsWith('_one'))) expect(flattenTranslations(en), key).toHaveProperty([key.slice(0, -4)]);
  });

  it('counts points: one point in the singular in English, one form in Turkish', () => {
    const english = makeFormat('en-US', createConsoleI18n('en').t);
    const turkish = makeFormat('tr-TR', createConsoleI18n('tr').t);
    expect(english.points(1)).toBe('1 point');
    expect(english.points(-1)).toBe('-1 point');
    expect(english.points(1_500)).toBe('1,500 points');
    expect(english.points(0)).toBe('0 points');
    expect(english.points(100, 'plus')).toBe('+100 points');
    expect(turkish.points(1)).toBe('1 puan');
    expect(turkish.points(1_500)).toBe('1.500 puan');
    expect(turkish.duration(61)).toBe('1 dakika');
    expect(english.duration(1)).toBe('1 second');
  });

  it('writes numbers, money, percentages and dates in the language’s locale', () => {
    const english = makeFormat('en-US', createConsoleI18n('en').t);
    const turkish = makeFormat('tr-TR', createConsoleI18n('tr').t);
    expect(turkish.count(1_234_567)).toBe('1.234.567');
    expect(turkish.money(123_450, 'TRY')).toBe('₺1.234,50');
    expect(english.money(123_450, 'TRY')).toBe('TRY\u00a01,234.50');
    expect(turkish.percent(0.114)).toBe('%11,4');
    expect(english.percent(0.114)).toBe('11.4 %');
    expect(turkish.percent(null)).toBe('veri yok');
    const at = '2026-12-01T18:56:00.000Z';
    expect(turkish.dateTime(at)).toBe(new Date(at).toLocaleString('tr-TR'));
    expect(turkish.dateTime(at)).toMatch(/^\d{2}\.\d{2}\.2026 \d{2}:56:00$/);
    expect(english.dateTime(at)).toBe(new Date(at).toLocaleString('en-US'));
  });

  it('says a known error code in the console’s language, and the server’s own words for the rest', () => {
    const turkish = createConsoleI18n('tr');
    const english = createConsoleI18n('en');
    const unreachable = { code: 'UNREACHABLE', status: 0, message: 'The server could not be reached (Failed to fetch). …', details: { cause: 'Failed to fetch' } };
    expect(errorText(unreachable, turkish.t)).toBe('Sunucuya ulaşılamadı (Failed to fetch). Bağlantıyı kontrol edip yeniden deneyin.');
    expect(errorText(unreachable, english.t)).toBe('The server could not be reached (Failed to fetch). Check the connection and try again.');
    const refused = { code: 'UNAUTHENTICATED', status: 401, message: 'Wrong name or password' };
    expect(errorText(refused, turkish.t, { signingIn: true })).toBe('Ad veya parola yanlış');
    expect(errorText(refused, english.t, { signingIn: true })).toBe('Wrong name or password');
    expect(errorText({ code: 'RATE_LIMITED', status: 429, message: 'Too many failed sign-ins for this name: wait 15 minutes and try again' }, turkish.t)).toContain('çok fazla deneme');
    expect(errorText({ code: 'HTTP_502', status: 502, message: 'The server answered 502 Bad Gateway', details: { statusText: 'Bad Gateway' } }, turkish.t)).toBe('Sunucu 502 Bad Gateway yanıtı verdi');
    // What only the server's words say (which member, which code) is shown as it sent it.
    expect(errorText({ code: 'NOT_FOUND', status: 404, message: 'No member m-404' }, turkish.t)).toBe('No member m-404');
  });
});

describe('the console’s language', () => {
  it('follows the browser’s first language the first time: Turkish for tr…, English otherwise', () => {
    expect(languageOfBrowser(['tr-TR', 'en-US'])).toBe('tr');
    expect(languageOfBrowser(['tr'])).toBe('tr');
    expect(languageOfBrowser(['TR-tr'])).toBe('tr');
    expect(languageOfBrowser(['en-GB', 'tr-TR'])).toBe('en');
    expect(languageOfBrowser(['de-DE', 'tr-TR'])).toBe('en');
    expect(languageOfBrowser([])).toBe('en');
  });

  it('keeps the owner’s stored choice over the browser’s, and ignores a stored value it does not know', () => {
    expect(initialLanguage('en', ['tr-TR'])).toBe('en');
    expect(initialLanguage('tr', ['en-US'])).toBe('tr');
    expect(initialLanguage(null, ['tr-TR'])).toBe('tr');
    expect(initialLanguage('de', ['tr-TR'])).toBe('tr');
    expect(initialLanguage('', ['en-US'])).toBe('en');
  });

  it('writes numbers in the browser’s own variant of the language, else tr-TR or en-US', () => {
    expect(localeOf('en', ['en-GB', 'tr-TR'])).toBe('en-GB');
    expect(localeOf('en', ['tr-TR'])).toBe('en-US');
    expect(localeOf('tr', ['de-DE', 'tr'])).toBe('tr');
    expect(localeOf('tr', ['en-US'])).toBe('tr-TR');
  });

  it('remembers a choice from the switch, and the next visit opens in it', () => {
    let stored: string | null = null;
    const browser = ['tr-TR'];
    const language: LanguagePersistence = { load: () => initialLanguage(stored, browser), save: (l) => void (stored = l) };
    const session: SessionPersistence = { load: () => null, save: () => undefined };
    const first = createConsoleStore({ session, language });
    expect(first.getState().language).toBe('tr');
    expect(stored).toBeNull();
    first.getState().chooseLanguage('en');
    expect(first.getState().language).toBe('en');
    expect(stored).toBe('en');
    expect(createConsoleStore({ session, language }).getState().language).toBe('en');
  });

  it('opens an i18n instance in the language it was made for, and switches it', async () => {
    const i18n = createConsoleI18n('tr');
    expect(i18n.t('nav.members')).toBe('Üyeler');
    await i18n.changeLanguage('en');
    expect(i18n.t('nav.members')).toBe('Members');
  });
});
