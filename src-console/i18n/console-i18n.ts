// The console's languages: English (the reference) and Turkish, Kasa's stores' language. The owner
// picks one with the switch in the header; until then the browser's first language decides.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { speaksTurkish } from '../../src-shared/program/explain-phrases';
import { en } from './en';
import { tr } from './tr';

export const CONSOLE_LANGUAGES = ['en', 'tr'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

/** Each language in its own words: an owner who cannot read the other one still finds theirs. */
export const LANGUAGE_NAMES: Record<ConsoleLanguage, string> = { en: 'English', tr: 'Türkçe' };

export const isConsoleLanguage = (value: unknown): value is ConsoleLanguage => CONSOLE_LANGUAGES.includes(value as ConsoleLanguage);

/** Turkish when the browser's first language is Turkish ("tr", "tr-TR"), English otherwise. */
export const languageOfBrowser = (browserLanguages: readonly string[]): ConsoleLanguage => (speaksTurkish(browserLanguages[0] ?? '') ? 'tr' : 'en');

/** The owner's stored choice when there is one (and it is still a language the console has), else the browser's. */
export const initialLanguage = (stored: string | null, browserLanguages: readonly string[]): ConsoleLanguage =>
  isConsoleLanguage(stored) ? stored : languageOfBrowser(browserLanguages);

/**
 * The locale numbers, money and dates are written in: the browser's own variant of the console's
 * language when it has one (en-GB writes its dates its way), else tr-TR or en-US.
 */
export function localeOf(language: ConsoleLanguage, browserLanguages: readonly string[]): string {
  const own = browserLanguages.find((l) => (language === 'tr' ? speaksTurkish(l) : l.toLowerCase().startsWith('en')));
  return own ?? (language === 'tr' ? 'tr-TR' : 'en-US');
}

/** navigator.languages, or none outside a browser (unit tests, server rendering). */
export const browserLanguages = (): readonly string[] =>
  typeof navigator === 'undefined' ? [] : navigator.languages && navigator.languages.length > 0 ? navigator.languages : navigator.language ? [navigator.language] : [];

export function createConsoleI18n(language: ConsoleLanguage): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { en: { translation: en }, tr: { translation: tr } },
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...CONSOLE_LANGUAGES],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  // The page says which language it is in (screen readers, hyphenation, the browser's own words
  // such as a date picker's), and its tab is titled in it.
  const mark = (lng: string) => {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = lng;
    document.title = instance.t('app.documentTitle');
  };
  mark(instance.language);
  instance.on('languageChanged', mark);
  return instance;
}
