import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ADJUST_NOTE_MAX, ADJUST_NOTE_MIN, ADJUST_REASONS } from '../../src-shared/ledger/payloads';
import type { AdjustReason } from '../store/app-state';
import { useAppStore } from '../store/store-context';
import { ManagerApproval } from './ManagerApproval';
import { useFormat } from './use-format';

/**
 * Adjust a member's balance by hand with a reason code (members.adjust). A signed-in manager sends it;
 * a cashier sends it with a manager's approval entered here. The core enforces both, and refuses a
 * balance below zero; this form only guides.
 */
export function AdjustBalanceForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const member = useAppStore((s) => s.member);
  const isManager = useAppStore((s) => s.auth?.user?.role === 'manager');
  const adjustBalance = useAppStore((s) => s.adjustBalance);
  const [direction, setDirection] = useState<'add' | 'remove'>('add');
  const [points, setPoints] = useState(0);
  const [reason, setReason] = useState<AdjustReason>('goodwill');
  const [note, setNote] = useState('');
  if (!member) return null;
  const signed = direction === 'add' ? points : -points;
  const after = member.balance + signed;
  const noteMissing = reason === 'other' && note.trim().length < ADJUST_NOTE_MIN;
  const ready = points > 0 && after >= 0 && !noteMissing;
  const send = async (approval?: { userId: string; pin: string }) => {
    if (!ready) return;
    if (await adjustBalance({ points: signed, reason, note }, approval)) onDone();
  };
  return (
    // A section, not a form: the manager's approval below is a form of its own, and forms cannot nest.
    // Escape closes it, as it closes the counter's other panels (use-escape-closes.ts), which then leave it alone.
    <section
      className="adjust"
      aria-label={t('adjust.title')}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        onDone();
      }}
    >
      <h3>{t('adjust.title')}</h3>
      <fieldset>
        <legend>{t('adjust.direction')}</legend>
        <label className="check">
          <input type="radio" name="adjust-direction" checked={direction === 'add'} onChange={() => setDirection('add')} />
          {t('adjust.add')}
        </label>
        <label className="check">
          <input type="radio" name="adjust-direction" checked={direction === 'remove'} onChange={() => setDirection('remove')} />
          {t('adjust.remove')}
        </label>
      </fieldset>
      <label>
        {t('adjust.points')}
        {/* The button that opened the form is gone: the points take the keyboard. */}
        <input type="number" min={1} max={1_000_000} autoFocus value={points || ''} onChange={(e) => setPoints(Math.max(0, Math.min(1_000_000, Math.floor(Number(e.target.value) || 0))))} />
      </label>
      <label>
        {t('adjust.reason')}
        <select value={reason} onChange={(e) => setReason(e.target.value as AdjustReason)}>
          {ADJUST_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`adjust.reason_${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {reason === 'other' ? t('adjust.noteRequired') : t('adjust.note')}
        <input type="text" maxLength={ADJUST_NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <p className={after < 0 ? 'warn' : 'muted'}>
        {after < 0 ? t('adjust.belowZero', { balance: f.points(member.balance), count: member.balance }) : t('adjust.after', { points: f.points(after) })}
      </p>
      {isManager ? (
        <button type="button" className="primary" disabled={!ready} onClick={() => void send()}>
          {t('adjust.save')}
        </button>
      ) : ready ? (
        <ManagerApproval onApprove={(approval) => void send(approval)} />
      ) : (
        <p className="muted">{t('adjust.needsManager')}</p>
      )}
      <button type="button" className="link" onClick={onDone}>
        {t('adjust.cancel')}
      </button>
    </section>
  );
}
