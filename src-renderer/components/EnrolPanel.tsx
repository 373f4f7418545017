import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { usePanelFocus } from './use-panel-focus';

/** Connects this terminal to the central server with a one-time code from the programme owner. */
export function EnrolPanel() {
  const { t } = useTranslation();
  const sync = useAppStore((s) => s.sync);
  const enrolTerminal = useAppStore((s) => s.enrolTerminal);
  const close = useAppStore((s) => s.setShowEnrol);
  const [serverUrl, setServerUrl] = useState(sync?.serverUrl ?? 'https://');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = usePanelFocus();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await enrolTerminal(serverUrl.trim(), code.trim());
    setBusy(false);
  };
  return (
    <section className="panel" aria-labelledby="enrol-title">
      <h2 id="enrol-title" ref={heading} tabIndex={-1}>{t('enrol.title')}</h2>
      <p className="muted">{sync?.phase === 'revoked' ? t('enrol.revoked') : t('enrol.explain')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t('enrol.serverUrl')}
          <input value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} inputMode="url" autoComplete="off" required />
        </label>
        <label>
          {t('enrol.code')}
          <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('enrol.submit')}
          </button>
          <button type="button" onClick={() => close(false)}>
            {t('closeDay.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
