import type { DayReport, SyncStatus } from '../../src-shared/api/sync-methods';
import type { SliceCreator, SyncSlice } from './app-state';

/** Phases in which sync is between attempts: mid-transfer, the queue is still moving. */
const SETTLED: ReadonlySet<SyncStatus['phase']> = new Set(['idle', 'waiting-to-retry', 'blocked', 'revoked', 'not-enrolled']);

/** Whether the report's sync section no longer says where sync stands (what waits, why). */
const reportSyncIsStale = (report: DayReport, sync: SyncStatus): boolean =>
  SETTLED.has(sync.phase) &&
  (report.sync.queuedEntries !== sync.queuedEntries || report.sync.lastErrorCode !== (sync.lastError?.code ?? null) || report.sync.everythingPushed !== (sync.enrolled && sync.queuedEntries === 0));

export const createSyncSlice: SliceCreator<SyncSlice> = (client) => (set, get) => {
  /** The same day's report again, shown if the manager still has that day's report open. */
  const rereadReport = async (day: string) => {
    const report = await client.send('reports.day', { day });
    const shown = get().closeDay;
    if (report.ok && shown?.stage === 'report' && shown.report?.day === day) set({ closeDay: { ...shown, report: report.value } });
  };
  return {
    sync: null,
    closeDay: null,
    closeDayAfterSignIn: false,
    showEnrol: false,
    setShowEnrol(showEnrol) {
      set({ showEnrol });
    },
    async enrolTerminal(serverUrl, code) {
      const r = await client.send('terminal.enrol', { serverUrl, code });
      if (!r.ok) {
        get().showError(r.error);
        return false;
      }
      set({ showEnrol: false });
      get().showError(null);
      await get().refreshSync();
      return true;
    },
    setSync(sync) {
      set({ sync });
      // An open report follows sync: once retries get the day's entries through (or a new failure
      // keeps them), its sync line is re-read, so it never prints a backlog that has gone.
      const shown = get().closeDay;
      if (shown?.stage === 'report' && shown.report && reportSyncIsStale(shown.report, sync)) void rereadReport(shown.report.day);
    },
    async refreshSync() {
      const r = await client.send('sync.status', {});
      if (r.ok) set({ sync: r.value });
    },
    async openCloseDay() {
      set({ closeDay: { stage: 'syncing', report: null, today: null } });
      // A day is never closed on stale numbers: push and pull first (progress arrives as sync.status).
      const synced = await client.send('sync.now', { timeoutSeconds: 60 });
      if (synced.ok) set({ sync: synced.value });
      const report = await client.send('reports.day', {});
      if (!report.ok) {
        const signedOut = report.error.code === 'UNAUTHENTICATED' && (report.error.details as { reason?: unknown } | undefined)?.reason === 'signed-out';
        set({ closeDay: null, closeDayAfterSignIn: signedOut });
        get().showError(report.error);
        return;
      }
      // The manager may have closed the panel while it synced.
      if (get().closeDay) set({ closeDay: { stage: 'report', report: report.value, today: report.value.day } });
    },
    async showDayReport(day) {
      const report = await client.send('reports.day', { day });
      const shown = get().closeDay;
      if (!report.ok) {
        get().showError(report.error);
        return;
      }
      if (shown?.stage === 'report') set({ closeDay: { ...shown, report: report.value } });
    },
    closeCloseDay() {
      set({ closeDay: null });
    },
  };
};
