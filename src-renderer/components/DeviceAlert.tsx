import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/store-context';

/**
 * The counter says when a scanner or card reader it has is not working: its scans would otherwise
 * just not arrive, and a cashier mid-queue would scan again and again. Gone when it is back.
 */
export function DeviceAlert() {
  const { t } = useTranslation();
  // 'opening' is a device starting up, not a problem yet.
  const down = useAppStore(useShallow((s) => Object.values(s.deviceHealth).filter((d) => d.enabled && d.state !== 'connected' && d.code !== 'opening')));
  if (down.length === 0) return null;
  return (
    <div className="scan-notice bad" role="status" aria-label={t('devices.alertLabel')}>
      {down.map((d) => (
        <p key={d.name} title={t('technicalDetail', { message: d.message })}>
          {t('devices.alert', { name: d.name, problem: t(`devices.problem.${d.code}`) })}
        </p>
      ))}
    </div>
  );
}
