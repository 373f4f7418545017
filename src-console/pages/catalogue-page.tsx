// The Catalogue page: the current product catalogue and every installed version, newest first; a new
// one from a JSON file (or pasted), checked by the server (every problem in the console's language, or
// what it would change against the current catalogue), and installed after a confirmation.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleError } from '../api/console-client';
import { CATALOGUE_LIMITS, validateCatalogueText, type CatalogueProblem } from '../../src-shared/catalogue/catalogue';
import type { CatalogueDiff } from '../../src-shared/catalogue/catalogue-diff';
import { catalogueErrorText } from '../components/catalogue-error-text';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { useConsoleQuery } from '../components/use-console-query';
import { useFormat } from '../components/use-format';
import type { ConsolePageProps } from '../pages';
import { CatalogueChanges } from './catalogue/catalogue-changes';
import { CatalogueProblemList } from './catalogue/catalogue-problem-list';
import { FilePicker, takeChosenFile } from '../components/file-picker';

type CatalogueSummary = { version: string; name: string | null; currency: string; products: number; installedAt: string; installedBy: string };
type CataloguesAnswer = { current: string | null; catalogues: CatalogueSummary[] };
type CheckAnswer = { ok: true; version: string; products: number; versionTaken: boolean; changes: CatalogueDiff } | { ok: false; problems: CatalogueProblem[] };
type Check = { state: 'checking' } | { state: 'checked'; answer: CheckAnswer; document: unknown } | { state: 'failed'; error: ConsoleError };

/** Problems the browser finds before sending (too large, not JSON), or the parsed document. */
function readText(text: string): { problems: CatalogueProblem[] } | { document: unknown } {
  if (text.length <= CATALOGUE_LIMITS.textBytes) {
    try {
      return { document: JSON.parse(text) as unknown };
    } catch {
      // Said by the shared validator below, with its code.
    }
  }
  const result = validateCatalogueText(text);
  return { problems: result.ok ? [] : result.problems };
}

export function CataloguePage({ client }: ConsolePageProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useConsoleQuery<CataloguesAnswer>(client, '/v1/admin/catalogues');
  const [text, setText] = useState('');
  // The file checked last, by name: its text stays out of the textarea (50,000 products would make
  // every keystroke slow there), and the input is emptied so choosing the fixed file again is a change.
  const [fileName, setFileName] = useState<string | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [installError, setInstallError] = useState<ConsoleError | null>(null);
  const [installed, setInstalled] = useState<string | null>(null);
  // Only the answer to the latest check is shown: an earlier one may arrive after it.
  const generation = useRef(0);

  const current = list.value?.catalogues.find((c) => c.version === list.value?.current) ?? null;

  const runCheck = async (source: string) => {
    const mine = (generation.current += 1);
    setConfirming(false);
    setInstallError(null);
    setInstalled(null);
    const read = readText(source);
    if ('problems' in read) return setCheck({ state: 'checked', answer: { ok: false, problems: read.problems }, document: null });
    setCheck({ state: 'checking' });
    const result = await client.post<CheckAnswer>('/v1/admin/catalogues/validate', { catalogue: read.document });
    if (mine !== generation.current) return;
    setCheck(result.ok ? { state: 'checked', answer: result.value, document: read.document } : { state: 'failed', error: result.error });
  };

  const chooseFile = async (input: HTMLInputElement) => {
    const file = await takeChosenFile(input);
    if (!file) return;
    setFileName(file.name);
    setText('');
    await runCheck(file.text);
  };

  const editText = (next: string) => {
    setText(next);
    setFileName(null);
    // What is shown checked is what would be installed: an edit makes it unchecked.
    setCheck(null);
  };

  const install = async (document: unknown) => {
    setConfirming(false);
    setBusy(true);
    const result = await client.post<{ installed: boolean; catalogue: CatalogueSummary }>('/v1/admin/catalogues', { catalogue: document });
    setBusy(false);
    if (!result.ok) return setInstallError(result.error);
    const { catalogue } = result.value;
    setInstalled(t(result.value.installed ? 'catalogue.installed' : 'catalogue.alreadyCurrent', { version: catalogue.version, count: catalogue.products }));
    setText('');
    setFileName(null);
    setCheck(null);
    list.reload();
  };

  const checked = check?.state === 'checked' ? check : null;
  const answer = checked?.answer ?? null;
  const installDetails = installError?.details as { problems?: unknown } | undefined;
  const installProblems = Array.isArray(installDetails?.problems) ? (installDetails.problems as CatalogueProblem[]) : [];

  return (
    <section>
      <h1>{t('catalogue.title')}</h1>
      <ErrorMessage error={list.error} />

      <section className="panel" aria-label={t('catalogue.current')}>
        <h2>
          {t('catalogue.current')}
          {current ? (
            <>
              : <code>{current.version}</code>
            </>
          ) : null}
        </h2>
        {list.loading && !list.value ? <p className="muted">{t('common.loading')}</p> : null}
        {list.value && !current ? <p>{t('catalogue.none')}</p> : null}
        {current ? (
          <p data-testid="current-catalogue">
            {t('catalogue.currentLine', {
              name: current.name ?? t('catalogue.noName'),
              currency: current.currency,
              count: current.products,
              products: f.count(current.products),
              at: f.dateTime(current.installedAt),
              by: current.installedBy,
            })}
          </p>
        ) : null}
      </section>

      <section className="panel" aria-label={t('catalogue.history')}>
        <h2>{t('catalogue.history')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('catalogue.version')}</th>
              <th>{t('catalogue.name')}</th>
              <th>{t('catalogue.currency')}</th>
              <th className="num">{t('catalogue.products')}</th>
              <th>{t('catalogue.installedAt')}</th>
              <th>{t('catalogue.installedBy')}</th>
              <th>{t('catalogue.state')}</th>
            </tr>
          </thead>
          <tbody>
            {list.value && list.value.catalogues.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  {t('catalogue.noVersions')}
                </td>
              </tr>
            ) : null}
            {(list.value?.catalogues ?? []).map((c) => (
              <tr key={c.version} data-version={c.version}>
                <td>
                  <code>{c.version}</code>
                </td>
                <td>{c.name ?? '—'}</td>
                <td>{c.currency}</td>
                <td className="num">{f.count(c.products)}</td>
                <td>{f.dateTime(c.installedAt)}</td>
                <td>{c.installedBy}</td>
                <td>{c.version === list.value?.current ? <span className="tag ok">{t('catalogue.states.current')}</span> : <span className="tag">{t('catalogue.states.past')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-label={t('catalogue.upload')}>
        <h2>{t('catalogue.upload')}</h2>
        <p className="muted">{t('catalogue.uploadHelp')}</p>
        <FilePicker label={t('catalogue.file')} accept="application/json,.json" fileName={fileName} onInput={(input) => void chooseFile(input)} />
        <label>
          {t('catalogue.paste')}
          <textarea rows={10} value={text} spellCheck={false} onChange={(e) => editText(e.target.value)} />
        </label>
        <div className="row">
          <button type="button" disabled={!text.trim() || check?.state === 'checking'} onClick={() => void runCheck(text)}>
            {t('catalogue.check')}
          </button>
        </div>

        {fileName && check ? <p className="muted">{t('catalogue.fromFile', { file: fileName })}</p> : null}
        <div role="status" aria-label={t('catalogue.validation')}>
          {check?.state === 'checking' ? <p className="muted">{t('catalogue.checking')}</p> : null}
          {answer && !answer.ok ? (
            <div className="error">
              {t('catalogue.problems', { count: answer.problems.length })}
              <CatalogueProblemList problems={answer.problems} />
            </div>
          ) : null}
          {answer?.ok && answer.versionTaken ? <div className="error">{t('catalogue.versionTaken', { version: answer.version })}</div> : null}
          {answer?.ok && !answer.versionTaken ? <p className="success">{t('catalogue.valid', { version: answer.version, count: answer.products, products: f.count(answer.products) })}</p> : null}
        </div>
        {check?.state === 'failed' ? <ErrorMessage error={check.error} title={t('catalogue.checkFailed')} /> : null}

        {checked && answer?.ok ? (
          <>
            <CatalogueChanges diff={answer.changes} />
            <div className="row">
              <button type="button" className="primary" disabled={busy || answer.versionTaken} onClick={() => setConfirming(true)}>
                {t('catalogue.install', { version: answer.version })}
              </button>
            </div>
            {confirming ? (
              <ConfirmDialog label={t('catalogue.confirmTitle')} yes={t('catalogue.yesInstall')} no={t('common.cancel')} tone="primary" onYes={() => void install(checked.document)} onNo={() => setConfirming(false)}>
                {current
                  ? t('catalogue.confirmReplace', { version: answer.version, count: answer.products, products: f.count(answer.products), current: current.version })
                  : t('catalogue.confirmFirst', { version: answer.version, count: answer.products, products: f.count(answer.products) })}
              </ConfirmDialog>
            ) : null}
          </>
        ) : null}

        {installError ? (
          <div className="error" role="alert">
            <strong>{t('catalogue.installFailed')}: </strong>
            <span className="error-message">{catalogueErrorText(installError, t)}</span>
            {installProblems.length > 0 ? <CatalogueProblemList problems={installProblems} /> : null}
          </div>
        ) : null}
        {installed ? (
          <p className="success" role="status">
            {installed}
          </p>
        ) : null}
      </section>
    </section>
  );
}
