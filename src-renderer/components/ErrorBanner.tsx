import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';

/** Known codes in the cashier's language; anything else shows the core's own message. */
export function ErrorBanner() {
  const error = useAppStore((s) => s.error);
  const showError = useAppStore((s) => s.showError);
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const key = `errors.${error.code}`;
  // Validation messages name the field; they are more useful than a generic sentence.
  const text = i18n.exists(key) && error.code !== 'UNAUTHENTICATED' && error.code !== 'INSUFFICIENT_POINTS' ? t(key) : error.message;
  return (
    <div className="error" role="alert">
      <span>{text}</span>
      <button type="button" aria-label="×" onClick={() => showError(null)}>
        ×
      </button>
    </div>
  );
}
