// Members: find a member by phone, the last four digits of a linked card, or name; see the
// balance, tier, merged ids and history across stores; adjust the balance with a reason code,
// flag, merge another member into this one, or undo a merge made in error.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { MemberDetail as Detail, MemberSummary as Summary } from '../../src-shared/console/member-views';
import type { ConsoleError } from '../api/console-client';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { formatCount, formatPoints } from '../components/format';
import { useConsoleQuery } from '../components/use-console-query';
import type { ConsolePageProps } from '../pages';

const TEXT = {
  title: 'Members',
  search: 'Phone, card last four or name',
  find: 'Search',
  noMatch: 'No member matches.',
  results: 'Matching members',
  backToResults: (n: number, more: boolean) => `Back to the ${n} matching members${more ? ' shown' : ''}`,
  // Not "the first 50": the search stops at the first matches it meets (a million members), which
  // are shown in name order but need not be the first names in the alphabet.
  moreMatches: (shown: number) => `More than ${shown} members match and ${shown} of them are shown. Type more of the name or phone number to narrow it down.`,
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
  noHistory: 'Nothing recorded for this member yet.',
  olderHistory: 'Show older entries',
  historyShown: (n: number) => `The newest ${n} entries are shown.`,
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
  confirmAdjust: (points: number, name: string, before: number, after: number) =>
    `${points > 0 ? `Add ${formatPoints(points)} to` : `Take ${formatPoints(-points)} from`} ${name}? The balance goes from ${formatCount(before)} to ${formatCount(after)}. Terminals get it at their next sync; an adjustment stays in the history (a mistake is corrected with another adjustment).`,
  yesAdjust: 'Yes, adjust',
  notAWholeNumber: 'Type a whole number of points other than 0 (negative takes points away).',
  flag: 'Flag member',
  unflag: 'Clear flag',
  flagReason: 'Why',
  merge: 'Merge another member into this one',
  mergeFrom: 'Member id to merge in',
  doMerge: 'Merge',
  confirmMerge: (from: Summary, into: string) =>
    `Merge ${from.name ?? 'the member without a name'} (${from.memberId}${from.phone ? `, ${from.phone}` : ''}, ${formatPoints(from.balance)}) into ${into}? Its points, history and cards move here; terminals learn it at their next sync. It can be undone.`,
  noSuchMember: (id: string) => `No member has the id ${id}. Search for the other member and copy the id shown beside their name.`,
  sameMember: 'That is this member: type the id of the other member to merge in.',
  yes: 'Yes, merge',
  cancel: 'Cancel',
  failed: 'That did not work',
  adjusted: (points: number, balance: number) => `Adjusted by ${formatCount(points)}: the balance is now ${formatCount(balance)}.`,
  merged: (from: string) => `${from} was merged into this member.`,
  unmerged: (id: string) => `The merge was undone: ${id} is a member of its own again.`,
};

/** History rows a member's page shows at first, and how many more each "Show older entries" adds. */
const HISTORY_PAGE = 200;

function MemberDetail({ client, memberId, onOpen }: Pick<ConsolePageProps, 'client'> & { memberId: string; onOpen: (id: string) => void }) {
  const [detail, setDetail] = useState<{ member: Detail; reasonCodes: string[] } | null>(null);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [points, setPoints] = useState('');
  const [reasonCode, setReasonCode] = useState('correction');
  const [note, setNote] = useState('');
  const [flagReason, setFlagReason] = useState('');
  const [mergeFrom, setMergeFrom] = useState('');
  // The member to merge in, looked up before asking: the owner confirms a name, phone and balance, not an id.
  const [confirmMerge, setConfirmMerge] = useState<Summary | null>(null);
  const [pendingAdjust, setPendingAdjust] = useState<number | null>(null);
  const [historyRows, setHistoryRows] = useState(HISTORY_PAGE);
  const stores = useConsoleQuery<{ stores: { storeId: string; name: string }[] }>(client, '/v1/admin/stores');
  const storeName = (id: string) => stores.value?.stores.find((st) => st.storeId === id)?.name ?? id;

  const load = useCallback(async () => {
    const result = await client.get<{ member: Detail; reasonCodes: string[] }>(`/v1/admin/members/${encodeURIComponent(memberId)}`, { history: historyRows });
    if (!result.ok) return setError(result.error);
    setDetail(result.value);
  }, [client, memberId, historyRows]);
  useEffect(() => {
    setDetail(null);
    setMessage(null);
    setPendingAdjust(null);
    setConfirmMerge(null);
    setHistoryRows(HISTORY_PAGE);
  }, [memberId]);
  useEffect(() => {
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
  // An adjustment reaches every terminal and stays in the history: it is confirmed with the balance
  // it leads to, so a slip of the keyboard (-100000 for -100) is seen before it is made.
  const adjust = (event: FormEvent) => {
    event.preventDefault();
    const n = Number(points);
    if (!Number.isInteger(n) || n === 0) return setError({ code: 'VALIDATION', status: 0, message: TEXT.notAWholeNumber });
    setError(null);
    setMessage(null);
    setPendingAdjust(n);
  };
  const confirmAdjust = (n: number) =>
    void act(client.post<{ points: number; balance: number }>(`/v1/admin/members/${encodeURIComponent(memberId)}/adjust`, { points: n, reasonCode, ...(note.trim() ? { note: note.trim() } : {}) }), (v) => {
      setPoints('');
      setNote('');
      setPendingAdjust(null);
      return TEXT.adjusted(v.points, v.balance);
    });
  const flag = (reason: string | null) => void act(client.post(`/v1/admin/members/${encodeURIComponent(memberId)}/flag`, { reason }), () => (reason ? `${TEXT.flagged}: ${reason}` : TEXT.unflag));
  const merge = () =>
    void act(client.post('/v1/admin/member-merges', { from: confirmMerge?.memberId ?? mergeFrom.trim(), into: memberId }), () => {
      const from = confirmMerge?.memberId ?? mergeFrom.trim();
      setMergeFrom('');
      setConfirmMerge(null);
      return TEXT.merged(from);
    });
  const askMerge = async () => {
    setError(null);
    setMessage(null);
    setConfirmMerge(null);
    const result = await client.get<{ member: Detail }>(`/v1/admin/members/${encodeURIComponent(mergeFrom.trim())}`, { history: 1 });
    if (!result.ok) return setError(result.error.status === 404 ? { ...result.error, message: TEXT.noSuchMember(mergeFrom.trim()) } : result.error);
    if (result.value.member.memberId === detail?.member.memberId) return setError({ code: 'VALIDATION', status: 0, message: TEXT.sameMember });
    setConfirmMerge(result.value.member);
  };
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
              {TEXT.balance}: <strong data-testid="detail-balance">{formatCount(m.balance)}</strong>
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
              <input
                type="number"
                step={1}
                required
                value={points}
                onChange={(e) => {
                  setPoints(e.target.value);
                  setPendingAdjust(null);
                }}
              />
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
          {pendingAdjust !== null ? (
            <ConfirmDialog label={TEXT.adjust} yes={TEXT.yesAdjust} no={TEXT.cancel} tone="primary" onYes={() => confirmAdjust(pendingAdjust)} onNo={() => setPendingAdjust(null)}>
              {TEXT.confirmAdjust(pendingAdjust, m.name ?? m.memberId, m.balance, m.balance + pendingAdjust)}
            </ConfirmDialog>
          ) : null}

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
                void askMerge();
              }}
            >
              <label>
                {TEXT.mergeFrom}
                <input
                  value={mergeFrom}
                  required
                  onChange={(e) => {
                    setMergeFrom(e.target.value);
                    setConfirmMerge(null);
                  }}
                />
              </label>
              <button type="submit">{TEXT.doMerge}</button>
            </form>
          </div>
          {confirmMerge ? (
            <ConfirmDialog label={TEXT.merge} yes={TEXT.yes} no={TEXT.cancel} onYes={merge} onNo={() => setConfirmMerge(null)}>
              {TEXT.confirmMerge(confirmMerge, m.name ?? m.memberId)}
            </ConfirmDialog>
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
                  <td>{new Date(h.at).toLocaleString()}</td>
                  <td>{h.storeId ? storeName(h.storeId) : ''}</td>
                  <td>{h.terminalId ? <code>{h.terminalId}</code> : (h.actor ?? '')}</td>
                  <td>{h.kind}</td>
                  <td className="num">{formatCount(h.points)}</td>
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
          {m.history.length === 0 ? <p className="muted">{TEXT.noHistory}</p> : null}
          {m.historyMore ? (
            <p className="row">
              <span className="muted">{TEXT.historyShown(m.history.length)}</span>
              <button type="button" onClick={() => setHistoryRows((n) => n + HISTORY_PAGE)}>
                {TEXT.olderHistory}
              </button>
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function MembersPage({ client }: ConsolePageProps) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ members: Summary[]; more: boolean } | null>(null);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const detailRef = useRef<HTMLDivElement>(null);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await client.get<{ members: Summary[]; more: boolean }>('/v1/admin/members', { q: query });
    if (!result.ok) return setError(result.error);
    setResults(result.value);
    setOpenId(result.value.members.length === 1 ? (result.value.members[0]?.memberId ?? null) : null);
  };
  // A member opened from far down a long list of matches: the list makes way for the member's
  // page, which starts where the owner can see it.
  const open = (memberId: string) => {
    setOpenId(memberId);
    window.requestAnimationFrame(() => detailRef.current?.scrollIntoView({ block: 'start' }));
  };
  const members = results?.members ?? [];
  const listShown = members.length > 0 && !(openId && members.length > 1);

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
      {results && members.length === 0 ? <p className="muted">{TEXT.noMatch}</p> : null}
      {results?.more && listShown ? (
        <p className="notice" role="status">
          {TEXT.moreMatches(members.length)}
        </p>
      ) : null}
      {openId && members.length > 1 ? (
        <p>
          <button type="button" onClick={() => setOpenId(null)}>
            {TEXT.backToResults(members.length, results?.more ?? false)}
          </button>
        </p>
      ) : null}
      {listShown ? (
        <table aria-label={TEXT.results}>
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
            {members.map((r) => (
              <tr key={r.memberId} data-member={r.memberId}>
                <td>
                  {r.name ?? ''} {r.flaggedAt ? <span className="tag bad">{TEXT.flagged}</span> : null}
                </td>
                <td>{r.phone ?? ''}</td>
                <td>{r.cardLast4.map((c) => `•••• ${c}`).join(', ')}</td>
                <td className="num">{formatCount(r.balance)}</td>
                <td>
                  <button type="button" onClick={() => open(r.memberId)}>
                    {TEXT.open}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div ref={detailRef}>{openId ? <MemberDetail client={client} memberId={openId} onOpen={open} /> : null}</div>
    </section>
  );
}
