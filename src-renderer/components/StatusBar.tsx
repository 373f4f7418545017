import { useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../src-shared/api/sync-methods';
import type { SyncErrorCode } from '../../src-shared/sync/sync-errors';
import { LANGUAGES } from '../i18n/i18n';
import { useAppStore } from '../store/store-context';
import { useFormat } from './use-format';

// Below 1,600 px the bar says less (styles.css): the long sentences go to the hover title.
const NARROW = '(max-width: 1599px)';
const subscribeNarrow = (onChange: () => void) => {
  const query = window.matchMedia(NARROW);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};
const useNarrow = () => useSyncExternalStore(subscribeNarrow, () => window.matchMedia(NARROW).matches);

/** Failures where the server could not be talked to at all: the bar says it is not reachable. */
const NOT_REACHED: ReadonlySet<SyncErrorCode> = new Set(['unreachable', 'connection-lost', 'timeout', 'certificate']);

/** Where sync stands, in a few words: the manager should never have to wonder. */
function SyncState({ sync, narrow }: { sync: SyncStatus; narrow: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const reached = sync.lastError !== null && !NOT_REACHED.has(sync.lastError.code);
  const retrying = reached ? 'sync.failing' : 'sync.retrying';
  const text =
    sync.phase === 'not-enrolled'
      ? t('sync.notEnrolled')
      : sync.phase === 'revoked'
        ? t('sync.revoked')
        : sync.phase === 'blocked'
          ? t('sync.blocked')
          : sync.phase === 'waiting-to-retry'
            ? t(narrow ? `${retrying}Short` : retrying)
            : sync.phase === 'loading-snapshot' && sync.snapshot
              ? t('sync.loading', sync.snapshot)
              : sync.phase !== 'idle'
                ? t('sync.working')
                : sync.lastSuccessAt
                  ? t('sync.idle', { age: f.age(sync.lastSuccessAt) })
                  : t('sync.never');
  const tone = sync.phase === 'idle' || sync.phase === 'pushing' || sync.phase === 'pulling' || sync.phase === 'loading-snapshot' ? 'ok' : sync.phase === 'not-enrolled' ? 'muted' : 'bad';
  // The hover title: what the narrow bar left out, what went wrong in the screen's language, then the core's words for support.
  const title = [
    narrow && sync.phase === 'waiting-to-retry' ? t(retrying) : null,
    sync.lastError ? t(`syncError.${sync.lastError.code}`) : null,
    sync.lastError ? t('technicalDetail', { message: sync.lastError.message }) : null,
  ].filter(Boolean);
  return (
    <span className={tone} aria-label={t('status.sync')} title={title.join('\n') || undefined}>
      {text}
    </span>
  );
}

/** What waits to be sent, and since when: a narrow bar says how many and keeps the rest for the hover title. */
function Queued({ sync, narrow }: { sync: SyncStatus; narrow: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const full = `${t('status.queued', { count: sync.queuedEntries })}${sync.oldestQueuedAt ? ` · ${t('status.oldest', { age: f.age(sync.oldestQueuedAt) })}` : ''}`;
  return (
    <span aria-label={t('status.queuedLabel')} title={narrow ? full : undefined}>
      {narrow ? t('status.queuedShort', { count: sync.queuedEntries }) : full}
    </span>
  );
}

/**
 * Publishes the bar's height as --status-bar-height on the page, as it changes (a narrow screen
 * wraps the bar): what sticks to the foot of the screen, the sale's buttons, stays above the bar.
 */
function usePublishedHeight() {
  const ref = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const bar = ref.current;
    if (!bar) return;
    const root = document.documentElement.style;
    const publish = () => root.setProperty('--status-bar-height', `${bar.offsetHeight}px`);
    publish();
    const observer = new ResizeObserver(publish);
    observer.observe(bar);
    return () => {
      observer.disconnect();
      root.removeProperty('--status-bar-height');
    };
  }, []);
  return ref;
}

export function StatusBar() {
  const { t, i18n } = useTranslation();
  const barRef = usePublishedHeight();
  const narrow = useNarrow();
  const connected = useAppStore((s) => s.connected);
  const status = useAppStore((s) => s.status);
  const user = useAppStore((s) => s.auth?.user ?? null);
  const signOut = useAppStore((s) => s.signOut);
  const sync = useAppStore((s) => s.sync);
  const openCloseDay = useAppStore((s) => s.openCloseDay);
  const closing = useAppStore((s) => s.closeDay !== null);
  const setShowEnrol = useAppStore((s) => s.setShowEnrol);
  const setShowDevices = useAppStore((s) => s.setShowDevices);
  const showingDevices = useAppStore((s) => s.showDevices);
  const setShowSettings = useAppStore((s) => s.setShowSettings);
  const showingSettings = useAppStore((s) => s.showSettings);
  // The wizard owns the screen until it is finished: the manager's panels open from the counter.
  const inSetup = useAppStore((s) => s.setup !== null && !s.setup.complete);
  const broken = status && (status.integrity.ledger || status.integrity.audit);
  const signedInAs = user ? t('auth.signedInAs', { name: user.name, role: t(`auth.role_${user.role}`) }) : null;
  return (
    <footer ref={barRef} className="status-bar" role="status" aria-label={t('status.bar')}>
      {/* Connected goes without saying on a narrow screen; not connected always shows. */}
      <span className={connected ? 'ok wide-only' : 'bad'}>{connected ? t('status.connected') : t('status.disconnected')}</span>
      {/* Not reachable: what the bar last heard of sync is stale, and it made a narrow bar wrap. */}
      {sync && connected && <SyncState sync={sync} narrow={narrow} />}
      {/* A standalone terminal has no server to send to: its backlog shows once it is connected (and in the day report). */}
      {sync && connected && sync.queuedEntries > 0 && sync.phase !== 'not-enrolled' && <Queued sync={sync} narrow={narrow} />}
      {sync && sync.flaggedEntries > 0 && <span className="warn">{t('sync.flagged', { count: sync.flaggedEntries })}</span>}
      {broken && <span className="bad">{t('status.integrity')}</span>}
      <span className="spacer" />
      {status && <span className="muted wide-only">{status.storeName}</span>}
      <label className="language">
        <span className="wide-only">{t('language')}</span>
        <select aria-label={t('language')} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {l.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      {user?.role === 'manager' && !inSetup && sync && (sync.phase === 'not-enrolled' || sync.phase === 'revoked') && (
        <button type="button" onClick={() => setShowEnrol(true)}>
          {t('enrol.open')}
        </button>
      )}
      {user?.role === 'manager' && !showingDevices && !inSetup && (
        <button type="button" onClick={() => setShowDevices(true)}>
          {t('devices.open')}
        </button>
      )}
      {user?.role === 'manager' && !showingSettings && !inSetup && (
        <button type="button" onClick={() => setShowSettings(true)}>
          {t('settings.open')}
        </button>
      )}
      {user?.role === 'manager' && !closing && !inSetup && (
        <button type="button" onClick={() => void openCloseDay()}>
          {t('closeDay.open')}
        </button>
      )}
      {user && (
        <>
          <span className="wide-only">{signedInAs}</span>
          <span className="narrow-only" title={signedInAs ?? undefined}>
            {user.name}
          </span>
          <button type="button" onClick={() => void signOut()}>
            {t('auth.signOut')}
          </button>
        </>
      )}
    </footer>
  );
}
