import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../src-shared/api/contract';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';

type Role = User['role'];

/** A new PIN for one account (which also unlocks it), in place of its buttons. */
function NewPinForm({ user, onDone }: { user: User; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const save = useAppStore((s) => s.saveStaff);
  const [pin, setPin] = useState('');
  return (
    <form
      className="staff-pin"
      onSubmit={(e) => {
        e.preventDefault();
        void save({ userId: user.userId, pin }).then((saved) => saved && onDone(true));
      }}
    >
      <label>
        {t('settings.staffNewPinFor', { name: user.name })}
        <input type="password" inputMode="numeric" autoComplete="off" maxLength={12} autoFocus value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
      </label>
      <button type="submit" className="primary" disabled={pin.length < 4}>
        {t('settings.staffSavePin')}
      </button>
      <button type="button" onClick={() => onDone(false)}>
        {t('settings.cancel')}
      </button>
    </form>
  );
}

/**
 * Settings → Staff: who signs in at this terminal. A manager adds cashiers and managers, gives a new
 * PIN (which unlocks an account locked by wrong PINs), changes a role, deactivates or brings back an
 * account. The terminal keeps one active manager: the last one is offered neither.
 */
export function StaffSection() {
  const { t } = useTranslation();
  const f = useFormat();
  const staff = useAppStore((s) => s.staff);
  const me = useAppStore((s) => s.auth?.user?.userId ?? null);
  const loadStaff = useAppStore((s) => s.loadStaff);
  const save = useAppStore((s) => s.saveStaff);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [pin, setPin] = useState('');
  const [pinFor, setPinFor] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    void loadStaff();
  }, [loadStaff]);
  const activeManagers = (staff ?? []).filter((u) => u.role === 'manager' && u.active).length;
  const change = (user: User, patch: { role?: Role; active?: boolean }) => {
    setNotice(null);
    void save({ userId: user.userId, ...patch });
  };
  return (
    <section className="staff" aria-labelledby="staff-title">
      <h3 id="staff-title">{t('settings.staffTitle')}</h3>
      <p className="muted">{t('settings.staffHelp')}</p>
      <ul>
        {(staff ?? []).map((u) => {
          const lastManager = u.role === 'manager' && u.active && activeManagers <= 1;
          return (
            <li key={u.userId} aria-label={u.name}>
              <span className="staff-who">
                <strong>{u.name}</strong>{' '}
                <span className="muted">
                  {t(`settings.role_${u.role}`)}
                  {u.userId === me ? ` · ${t('settings.staffYou')}` : ''}
                  {u.active ? '' : ` · ${t('settings.staffInactive')}`}
                </span>
                {u.active && u.lockedUntil && <span className="bad"> · {t('settings.staffLocked', { until: f.dateTime(u.lockedUntil) })}</span>}
              </span>
              {pinFor === u.userId ? (
                <NewPinForm
                  user={u}
                  onDone={(saved) => {
                    setPinFor(null);
                    setNotice(saved ? t('settings.staffPinSaved', { name: u.name }) : null);
                  }}
                />
              ) : (
                <span className="row">
                  {u.active && (
                    <button
                      type="button"
                      className="small"
                      onClick={() => {
                        setNotice(null);
                        setPinFor(u.userId);
                      }}
                    >
                      {t('settings.staffNewPin')}
                    </button>
                  )}
                  {u.active && !lastManager && (
                    <button type="button" className="small" onClick={() => change(u, { role: u.role === 'manager' ? 'cashier' : 'manager' })}>
                      {u.role === 'manager' ? t('settings.staffMakeCashier') : t('settings.staffMakeManager')}
                    </button>
                  )}
                  {!lastManager && u.userId !== me && (
                    <button type="button" className="small" onClick={() => change(u, { active: !u.active })}>
                      {u.active ? t('settings.staffDeactivate') : t('settings.staffReactivate')}
                    </button>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <form
        className="staff-add"
        aria-label={t('settings.staffAdd')}
        onSubmit={(e) => {
          e.preventDefault();
          setNotice(null);
          const added = name.trim();
          void save({ name: added, role, pin }).then((saved) => {
            if (!saved) return;
            setName('');
            setPin('');
            setNotice(t('settings.staffAdded', { name: added }));
          });
        }}
      >
        <label>
          {t('settings.staffName')}
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoComplete="off" />
        </label>
        <label>
          {t('settings.staffRole')}
          <select value={role} onChange={(e) => setRole(e.target.value === 'manager' ? 'manager' : 'cashier')}>
            <option value="cashier">{t('settings.role_cashier')}</option>
            <option value="manager">{t('settings.role_manager')}</option>
          </select>
        </label>
        <label>
          {t('settings.staffPin')}
          <input type="password" inputMode="numeric" autoComplete="off" maxLength={12} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
        </label>
        <button type="submit" className="primary" disabled={name.trim() === '' || pin.length < 4}>
          {t('settings.staffAdd')}
        </button>
      </form>
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}
