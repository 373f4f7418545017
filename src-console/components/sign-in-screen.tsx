import { useState, type FormEvent } from 'react';
import type { ConsoleClient, ConsoleError } from '../api/console-client';
import type { ConsoleSession } from '../store/console-store';
import { ErrorMessage } from './error-message';

const TEXT = {
  title: 'Kasa programme console',
  intro: 'Sign in with your admin account. The first account is created on the server: npm run server -- admin create-admin NAME.',
  name: 'Name',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  failed: 'Could not sign in',
};

export function SignInScreen({ client, reason, onSignedIn }: { client: ConsoleClient; reason: string | null; onSignedIn: (session: ConsoleSession) => void }) {
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
      <form onSubmit={(e) => void submit(e)} className="panel">
        <h1>{TEXT.title}</h1>
        <p className="muted">{TEXT.intro}</p>
        {reason ? <p className="notice">{reason}</p> : null}
        <label>
          {TEXT.name}
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" required />
        </label>
        <label>
          {TEXT.password}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? TEXT.signingIn : TEXT.signIn}
        </button>
        <ErrorMessage error={error} title={TEXT.failed} />
      </form>
    </main>
  );
}
