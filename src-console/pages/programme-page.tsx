// The Programme page: the active rule set in plain language, the version history (who installed
// what, when, active from, what changed), an editor (form or JSON) validated with the shared
// validator's exact problems, a preview on sample baskets, and installation of a new version now
// or at a later time.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleError } from '../api/console-client';
import { explainRuleSet } from '../../src-shared/program/explain';
import type { RuleSet } from '../../src-shared/program/rule-set';
import type { RuleSetChange } from '../../src-shared/program/rule-set-diff';
import { notJsonProblem, validateRuleSet, validateRuleSetText, type RuleSetProblem } from '../../src-shared/program/rule-set-validation';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { useConsoleQuery } from '../components/use-console-query';
import { useFormat } from '../components/use-format';
import type { ConsolePageProps } from '../pages';
import { BasketPreview } from './programme/basket-preview';
import { clone, nextVersion, starterDraft, type Draft } from './programme/draft';
import { changeText } from '../components/change-text';
import { ruleSetFieldLabel, problemText } from '../components/problem-text';
import { RuleSetForm } from './programme/rule-set-form';
import { FilePicker, takeChosenFile } from '../components/file-picker';

type VersionView = { version: string; name: string | null; activeFrom: string; installedAt: string; installedBy: string | null; changes: string[]; changeFacts?: RuleSetChange[] };
type VersionsAnswer = { activeVersion: string | null; versions: VersionView[]; at: string };

export function ProgrammePage({ client }: ConsolePageProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const when = f.dateTime;
  const versions = useConsoleQuery<VersionsAnswer>(client, '/v1/admin/rule-sets');
  const activeVersion = versions.value?.activeVersion ?? null;
  const [active, setActive] = useState<RuleSet | null>(null);
  const [activeError, setActiveError] = useState<ConsoleError | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [jsonText, setJsonText] = useState('');
  const [jsonProblem, setJsonProblem] = useState<string | null>(null);
  const [activation, setActivation] = useState<'now' | 'later'>('now');
  const [activeFromLocal, setActiveFromLocal] = useState('');
  const [installError, setInstallError] = useState<ConsoleError | null>(null);
  const [installed, setInstalled] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Whether the owner changed the draft since it was made: only then does discarding it lose work, and ask first.
  const [edited, setEdited] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  // Installing asks first, as the catalogue does: one click changed the programme of every store,
  // and an installed version cannot be taken back, only replaced by another.
  const [confirmInstall, setConfirmInstall] = useState<{ activeFrom?: string } | null>(null);
  // Said beside the Install button, where the owner is: a success message at the top of this long
  // page went unseen, and the button (now offering the next version) invited a second install.
  const installedRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (installed && draft) installedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [installed, draft]);

  const takenVersions = useMemo(() => versions.value?.versions.map((v) => v.version) ?? [], [versions.value]);

  // The active document, and a first draft from it (with the next version id).
  useEffect(() => {
    if (!versions.value) return;
    let current = true;
    const startDraft = (from: RuleSet | null) => {
      setDraft((existing) => {
        if (existing) return existing;
        const base = from ? (clone(from) as unknown as Draft) : starterDraft('TRY');
        return { ...base, version: nextVersion(String(base.version), takenVersions) };
      });
    };
    if (!activeVersion) {
      setActive(null);
      startDraft(null);
      return;
    }
    void client.get<{ document: RuleSet }>(`/v1/admin/rule-sets/${encodeURIComponent(activeVersion)}`).then((result) => {
      if (!current) return;
      if (!result.ok) return setActiveError(result.error);
      const parsed = validateRuleSet(result.value.document);
      const ruleSet = parsed.ok ? parsed.value : null;
      setActive(ruleSet);
      startDraft(ruleSet);
    });
    return () => {
      current = false;
    };
  }, [client, versions.value, activeVersion, takenVersions]);

  const validation = useMemo(() => (draft ? validateRuleSet(draft) : null), [draft]);
  const problems: RuleSetProblem[] = validation && !validation.ok ? validation.problems : [];
  const draftRuleSet = validation?.ok ? validation.value : null;
  const versionTaken = draftRuleSet ? takenVersions.includes(draftRuleSet.version) : false;
  // The explanation terminals show, in the console's language (and money in its locale).
  const explanation = useMemo(() => (active ? explainRuleSet(active, { locale: f.locale }) : null), [active, f.locale]);
  const scheduled = versions.value?.versions.filter((v) => Date.parse(v.activeFrom) > Date.parse(versions.value?.at ?? '')) ?? [];

  const stateOf = (v: VersionView): 'active' | 'scheduled' | 'past' =>
    v.version === activeVersion ? 'active' : Date.parse(v.activeFrom) > Date.parse(versions.value?.at ?? '') ? 'scheduled' : 'past';

  const switchMode = (next: 'form' | 'json') => {
    if (next === mode || !draft) return;
    if (next === 'json') {
      setJsonText(JSON.stringify(draft, null, 2));
      setJsonProblem(null);
      setMode('json');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(jsonText) as unknown;
    } catch (error) {
      setJsonProblem(`${t('programme.jsonBroken')}: ${problemText(notJsonProblem(jsonText, error), t)}`);
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setJsonProblem(`${t('programme.jsonBroken')}: ${t('programme.notAnObject')}`);
      return;
    }
    setDraft(parsed as Draft);
    setEdited(true);
    setJsonProblem(null);
    setMode('form');
  };

  // A rule set kept as a file (from a colleague, or the docs' example) opens in the JSON tab, checked as it is.
  const [fileName, setFileName] = useState<string | null>(null);
  const openFile = async (input: HTMLInputElement) => {
    const file = await takeChosenFile(input);
    if (!file) return;
    setFileName(file.name);
    setMode('json');
    editJson(file.text);
  };

  const editJson = (text: string) => {
    setJsonText(text);
    setEdited(true);
    const result = validateRuleSetText(text);
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) setDraft(parsed as Draft);
      setJsonProblem(null);
    } catch {
      const first = result.ok ? undefined : result.problems[0];
      setJsonProblem(first ? problemText(first, t) : null);
    }
  };

  const askInstall = () => {
    setInstallError(null);
    setInstalled(null);
    if (activation === 'now') return setConfirmInstall({});
    const ms = Date.parse(activeFromLocal);
    if (!Number.isFinite(ms)) return setInstallError({ code: 'VALIDATION', status: 0, message: t('programme.chooseStart') });
    setConfirmInstall({ activeFrom: new Date(ms).toISOString() });
  };

  const install = async (activeFrom: string | undefined) => {
    setConfirmInstall(null);
    if (!draft) return;
    setBusy(true);
    const result = await client.post<{ version: string; activeFrom: string; installed: boolean }>('/v1/admin/rule-sets', { ruleSet: draft, ...(activeFrom ? { activeFrom } : {}) });
    setBusy(false);
    if (!result.ok) return setInstallError(result.error);
    setInstalled(t('programme.installed', { version: result.value.version, at: when(result.value.activeFrom) }));
    setDraft(null);
    setEdited(false);
    versions.reload();
  };

  const discard = () => {
    setDraft(null);
    setInstalled(null);
    setEdited(false);
    setConfirmDiscard(false);
    versions.reload();
  };

  return (
    <section>
      <h1>{t('programme.title')}</h1>
      <ErrorMessage error={versions.error ?? activeError} />

      <section className="panel" aria-label={t('programme.active')}>
        <h2>
          {t('programme.active')}
          {active ? (
            <>
              : {active.name} <code>{active.version}</code>
            </>
          ) : null}
        </h2>
        {versions.loading && !versions.value ? <p className="muted">{t('common.loading')}</p> : null}
        {versions.value && !activeVersion ? <p>{t('programme.none')}</p> : null}
        {scheduled.map((v) => (
          <p className="notice" key={v.version}>
            {t('programme.scheduled', { version: v.version, at: when(v.activeFrom) })}
          </p>
        ))}
        {explanation
          ? explanation.sections.map((s) => (
              <div key={s.key}>
                <h3>{s.title}</h3>
                <ul>
                  {s.items.map((item, i) => (
                    <li key={i}>{item.text}</li>
                  ))}
                </ul>
              </div>
            ))
          : null}
      </section>

      <section className="panel" aria-label={t('programme.history')}>
        <h2>{t('programme.history')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('programme.version')}</th>
              <th>{t('programme.name')}</th>
              <th>{t('programme.installedBy')}</th>
              <th>{t('programme.installedAt')}</th>
              <th>{t('programme.activeFrom')}</th>
              <th>{t('programme.state')}</th>
              <th>{t('programme.changes')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.value && versions.value.versions.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  {t('programme.noVersions')}
                </td>
              </tr>
            ) : null}
            {(versions.value?.versions ?? []).map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td>
                  <code>{v.version}</code>
                </td>
                <td>{v.name}</td>
                <td>{v.installedBy ?? '—'}</td>
                <td>{when(v.installedAt)}</td>
                <td>{when(v.activeFrom)}</td>
                <td>
                  <span className={`tag ${stateOf(v) === 'active' ? 'ok' : stateOf(v) === 'scheduled' ? 'warn' : ''}`}>{t(`programme.states.${stateOf(v)}`)}</span>
                </td>
                <td>
                  <ul>
                    {/* In the console's language from changeFacts; an older server sends only the English lines. */}
                    {(v.changeFacts ? v.changeFacts.map((c) => changeText(c, t)) : v.changes).map((c, i) => (
                      <li key={i}>{c}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {draft ? (
        <section aria-label={t('programme.edit')}>
          <h2>{t('programme.edit')}</h2>
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={mode === 'form'} onClick={() => switchMode('form')}>
              {t('programme.form')}
            </button>
            <button type="button" role="tab" aria-selected={mode === 'json'} onClick={() => switchMode('json')}>
              {t('programme.json')}
            </button>
            <button type="button" onClick={() => (edited ? setConfirmDiscard(true) : discard())}>
              {t('programme.reset')}
            </button>
          </div>
          <FilePicker label={t('programme.file')} accept="application/json,.json" fileName={fileName} onInput={(input) => void openFile(input)} />
          {confirmDiscard ? (
            <ConfirmDialog label={t('programme.reset')} yes={t('programme.yesReset')} no={t('programme.keepEditing')} onYes={discard} onNo={() => setConfirmDiscard(false)}>
              {t('programme.confirmReset', { version: String(draft.version) })}
            </ConfirmDialog>
          ) : null}
          {mode === 'form' ? (
            <RuleSetForm
              draft={draft}
              problems={problems}
              onChange={(next) => {
                setDraft(next);
                setEdited(true);
              }}
            />
          ) : (
            <label>
              {t('programme.json')}
              <textarea rows={30} value={jsonText} spellCheck={false} aria-invalid={jsonProblem || problems.length > 0 ? true : undefined} onChange={(e) => editJson(e.target.value)} />
            </label>
          )}
          {jsonProblem ? <div className="error">{jsonProblem}</div> : null}
          <div role="status" aria-label={t('programme.validation')}>
            {problems.length > 0 ? (
              <div className="error">
                {t('programme.problems', { count: problems.length })}
                <ul className="problems">
                  {problems.map((p, i) => (
                    <li key={i}>
                      {p.path ? <code title={p.path}>{ruleSetFieldLabel(p.path, t)}</code> : null} {problemText(p, t)}
                    </li>
                  ))}
                </ul>
              </div>
            ) : versionTaken && draftRuleSet ? (
              <div className="error">{t('programme.versionTaken', { version: draftRuleSet.version })}</div>
            ) : draftRuleSet ? (
              <p className="success">{t('programme.valid')}</p>
            ) : null}
          </div>

          <BasketPreview active={active} draft={draftRuleSet} />

          <section className="panel" aria-label={t('programme.install')}>
            <div className="row">
              <label>
                {t('programme.activation')}
                <select value={activation} onChange={(e) => setActivation(e.target.value === 'later' ? 'later' : 'now')}>
                  <option value="now">{t('programme.now')}</option>
                  <option value="later">{t('programme.later')}</option>
                </select>
              </label>
              {activation === 'later' ? (
                <label>
                  {t('programme.activeFromLocal')}
                  <input type="datetime-local" value={activeFromLocal} onChange={(e) => setActiveFromLocal(e.target.value)} />
                </label>
              ) : null}
              <button type="button" className="primary" disabled={busy || !draftRuleSet || versionTaken || confirmInstall !== null} onClick={askInstall}>
                {t('programme.install')} {draftRuleSet ? draftRuleSet.version : ''}
              </button>
            </div>
            {confirmInstall && draftRuleSet ? (
              <ConfirmDialog label={t('programme.install')} yes={t('programme.yesInstall')} no={t('common.cancel')} tone="primary" onYes={() => void install(confirmInstall.activeFrom)} onNo={() => setConfirmInstall(null)}>
                {confirmInstall.activeFrom
                  ? t('programme.confirmInstallLater', { version: draftRuleSet.version, at: when(confirmInstall.activeFrom) })
                  : t('programme.confirmInstallNow', { version: draftRuleSet.version })}
              </ConfirmDialog>
            ) : null}
            <ErrorMessage error={installError} title={t('programme.installFailed')} />
            {installed ? (
              <p className="success" role="status" ref={installedRef}>
                {installed}
              </p>
            ) : null}
          </section>
        </section>
      ) : null}
    </section>
  );
}
