import type { SliceCreator, SyncSlice } from './app-state';

export const createSyncSlice: SliceCreator<SyncSlice> = (client) => (set, get) => ({
  sync: null,
  closeDay: null,
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
  },
  async refreshSync() {
    const r = await client.send('sync.status', {});
    if (r.ok) set({ sync: r.value });
  },
  async openCloseDay() {
    set({ closeDay: { stage: 'syncing', report: null } });
    // A day is never closed on stale numbers: push and pull first (progress arrives as sync.status).
    const synced = await client.send('sync.now', { timeoutSeconds: 60 });
    if (synced.ok) set({ sync: synced.value });
    const report = await client.send('reports.day', {});
    if (!report.ok) {
      set({ closeDay: null });
      get().showError(report.error);
      return;
    }
    // The manager may have closed the panel while it synced.
    if (get().closeDay) set({ closeDay: { stage: 'report', report: report.value } });
  },
  closeCloseDay() {
    set({ closeDay: null });
  },
});
