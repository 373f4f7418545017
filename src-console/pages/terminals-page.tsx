// Terminals and stores: create and rename stores, make one-time enrolment codes (shown once),
// see every terminal's last sync and reported queue depth, revoke a terminal after confirming.
import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConsoleError } from '../api/console-client';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { useConsoleQuery } from '../components/use-console-query';
import type { ConsolePageProps } from '../pages';

const TEXT = {
  title: 'Terminals and stores',
  stores: 'Stores',
  storeId: 'Store id',
  storeName: 'Name',
  activeTerminals: 'Active terminals',
  newStore: 'New store',
  storeIdHint: 'Store id (optional, letters, digits, - and _)',
  create: 'Create store',
  rename: 'Rename',
  save: 'Save',
  cancel: 'Cancel',
  enrolCode: 'Enrolment code',
  makeCode: 'New enrolment code',
  validHours: 'New enrolment codes are valid for (hours)',
  codeOnce: 'Type this code into the new terminal. It is shown only now and enrols one terminal.',
  codeExpires: 'Expires',
  terminals: 'Terminals',
  terminal: 'Terminal',
  store: 'Store',
  lastSync: 'Last sync',
  queue: 'Queue depth',
  lastSeq: 'Entries stored',
  status: 'Status',
  never: 'never',
  notReported: 'not reported',
  active: 'active',
  revoked: 'revoked',
  flagged: 'flagged',
  revoke: 'Revoke',
  confirmRevoke: (id: string) => `Revoke terminal ${id}? It can no longer sync until it is enrolled again with a new code. Its queued sales stay on the terminal.`,
  confirm: 'Yes, revoke',
  revokedDone: (id: string) => `Terminal ${id} was revoked.`,
  loading: 'Loading…',
  noStores: 'No store yet: create the first one below, then make an enrolment code for it.',
  noTerminals: 'No terminal is enrolled yet: make an enrolment code for a store and type it into the terminal.',
  failed: 'That did not work',
};

type StoreView = { storeId: string; name: string; createdAt: string; activeTerminals: number };
type TerminalView = { terminalId: string; storeId: string; name: string | null; enrolledAt: string; revokedAt: string | null; lastSeq: number; lastSyncAt: string | null; queueDepth: number | null; queueDepthAt: string | null; flaggedAt: string | null; flagReason: string | null };

const when = (iso: string | null, fallback: string) => (iso ? new Date(iso).toLocaleString() : fallback);

export function TerminalsPage({ client }: ConsolePageProps) {
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
        setMessage(TEXT.revokedDone(terminalId));
        terminals.reload();
        stores.reload();
      },
    );

  const storeName = (id: string) => stores.value?.stores.find((s) => s.storeId === id)?.name ?? id;

  return (
    <section>
      <h1>{TEXT.title}</h1>
      <ErrorMessage error={error ?? stores.error ?? terminals.error} title={TEXT.failed} />
      {message ? <p className="success">{message}</p> : null}

      <h2>{TEXT.stores}</h2>
      <div className="row">
        <label>
          {TEXT.validHours}
          <input type="number" min={1} max={720} step={1} value={validHours} onChange={(e) => setValidHours(e.target.value)} />
        </label>
      </div>
      <table>
        <thead>
          <tr>
            <th>{TEXT.storeName}</th>
            <th>{TEXT.storeId}</th>
            <th className="num">{TEXT.activeTerminals}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {stores.value && stores.value.stores.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                {TEXT.noStores}
              </td>
            </tr>
          ) : null}
          {(stores.value?.stores ?? []).map((s) => (
            <Fragment key={s.storeId}>
              <tr data-store={s.storeId}>
                <td>
                  {renaming?.storeId === s.storeId ? (
                    <form onSubmit={saveRename} className="row">
                      <input aria-label={`${TEXT.storeName} ${s.storeId}`} value={renaming.name} onChange={(e) => setRenaming({ storeId: s.storeId, name: e.target.value })} />
                      <button type="submit" className="primary">
                        {TEXT.save}
                      </button>
                      <button type="button" onClick={() => setRenaming(null)}>
                        {TEXT.cancel}
                      </button>
                    </form>
                  ) : (
                    s.name
                  )}
                </td>
                <td>
                  <code>{s.storeId}</code>
                </td>
                <td className="num">{s.activeTerminals}</td>
                <td className="row">
                  <button type="button" onClick={() => setRenaming({ storeId: s.storeId, name: s.name })}>
                    {TEXT.rename}
                  </button>
                  <button type="button" onClick={() => makeCode(s.storeId)}>
                    {TEXT.makeCode}
                  </button>
                </td>
              </tr>
              {code?.storeId === s.storeId ? (
                <tr>
                  <td colSpan={4}>
                    <div className="panel" role="status" aria-label={TEXT.enrolCode} ref={codeRef}>
                      <p>{TEXT.codeOnce}</p>
                      <p>
                        {storeName(code.storeId)}: <span className="code-once" data-testid="enrol-code">{code.code}</span>
                      </p>
                      <p className="muted">
                        {TEXT.codeExpires} {when(code.expiresAt, '')}
                      </p>
                      <button type="button" onClick={() => setCode(null)}>
                        OK
                      </button>
                    </div>
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
      <form onSubmit={createStore} className="panel row" aria-label={TEXT.newStore}>
        <label>
          {TEXT.storeName}
          <input value={newName} onChange={(e) => setNewName(e.target.value)} required />
        </label>
        <label>
          {TEXT.storeIdHint}
          <input value={newId} onChange={(e) => setNewId(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {TEXT.create}
        </button>
      </form>

      <h2>{TEXT.terminals}</h2>
      {terminals.loading && !terminals.value ? <p className="muted">{TEXT.loading}</p> : null}
      {terminals.value && terminals.value.terminals.length === 0 ? <p className="muted">{TEXT.noTerminals}</p> : null}
      {terminals.value && terminals.value.terminals.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>{TEXT.terminal}</th>
              <th>{TEXT.store}</th>
              <th>{TEXT.lastSync}</th>
              <th className="num">{TEXT.queue}</th>
              <th className="num">{TEXT.lastSeq}</th>
              <th>{TEXT.status}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {terminals.value.terminals.map((t) => (
              <tr key={t.terminalId} data-terminal={t.terminalId}>
                <td>
                  <code>{t.terminalId}</code>
                  {t.name ? <div className="muted">{t.name}</div> : null}
                </td>
                <td>{storeName(t.storeId)}</td>
                <td>{when(t.lastSyncAt, TEXT.never)}</td>
                <td className="num">{t.queueDepth === null ? <span className="muted">{TEXT.notReported}</span> : t.queueDepth}</td>
                <td className="num">{t.lastSeq}</td>
                <td>
                  {t.revokedAt ? <span className="tag bad">{TEXT.revoked}</span> : <span className="tag ok">{TEXT.active}</span>}
                  {t.flaggedAt ? (
                    <span className="tag warn" title={t.flagReason ?? ''}>
                      {' '}
                      {TEXT.flagged}: {t.flagReason}
                    </span>
                  ) : null}
                </td>
                <td>
                  {t.revokedAt ? null : confirming === t.terminalId ? (
                    <ConfirmDialog label={TEXT.revoke} yes={TEXT.confirm} no={TEXT.cancel} onYes={() => revoke(t.terminalId)} onNo={() => setConfirming(null)}>
                      {TEXT.confirmRevoke(t.terminalId)}
                    </ConfirmDialog>
                  ) : (
                    <button type="button" className="danger" onClick={() => setConfirming(t.terminalId)}>
                      {TEXT.revoke}
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
