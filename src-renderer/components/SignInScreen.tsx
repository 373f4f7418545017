import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { ErrorBanner } from './ErrorBanner';
import { applyKey, Keypad } from './Keypad';

export function SignInScreen() {
  const { t } = useTranslation();
  const auth = useAppStore((s) => s.auth);
  const setUp = useAppStore((s) => s.setUp);
  const signIn = useAppStore((s) => s.signIn);
  const [name, setName] = useState('');
  const [userId, setUserId] = useState('');
  const [pin, setPin] = useState('');
  // The PIN field has the keyboard: on arrival, after picking who is at the counter, after a refused PIN.
  const pinField = useRef<HTMLInputElement>(null);
  if (!auth) return null;
  const chosen = userId || auth.users[0]?.userId || '';

  const submit = async () => {
    const done = auth.needsSetup ? await setUp(name, pin) : await signIn(chosen, pin);
    if (!done) {
      setPin('');
      pinField.current?.focus();
    }
  };

  return (
    <main className="sign-in">
      <form
        aria-label={auth.needsSetup ? t('auth.setupTitle') : t('auth.signInTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>{auth.needsSetup ? t('auth.setupTitle') : t('auth.signInTitle')}</h1>
        {auth.needsSetup ? (
          <>
            <p>{t('auth.setupHelp')}</p>
            <label>
              {t('auth.name')}
              <input value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={60} />
            </label>
          </>
        ) : (
          <fieldset className="people">
            <legend>{t('auth.who')}</legend>
            {auth.users.map((u) => (
              <button
                key={u.userId}
                type="button"
                aria-pressed={chosen === u.userId}
                onClick={() => {
                  setUserId(u.userId);
                  pinField.current?.focus();
                }}
              >
                {u.name}
              </button>
            ))}
          </fieldset>
        )}
        <label>
          {t('auth.pin')}
          <input
            ref={pinField}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus={!auth.needsSetup}
            maxLength={12}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <Keypad label={t('keypad', { field: t('auth.pin') })} onKey={(k) => setPin((p) => applyKey(p, k, 12))} />
        <button type="submit" className="primary">
          {auth.needsSetup ? t('auth.create') : t('auth.signIn')}
        </button>
        <ErrorBanner />
      </form>
    </main>
  );
}
