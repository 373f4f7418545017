import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { RewardView } from '../../src-shared/api/contract';
import { useAppStore } from '../store/store-context';
import { managerPinRefused } from './error-text';
import { ManagerApproval } from './ManagerApproval';
import { useFormat } from './use-format';

function DonationForm({ reward }: { reward: RewardView & { donation: NonNullable<RewardView['donation']> } }) {
  const { t } = useTranslation();
  const f = useFormat();
  const donate = useAppStore((s) => s.donate);
  const error = useAppStore((s) => s.error);
  const [points, setPoints] = useState(reward.donation.minimumPoints);
  const [needsApproval, setNeedsApproval] = useState(false);
  const send = async (approval?: { userId: string; pin: string }) => {
    const done = await donate(reward.rewardId, points, approval);
    setNeedsApproval(!done);
  };
  // The manager's approval is a form of its own, beside the donation form: forms cannot nest.
  return (
    <>
      <form
        className="donate"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label>
          {t('rewards.donatePoints', { charity: reward.donation.charity })}
          <input
            type="number"
            min={reward.donation.minimumPoints}
            step={reward.donation.stepPoints}
            required
            value={points || ''}
            onChange={(e) => setPoints(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
          />
          <small>{t('rewards.donationHelp', { minimum: f.points(reward.donation.minimumPoints), step: f.points(reward.donation.stepPoints), count: reward.donation.minimumPoints })}</small>
        </label>
        <button type="submit" aria-label={t('rewards.donateName', { charity: reward.donation.charity })} disabled={!reward.available}>
          {t('rewards.donate')}
        </button>
      </form>
      {needsApproval && (error?.code === 'VERIFICATION_REQUIRED' || error?.code === 'FORBIDDEN' || managerPinRefused(error)) && (
        <ManagerApproval onApprove={(approval) => void send(approval)} />
      )}
    </>
  );
}

/** The catalogue for the member on screen: one tap adds a reward to the sale; donations go at once. */
export function RewardsList() {
  const { t } = useTranslation();
  const f = useFormat();
  const rewards = useAppStore(useShallow((s) => s.rewards));
  const cartRewards = useAppStore(useShallow((s) => s.cartRewards));
  const redeemReward = useAppStore((s) => s.redeemReward);
  const removeReward = useAppStore((s) => s.removeReward);
  const lastDonation = useAppStore((s) => s.lastDonation);
  if (rewards.length === 0) return null;
  const reason = (r: RewardView) =>
    r.reason === 'balance' ? t('rewards.reason_balance', f.pointsParams(r.shortBy)) : r.reason === 'ok' ? '' : t(`rewards.reason_${r.reason}`);
  return (
    <section className="rewards" aria-label={t('rewards.title')}>
      <h3>{t('rewards.title')}</h3>
      <ul>
        {rewards.map((r) => {
          const inCart = cartRewards.findIndex((c) => c.rewardId === r.rewardId);
          return (
            <li key={r.rewardId}>
              <div className="reward-text">
                <strong>{r.label}</strong>
                <small className="muted">{r.description}</small>
                {!r.available && <small className="warn">{reason(r)}</small>}
              </div>
              <span className="pts">{r.points === null ? t('rewards.costAtPrice') : t('rewards.cost', f.pointsParams(r.points))}</span>
              {r.donation ? (
                <DonationForm reward={{ ...r, donation: r.donation }} />
              ) : inCart >= 0 ? (
                <button type="button" aria-pressed="true" onClick={() => removeReward(inCart)}>
                  {t('rewards.added')}
                </button>
              ) : (
                <button type="button" className="primary" aria-label={t('rewards.redeemName', { name: r.label })} disabled={!r.available} onClick={() => redeemReward(r.rewardId)}>
                  {t('rewards.redeem')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {lastDonation && (
        <p className="ok" role="status">
          {t('rewards.donated', { ...f.pointsParams(lastDonation.memberPoints), charity: lastDonation.charity, match: f.points(lastDonation.matchPoints) })}
        </p>
      )}
    </section>
  );
}
