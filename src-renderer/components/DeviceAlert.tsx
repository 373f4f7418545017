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
  const down = useAppStore(useShallow((s) => Object.values(s.deviceHealth).filter((d) => d.enabled && d.state !== 'connected' && d.message !== 'opening').map((d) => d.name)));
  if (down.length === 0) return null;
  return (
    <div className="scan-notice bad" role="status" aria-label={t('devices.alertLabel')}>
      {down.map((name) => (
        <p key={name}>{t('devices.alert', { name })}</p>
      ))}
    </div>
  );
}
