import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/i18n';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';

export function StatusBar() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const connected = useAppStore((s) => s.connected);
  const status = useAppStore((s) => s.status);
  const user = useAppStore((s) => s.auth?.user ?? null);
  const signOut = useAppStore((s) => s.signOut);
  const broken = status && (status.integrity.ledger || status.integrity.audit);
  return (
    <footer className="status-bar" role="status" aria-label={t('status.bar')}>
      <span className={connected ? 'ok' : 'bad'}>{connected ? t('status.connected') : t('status.disconnected')}</span>
      {status && <span className={status.online ? 'ok' : 'warn'}>{status.online ? t('status.online') : t('status.offline')}</span>}
      {status && (
        <span aria-label="queued">
          {t('status.queued', { count: status.queuedEntries })}
          {status.oldestQueuedAt ? ` · ${t('status.oldest', { age: f.age(status.oldestQueuedAt) })}` : ''}
        </span>
      )}
      {broken && <span className="bad">{t('status.integrity')}</span>}
      <span className="spacer" />
      {status && <span className="muted">{status.storeName}</span>}
      <label className="language">
        {t('language')}
        <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {l.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      {user && (
        <>
          <span>{t('auth.signedInAs', { name: user.name, role: t(`auth.role_${user.role}`) })}</span>
          <button type="button" onClick={() => void signOut()}>
            {t('auth.signOut')}
          </button>
        </>
      )}
    </footer>
  );
}
