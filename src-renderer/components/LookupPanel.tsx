import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../src-shared/domain/phone';
import { useAppStore } from '../store/store-context';
import { applyKey, Keypad } from './Keypad';

/** `duringSale`: opened from a sale begun without a member; the member found or enrolled takes the sale over, lines and all. */
export function LookupPanel({ duringSale = false, onBack }: { duringSale?: boolean; onBack?: () => void } = {}) {
  const { t } = useTranslation();
  const phone = useAppStore((s) => s.phoneInput);
  const setPhone = useAppStore((s) => s.setPhoneInput);
  const lookup = useAppStore((s) => s.lookup);
  const unknownPhone = useAppStore((s) => s.unknownPhone);
  const enrol = useAppStore((s) => s.enrol);
  const startAnonymous = useAppStore((s) => s.startAnonymous);
  const toggleProgram = useAppStore((s) => s.toggleProgram);
  const [name, setName] = useState('');
  const [referralCode, setReferralCode] = useState('');
  // The enrol form comes into sight whole, its button too (below the keypad it was off a 768 px screen).
  const enrolForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (unknownPhone) enrolForm.current?.scrollIntoView({ block: 'nearest' });
  }, [unknownPhone]);

  return (
    <section className="panel lookup" aria-label={t('lookup.title')}>
      <h2>{duringSale ? t('lookup.addToSale') : t('lookup.title')}</h2>
      {duringSale ? <p className="muted">{t('lookup.addToSaleHint')}</p> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void lookup();
        }}
      >
        <label>
          {t('lookup.phone')}
          <input className="big" type="tel" inputMode="tel" autoFocus value={phone} onChange={(e) => setPhone(e.target.value)} maxLength={40} />
        </label>
        <Keypad label={t('keypad', { field: t('lookup.phone') })} extraKey="+" onKey={(k) => setPhone(applyKey(phone, k, 40))} />
        <div className="row">
          <button type="submit" className="primary">
            {t('lookup.find')}
          </button>
          <button type="button" onClick={() => setPhone('')}>
            {t('lookup.clear')}
          </button>
        </div>
      </form>
      {/* A number no member has: the name field takes the keyboard (Enter enrols); a new number, a new form.
          A refused enrolment (a wrong referral code) keeps the name and code to correct: they were
          emptied after every try. Enrolled, the member panel takes this panel's place. */}
      {unknownPhone && (
        <form
          key={unknownPhone}
          ref={enrolForm}
          className="enrol"
          onSubmit={(e) => {
            e.preventDefault();
            void enrol(name, referralCode);
          }}
        >
          <p>{t('lookup.notFound', { phone: formatPhone(unknownPhone) })}</p>
          <label>
            {t('lookup.enrolName')}
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoFocus />
          </label>
          <label>
            {t('lookup.referralCode')}
            <input value={referralCode} onChange={(e) => setReferralCode(e.target.value)} maxLength={20} autoCapitalize="characters" />
          </label>
          <button type="submit" className="primary">
            {t('lookup.enrol', { phone: formatPhone(unknownPhone) })}
          </button>
        </form>
      )}
      <div className="row">
        {duringSale ? (
          <button type="button" className="link" onClick={onBack}>
            {t('lookup.backToSale')}
          </button>
        ) : (
          <button type="button" className="link" onClick={startAnonymous}>
            {t('lookup.anonymous')}
          </button>
        )}
        <button type="button" className="link" onClick={() => toggleProgram(true)}>
          {t('programme.howPointsWork')}
        </button>
      </div>
    </section>
  );
}
