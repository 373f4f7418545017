import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LookupPanel } from './LookupPanel';

/**
 * Beside a sale begun without a member: the customer turns out to be one. The lookup opens only
 * when asked for, so its phone field does not take the keyboard from the sale's amount; the member
 * it finds (or enrols) takes the sale over with its lines.
 */
export function AddMemberToSale() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (open) return <LookupPanel duringSale onBack={() => setOpen(false)} />;
  return (
    <section className="panel" aria-label={t('lookup.addToSale')}>
      <p className="muted">{t('lookup.addToSaleHint')}</p>
      <button type="button" onClick={() => setOpen(true)}>
        {t('lookup.addToSale')}
      </button>
    </section>
  );
}
