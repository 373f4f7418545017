// Members: find a member by phone, the last four digits of a linked card, or name; see the
// balance, tier, merged ids and history across stores; adjust the balance with a reason code,
// flag, merge another member into this one, or undo a merge made in error.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkedCardSummary, MemberDetail as Detail, MemberSummary as Summary } from '../../src-shared/console/member-views';
import type { ConsoleError } from '../api/console-client';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { entryKindLabel, reasonCodeLabel } from '../components/code-labels';
import { useConsoleQuery } from '../components/use-console-query';
import { useFormat } from '../components/use-format';
import type { ConsolePageProps } from '../pages';

/** History rows a member's page shows at first, and how many more each "Show older entries" adds. */
const HISTORY_PAGE = 200;

/** One linked card as the owner knows it: a payment card by brand and last four, a loyalty card by its number. */
const cardName = (c: LinkedCardSummary): string => (c.kind === 'payment' ? `${c.brand ?? ''} •••• ${c.last4 ?? ''}`.trim() : (c.cardNumber ?? ''));

/** A member's cards as the owner knows them: payment cards by their last four, loyalty cards by their number. */
const cardsOf = (m: Summary): string => [...m.cardLast4.map((c) => `•••• ${c}`), ...m.loyaltyCards].join(', ');
/** Members a merge search lists to choose from: more means the owner types more of the name or phone. */
const MERGE_CHOICES = 10;

function MemberDetail({ client, memberId, onOpen }: Pick<ConsolePageProps, 'client'> & { memberId: string; onOpen: (id: string) => void }) {
  const [detail, setDetail] = useState<{ member: Detail; reasonCodes: string[] } | null>(null);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [points, setPoints] = useState('');
  const [reasonCode, setReasonCode] = useState('correction');
  const [note, setNote] = useState('');
  const [flagReason, setFlagReason] = useState('');
  const [mergeFrom, setMergeFrom] = useState('');
  // The member to merge in, found by phone, name or id and confirmed by name, phone and balance;
  // when several match, the owner picks one from `mergeChoices` first.
  const [confirmMerge, setConfirmMerge] = useState<Summary | null>(null);
  const [mergeChoices, setMergeChoices] = useState<{ members: Summary[]; more: boolean } | null>(null);
  const [pendingAdjust, setPendingAdjust] = useState<number | null>(null);
  const [historyRows, setHistoryRows] = useState(HISTORY_PAGE);
  const { t } = useTranslation();
  const f = useFormat();
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
    setMergeChoices(null);
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
    if (!Number.isInteger(n) || n === 0) return setError({ code: 'VALIDATION', status: 0, message: t('members.notAWholeNumber') });
    setError(null);
    setMessage(null);
    setPendingAdjust(n);
  };
  const confirmAdjust = (n: number) =>
    void act(client.post<{ points: number; balance: number }>(`/v1/admin/members/${encodeURIComponent(memberId)}/adjust`, { points: n, reasonCode, ...(note.trim() ? { note: note.trim() } : {}) }), (v) => {
      setPoints('');
      setNote('');
      setPendingAdjust(null);
      return t('members.adjusted', { points: f.count(v.points), balance: f.count(v.balance) });
    });
  const flag = (reason: string | null) => void act(client.post(`/v1/admin/members/${encodeURIComponent(memberId)}/flag`, { reason }), () => (reason ? t('members.flaggedBecause', { reason }) : t('members.unflagged')));
  const merge = (from: Summary) =>
    void act(client.post('/v1/admin/member-merges', { from: from.memberId, into: memberId }), () => {
      setMergeFrom('');
      setConfirmMerge(null);
      setMergeChoices(null);
      return t('members.merged', { from: from.memberId });
    });
  const askMerge = async () => {
    setError(null);
    setMessage(null);
    setConfirmMerge(null);
    setMergeChoices(null);
    const q = mergeFrom.trim();
    const result = await client.get<{ members: Summary[]; more: boolean }>('/v1/admin/members', { q, limit: MERGE_CHOICES });
    if (!result.ok) return setError(result.error);
    const others = result.value.members.filter((c) => c.memberId !== detail?.member.memberId);
    if (others.length === 0) {
      const message = result.value.members.length > 0 ? t('members.sameMember') : t('members.noMemberToMerge', { q });
      return setError({ code: 'NOT_FOUND', status: 0, message });
    }
    const [only] = others;
    if (only && others.length === 1 && !result.value.more) return setConfirmMerge(only);
    setMergeChoices({ members: others, more: result.value.more });
  };
  const undo = (mergeId: number) => void act(client.post<{ memberId: string }>(`/v1/admin/member-merges/${mergeId}/undo`, {}), (v) => t('members.unmerged', { id: v.memberId }));
  const [confirmUnlink, setConfirmUnlink] = useState<LinkedCardSummary | null>(null);
  const unlink = (card: LinkedCardSummary) => {
    setConfirmUnlink(null);
    void act(client.post(`/v1/admin/members/${encodeURIComponent(memberId)}/cards/${encodeURIComponent(card.cardId)}/unlink`, {}), () => t('members.cardUnlinked', { card: cardName(card) }));
  };

  const m = detail?.member;
  return (
    <div className="panel" aria-label={t('members.memberLabel', { id: memberId })}>
      <ErrorMessage error={error} title={t('common.failed')} />
      {message ? (
        <p className="success" role="status">
          {message}
        </p>
      ) : null}
      {m ? (
        <>
          <h2>
            {/* A member enrolled by phone alone has no name: said, not the id twice over. */}
            {m.name ?? <span className="muted">{t('members.unnamed')}</span>} <code>{m.memberId}</code> {m.flaggedAt ? <span className="tag bad">{t('members.flagged')}: {m.flagReason}</span> : null}
          </h2>
          <div className="grid">
            <div>
              {t('members.balance')}: <strong data-testid="detail-balance">{f.count(m.balance)}</strong>
            </div>
            <div>
              {t('members.tier')}: {m.tier ?? t('members.noTier')}
            </div>
            <div>
              {t('members.phone')}: {m.phone ?? ''}
            </div>
            <div>
              {t('members.cards')}: {cardsOf(m)}
            </div>
            <div>
              {/* Where, as the owner knows it: the store and the till's name (its id when it has none). */}
              {t('members.enrolled')}: {f.date(m.enrolledAt)} {m.enrolledBy ? `(${[m.enrolledAtStore ? storeName(m.enrolledAtStore) : null, m.enrolledByName ?? m.enrolledBy].filter(Boolean).join(' · ')})` : ''}
            </div>
            <div>
              {t('members.openExceptions')}: {m.openExceptions}
            </div>
          </div>

          {m.aliases.length > 0 ? (
            <>
              <h3>{t('members.mergedIds')}</h3>
              <ul>
                {m.aliases.map((a) => (
                  <li key={a.memberId}>
                    <code>{a.memberId}</code> ({f.dateTime(a.mergedAt)}){' '}
                    {a.undoable && a.mergeId !== null ? (
                      <button type="button" onClick={() => undo(a.mergeId as number)}>
                        {t('members.undoMerge')}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}

          {m.linkedCards.length > 0 ? (
            <>
              <h3 id="member-linked-cards">{t('members.linkedCards')}</h3>
              <ul aria-labelledby="member-linked-cards">
                {m.linkedCards.map((c) => (
                  <li key={c.cardId} data-card={c.cardId}>
                    {cardName(c)} ({t('members.linkedAt', { at: f.dateTime(c.linkedAt), terminal: c.terminalId })}){' '}
                    <button type="button" onClick={() => setConfirmUnlink(c)}>
                      {t('members.unlinkCard')}
                    </button>
                  </li>
                ))}
              </ul>
              {confirmUnlink ? (
                <ConfirmDialog label={t('members.unlinkCard')} yes={t('members.unlinkCard')} no={t('common.cancel')} onYes={() => unlink(confirmUnlink)} onNo={() => setConfirmUnlink(null)}>
                  {t('members.unlinkCardConfirm', { card: cardName(confirmUnlink) })}
                </ConfirmDialog>
              ) : null}
            </>
          ) : null}

          <form className="row" aria-label={t('members.adjust')} onSubmit={adjust}>
            <label>
              {t('members.adjustPoints')}
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
              {t('members.reasonCode')}
              <select value={reasonCode} onChange={(e) => setReasonCode(e.target.value)}>
                {detail.reasonCodes.map((code) => (
                  <option key={code} value={code}>
                    {reasonCodeLabel(code, t)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('members.note')}
              <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
            </label>
            <button type="submit" className="primary">
              {t('members.doAdjust')}
            </button>
          </form>
          {pendingAdjust !== null ? (
            <ConfirmDialog label={t('members.adjust')} yes={t('members.yesAdjust')} no={t('common.cancel')} tone="primary" onYes={() => confirmAdjust(pendingAdjust)} onNo={() => setPendingAdjust(null)}>
              {t(pendingAdjust > 0 ? 'members.confirmAdd' : 'members.confirmTake', { points: f.points(Math.abs(pendingAdjust)), name: m.name ?? m.memberId, before: f.count(m.balance), after: f.count(m.balance + pendingAdjust) })}
            </ConfirmDialog>
          ) : null}

          <div className="row">
            {m.flaggedAt ? (
              <button type="button" onClick={() => flag(null)}>
                {t('members.unflag')}
              </button>
            ) : (
              <form
                className="row"
                aria-label={t('members.flag')}
                onSubmit={(e) => {
                  e.preventDefault();
                  flag(flagReason);
                }}
              >
                <label>
                  {t('members.flagReason')}
                  <input value={flagReason} required maxLength={500} onChange={(e) => setFlagReason(e.target.value)} />
                </label>
                <button type="submit">{t('members.flag')}</button>
              </form>
            )}
            <form
              className="row"
              aria-label={t('members.merge')}
              onSubmit={(e) => {
                e.preventDefault();
                void askMerge();
              }}
            >
              <label>
                {t('members.mergeFrom')}
                <input
                  value={mergeFrom}
                  required
                  minLength={2}
                  onChange={(e) => {
                    setMergeFrom(e.target.value);
                    setConfirmMerge(null);
                    setMergeChoices(null);
                  }}
                />
              </label>
              <button type="submit">{t('members.doMerge')}</button>
            </form>
          </div>
          {mergeChoices ? (
            <>
              <p className={mergeChoices.more ? 'notice' : 'muted'}>{t(mergeChoices.more ? 'members.mergeChoicesMore' : 'members.mergeChoices', { count: mergeChoices.members.length })}</p>
              <table aria-label={t('members.mergeChoicesLabel')}>
                <tbody>
                  {mergeChoices.members.map((c) => (
                    <tr key={c.memberId}>
                      <td>{c.name ?? t('members.noName')}</td>
                      <td>{c.phone ?? ''}</td>
                      <td>
                        <code>{c.memberId}</code>
                      </td>
                      <td className="num">{f.points(c.balance)}</td>
                      <td>
                        <button type="button" onClick={() => setConfirmMerge(c)}>
                          {t('members.chooseToMerge')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          {confirmMerge ? (
            <ConfirmDialog label={t('members.merge')} yes={t('members.yesMerge')} no={t('common.cancel')} onYes={() => merge(confirmMerge)} onNo={() => setConfirmMerge(null)}>
              {t('members.confirmMerge', { from: confirmMerge.name ?? t('members.noName'), facts: [confirmMerge.memberId, ...(confirmMerge.phone ? [confirmMerge.phone] : []), f.points(confirmMerge.balance)].join(', '), into: m.name ?? m.memberId })}
            </ConfirmDialog>
          ) : null}

          <h3>{t('members.history')}</h3>
          <table>
            <thead>
              <tr>
                <th>{t('members.when')}</th>
                <th>{t('members.store')}</th>
                <th>{t('members.terminal')}</th>
                <th>{t('members.kind')}</th>
                <th className="num">{t('members.points')}</th>
                <th>{t('members.recordedAs')}</th>
                <th>{t('members.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {m.history.map((h, i) => (
                <tr key={`${h.source}-${h.terminalId ?? ''}-${h.seq ?? i}`}>
                  <td>{f.dateTime(h.at)}</td>
                  <td>{h.storeId ? storeName(h.storeId) : ''}</td>
                  <td>{h.terminalId ? <code>{h.terminalId}</code> : (h.actor ?? '')}</td>
                  <td>{entryKindLabel(h.kind, t)}</td>
                  <td className="num">{f.count(h.points)}</td>
                  <td>
                    {h.recordedMemberId === m.memberId ? (
                      ''
                    ) : (
                      <button type="button" className="link" onClick={() => onOpen(h.recordedMemberId)}>
                        {h.recordedMemberId}
                      </button>
                    )}
                  </td>
                  <td>{h.reasonCode ? `${reasonCodeLabel(h.reasonCode, t)}${h.note ? `: ${h.note}` : ''}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {m.history.length === 0 ? <p className="muted">{t('members.noHistory')}</p> : null}
          {m.historyMore ? (
            <p className="row">
              <span className="muted">{t('members.historyShown', { count: m.history.length })}</span>
              <button type="button" onClick={() => setHistoryRows((n) => n + HISTORY_PAGE)}>
                {t('members.olderHistory')}
              </button>
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/**
 * A phone typed with fewer than 4 digits: the server looks for a phone by 4 or more of its digits
 * (fewer would match thousands), so such a search finds no one, and the owner is told why.
 */
const tooFewDigits = (query: string) => /^[\d\s()+-]+$/.test(query.trim()) && query.replace(/\D/g, '').length < 4;

export function MembersPage({ client, memberToOpen }: ConsolePageProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ members: Summary[]; more: boolean; query: string } | null>(null);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [openId, setOpenId] = useState<string | null>(memberToOpen);
  const detailRef = useRef<HTMLDivElement>(null);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await client.get<{ members: Summary[]; more: boolean }>('/v1/admin/members', { q: query });
    if (!result.ok) return setError(result.error);
    setResults({ ...result.value, query });
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
      <h1>{t('members.title')}</h1>
      <form className="panel row" role="search" onSubmit={(e) => void search(e)}>
        <label>
          {t('members.search')}
          <input value={query} onChange={(e) => setQuery(e.target.value)} minLength={2} required />
        </label>
        <button type="submit" className="primary">
          {t('members.find')}
        </button>
      </form>
      <ErrorMessage error={error} title={t('common.failed')} />
      {results && members.length === 0 ? <p className="muted">{t(tooFewDigits(results.query) ? 'members.noMatchFewDigits' : 'members.noMatch')}</p> : null}
      {results?.more && listShown ? (
        <p className="notice" role="status">
          {t('members.moreMatches', { shown: members.length })}
        </p>
      ) : null}
      {openId && members.length > 1 ? (
        <p>
          <button type="button" onClick={() => setOpenId(null)}>
            {t(results?.more ? 'members.backToResultsShown' : 'members.backToResults', { count: members.length })}
          </button>
        </p>
      ) : null}
      {listShown ? (
        <table aria-label={t('members.results')}>
          <thead>
            <tr>
              <th>{t('members.name')}</th>
              <th>{t('members.phone')}</th>
              <th>{t('members.cards')}</th>
              <th className="num">{t('members.balance')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((r) => (
              <tr key={r.memberId} data-member={r.memberId}>
                <td>
                  {r.name ?? <span className="muted">{t('members.unnamed')}</span>} {r.flaggedAt ? <span className="tag bad">{t('members.flagged')}</span> : null}
                </td>
                <td>{r.phone ?? ''}</td>
                <td>{cardsOf(r)}</td>
                <td className="num">{f.count(r.balance)}</td>
                <td>
                  <button type="button" onClick={() => open(r.memberId)}>
                    {t('members.open')}
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
