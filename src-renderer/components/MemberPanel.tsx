import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { formatPhone } from '../../src-shared/domain/phone';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';

export function MemberPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const member = useAppStore((s) => s.member);
  const history = useAppStore(useShallow((s) => s.history));
  const clearMember = useAppStore((s) => s.clearMember);
  if (!member) return null;
  return (
    <section className="panel member" aria-label={t('member.panel')}>
      <h2>{member.name ?? formatPhone(member.phone)}</h2>
      {member.name && <p className="muted">{formatPhone(member.phone)}</p>}
      <p className="balance">
        <span>{t('member.balance')}</span>
        <strong aria-label={t('member.balance')}>{t('member.points', { points: f.points(member.balance) })}</strong>
      </p>
      <h3>{t('member.history')}</h3>
      {history.length === 0 ? (
        <p className="muted">{t('member.noHistory')}</p>
      ) : (
        <ul className="history">
          {history.map((e) => (
            <li key={e.seq}>
              <span>{t(`member.kind_${e.kind}`)}</span>
              <span className="muted">{f.dateTime(e.deviceTime)}</span>
              <span className={e.points < 0 ? 'neg' : 'pos'}>{e.points > 0 ? `+${f.points(e.points)}` : f.points(e.points)}</span>
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
