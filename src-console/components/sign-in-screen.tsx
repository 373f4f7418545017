import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleClient, ConsoleError } from '../api/console-client';
import type { ConsoleSession, SignedOutReason } from '../store/console-store';
import { ErrorMessage } from './error-message';

export function SignInScreen({ client, reason, onSignedIn, languageSwitch }: { client: ConsoleClient; reason: SignedOutReason | null; onSignedIn: (session: ConsoleSession) => void; languageSwitch: ReactNode }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConsoleError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await client.post<{ token: string; name: string; expiresAt: string }>('/v1/admin/sign-in', { name, password });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setPassword('');
    onSignedIn({ token: result.value.token, adminName: result.value.name, expiresAt: result.value.expiresAt });
  }

  return (
    <main className="sign-in">
      <div className="sign-in-language">{languageSwitch}</div>
      <form onSubmit={(e) => void submit(e)} className="panel">
        <h1>{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.intro')}</p>
        {reason === 'session-ended' ? <p className="notice">{t('signIn.sessionEnded')}</p> : null}
        <label>
          {t('signIn.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" required />
        </label>
        <label>
          {t('signIn.password')}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.signingIn') : t('signIn.signIn')}
        </button>
        <ErrorMessage error={error} title={t('signIn.failed')} signingIn />
      </form>
    </main>
  );
}
