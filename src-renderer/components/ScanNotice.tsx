import { useTranslation } from 'react-i18next';
import type { DeviceScan } from '../../src-shared/api/contract';
import { scanOutcome } from '../devices/scan-kind';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';

/** The cashier's sentence for a scan. `display` is a barcode or brand + last four, never a card number. */
export function useScanText(): (scan: DeviceScan) => string {
  const { t } = useTranslation();
  const f = useFormat();
  return (scan) => {
    const outcome = scanOutcome(scan);
    const name = scan.member?.name ?? t('scan.noName');
    // A scan that could not be used says why, by the core's reason (a core without one: the general sentence).
    if (outcome === 'error' && scan.reason) return t(`scan.why.${scan.reason}`);
    const product = scan.product ? { product: scan.product.name, price: f.money(scan.product.unitPriceMinor) } : {};
    return t(`scan.${outcome}`, { name, card: scan.display, code: scan.display, ...product });
  };
}

export function ScanNotice() {
  const { t } = useTranslation();
  const text = useScanText();
  const notice = useAppStore((s) => s.scanNotice);
  const link = useAppStore((s) => s.linkScannedCard);
  const dismiss = useAppStore((s) => s.dismissScan);
  if (!notice) return null;
  const { scan, linkTo, linked } = notice;
  const outcome = scanOutcome(scan);
  const tone = scan.member || scan.product || linked ? 'ok' : outcome === 'error' ? 'bad' : 'warn';
  const target = linkTo?.name ?? t('scan.noName');
  return (
    <div className={`scan-notice ${tone}`} role="status" aria-label={t('scan.notice')}>
      <p>
        {linked ? t('scan.linked', { name: target }) : text(scan)}
        {/* The core's English (byte counts, limits) for the installer: the sentence above says why. */}
        {outcome === 'error' && !linked && <small className="error-detail">{t('technicalDetail', { message: scan.message })}</small>}
      </p>
      {!linked && outcome === 'unknownCard' && !linkTo && <p className="muted">{t('scan.unknownCardHelp')}</p>}
      {!linked && outcome === 'cardNotLinked' && !linkTo && <p className="muted">{t('scan.cardNotLinkedHelp')}</p>}
      <div className="row">
        {linkTo && !linked && (
          <button type="button" className="primary" onClick={() => void link()}>
            {t('scan.link', { name: target })}
          </button>
        )}
        <button type="button" className="small" onClick={dismiss}>
          {t('scan.dismiss')}
        </button>
      </div>
    </div>
  );
}
