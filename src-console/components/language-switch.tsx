import { useTranslation } from 'react-i18next';
import { CONSOLE_LANGUAGES, isConsoleLanguage, LANGUAGE_NAMES } from '../i18n/console-i18n';
import { useConsoleState, type ConsoleStore } from '../store/console-store';

/** English / Türkçe, each written in itself, in the header and on the sign-in screen. */
export function LanguageSwitch({ store }: { store: ConsoleStore }) {
  const { t } = useTranslation();
  const language = useConsoleState(store, (s) => s.language);
  const chooseLanguage = useConsoleState(store, (s) => s.chooseLanguage);
  return (
    <label className="language-switch">
      {t('language.label')}
      {/* Named by the word alone: a wrapping label would add the chosen language to the name. */}
      <select
        aria-label={t('language.label')}
        value={language}
        onChange={(e) => {
          if (isConsoleLanguage(e.target.value)) chooseLanguage(e.target.value);
        }}
      >
        {CONSOLE_LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
