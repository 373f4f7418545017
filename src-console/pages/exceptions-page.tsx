// The Exceptions queue: what the server flagged when terminals synced (over-drawn balances,
// recomputation mismatches, forks, chain breaks, clock skew, suspicious activity), filtered, each
// with the ledger entries behind it, and resolved here: adjust the member's balance with a reason
// code, accept with a note, or flag the member or the terminal. Every action is audited by the server.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from '../../src-shared/console/member-views';
import type { ConsoleError } from '../api/console-client';
import { ErrorMessage } from '../components/error-message';
import { useConsoleQuery } from '../components/use-console-query';
import { useFormat } from '../components/use-format';
import type { ConsolePageProps } from '../pages';
import { entryKindLabel, reasonCodeLabel } from '../components/code-labels';
import { ALL_EXCEPTION_KINDS } from '../../src-shared/console/exception-kinds';
import { describeException, exceptionKindLabel, resolutionText } from './exceptions/exception-text';
import { StoreSelect } from '../components/store-select';


type QueueAnswer = { exceptions: QueueItem[]; reasonCodes: string[] };
type Filters = { open: 'true' | 'false' | ''; kind: string; store: string; terminal: string; member: string };
type Action = { exceptionId: number; kind: 'adjust' | 'accept' | 'flag-member' | 'flag-terminal' };

const detailText = (details: Record<string, unknown>) =>
  Object.entries(details)
    .filter(([key]) => key !== 'subject')
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');

function ActionForm({ item, action, reasonCodes, onDone, onCancel, client }: { item: QueueItem; action: Action; reasonCodes: string[]; onDone: () => void; onCancel: () => void } & Pick<ConsolePageProps, 'client'>) {
  const [points, setPoints] = useState(item.kind === 'negative-balance' && item.memberBalance !== null && item.memberBalance < 0 ? String(-item.memberBalance) : '');
  const [reasonCode, setReasonCode] = useState(item.kind === 'negative-balance' ? 'offline-double-redemption' : (reasonCodes[0] ?? ''));
  const [note, setNote] = useState('');
  const [resolveToo, setResolveToo] = useState(false);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();
  const base = `/v1/admin/exceptions/${item.exceptionId}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result =
      action.kind === 'adjust'
        ? await client.post(`${base}/adjust`, { points: Number(points), reasonCode, ...(note.trim() ? { note: note.trim() } : {}) })
        : action.kind === 'accept'
          ? await client.post(`${base}/accept`, { note })
          : await client.post(`${base}/flag`, { target: action.kind === 'flag-member' ? 'member' : 'terminal', reason: note, resolve: resolveToo });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onDone();
  };

  const label = action.kind === 'adjust' ? t('exceptions.adjust') : action.kind === 'accept' ? t('exceptions.accept') : action.kind === 'flag-member' ? t('exceptions.flagMember') : t('exceptions.flagTerminal');
  return (
    <form className="panel row" aria-label={`${label} ${item.exceptionId}`} onSubmit={(e) => void submit(e)}>
      {action.kind === 'adjust' ? (
        <>
          <label>
            {t('exceptions.adjustPoints')}
            <input type="number" step={1} required value={points} onChange={(e) => setPoints(e.target.value)} />
          </label>
          <label>
            {t('exceptions.reason')}
            <select value={reasonCode} onChange={(e) => setReasonCode(e.target.value)}>
              {reasonCodes.map((code) => (
                <option key={code} value={code}>
                  {reasonCodeLabel(code, t)}
                </option>
              ))}
            </select>
          </label>
        </>
      ) : null}
      <label>
        {action.kind === 'adjust' ? t('exceptions.note') : action.kind === 'accept' ? t('exceptions.acceptNote') : t('exceptions.flagReason')}
        <input value={note} onChange={(e) => setNote(e.target.value)} required={action.kind !== 'adjust'} maxLength={500} />
      </label>
      {action.kind === 'flag-member' || action.kind === 'flag-terminal' ? (
        <label className="inline">
          <input type="checkbox" checked={resolveToo} onChange={(e) => setResolveToo(e.target.checked)} />
          {t('exceptions.alsoResolve')}
        </label>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {action.kind === 'adjust' ? t('exceptions.doAdjust') : action.kind === 'accept' ? t('exceptions.doAccept') : t('exceptions.doFlag')}
      </button>
      <button type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <ErrorMessage error={error} title={t('common.failed')} />
    </form>
  );
}

export function ExceptionsPage({ client, openMember }: ConsolePageProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const [draft, setDraft] = useState<Filters>({ open: 'true', kind: '', store: '', terminal: '', member: '' });
  // Each field's change applies to the draft as it is then: two changes before a render keep both.
  const patchDraft = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));
  const [filters, setFilters] = useState<Filters>(draft);
  const [before, setBefore] = useState<number | undefined>(undefined);
  const [action, setAction] = useState<Action | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const queue = useConsoleQuery<QueueAnswer>(client, '/v1/admin/exceptions', { ...filters, before });
  const stores = useConsoleQuery<{ stores: { storeId: string; name: string }[] }>(client, '/v1/admin/stores');
  const terminals = useConsoleQuery<{ terminals: { terminalId: string; storeId: string; name: string | null; flaggedAt: string | null }[] }>(client, '/v1/admin/terminals');

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setBefore(undefined);
    setFilters(draft);
  };
  const items = queue.value?.exceptions ?? [];
  const storeName = (id: string) => stores.value?.stores.find((st) => st.storeId === id)?.name ?? id;
  const reasonCodes = queue.value?.reasonCodes ?? [];

  return (
    <section>
      <h1>{t('exceptions.title')}</h1>
      <form className="panel row" aria-label={t('exceptions.filters')} onSubmit={apply}>
        <label>
          {t('exceptions.state')}
          <select value={draft.open} onChange={(e) => patchDraft({ open: e.target.value as Filters['open'] })}>
            <option value="true">{t('exceptions.open')}</option>
            <option value="false">{t('exceptions.resolved')}</option>
            <option value="">{t('exceptions.all')}</option>
          </select>
        </label>
        <label>
          {t('exceptions.kind')}
          <select value={draft.kind} onChange={(e) => patchDraft({ kind: e.target.value })}>
            <option value="">{t('exceptions.anyKind')}</option>
            {ALL_EXCEPTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {exceptionKindLabel(kind, t)}
              </option>
            ))}
          </select>
        </label>
        <StoreSelect label={t('exceptions.store')} anyLabel={t('exceptions.anyStore')} stores={stores.value?.stores} value={draft.store} onChange={(store) => patchDraft({ store })} />
        <label>
          {t('exceptions.terminal')}
          <select value={draft.terminal} onChange={(e) => patchDraft({ terminal: e.target.value })}>
            <option value="">{t('exceptions.anyTerminal')}</option>
            {(terminals.value?.terminals ?? [])
              .filter((x) => !draft.store || x.storeId === draft.store)
              .map((x) => (
                <option key={x.terminalId} value={x.terminalId}>
                  {x.name ? `${x.name} (${x.terminalId})` : x.terminalId}
                  {x.flaggedAt ? ` · ${t('exceptions.flagged')}` : ''}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('exceptions.member')}
          <input value={draft.member} onChange={(e) => patchDraft({ member: e.target.value.trim() })} />
        </label>
        <button type="submit" className="primary">
          {t('exceptions.apply')}
        </button>
      </form>
      <ErrorMessage error={queue.error} title={t('common.failed')} />
      {message ? (
        <p className="success" role="status">
          {message}
        </p>
      ) : null}
      {queue.loading && !queue.value ? <p className="muted">{t('common.loading')}</p> : null}
      {queue.value && items.length === 0 ? <p className="muted">{t('exceptions.none')}</p> : null}

      {items.map((item) => (
        <article key={item.exceptionId} className="panel" data-exception={item.exceptionId} data-kind={item.kind} aria-label={`${exceptionKindLabel(item.kind, t)} ${item.exceptionId}`}>
          <h2>
            #{item.exceptionId} {exceptionKindLabel(item.kind, t)}{' '}
            {item.resolvedAt ? <span className="tag ok">{t('exceptions.resolved')}</span> : <span className="tag warn">{t('exceptions.open')}</span>}
          </h2>
          <p className="muted">
            {f.dateTime(item.createdAt)}
            {item.storeId ? ` · ${t('exceptions.store')} ${storeName(item.storeId)}` : ''}
            {item.terminalId ? ` · ${t('exceptions.terminal')} ${item.terminalId}` : ''}
            {item.terminalFlagged ? <span className="tag bad"> {t('exceptions.terminal')} {t('exceptions.flagged')}</span> : null}
            {/* The member's page (balance, history, merges) is one click away, not a search for a pasted id. */}
            {item.memberId ? (
              <>
                {` · ${t('exceptions.member')} `}
                <button type="button" className="link" aria-label={t('exceptions.openMember', { id: item.memberId })} onClick={() => openMember(item.memberId ?? '')}>
                  {item.memberId}
                </button>
              </>
            ) : (
              ''
            )}
            {item.memberFlagged ? <span className="tag bad"> {t('exceptions.member')} {t('exceptions.flagged')}</span> : null}
          </p>
          {item.memberBalance !== null ? (
            <p>
              {t('exceptions.balanceNow')}: <strong data-testid="member-balance">{item.memberBalance === null ? '' : f.count(item.memberBalance)}</strong>
            </p>
          ) : null}
          <p data-testid="what-happened">{describeException(item.kind, item.details, t, f) ?? detailText(item.details)}</p>
          {describeException(item.kind, item.details, t, f) !== null ? (
            <details>
              <summary className="muted">{t('exceptions.recorded')}</summary>
              <p className="muted">
                <code>{detailText(item.details)}</code>
              </p>
            </details>
          ) : null}
          {item.resolvedAt ? (
            <p className="muted">
              {t('exceptions.resolvedBy', { by: item.resolvedBy ?? t('common.unknown'), at: f.dateTime(item.resolvedAt) })}: <span data-testid="resolution">{item.resolutionAction !== null ? resolutionText(item.resolutionAction, t, f) : (item.resolution ?? '')}</span>
            </p>
          ) : null}
          <h3>{t('exceptions.entries')}</h3>
          {item.entries.length === 0 ? (
            <p className="muted">{t('exceptions.noEntries')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{t('exceptions.store')}</th>
                  <th>{t('exceptions.terminal')}</th>
                  <th className="num">{t('exceptions.seq')}</th>
                  <th>{t('exceptions.entryKind')}</th>
                  <th>{t('exceptions.member')}</th>
                  <th className="num">{t('exceptions.points')}</th>
                  <th>{t('exceptions.time')}</th>
                  <th>{t('exceptions.cashier')}</th>
                </tr>
              </thead>
              <tbody>
                {item.entries.map((e) => (
                  <tr key={`${e.terminalId}-${e.seq}-${e.role}`}>
                    <td>{e.storeId ? storeName(e.storeId) : ''}</td>
                    <td>
                      <code>{e.terminalId}</code>
                    </td>
                    <td className="num">{e.seq}</td>
                    <td>
                      {entryKindLabel(e.kind, t)}
                      {e.role === 'fork' ? ` (${t('exceptions.fork')})` : ''}
                    </td>
                    <td>
                      <code>{e.memberId}</code>
                    </td>
                    <td className="num">{f.count(e.points)}</td>
                    <td>{f.dateTime(e.deviceTime)}</td>
                    <td>{e.cashierId ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {item.resolvedAt ? null : action?.exceptionId === item.exceptionId ? (
            <ActionForm
              client={client}
              item={item}
              action={action}
              reasonCodes={reasonCodes}
              onCancel={() => setAction(null)}
              onDone={() => {
                setAction(null);
                setMessage(t('exceptions.done', { id: item.exceptionId }));
                queue.reload();
              }}
            />
          ) : (
            <div className="row">
              {item.memberId ? (
                <button type="button" className="primary" onClick={() => setAction({ exceptionId: item.exceptionId, kind: 'adjust' })}>
                  {t('exceptions.adjust')}
                </button>
              ) : null}
              <button type="button" onClick={() => setAction({ exceptionId: item.exceptionId, kind: 'accept' })}>
                {t('exceptions.accept')}
              </button>
              {item.memberId ? (
                <button type="button" onClick={() => setAction({ exceptionId: item.exceptionId, kind: 'flag-member' })}>
                  {t('exceptions.flagMember')}
                </button>
              ) : null}
              {item.terminalId ? (
                <button type="button" onClick={() => setAction({ exceptionId: item.exceptionId, kind: 'flag-terminal' })}>
                  {t('exceptions.flagTerminal')}
                </button>
              ) : null}
            </div>
          )}
        </article>
      ))}
      <div className="row">
        {before !== undefined ? (
          <button type="button" onClick={() => setBefore(undefined)}>
            {t('exceptions.newest')}
          </button>
        ) : null}
        {items.length >= 50 ? (
          <button type="button" onClick={() => setBefore(items.at(-1)?.exceptionId)}>
            {t('exceptions.more')}
          </button>
        ) : null}
      </div>
    </section>
  );
}
