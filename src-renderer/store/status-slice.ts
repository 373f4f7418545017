import type { SliceCreator, StatusSlice } from './app-state';

export const createStatusSlice: SliceCreator<StatusSlice> = (client) => (set, get) => ({
  connected: false,
  status: null,
  setConnected(connected) {
    set({ connected });
    // A new connection is a new screen on the host: find out who (if anyone) is signed in.
    if (connected) void get().refreshAuth();
  },
  setStatus(status) {
    set({ status });
  },
  async refreshStatus() {
    const r = await client.send('terminal.status', {});
    if (r.ok) set({ status: r.value, connected: true });
  },
  async configureTerminal(args) {
    const r = await client.send('terminal.configure', args);
    if (!r.ok) {
      get().showError(r.error);
      return false;
    }
    set({ status: r.value });
    return true;
  },
});
