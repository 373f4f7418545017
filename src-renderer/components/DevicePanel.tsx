import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { ConfiguredDevice, DeviceCandidate, DeviceConfig, MethodArgs } from '../../src-shared/api/contract';
import type { ApiError } from '../../src-shared/api/errors';
import { DEFAULT_WEDGE_SETTINGS, type WedgeSettings } from '../devices/wedge-settings';
import { useAppStore } from '../store/store-context';
import { errorWords } from './error-text';
import { useScanText } from './ScanNotice';
import { useFormat } from './use-format';
import { usePanelFocus } from './use-panel-focus';

type Draft = {
  deviceId: string | null;
  name: string;
  enabled: boolean;
  transport: 'serial' | 'hid';
  path: string;
  baudRate: number;
  terminator: 'cr' | 'lf' | 'crlf' | 'any' | 'timeout';
  interByteTimeoutMs: number;
  prefix: string;
  suffix: string;
  reader: 'hid-pos' | 'magtek-msr';
  vendorId: string;
  productId: string;
  layout: 'auto' | 'aim' | 'plain';
  /** Serial: the scanner's beep commands in hex (docs/devices.md per vendor); empty for none. */
  feedbackGood: string;
  feedbackError: string;
  feedbackOnScan: boolean;
};

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];
const TERMINATORS = ['any', 'cr', 'lf', 'crlf', 'timeout'] as const;
const hex = (n: number | null | undefined) => (n === null || n === undefined ? '' : n.toString(16).padStart(4, '0'));

const emptyDraft: Draft = {
  deviceId: null,
  name: '',
  enabled: true,
  transport: 'serial',
  path: '',
  baudRate: 9600,
  terminator: 'any',
  interByteTimeoutMs: 100,
  prefix: '',
  suffix: '',
  reader: 'hid-pos',
  vendorId: '',
  productId: '',
  layout: 'auto',
  feedbackGood: '',
  feedbackError: '',
  feedbackOnScan: false,
};

function draftOf(device: ConfiguredDevice): Draft {
  const c = device.config;
  const base = { ...emptyDraft, deviceId: device.deviceId, name: device.name, enabled: device.enabled, feedbackOnScan: c.feedbackOnScan === true };
  if (c.transport === 'serial') {
    const feedback = { feedbackGood: c.feedbackCommands?.good ?? '', feedbackError: c.feedbackCommands?.error ?? '' };
    return { ...base, ...feedback, transport: 'serial', path: c.path, baudRate: c.baudRate, terminator: c.terminator, interByteTimeoutMs: c.interByteTimeoutMs, prefix: c.prefix, suffix: c.suffix };
  }
  return { ...base, transport: 'hid', path: c.path ?? '', reader: c.reader, vendorId: hex(c.vendorId), productId: hex(c.productId), layout: c.layout };
}

function draftOfCandidate(c: DeviceCandidate): Draft {
  const name = (c.product ?? c.manufacturer ?? c.path ?? '').slice(0, 60);
  if (c.transport === 'serial') return { ...emptyDraft, name, path: c.path ?? '' };
  // MagTek's vendor id; everything else listed for HID is a HID POS scanner candidate.
  return { ...emptyDraft, name, transport: 'hid', reader: c.vendorId === 0x0801 ? 'magtek-msr' : 'hid-pos', path: c.path ?? '', vendorId: hex(c.vendorId), productId: hex(c.productId) };
}

function configOf(d: Draft): DeviceConfig {
  const onScan = d.feedbackOnScan ? { feedbackOnScan: true } : {};
  if (d.transport === 'serial') {
    const good = d.feedbackGood.trim();
    const error = d.feedbackError.trim();
    const feedbackCommands = good || error ? { feedbackCommands: { ...(good ? { good } : {}), ...(error ? { error } : {}) } } : {};
    return { transport: 'serial', path: d.path.trim(), baudRate: d.baudRate, terminator: d.terminator, interByteTimeoutMs: d.interByteTimeoutMs, prefix: d.prefix, suffix: d.suffix, ...feedbackCommands, ...onScan };
  }
  const id = (s: string) => (s.trim() === '' ? undefined : Number.parseInt(s.trim(), 16));
  const vendorId = id(d.vendorId);
  const productId = id(d.productId);
  return {
    transport: 'hid',
    reader: d.reader,
    layout: d.layout,
    ...(d.path.trim() ? { path: d.path.trim() } : {}),
    ...(vendorId === undefined || Number.isNaN(vendorId) ? {} : { vendorId }),
    ...(productId === undefined || Number.isNaN(productId) ? {} : { productId }),
    ...onScan,
  };
}

const configureArgs = (d: Draft): MethodArgs<'devices.configure'> => ({
  ...(d.deviceId ? { deviceId: d.deviceId } : {}),
  name: d.name.trim(),
  enabled: d.enabled,
  config: configOf(d),
});

const describeConfig = (c: DeviceConfig): string =>
  c.transport === 'serial' ? `${c.path} · ${c.baudRate} · ${c.terminator}` : `${c.reader} · ${c.path ?? `${hex(c.vendorId)}:${hex(c.productId)}`}`;

function DeviceForm({ draft, onDone }: { draft: Draft; onDone: () => void }) {
  const { t } = useTranslation();
  const configure = useAppStore((s) => s.configureDevice);
  const [d, setD] = useState<Draft>(draft);
  const patch = (p: Partial<Draft>) => setD((x) => ({ ...x, ...p }));
  return (
    <form
      className="device-form"
      aria-label={d.deviceId ? t('devices.editing', { name: draft.name }) : t('devices.add')}
      onSubmit={(e) => {
        e.preventDefault();
        void configure(configureArgs(d)).then((ok) => ok && onDone());
      }}
    >
      <h3>{d.deviceId ? t('devices.editing', { name: draft.name }) : t('devices.add')}</h3>
      <label>
        {t('devices.name')}
        <input value={d.name} onChange={(e) => patch({ name: e.target.value })} maxLength={60} required />
      </label>
      <label>
        {t('devices.transport')}
        <select value={d.transport} onChange={(e) => patch({ transport: e.target.value === 'hid' ? 'hid' : 'serial' })}>
          <option value="serial">{t('devices.transport_serial')}</option>
          <option value="hid">{t('devices.transport_hid')}</option>
        </select>
      </label>
      <label>
        {t('devices.path')}
        <input value={d.path} onChange={(e) => patch({ path: e.target.value })} maxLength={260} required={d.transport === 'serial'} placeholder={d.transport === 'serial' ? '/dev/serial/by-id/…' : '/dev/hidraw…'} />
      </label>
      {d.transport === 'serial' ? (
        <>
          <label>
            {t('devices.baudRate')}
            <select value={d.baudRate} onChange={(e) => patch({ baudRate: Number(e.target.value) })}>
              {BAUD_RATES.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('devices.terminator')}
            <select value={d.terminator} onChange={(e) => patch({ terminator: TERMINATORS.find((x) => x === e.target.value) ?? 'any' })}>
              {TERMINATORS.map((x) => (
                <option key={x} value={x}>
                  {t(`devices.terminator_${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('devices.interByteTimeoutMs')}
            <input type="number" min={10} max={5000} value={d.interByteTimeoutMs} onChange={(e) => patch({ interByteTimeoutMs: Number(e.target.value) })} />
          </label>
          <label>
            {t('devices.prefix')}
            <input value={d.prefix} onChange={(e) => patch({ prefix: e.target.value })} maxLength={16} />
          </label>
          <label>
            {t('devices.suffix')}
            <input value={d.suffix} onChange={(e) => patch({ suffix: e.target.value })} maxLength={16} />
          </label>
          <label>
            {t('devices.feedbackGood')}
            <input value={d.feedbackGood} onChange={(e) => patch({ feedbackGood: e.target.value })} maxLength={200} placeholder="16 07 0D" />
          </label>
          <label>
            {t('devices.feedbackError')}
            <input value={d.feedbackError} onChange={(e) => patch({ feedbackError: e.target.value })} maxLength={200} />
          </label>
        </>
      ) : (
        <>
          <label>
            {t('devices.reader')}
            <select value={d.reader} onChange={(e) => patch({ reader: e.target.value === 'magtek-msr' ? 'magtek-msr' : 'hid-pos' })}>
              <option value="hid-pos">{t('devices.reader_hidPos')}</option>
              <option value="magtek-msr">{t('devices.reader_magtek')}</option>
            </select>
          </label>
          <label>
            {t('devices.vendorId')}
            <input value={d.vendorId} onChange={(e) => patch({ vendorId: e.target.value })} maxLength={4} pattern="[0-9a-fA-F]{1,4}" data-pattern-hint="devices.hexIdHint" />
          </label>
          <label>
            {t('devices.productId')}
            <input value={d.productId} onChange={(e) => patch({ productId: e.target.value })} maxLength={4} pattern="[0-9a-fA-F]{1,4}" data-pattern-hint="devices.hexIdHint" />
          </label>
          <label>
            {t('devices.layout')}
            <select value={d.layout} onChange={(e) => patch({ layout: e.target.value === 'aim' ? 'aim' : e.target.value === 'plain' ? 'plain' : 'auto' })}>
              <option value="auto">{t('devices.layout_auto')}</option>
              <option value="aim">{t('devices.layout_aim')}</option>
              <option value="plain">{t('devices.layout_plain')}</option>
            </select>
          </label>
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={d.feedbackOnScan} onChange={(e) => patch({ feedbackOnScan: e.target.checked })} />
        {t('devices.feedbackOnScan')}
      </label>
      <label className="check">
        <input type="checkbox" checked={d.enabled} onChange={(e) => patch({ enabled: e.target.checked })} />
        {t('devices.enabled')}
      </label>
      <div className="row">
        <button type="submit" className="primary">
          {t('devices.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('devices.cancel')}
        </button>
      </div>
    </form>
  );
}

const WEDGE_NUMBERS = ['maxGapMs', 'maxJitterGapMs', 'maxTotalMsPerChar', 'minLength', 'idleMs'] as const;

function WedgeSettingsForm() {
  const { t } = useTranslation();
  const wedge = useAppStore((s) => s.wedge);
  const setWedge = useAppStore((s) => s.setWedge);
  const suffix = wedge.suffixKey ?? 'none';
  return (
    <fieldset className="wedge-settings">
      <legend>{t('devices.wedge')}</legend>
      <p className="muted">{t('devices.wedgeHelp')}</p>
      <label className="check">
        <input type="checkbox" checked={wedge.enabled} onChange={(e) => setWedge({ enabled: e.target.checked })} />
        {t('devices.wedgeEnabled')}
      </label>
      {WEDGE_NUMBERS.map((key) => (
        <label key={key}>
          {t(`devices.${key}`)}
          {/* Applied when the field is left: a half-typed number must not reconfigure the detector. */}
          <input key={wedge[key]} type="number" defaultValue={wedge[key]} onBlur={(e) => setWedge({ [key]: Number(e.target.value) } as Partial<WedgeSettings>)} />
        </label>
      ))}
      <label>
        {t('devices.suffixKey')}
        <select value={suffix} onChange={(e) => setWedge({ suffixKey: e.target.value === 'Tab' ? 'Tab' : e.target.value === 'Enter' ? 'Enter' : null })}>
          <option value="Enter">{t('devices.suffix_Enter')}</option>
          <option value="Tab">{t('devices.suffix_Tab')}</option>
          <option value="none">{t('devices.suffix_none')}</option>
        </select>
      </label>
      <button type="button" onClick={() => setWedge(DEFAULT_WEDGE_SETTINGS)}>
        {t('devices.resetWedge')}
      </button>
    </fieldset>
  );
}

/** The manager's device test panel: what is plugged in, what is configured and how it is, the last scans. */
/** A test beep's outcome: sent, or why not in the manager's language, the core's words beneath. */
function FeedbackResult({ kind, error }: { kind: 'good' | 'error'; error: ApiError | null }) {
  const { t, i18n } = useTranslation();
  if (!error) {
    return (
      <span className="ok" role="status">
        {t(kind === 'good' ? 'devices.beepSent' : 'devices.errorBeepSent')}
      </span>
    );
  }
  const { sentence, detail } = errorWords(error, i18n);
  return (
    <span className="bad" role="status">
      {t('devices.beepFailed', { reason: sentence })}
      {detail && <small className="error-detail">{t('technicalDetail', { message: detail })}</small>}
    </span>
  );
}

export function DevicePanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const scanText = useScanText();
  const list = useAppStore((s) => s.deviceList);
  const scans = useAppStore(useShallow((s) => s.recentScans));
  const refresh = useAppStore((s) => s.refreshDevices);
  const configure = useAppStore((s) => s.configureDevice);
  const close = useAppStore((s) => s.setShowDevices);
  const testFeedback = useAppStore((s) => s.testFeedback);
  const feedback = useAppStore((s) => s.feedbackResult);
  const [draft, setDraft] = useState<Draft | null>(null);
  const heading = usePanelFocus();
  const names = new Map((list?.devices ?? []).map((d) => [d.deviceId, d.name]));

  return (
    <section className="panel devices" aria-labelledby="devices-title">
      <h2 id="devices-title" ref={heading} tabIndex={-1}>{t('devices.title')}</h2>

      <h3>{t('devices.configured')}</h3>
      {!list || list.devices.length === 0 ? (
        <p className="muted">{t('devices.none')}</p>
      ) : (
        <ul className="device-list">
          {list.devices.map((d) => (
            <li key={d.deviceId} aria-label={d.name}>
              <strong>{d.name}</strong>
              <span className="muted">{describeConfig(d.config)}</span>
              <span className={`device-state ${d.status.state}`} aria-label={t('devices.status')}>
                {t(`devices.state_${d.status.state}`)} · {t(`devices.problem.${d.status.code}`)}
              </span>
              {/* The driver's own words (port, system error): for the installer or support, not the sentence. */}
              {d.status.message !== d.status.code && <small className="muted">{t('technicalDetail', { message: d.status.message })}</small>}
              <span className="row">
                <button type="button" className="small" onClick={() => setDraft(draftOf(d))}>
                  {t('devices.edit')}
                </button>
                <button type="button" className="small" onClick={() => void configure({ deviceId: d.deviceId, name: d.name, enabled: !d.enabled, config: d.config })}>
                  {d.enabled ? t('devices.disable') : t('devices.enable')}
                </button>
                <button type="button" className="small" onClick={() => void configure({ deviceId: d.deviceId, remove: true })}>
                  {t('devices.remove')}
                </button>
                <button type="button" className="small" onClick={() => void testFeedback(d.deviceId, 'good')}>
                  {t('devices.testBeep')}
                </button>
                <button type="button" className="small" onClick={() => void testFeedback(d.deviceId, 'error')}>
                  {t('devices.testErrorBeep')}
                </button>
              </span>
              {feedback?.deviceId === d.deviceId && <FeedbackResult kind={feedback.kind} error={feedback.error} />}
            </li>
          ))}
        </ul>
      )}

      {draft ? (
        <DeviceForm key={draft.deviceId ?? `new-${draft.path}`} draft={draft} onDone={() => setDraft(null)} />
      ) : (
        <button type="button" onClick={() => setDraft(emptyDraft)}>
          {t('devices.add')}
        </button>
      )}

      <h3>{t('devices.candidates')}</h3>
      <button type="button" className="small" onClick={() => void refresh(true)} disabled={list?.refreshing}>
        {list?.refreshing ? t('devices.searching') : t('devices.refresh')}
      </button>
      {list?.listError && <p className="warn">{t('devices.listError', { message: list.listError })}</p>}
      {list && list.candidates.length === 0 && !list.refreshing ? (
        <p className="muted">{t('devices.noCandidates')}</p>
      ) : (
        <ul className="device-list">
          {(list?.candidates ?? []).map((c) => (
            <li key={`${c.transport}-${c.path ?? ''}-${hex(c.vendorId)}-${hex(c.productId)}-${c.usagePage ?? ''}`}>
              <strong>{c.product ?? c.path ?? t(`devices.transport_${c.transport}`)}</strong>
              <span className="muted">
                {[c.manufacturer, c.path, c.vendorId !== null ? `${hex(c.vendorId)}:${hex(c.productId)}` : null, c.usagePage !== null ? `0x${c.usagePage.toString(16)}` : null].filter(Boolean).join(' · ')}
              </span>
              <span>{c.hint ?? ''}</span>
              <button type="button" className="small" onClick={() => setDraft(draftOfCandidate(c))}>
                {t('devices.use')}
              </button>
            </li>
          ))}
        </ul>
      )}

      <WedgeSettingsForm />

      <h3>{t('devices.scans')}</h3>
      {scans.length === 0 ? (
        <p className="muted">{t('devices.noScans')}</p>
      ) : (
        <table className="scans" aria-label={t('devices.scans')}>
          <thead>
            <tr>
              <th scope="col">{t('devices.when')}</th>
              <th scope="col">{t('devices.device')}</th>
              <th scope="col">{t('devices.kind')}</th>
              <th scope="col">{t('devices.symbology')}</th>
              <th scope="col">{t('devices.data')}</th>
              <th scope="col">{t('devices.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {scans.map((s) => (
              <tr key={s.scanId}>
                <td>{f.dateTime(s.at)}</td>
                <td>{s.deviceId === 'keyboard' ? t('devices.keyboard') : (names.get(s.deviceId) ?? s.deviceId)}</td>
                <td>{t(`devices.kind_${s.kind}`)}</td>
                <td>{s.symbology ?? '–'}</td>
                <td className="scan-data">{s.display}</td>
                <td title={s.message}>{scanText(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="row">
        <button type="button" onClick={() => close(false)}>
          {t('devices.close')}
        </button>
      </div>
    </section>
  );
}
