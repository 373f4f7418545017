import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { errorWords } from './error-text';

/**
 * The last error, in the cashier's language (error-text.ts), until dismissed; the core's English
 * words, where the sentence does not carry them, small beneath it for support.
 */
export function ErrorBanner() {
  const error = useAppStore((s) => s.error);
  const showError = useAppStore((s) => s.showError);
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const { sentence, detail } = errorWords(error, i18n);
  return (
    <div className="error" role="alert">
      <span>
        <span>{sentence}</span>
        {detail && <small className="error-detail">{t('technicalDetail', { message: detail })}</small>}
      </span>
      <button type="button" aria-label={t('dismissError')} onClick={() => showError(null)}>
        ×
      </button>
    </div>
  );
}
