import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';

/** The manager's settings area: run the first-run wizard again, save diagnostics for support. */
export function SettingsPanel() {
  const { t } = useTranslation();
  const close = useAppStore((s) => s.setShowSettings);
  const restart = useAppStore((s) => s.restartSetup);
  const saveDiagnostics = useAppStore((s) => s.saveDiagnostics);
  const saved = useAppStore((s) => s.lastDiagnostics);
  const [busy, setBusy] = useState(false);
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <h3>{t('settings.diagnosticsTitle')}</h3>
      <p className="muted">{t('settings.diagnosticsHelp')}</p>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void saveDiagnostics().finally(() => setBusy(false));
        }}
      >
        {busy ? t('settings.diagnosticsBusy') : t('settings.saveDiagnostics')}
      </button>
      {saved && <p role="status">{t('settings.diagnosticsSaved', { file: saved })}</p>}
      <h3>{t('settings.setupTitle')}</h3>
      <p className="muted">{t('settings.setupHelp')}</p>
      <button type="button" onClick={() => void restart()}>
        {t('settings.runSetup')}
      </button>
      <div className="actions">
        <button type="button" onClick={() => close(false)}>
          {t('settings.close')}
        </button>
      </div>
    </section>
  );
}
