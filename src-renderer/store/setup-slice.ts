import type { SetupSlice, SliceCreator } from './app-state';

/** Hands a file to the browser's download (the host) or Electron's save dialog (its will-download handler). */
function offerDownload(fileName: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const createSetupSlice: SliceCreator<SetupSlice> = (client) => (set, get) => ({
  setup: null,
  showSettings: false,
  lastDiagnostics: null,
  setShowSettings(showSettings) {
    set({ showSettings, lastDiagnostics: null });
  },
  async refreshSetup() {
    const r = await client.send('setup.status', {});
    if (r.ok) set({ setup: r.value });
    else get().showError(r.error);
  },
  async saveSetupStore(values) {
    const r = await client.send('setup.saveStore', values);
    if (!r.ok) {
      get().showError(r.error);
      return false;
    }
    get().showError(null);
    set({ setup: r.value });
    await get().refreshStatus();
    return true;
  },
  async connectFromSetup(serverUrl, code) {
    const name = get().setup?.values.terminalName ?? undefined;
    const r = await client.send('terminal.enrol', { serverUrl, code, ...(name ? { name } : {}) });
    if (!r.ok) {
      get().showError(r.error);
      return false;
    }
    await get().refreshSync();
    return get().finishSetupStep('connect', 'server');
  },
  async installProgrammeFromSetup(text) {
    const r = await client.send('program.install', { ruleSet: text });
    if (!r.ok) {
      get().showError(r.error);
      return false;
    }
    return true;
  },
  async installCatalogueFromSetup(text) {
    const r = await client.send('catalogue.install', { catalogue: text });
    if (!r.ok) {
      get().showError(r.error);
      return false;
    }
    return true;
  },
  async finishSetupStep(step, mode) {
    const r = await client.send('setup.finishStep', { step, ...(mode ? { mode } : {}) });
    if (!r.ok) {
      get().showError(r.error);
      return false;
    }
    get().showError(null);
    set({ setup: r.value });
    return true;
  },
  async restartSetup() {
    const r = await client.send('setup.restart', {});
    if (!r.ok) return get().showError(r.error);
    set({ setup: r.value, showSettings: false });
  },
  async saveDiagnostics() {
    const r = await client.send('terminal.diagnostics', {});
    if (!r.ok) return get().showError(r.error);
    offerDownload(r.value.fileName, r.value.content);
    set({ lastDiagnostics: r.value.fileName });
  },
});
