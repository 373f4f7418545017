import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TerminalStatus } from '../../src-shared/api/contract';
import { useAppStore } from '../store/store-context';
import { StaffSection } from './StaffSection';
import { usePanelFocus } from './use-panel-focus';

const VERIFICATIONS: TerminalStatus['redemptionVerification'][] = ['none', 'customer-pin', 'card-present'];

/** Who may spend points and who may refund: the counter's trust rules, kept by the core. */
function CounterRules({ status }: { status: TerminalStatus }) {
  const { t } = useTranslation();
  const configure = useAppStore((s) => s.configureTerminal);
  const [verification, setVerification] = useState(status.redemptionVerification);
  const [refundHours, setRefundHours] = useState(String(status.cashierRefundWindowHours));
  const [saved, setSaved] = useState(false);
  return (
    <form
      aria-label={t('settings.rulesTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void configure({ redemptionVerification: verification, cashierRefundWindowHours: Number(refundHours) }).then(setSaved);
      }}
    >
      <h3>{t('settings.rulesTitle')}</h3>
      <label>
        {t('settings.verification')}
        <select value={verification} onChange={(e) => setVerification(e.target.value as TerminalStatus['redemptionVerification'])}>
          {VERIFICATIONS.map((v) => (
            <option key={v} value={v}>
              {t(`settings.verification_${v}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">{t(`settings.verificationHelp_${verification}`)}</p>
      <label>
        {t('settings.refundWindow')}
        <input type="number" min={0} max={720} step={1} inputMode="numeric" value={refundHours} onChange={(e) => setRefundHours(e.target.value)} />
      </label>
      <p className="muted">{t('settings.refundWindowHelp')}</p>
      <button type="submit" className="primary">
        {t('settings.saveRules')}
      </button>
      {saved && <p role="status">{t('settings.rulesSaved')}</p>}
    </form>
  );
}

/** The manager's settings area: counter rules, staff, save diagnostics for support, run the first-run wizard again. */
export function SettingsPanel() {
  const { t } = useTranslation();
  const close = useAppStore((s) => s.setShowSettings);
  const restart = useAppStore((s) => s.restartSetup);
  const saveDiagnostics = useAppStore((s) => s.saveDiagnostics);
  const saved = useAppStore((s) => s.lastDiagnostics);
  const status = useAppStore((s) => s.status);
  const [busy, setBusy] = useState(false);
  const heading = usePanelFocus();
  return (
    <section className="panel settings" aria-labelledby="settings-title">
      <h2 id="settings-title" ref={heading} tabIndex={-1}>{t('settings.title')}</h2>
      {status && <CounterRules status={status} />}
      <StaffSection />
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
