// Terminals and stores: create and rename stores, make one-time enrolment codes (shown once),
// see every terminal's last sync and reported queue depth, clear a terminal's flag, revoke a
// terminal after confirming.
import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleError } from '../api/console-client';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { useConsoleQuery } from '../components/use-console-query';
import { useFormat } from '../components/use-format';
import type { ConsolePageProps } from '../pages';
import { StoreSelect } from '../components/store-select';

type StoreView = { storeId: string; name: string; createdAt: string; activeTerminals: number };
const DAY_MS = 24 * 3_600_000;
/** A terminal that has not synced for this long is shown as silent: its sales are not reaching the server. */
const SILENT_AFTER_MS = DAY_MS;

type TerminalFilter = 'all' | 'active' | 'silent';

type TerminalView = { terminalId: string; storeId: string; name: string | null; enrolledAt: string; revokedAt: string | null; lastSeq: number; lastSyncAt: string | null; queueDepth: number | null; queueDepthAt: string | null; flaggedAt: string | null; flagReason: string | null };

export function TerminalsPage({ client }: ConsolePageProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const when = (iso: string | null, fallback: string) => (iso ? f.dateTime(iso) : fallback);
  const stores = useConsoleQuery<{ stores: StoreView[] }>(client, '/v1/admin/stores');
  const terminals = useConsoleQuery<{ terminals: TerminalView[] }>(client, '/v1/admin/terminals');
  const [error, setError] = useState<ConsoleError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [newId, setNewId] = useState('');
  const [renaming, setRenaming] = useState<{ storeId: string; name: string } | null>(null);
  const [code, setCode] = useState<{ storeId: string; code: string; expiresAt: string } | null>(null);
  const [validHours, setValidHours] = useState('24');
  const [confirming, setConfirming] = useState<string | null>(null);
  // A chain has many terminals: the owner narrows them to a store, or to the active ones that went
  // silent (no sync for a day or more, or never), which is what needs a visit.
  const [storeFilter, setStoreFilter] = useState('');
  const [show, setShow] = useState<TerminalFilter>('all');
  // The code is shown once, under the store it enrols into and in view: shown above a long list of
  // stores it went unseen, and the owner asked for another.
  const codeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (code) codeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [code]);

  const act = async <T,>(call: () => Promise<{ ok: true; value: T } | { ok: false; error: ConsoleError }>, after: (value: T) => void) => {
    setError(null);
    setMessage(null);
    const result = await call();
    if (!result.ok) return setError(result.error);
    after(result.value);
  };

  const createStore = (event: FormEvent) => {
    event.preventDefault();
    void act(
      () => client.post<{ storeId: string; name: string }>('/v1/admin/stores', { name: newName, ...(newId.trim() ? { storeId: newId.trim() } : {}) }),
      () => {
        setNewName('');
        setNewId('');
        stores.reload();
      },
    );
  };
  const saveRename = (event: FormEvent) => {
    event.preventDefault();
    if (!renaming) return;
    void act(
      () => client.post('/v1/admin/stores', { storeId: renaming.storeId, name: renaming.name }),
      () => {
        setRenaming(null);
        stores.reload();
      },
    );
  };
  const makeCode = (storeId: string) =>
    void act(
      () => client.post<{ code: string; expiresAt: string }>('/v1/admin/enrol-codes', { storeId, validHours: Number(validHours) }),
      (value) => setCode({ storeId, ...value }),
    );
  const revoke = (terminalId: string) =>
    void act(
      () => client.post(`/v1/admin/terminals/${encodeURIComponent(terminalId)}/revoke`),
      () => {
        setConfirming(null);
        setMessage(t('terminals.revokedDone', { id: terminalId }));
        terminals.reload();
        stores.reload();
      },
    );

  // A flag set from the Exceptions page is cleared here, where it shows, once the terminal is seen to.
  const unflag = (terminalId: string) =>
    void act(
      () => client.post(`/v1/admin/terminals/${encodeURIComponent(terminalId)}/flag`, { reason: null }),
      () => {
        setMessage(t('terminals.unflagged', { id: terminalId }));
        terminals.reload();
      },
    );

  const storeName = (id: string) => stores.value?.stores.find((s) => s.storeId === id)?.name ?? id;
  const now = Date.now();
  /**
   * Whole days an active terminal has been silent, when it is a day or more: since its last sync,
   * or since it was enrolled if it never synced (null: it synced lately, or is revoked).
   */
  const silentDays = (row: TerminalView): number | null => {
    if (row.revokedAt) return null;
    const since = now - Date.parse(row.lastSyncAt ?? row.enrolledAt);
    return since >= SILENT_AFTER_MS ? Math.floor(since / DAY_MS) : null;
  };
  const allTerminals = terminals.value?.terminals ?? [];
  const shownTerminals = allTerminals.filter(
    (row) =>
      (storeFilter === '' || row.storeId === storeFilter) &&
      (show === 'all' || (show === 'active' ? !row.revokedAt : silentDays(row) !== null)),
  );

  return (
    <section>
      <h1>{t('terminals.title')}</h1>
      <ErrorMessage error={error ?? stores.error ?? terminals.error} title={t('common.failed')} />
      {message ? <p className="success">{message}</p> : null}

      <h2>{t('terminals.stores')}</h2>
      <div className="row">
        <label>
          {t('terminals.validHours')}
          <input type="number" min={1} max={720} step={1} value={validHours} onChange={(e) => setValidHours(e.target.value)} />
        </label>
      </div>
      <table>
        <thead>
          <tr>
            <th>{t('terminals.storeName')}</th>
            <th>{t('terminals.storeId')}</th>
            <th className="num">{t('terminals.activeTerminals')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {stores.value && stores.value.stores.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                {t('terminals.noStores')}
              </td>
            </tr>
          ) : null}
          {(stores.value?.stores ?? []).map((s) => (
            <Fragment key={s.storeId}>
              <tr data-store={s.storeId}>
                <td>
                  {renaming?.storeId === s.storeId ? (
                    <form onSubmit={saveRename} className="row">
                      <input aria-label={t('terminals.storeNameOf', { id: s.storeId })} value={renaming.name} onChange={(e) => setRenaming({ storeId: s.storeId, name: e.target.value })} />
                      <button type="submit" className="primary">
                        {t('common.save')}
                      </button>
                      <button type="button" onClick={() => setRenaming(null)}>
                        {t('common.cancel')}
                      </button>
                    </form>
                  ) : (
                    s.name
                  )}
                </td>
                <td>
                  <code>{s.storeId}</code>
                </td>
                <td className="num">{f.count(s.activeTerminals)}</td>
                <td className="row">
                  <button type="button" onClick={() => setRenaming({ storeId: s.storeId, name: s.name })}>
                    {t('terminals.rename')}
                  </button>
                  <button type="button" onClick={() => makeCode(s.storeId)}>
                    {t('terminals.makeCode')}
                  </button>
                </td>
              </tr>
              {code?.storeId === s.storeId ? (
                <tr>
                  <td colSpan={4}>
                    <div className="panel" role="status" aria-label={t('terminals.enrolCode')} ref={codeRef}>
                      <p>{t('terminals.codeOnce')}</p>
                      <p>
                        {storeName(code.storeId)}: <span className="code-once" data-testid="enrol-code">{code.code}</span>
                      </p>
                      <p className="muted">
                        {t('terminals.codeExpires')} {when(code.expiresAt, '')}
                      </p>
                      <button type="button" onClick={() => setCode(null)}>
                        {t('common.ok')}
                      </button>
                    </div>
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
      <form onSubmit={createStore} className="panel row" aria-label={t('terminals.newStore')}>
        <label>
          {t('terminals.storeName')}
          <input value={newName} onChange={(e) => setNewName(e.target.value)} required />
        </label>
        <label>
          {t('terminals.storeIdHint')}
          <input value={newId} onChange={(e) => setNewId(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('terminals.create')}
        </button>
      </form>

      <h2>{t('terminals.terminals')}</h2>
      {terminals.loading && !terminals.value ? <p className="muted">{t('common.loading')}</p> : null}
      {terminals.value && terminals.value.terminals.length === 0 ? <p className="muted">{t('terminals.noTerminals')}</p> : null}
      {allTerminals.length > 0 ? (
        <>
          <form className="panel row" aria-label={t('terminals.filters')} onSubmit={(e) => e.preventDefault()}>
            <StoreSelect label={t('terminals.store')} anyLabel={t('exceptions.anyStore')} stores={stores.value?.stores} value={storeFilter} onChange={setStoreFilter} />
            <label>
              {t('terminals.show')}
              <select value={show} onChange={(e) => setShow(e.target.value as TerminalFilter)}>
                <option value="all">{t('terminals.showAll')}</option>
                <option value="active">{t('terminals.showActive')}</option>
                <option value="silent">{t('terminals.showSilent')}</option>
              </select>
            </label>
          </form>
          <p className="muted" data-testid="terminals-shown">
            {t('terminals.shown', { shown: f.count(shownTerminals.length), total: f.count(allTerminals.length) })}
          </p>
        </>
      ) : null}
      {allTerminals.length > 0 && shownTerminals.length === 0 ? <p className="muted">{t('terminals.noneMatch')}</p> : null}
      {shownTerminals.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>{t('terminals.terminal')}</th>
              <th>{t('terminals.store')}</th>
              <th>{t('terminals.lastSync')}</th>
              <th className="num">{t('terminals.queue')}</th>
              <th className="num">{t('terminals.lastSeq')}</th>
              <th>{t('terminals.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shownTerminals.map((row) => (
              <tr key={row.terminalId} data-terminal={row.terminalId}>
                <td>
                  <code>{row.terminalId}</code>
                  {row.name ? <div className="muted">{row.name}</div> : null}
                </td>
                <td>{storeName(row.storeId)}</td>
                <td>
                  {when(row.lastSyncAt, t('terminals.never'))}
                  {silentDays(row) !== null ? (
                    <>
                      {' '}
                      <span className="tag warn">{t('terminals.silentFor', { count: silentDays(row) })}</span>
                    </>
                  ) : null}
                </td>
                <td className="num">{row.queueDepth === null ? <span className="muted">{t('terminals.notReported')}</span> : f.count(row.queueDepth)}</td>
                <td className="num">{f.count(row.lastSeq)}</td>
                <td>
                  {row.revokedAt ? <span className="tag bad">{t('terminals.revoked')}</span> : <span className="tag ok">{t('terminals.active')}</span>}
                  {row.flaggedAt ? (
                    <span className="tag warn" title={row.flagReason ?? ''}>
                      {' '}
                      {t('terminals.flagged')}: {row.flagReason}
                    </span>
                  ) : null}
                  {row.flaggedAt ? (
                    <>
                      {' '}
                      <button type="button" aria-label={t('terminals.unflagOf', { id: row.terminalId })} onClick={() => unflag(row.terminalId)}>
                        {t('terminals.unflag')}
                      </button>
                    </>
                  ) : null}
                </td>
                <td>
                  {row.revokedAt ? null : confirming === row.terminalId ? (
                    <ConfirmDialog label={t('terminals.revoke')} yes={t('terminals.yesRevoke')} no={t('common.cancel')} onYes={() => revoke(row.terminalId)} onNo={() => setConfirming(null)}>
                      {t('terminals.confirmRevoke', { id: row.terminalId })}
                    </ConfirmDialog>
                  ) : (
                    <button type="button" className="danger" onClick={() => setConfirming(row.terminalId)}>
                      {t('terminals.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
