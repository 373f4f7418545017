import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/store-context';
import { errorWords } from './error-text';

/** A manager approves one action on the cashier's screen with their PIN; the core records both people. */
export function ManagerApproval({ onApprove }: { onApprove: (approval: { userId: string; pin: string }) => void }) {
  const { t, i18n } = useTranslation();
  // Why a manager is needed (or why their PIN was refused) is said here, beside the PIN it asks for:
  // the floating error banner stands down while this form is on screen (styles.css), as it covered the form.
  const error = useAppStore((s) => s.error);
  const words = error ? errorWords(error, i18n) : null;
  const managers = useAppStore(useShallow((s) => (s.auth?.users ?? []).filter((u) => u.role === 'manager')));
  const [userId, setUserId] = useState('');
  const [pin, setPin] = useState('');
  const chosen = userId || managers[0]?.userId || '';
  return (
    <form
      className="approval"
      aria-label={t('approval.title')}
      onSubmit={(e) => {
        e.preventDefault();
        onApprove({ userId: chosen, pin });
        setPin('');
      }}
    >
      <h3>{t('approval.title')}</h3>
      {words && (
        <p role="alert">
          <span>{words.sentence}</span>
          {words.detail && <small className="error-detail">{t('technicalDetail', { message: words.detail })}</small>}
        </p>
      )}
      <label>
        {t('approval.manager')}
        <select value={chosen} onChange={(e) => setUserId(e.target.value)}>
          {managers.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('approval.pin')}
        <input type="password" inputMode="numeric" autoComplete="off" maxLength={12} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
      </label>
      <button type="submit" className="primary" disabled={!chosen || pin.length < 4}>
        {t('approval.approve')}
      </button>
    </form>
  );
}
