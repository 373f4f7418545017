// Members: find a member by phone, the last four digits of a linked card, or name; see the
// balance, tier, merged ids and history across stores; adjust the balance with a reason code,
// flag, merge another member into this one, or undo a merge made in error.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { MemberDetail as Detail, MemberSummary as Summary } from '../../src-shared/console/member-views';
import type { ConsoleError } from '../api/console-client';
import { ErrorMessage } from '../components/error-message';
import type { ConsolePageProps } from '../pages';

const TEXT = {
  title: 'Members',
  search: 'Phone, card last four or name',
  find: 'Search',
  noMatch: 'No member matches.',
  phone: 'Phone',
  name: 'Name',
  balance: 'Balance',
  cards: 'Cards',
  open: 'Open',
  tier: 'Tier',
  noTier: 'none',
  enrolled: 'Enrolled',
  flagged: 'Flagged',
  openExceptions: 'Open exceptions',
  mergedIds: 'Merged into this member',
  undoMerge: 'Undo merge',
  history: 'History across stores',
  when: 'When',
  store: 'Store',
  terminal: 'Terminal',
  kind: 'Kind',
  points: 'Points',
  recordedAs: 'Recorded for',
  reason: 'Reason',
  adjust: 'Adjust balance',
  adjustPoints: 'Points (negative takes away)',
  reasonCode: 'Reason code',
  note: 'Note',
  doAdjust: 'Adjust',
  flag: 'Flag member',
  unflag: 'Clear flag',
  flagReason: 'Why',
  merge: 'Merge another member into this one',
  mergeFrom: 'Member id to merge in',
  doMerge: 'Merge',
  confirmMerge: (from: string, into: string) => `Merge ${from} into ${into}? Its points and history move here; terminals learn it at their next sync. It can be undone.`,
  yes: 'Yes, merge',
  cancel: 'Cancel',
  failed: 'That did not work',
  adjusted: (points: number, balance: number) => `Adjusted by ${points}: the balance is now ${balance}.`,
  merged: (from: string) => `${from} was merged into this member.`,
  unmerged: (id: string) => `The merge was undone: ${id} is a member of its own again.`,
};


function MemberDetail({ client, memberId, onOpen }: Pick<ConsolePageProps, 'client'> & { memberId: string; onOpen: (id: string) => void }) {
  const [detail, setDetail] = useState<{ member: Detail; reasonCodes: string[] } | null>(null);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [points, setPoints] = useState('');
  const [reasonCode, setReasonCode] = useState('correction');
  const [note, setNote] = useState('');
  const [flagReason, setFlagReason] = useState('');
  const [mergeFrom, setMergeFrom] = useState('');
  const [confirmMerge, setConfirmMerge] = useState(false);

  const load = useCallback(async () => {
    const result = await client.get<{ member: Detail; reasonCodes: string[] }>(`/v1/admin/members/${encodeURIComponent(memberId)}`);
    if (!result.ok) return setError(result.error);
    setDetail(result.value);
  }, [client, memberId]);
  useEffect(() => {
    setDetail(null);
    setMessage(null);
    void load();
  }, [load]);

  const act = async <T,>(call: Promise<{ ok: true; value: T } | { ok: false; error: ConsoleError }>, done: (value: T) => string) => {
    setError(null);
    setMessage(null);
    const result = await call;
    if (!result.ok) return setError(result.error);
    setMessage(done(result.value));
    await load();
  };
  const adjust = (event: FormEvent) => {
    event.preventDefault();
    void act(client.post<{ points: number; balance: number }>(`/v1/admin/members/${encodeURIComponent(memberId)}/adjust`, { points: Number(points), reasonCode, ...(note.trim() ? { note: note.trim() } : {}) }), (v) => {
      setPoints('');
      setNote('');
      return TEXT.adjusted(v.points, v.balance);
    });
  };
  const flag = (reason: string | null) => void act(client.post(`/v1/admin/members/${encodeURIComponent(memberId)}/flag`, { reason }), () => (reason ? `${TEXT.flagged}: ${reason}` : TEXT.unflag));
  const merge = () =>
    void act(client.post('/v1/admin/member-merges', { from: mergeFrom.trim(), into: memberId }), () => {
      const from = mergeFrom.trim();
      setMergeFrom('');
      setConfirmMerge(false);
      return TEXT.merged(from);
    });
  const undo = (mergeId: number) => void act(client.post<{ memberId: string }>(`/v1/admin/member-merges/${mergeId}/undo`, {}), (v) => TEXT.unmerged(v.memberId));

  const m = detail?.member;
  return (
    <div className="panel" aria-label={`Member ${memberId}`}>
      <ErrorMessage error={error} title={TEXT.failed} />
      {message ? (
        <p className="success" role="status">
          {message}
        </p>
      ) : null}
      {m ? (
        <>
          <h2>
            {m.name ?? m.memberId} <code>{m.memberId}</code> {m.flaggedAt ? <span className="tag bad">{TEXT.flagged}: {m.flagReason}</span> : null}
          </h2>
          <div className="grid">
            <div>
              {TEXT.balance}: <strong data-testid="detail-balance">{m.balance}</strong>
            </div>
            <div>
              {TEXT.tier}: {m.tier ?? TEXT.noTier}
            </div>
            <div>
              {TEXT.phone}: {m.phone ?? ''}
            </div>
            <div>
              {TEXT.cards}: {m.cardLast4.map((c) => `•••• ${c}`).join(', ')}
            </div>
            <div>
              {TEXT.enrolled}: {new Date(m.enrolledAt).toLocaleDateString()} {m.enrolledBy ? `(${m.enrolledBy})` : ''}
            </div>
            <div>
              {TEXT.openExceptions}: {m.openExceptions}
            </div>
          </div>

          {m.aliases.length > 0 ? (
            <>
              <h3>{TEXT.mergedIds}</h3>
              <ul>
                {m.aliases.map((a) => (
                  <li key={a.memberId}>
                    <code>{a.memberId}</code> ({new Date(a.mergedAt).toLocaleString()}){' '}
                    {a.undoable && a.mergeId !== null ? (
                      <button type="button" onClick={() => undo(a.mergeId as number)}>
                        {TEXT.undoMerge}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}

          <form className="row" aria-label={TEXT.adjust} onSubmit={adjust}>
            <label>
              {TEXT.adjustPoints}
              <input type="number" step={1} required value={points} onChange={(e) => setPoints(e.target.value)} />
            </label>
            <label>
              {TEXT.reasonCode}
              <select value={reasonCode} onChange={(e) => setReasonCode(e.target.value)}>
                {detail.reasonCodes.map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {TEXT.note}
              <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
            </label>
            <button type="submit" className="primary">
              {TEXT.doAdjust}
            </button>
          </form>

          <div className="row">
            {m.flaggedAt ? (
              <button type="button" onClick={() => flag(null)}>
                {TEXT.unflag}
              </button>
            ) : (
              <form
                className="row"
                aria-label={TEXT.flag}
                onSubmit={(e) => {
                  e.preventDefault();
                  flag(flagReason);
                }}
              >
                <label>
                  {TEXT.flagReason}
                  <input value={flagReason} required maxLength={500} onChange={(e) => setFlagReason(e.target.value)} />
                </label>
                <button type="submit">{TEXT.flag}</button>
              </form>
            )}
            <form
              className="row"
              aria-label={TEXT.merge}
              onSubmit={(e) => {
                e.preventDefault();
                setConfirmMerge(true);
              }}
            >
              <label>
                {TEXT.mergeFrom}
                <input value={mergeFrom} required onChange={(e) => setMergeFrom(e.target.value)} />
              </label>
              <button type="submit">{TEXT.doMerge}</button>
            </form>
          </div>
          {confirmMerge ? (
            <div role="alertdialog" aria-label={TEXT.merge} className="notice">
              <p>{TEXT.confirmMerge(mergeFrom.trim(), m.memberId)}</p>
              <button type="button" className="danger" onClick={merge}>
                {TEXT.yes}
              </button>{' '}
              <button type="button" onClick={() => setConfirmMerge(false)}>
                {TEXT.cancel}
              </button>
            </div>
          ) : null}

          <h3>{TEXT.history}</h3>
          <table>
            <thead>
              <tr>
                <th>{TEXT.when}</th>
                <th>{TEXT.store}</th>
                <th>{TEXT.terminal}</th>
                <th>{TEXT.kind}</th>
                <th className="num">{TEXT.points}</th>
                <th>{TEXT.recordedAs}</th>
                <th>{TEXT.reason}</th>
              </tr>
            </thead>
            <tbody>
              {m.history.map((h, i) => (
                <tr key={`${h.source}-${h.terminalId ?? ''}-${h.seq ?? i}`}>
                  <td>{h.at}</td>
                  <td>{h.storeId ?? ''}</td>
                  <td>{h.terminalId ? <code>{h.terminalId}</code> : (h.actor ?? '')}</td>
                  <td>{h.kind}</td>
                  <td className="num">{h.points}</td>
                  <td>
                    {h.recordedMemberId === m.memberId ? (
                      ''
                    ) : (
                      <button type="button" className="link" onClick={() => onOpen(h.recordedMemberId)}>
                        {h.recordedMemberId}
                      </button>
                    )}
                  </td>
                  <td>{h.reasonCode ? `${h.reasonCode}${h.note ? `: ${h.note}` : ''}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}

export function MembersPage({ client }: ConsolePageProps) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Summary[] | null>(null);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await client.get<{ members: Summary[] }>('/v1/admin/members', { q: query });
    if (!result.ok) return setError(result.error);
    setResults(result.value.members);
    if (result.value.members.length === 1) setOpenId(result.value.members[0]?.memberId ?? null);
  };

  return (
    <section>
      <h1>{TEXT.title}</h1>
      <form className="panel row" role="search" onSubmit={(e) => void search(e)}>
        <label>
          {TEXT.search}
          <input value={query} onChange={(e) => setQuery(e.target.value)} minLength={2} required />
        </label>
        <button type="submit" className="primary">
          {TEXT.find}
        </button>
      </form>
      <ErrorMessage error={error} title={TEXT.failed} />
      {results && results.length === 0 ? <p className="muted">{TEXT.noMatch}</p> : null}
      {results && results.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>{TEXT.name}</th>
              <th>{TEXT.phone}</th>
              <th>{TEXT.cards}</th>
              <th className="num">{TEXT.balance}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.memberId} data-member={r.memberId}>
                <td>
                  {r.name ?? ''} {r.flaggedAt ? <span className="tag bad">{TEXT.flagged}</span> : null}
                </td>
                <td>{r.phone ?? ''}</td>
                <td>{r.cardLast4.map((c) => `•••• ${c}`).join(', ')}</td>
                <td className="num">{r.balance}</td>
                <td>
                  <button type="button" onClick={() => setOpenId(r.memberId)}>
                    {TEXT.open}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {openId ? <MemberDetail client={client} memberId={openId} onOpen={setOpenId} /> : null}
    </section>
  );
}
