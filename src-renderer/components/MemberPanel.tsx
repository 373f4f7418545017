import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { HistoryEntry } from '../../src-shared/api/contract';
import { formatPhone } from '../../src-shared/domain/phone';
import { useAppStore } from '../store/store-context';
import { OffersList } from './OffersList';
import { AdjustBalanceForm } from './AdjustBalanceForm';
import { RewardsList } from './RewardsList';
import { TierBadge } from './TierBadge';
import { useFormat } from './use-format';

export function MemberPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  // A donation the programme matched has a second entry, the match, which costs the member nothing.
  const historyKind = (e: HistoryEntry) =>
    e.kind === 'donate' && e.breakdown.some((b) => b.ruleId.startsWith('donate.match:')) ? t('member.kind_donateMatch') : t(`member.kind_${e.kind}`);
  const member = useAppStore((s) => s.member);
  const history = useAppStore(useShallow((s) => s.history));
  const clearMember = useAppStore((s) => s.clearMember);
  const openRefund = useAppStore((s) => s.openRefund);
  const referralCode = useAppStore((s) => s.referralCode);
  const loadReferralCode = useAppStore((s) => s.loadReferralCode);
  const toggleProgram = useAppStore((s) => s.toggleProgram);
  const [adjusting, setAdjusting] = useState(false);
  // The form closed (saved, cancelled or Escape): the keyboard goes back to the link that opened it,
  // not to the page, where the next key went nowhere.
  const adjustLink = useRef<HTMLButtonElement>(null);
  const wasAdjusting = useRef(adjusting);
  useEffect(() => {
    if (wasAdjusting.current && !adjusting) adjustLink.current?.focus();
    wasAdjusting.current = adjusting;
  }, [adjusting]);
  if (!member) return null;
  const programme = member.programme;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section className="panel member" aria-label={t('member.panel')}>
      <h2>{member.name ?? formatPhone(member.phone)}</h2>
      {member.name && <p className="muted">{formatPhone(member.phone)}</p>}
      {programme?.tier && <TierBadge tier={programme.tier} />}
      <p className="balance">
        <span>{t('member.balance')}</span>
        <strong aria-label={t('member.balance')} className={member.balance < 0 ? 'neg' : undefined}>
          {t('member.points', f.pointsParams(member.balance))}
        </strong>
      </p>
      {member.balance < 0 && <p className="warn">{t('member.negative')}</p>}
      {programme?.expiring && (
        <p className="warn">
          {programme.expiring.on < today
            ? t('member.expired', { ...f.pointsParams(programme.expiring.points), date: f.date(programme.expiring.on) })
            : t('member.expiring', { ...f.pointsParams(programme.expiring.points), date: f.date(programme.expiring.on) })}
        </p>
      )}
      <div className="row">
        {referralCode ? (
          <p className="referral">
            <span>{t('member.referralCode')}</span> <strong aria-label={t('member.referralCode')}>{referralCode}</strong>
            <small className="muted">{t('member.referralHelp')}</small>
          </p>
        ) : (
          <button type="button" className="link" onClick={() => void loadReferralCode()}>
            {t('member.showReferralCode')}
          </button>
        )}
        <button type="button" className="link" onClick={() => toggleProgram(true)}>
          {t('programme.howPointsWork')}
        </button>
      </div>
      <OffersList />
      {adjusting ? (
        <AdjustBalanceForm onDone={() => setAdjusting(false)} />
      ) : (
        <button ref={adjustLink} type="button" className="link" onClick={() => setAdjusting(true)}>
          {t('adjust.open')}
        </button>
      )}
      <RewardsList />
      <h3>{t('member.history')}</h3>
      {history.length === 0 ? (
        <p className="muted">{t('member.noHistory')}</p>
      ) : (
        <ul className="history">
          {history.map((e) => (
            <li key={e.seq}>
              <span>{historyKind(e)}</span>
              <span className="muted">{f.dateTime(e.deviceTime)}</span>
              {/* No figure where the balance did not move (an enrolment, the programme's match of a donation): a green 0 read as points earned. */}
              {e.points === 0 ? <span /> : <span className={e.points < 0 ? 'neg' : 'pos'}>{e.points > 0 ? `+${f.points(e.points)}` : f.points(e.points)}</span>}
              {e.kind === 'earn' && e.saleId ? (
                <button type="button" className="small" aria-label={t('member.refundOf', { date: f.dateTime(e.deviceTime) })} onClick={() => void openRefund(e.saleId ?? '')}>
                  {t('member.refund')}
                </button>
              ) : (
                <span />
              )}
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={clearMember}>
        {t('member.change')}
      </button>
    </section>
  );
}
