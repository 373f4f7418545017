import { useEffect, useLayoutEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SetupStatus } from '../../src-shared/api/installation-methods';
import { countryDefaults, preferredTimeZone } from '../../src-shared/domain/country-defaults';
import { useAppStore } from '../store/store-context';
import { DevicePanel } from './DevicePanel';
import { ErrorBanner } from './ErrorBanner';
import { FilePicker } from './FilePicker';
import { SignInScreen } from './SignInScreen';

const STEPS = ['store', 'manager', 'connect', 'devices', 'done'] as const;

const FILE_UNREADABLE = { code: 'VALIDATION', message: 'The file could not be read', details: { reason: 'file-unreadable' } } as const;

/** Where the installer is: every step, the skipped ones (the config file gave them) marked so. */
function Progress({ setup }: { setup: SetupStatus }) {
  const { t } = useTranslation();
  return (
    <ol className="setup-progress" aria-label={t('setup.progress')}>
      {STEPS.map((step) => {
        const state = step === 'done' ? (setup.complete ? 'done' : 'pending') : setup.steps[step];
        return (
          <li key={step} aria-current={setup.step === step ? 'step' : undefined} className={state}>
            {t(`setup.step_${step}`)}
            {state === 'seeded' ? ` (${t('setup.fromConfig')})` : ''}
          </li>
        );
      })}
    </ol>
  );
}

function StoreStep({ setup }: { setup: SetupStatus }) {
  const { t } = useTranslation();
  const save = useAppStore((s) => s.saveSetupStore);
  const [values, setValues] = useState({
    storeName: setup.values.storeName,
    terminalName: setup.values.terminalName ?? '',
    country: setup.values.country,
    currency: setup.values.currency,
  });
  const asked = (field: (typeof setup.ask)[number]) => setup.ask.includes(field);
  // The first field shown takes the keyboard.
  const first = (['storeName', 'terminalName', 'country', 'currency'] as const).find(asked);
  // The store's day starts and ends in its time zone: the country's zones, the one already set or
  // this machine's own first. None while the country is not (yet) one the data knows.
  const zones = countryDefaults(values.country).timeZones;
  const [chosenZone, setChosenZone] = useState<string | null>(null);
  const timeZone = chosenZone !== null && zones.includes(chosenZone) ? chosenZone : preferredTimeZone(zones, setup.values.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save({ ...Object.fromEntries(setup.ask.map((field) => [field, values[field].trim()])), ...(timeZone !== null ? { timeZone } : {}) });
  };
  const field = (name: keyof typeof values, extra: { maxLength: number; upper?: boolean }) =>
    asked(name) && (
      <label>
        {t(`setup.${name}`)}
        <input
          value={values[name]}
          maxLength={extra.maxLength}
          autoFocus={name === first}
          required
          onChange={(e) => setValues({ ...values, [name]: extra.upper ? e.target.value.toUpperCase() : e.target.value })}
        />
      </label>
    );
  return (
    <form aria-labelledby="setup-store-title" onSubmit={submit}>
      <h2 id="setup-store-title">{t('setup.storeTitle')}</h2>
      <p className="muted">{t('setup.storeHelp')}</p>
      {field('storeName', { maxLength: 120 })}
      {field('terminalName', { maxLength: 120 })}
      {field('country', { maxLength: 2, upper: true })}
      {field('currency', { maxLength: 3, upper: true })}
      {timeZone !== null && (
        <label>
          {t('setup.timeZone')}
          <select value={timeZone} onChange={(e) => setChosenZone(e.target.value)}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="primary">
        {t('setup.continue')}
      </button>
    </form>
  );
}

function ConnectStep({ setup }: { setup: SetupStatus }) {
  const { t } = useTranslation();
  const sync = useAppStore((s) => s.sync);
  const connect = useAppStore((s) => s.connectFromSetup);
  const install = useAppStore((s) => s.installProgrammeFromSetup);
  const installCatalogue = useAppStore((s) => s.installCatalogueFromSetup);
  const finish = useAppStore((s) => s.finishSetupStep);
  const showError = useAppStore((s) => s.showError);
  const [mode, setMode] = useState<'server' | 'standalone'>(setup.mode ?? 'server');
  const [serverUrl, setServerUrl] = useState(sync?.serverUrl ?? 'https://');
  const [code, setCode] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [catalogueFile, setCatalogueFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      if (mode === 'server') {
        // Already enrolled (a re-run, or the config file enrolled it): nothing to type again.
        if (sync?.enrolled) await finish('connect', 'server');
        else await connect(serverUrl.trim(), code.trim());
      } else {
        if (file) {
          let text: string;
          try {
            text = await file.text();
          } catch {
            showError(FILE_UNREADABLE);
            return;
          }
          if (!(await install(text))) return;
        }
        if (catalogueFile) {
          let text: string;
          try {
            text = await catalogueFile.text();
          } catch {
            showError(FILE_UNREADABLE);
            return;
          }
          if (!(await installCatalogue(text))) return;
        }
        await finish('connect', 'standalone');
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form aria-labelledby="setup-connect-title" onSubmit={(e) => void submit(e)}>
      <h2 id="setup-connect-title">{t('setup.connectTitle')}</h2>
      <fieldset>
        <legend>{t('setup.modeQuestion')}</legend>
        <label className="check">
          <input type="radio" name="mode" checked={mode === 'server'} onChange={() => setMode('server')} autoFocus={mode === 'server'} />
          {t('setup.modeServer')}
        </label>
        <label className="check">
          <input type="radio" name="mode" checked={mode === 'standalone'} onChange={() => setMode('standalone')} autoFocus={mode === 'standalone'} />
          {t('setup.modeStandalone')}
        </label>
      </fieldset>
      {mode === 'server' ? (
        sync?.enrolled ? (
          <p>{t('setup.alreadyConnected', { server: sync.serverUrl ?? '', store: sync.storeName ?? '' })}</p>
        ) : (
          <>
            <p className="muted">{t('enrol.explain')}</p>
            <label>
              {t('enrol.serverUrl')}
              <input value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} inputMode="url" autoComplete="off" required />
            </label>
            <label>
              {t('enrol.code')}
              <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required />
            </label>
          </>
        )
      ) : (
        <>
          <p className="muted">{t('setup.standaloneHelp')}</p>
          <FilePicker label={t('setup.programmeFile')} accept=".json,application/json" fileName={file?.name ?? null} onFile={setFile} />
          <p className="muted">{t('setup.catalogueHelp')}</p>
          <FilePicker label={t('setup.catalogueFile')} accept=".json,application/json" fileName={catalogueFile?.name ?? null} onFile={setCatalogueFile} />
        </>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {mode === 'server' && !sync?.enrolled ? t('enrol.submit') : t('setup.continue')}
      </button>
    </form>
  );
}

function DevicesStep() {
  const { t } = useTranslation();
  const showDevices = useAppStore((s) => s.setShowDevices);
  const finish = useAppStore((s) => s.finishSetupStep);
  // The test panel polls while it is shown; it stops when the step is left.
  useEffect(() => {
    showDevices(true);
    return () => showDevices(false);
  }, [showDevices]);
  return (
    <div aria-labelledby="setup-devices-title">
      <h2 id="setup-devices-title">{t('setup.devicesTitle')}</h2>
      <p className="muted">{t('setup.devicesHelp')}</p>
      <DevicePanel />
      <button type="button" className="primary" onClick={() => void finish('devices')}>
        {t('setup.continue')}
      </button>
    </div>
  );
}

function DoneStep({ setup }: { setup: SetupStatus }) {
  const { t } = useTranslation();
  const finish = useAppStore((s) => s.finishSetupStep);
  return (
    <div aria-labelledby="setup-done-title">
      <h2 id="setup-done-title">{t('setup.doneTitle')}</h2>
      <dl>
        <dt>{t('setup.storeName')}</dt>
        <dd>{setup.values.storeName}</dd>
        <dt>{t('setup.terminalName')}</dt>
        <dd>{setup.values.terminalName ?? '—'}</dd>
        <dt>{t('setup.country')}</dt>
        <dd>{setup.values.country}</dd>
        <dt>{t('setup.currency')}</dt>
        <dd>{setup.values.currency}</dd>
        <dt>{t('setup.timeZone')}</dt>
        <dd>{setup.values.timeZone.replaceAll('_', ' ')}</dd>
        <dt>{t('setup.step_connect')}</dt>
        <dd>{setup.mode === 'standalone' ? t('setup.modeStandalone') : t('setup.modeServer')}</dd>
      </dl>
      <button type="button" className="primary" autoFocus onClick={() => void finish('done')}>
        {t('setup.start')}
      </button>
    </div>
  );
}

/**
 * The first-run wizard: store and terminal name, country and currency, the first manager, the
 * server (or standalone with a programme file), devices, done. Its progress is the core's, so a
 * restart resumes at the same step; steps the installer's config file gave are skipped.
 */
export function SetupWizard({ setup }: { setup: SetupStatus }) {
  const { t } = useTranslation();
  // Each step starts at the top: the last one's scroll (a long form on a short screen) hid the new heading.
  useLayoutEffect(() => {
    window.scrollTo(0, 0);
  }, [setup.step]);
  return (
    <div className="setup">
      <h1>{t('setup.title')}</h1>
      <Progress setup={setup} />
      {setup.step === 'manager' ? (
        <SignInScreen />
      ) : (
        <section className="panel">
          {setup.step === 'store' ? (
            <StoreStep setup={setup} />
          ) : setup.step === 'connect' ? (
            <ConnectStep setup={setup} />
          ) : setup.step === 'devices' ? (
            <DevicesStep />
          ) : (
            <DoneStep setup={setup} />
          )}
          <ErrorBanner />
        </section>
      )}
    </div>
  );
}
