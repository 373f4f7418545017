// The Exceptions queue: what the server flagged when terminals synced (over-drawn balances,
// recomputation mismatches, forks, chain breaks, clock skew, suspicious activity), filtered, each
// with the ledger entries behind it, and resolved here: adjust the member's balance with a reason
// code, accept with a note, or flag the member or the terminal. Every action is audited by the server.
import { useState, type FormEvent } from 'react';
import type { QueueItem } from '../../src-shared/console/member-views';
import type { ConsoleError } from '../api/console-client';
import { ErrorMessage } from '../components/error-message';
import { formatCount } from '../components/format';
import { useConsoleQuery } from '../components/use-console-query';
import type { ConsolePageProps } from '../pages';
import { CONSOLE_EXCEPTION_KINDS, describeException, exceptionKindLabel } from './exceptions/exception-text';


const TEXT = {
  title: 'Exceptions',
  filters: 'Filters',
  kind: 'Kind',
  anyKind: 'Any kind',
  state: 'State',
  open: 'Open',
  resolved: 'Resolved',
  all: 'All',
  store: 'Store',
  anyStore: 'Every store',
  terminal: 'Terminal',
  anyTerminal: 'Every terminal',
  member: 'Member id',
  apply: 'Apply',
  loading: 'Loading…',
  none: 'Nothing to look at with these filters.',
  more: 'Older exceptions',
  newest: 'Newest exceptions',
  entries: 'Entries behind it',
  noEntries: 'No ledger entry is behind this exception.',
  seq: 'Seq',
  entryKind: 'Entry',
  points: 'Points',
  time: 'Terminal time',
  recorded: 'Recorded details',
  cashier: 'Cashier',
  balanceNow: 'Balance now',
  flagged: 'flagged',
  resolvedBy: (by: string | null, at: string) => `Resolved by ${by ?? '?'} on ${new Date(at).toLocaleString()}`,
  adjust: 'Adjust balance',
  adjustPoints: 'Points (negative takes away)',
  reason: 'Reason code',
  note: 'Note',
  doAdjust: 'Adjust and resolve',
  accept: 'Accept',
  acceptNote: 'Why it is fine',
  doAccept: 'Accept and resolve',
  flagMember: 'Flag member',
  flagTerminal: 'Flag terminal',
  flagReason: 'Why',
  doFlag: 'Flag',
  alsoResolve: 'and resolve the exception',
  cancel: 'Cancel',
  failed: 'That did not work',
  done: (id: number) => `Exception ${id} updated.`,
};

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

  const label = action.kind === 'adjust' ? TEXT.adjust : action.kind === 'accept' ? TEXT.accept : action.kind === 'flag-member' ? TEXT.flagMember : TEXT.flagTerminal;
  return (
    <form className="panel row" aria-label={`${label} ${item.exceptionId}`} onSubmit={(e) => void submit(e)}>
      {action.kind === 'adjust' ? (
        <>
          <label>
            {TEXT.adjustPoints}
            <input type="number" step={1} required value={points} onChange={(e) => setPoints(e.target.value)} />
          </label>
          <label>
            {TEXT.reason}
            <select value={reasonCode} onChange={(e) => setReasonCode(e.target.value)}>
              {reasonCodes.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </label>
        </>
      ) : null}
      <label>
        {action.kind === 'adjust' ? TEXT.note : action.kind === 'accept' ? TEXT.acceptNote : TEXT.flagReason}
        <input value={note} onChange={(e) => setNote(e.target.value)} required={action.kind !== 'adjust'} maxLength={500} />
      </label>
      {action.kind === 'flag-member' || action.kind === 'flag-terminal' ? (
        <label className="inline">
          <input type="checkbox" checked={resolveToo} onChange={(e) => setResolveToo(e.target.checked)} />
          {TEXT.alsoResolve}
        </label>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {action.kind === 'adjust' ? TEXT.doAdjust : action.kind === 'accept' ? TEXT.doAccept : TEXT.doFlag}
      </button>
      <button type="button" onClick={onCancel}>
        {TEXT.cancel}
      </button>
      <ErrorMessage error={error} title={TEXT.failed} />
    </form>
  );
}

export function ExceptionsPage({ client }: ConsolePageProps) {
  const [draft, setDraft] = useState<Filters>({ open: 'true', kind: '', store: '', terminal: '', member: '' });
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
      <h1>{TEXT.title}</h1>
      <form className="panel row" aria-label={TEXT.filters} onSubmit={apply}>
        <label>
          {TEXT.state}
          <select value={draft.open} onChange={(e) => setDraft({ ...draft, open: e.target.value as Filters['open'] })}>
            <option value="true">{TEXT.open}</option>
            <option value="false">{TEXT.resolved}</option>
            <option value="">{TEXT.all}</option>
          </select>
        </label>
        <label>
          {TEXT.kind}
          <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })}>
            <option value="">{TEXT.anyKind}</option>
            {CONSOLE_EXCEPTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {exceptionKindLabel(kind)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {TEXT.store}
          <select value={draft.store} onChange={(e) => setDraft({ ...draft, store: e.target.value })}>
            <option value="">{TEXT.anyStore}</option>
            {(stores.value?.stores ?? []).map((st) => (
              <option key={st.storeId} value={st.storeId}>
                {st.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {TEXT.terminal}
          <select value={draft.terminal} onChange={(e) => setDraft({ ...draft, terminal: e.target.value })}>
            <option value="">{TEXT.anyTerminal}</option>
            {(terminals.value?.terminals ?? [])
              .filter((t) => !draft.store || t.storeId === draft.store)
              .map((t) => (
                <option key={t.terminalId} value={t.terminalId}>
                  {t.name ? `${t.name} (${t.terminalId})` : t.terminalId}
                  {t.flaggedAt ? ` · ${TEXT.flagged}` : ''}
                </option>
              ))}
          </select>
        </label>
        <label>
          {TEXT.member}
          <input value={draft.member} onChange={(e) => setDraft({ ...draft, member: e.target.value.trim() })} />
        </label>
        <button type="submit" className="primary">
          {TEXT.apply}
        </button>
      </form>
      <ErrorMessage error={queue.error} title={TEXT.failed} />
      {message ? (
        <p className="success" role="status">
          {message}
        </p>
      ) : null}
      {queue.loading && !queue.value ? <p className="muted">{TEXT.loading}</p> : null}
      {queue.value && items.length === 0 ? <p className="muted">{TEXT.none}</p> : null}

      {items.map((item) => (
        <article key={item.exceptionId} className="panel" data-exception={item.exceptionId} data-kind={item.kind} aria-label={`${exceptionKindLabel(item.kind)} ${item.exceptionId}`}>
          <h2>
            #{item.exceptionId} {exceptionKindLabel(item.kind)}{' '}
            {item.resolvedAt ? <span className="tag ok">{TEXT.resolved}</span> : <span className="tag warn">{TEXT.open}</span>}
          </h2>
          <p className="muted">
            {new Date(item.createdAt).toLocaleString()}
            {item.storeId ? ` · ${TEXT.store} ${storeName(item.storeId)}` : ''}
            {item.terminalId ? ` · ${TEXT.terminal} ${item.terminalId}` : ''}
            {item.terminalFlagged ? <span className="tag bad"> {TEXT.terminal} {TEXT.flagged}</span> : null}
            {item.memberId ? ` · ${TEXT.member} ${item.memberId}` : ''}
            {item.memberFlagged ? <span className="tag bad"> {TEXT.member} {TEXT.flagged}</span> : null}
          </p>
          {item.memberBalance !== null ? (
            <p>
              {TEXT.balanceNow}: <strong data-testid="member-balance">{item.memberBalance === null ? '' : formatCount(item.memberBalance)}</strong>
            </p>
          ) : null}
          <p data-testid="what-happened">{describeException(item.kind, item.details) ?? detailText(item.details)}</p>
          {describeException(item.kind, item.details) !== null ? (
            <details>
              <summary className="muted">{TEXT.recorded}</summary>
              <p className="muted">
                <code>{detailText(item.details)}</code>
              </p>
            </details>
          ) : null}
          {item.resolvedAt ? (
            <p className="muted">
              {TEXT.resolvedBy(item.resolvedBy, item.resolvedAt)}: <span data-testid="resolution">{item.resolution}</span>
            </p>
          ) : null}
          <h3>{TEXT.entries}</h3>
          {item.entries.length === 0 ? (
            <p className="muted">{TEXT.noEntries}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{TEXT.store}</th>
                  <th>{TEXT.terminal}</th>
                  <th className="num">{TEXT.seq}</th>
                  <th>{TEXT.entryKind}</th>
                  <th>{TEXT.member}</th>
                  <th className="num">{TEXT.points}</th>
                  <th>{TEXT.time}</th>
                  <th>{TEXT.cashier}</th>
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
                      {e.kind}
                      {e.role === 'fork' ? ' (fork)' : ''}
                    </td>
                    <td>
                      <code>{e.memberId}</code>
                    </td>
                    <td className="num">{formatCount(e.points)}</td>
                    <td>{new Date(e.deviceTime).toLocaleString()}</td>
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
                setMessage(TEXT.done(item.exceptionId));
                queue.reload();
              }}
            />
          ) : (
            <div className="row">
              {item.memberId ? (
                <button type="button" className="primary" onClick={() => setAction({ exceptionId: item.exceptionId, kind: 'adjust' })}>
                  {TEXT.adjust}
                </button>
              ) : null}
              <button type="button" onClick={() => setAction({ exceptionId: item.exceptionId, kind: 'accept' })}>
                {TEXT.accept}
              </button>
              {item.memberId ? (
                <button type="button" onClick={() => setAction({ exceptionId: item.exceptionId, kind: 'flag-member' })}>
                  {TEXT.flagMember}
                </button>
              ) : null}
              {item.terminalId ? (
                <button type="button" onClick={() => setAction({ exceptionId: item.exceptionId, kind: 'flag-terminal' })}>
                  {TEXT.flagTerminal}
                </button>
              ) : null}
            </div>
          )}
        </article>
      ))}
      <div className="row">
        {before !== undefined ? (
          <button type="button" onClick={() => setBefore(undefined)}>
            {TEXT.newest}
          </button>
        ) : null}
        {items.length >= 50 ? (
          <button type="button" onClick={() => setBefore(items.at(-1)?.exceptionId)}>
            {TEXT.more}
          </button>
        ) : null}
      </div>
    </section>
  );
}
