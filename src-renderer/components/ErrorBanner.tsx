import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { errorText } from './error-text';

/** The last error, in the cashier's language where it can be (error-text.ts), until dismissed. */
export function ErrorBanner() {
  const error = useAppStore((s) => s.error);
  const showError = useAppStore((s) => s.showError);
  const { i18n } = useTranslation();
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <span>{errorText(error, i18n)}</span>
      <button type="button" aria-label="×" onClick={() => showError(null)}>
        ×
      </button>
    </div>
  );
}
