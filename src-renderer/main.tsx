import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createApiClient, PRELOAD_GLOBAL, type ApiTransport } from '../src-shared/api/client';
import { createWsTransport } from './api/ws-transport';
import { App } from './components/App';
import { StartupDiagnostics } from './components/StartupDiagnostics';
import { createI18n, languageForLocale } from './i18n/i18n';
import { createAppStore, type AppStore } from './store/app-store';
import { StoreProvider } from './store/store-context';
import './styles.css';

// Electron's preload exposes the transport; in a browser the host's WebSocket is used.
let store: AppStore | null = null;
const preload = (window as unknown as Record<string, ApiTransport | undefined>)[PRELOAD_GLOBAL];
const transport = preload ?? createWsTransport((connected) => store?.getState().setConnected(connected));
const client = createApiClient(transport);
store = createAppStore(client);
const i18n = createI18n();

const root = document.getElementById('root');

/** The counter, once the core has said it started. */
function startCounter(): void {
  client.on('terminal.status', (status) => store?.getState().setStatus(status));
  client.on('sync.status', (status) => store?.getState().setSync(status));
  client.on('device.scan', (scan) => store?.getState().receiveScan(scan));
  client.on('device.status', (status) => store?.getState().receiveDeviceStatus(status));
  void store
    ?.getState()
    .refreshStatus()
    .then(() => {
      const locale = store?.getState().status?.locale;
      if (locale) void i18n.changeLanguage(languageForLocale(locale));
    });
  void store?.getState().refreshAuth();
  void store?.getState().refreshSync();
  void store?.getState().refreshSetup();
  // The status bar also ages "oldest queued" and notices idle sign-out.
  setInterval(() => {
    void store?.getState().refreshStatus();
    void store?.getState().refreshAuth();
    void store?.getState().refreshSync();
  }, 15_000);
  if (root && store) {
    createRoot(root).render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <StoreProvider store={store}>
            <App />
          </StoreProvider>
        </I18nextProvider>
      </StrictMode>,
    );
  }
}

// A core that could not start answers only terminal.startup: show why, never a white window.
void client.send('terminal.startup', {}).then((startup) => {
  if (!startup.ok || startup.value.started) return startCounter();
  // The store's locale as the core could read it (else the configured or default one): the counter's language.
  void i18n.changeLanguage(languageForLocale(startup.value.locale ?? navigator.language));
  if (root) {
    createRoot(root).render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <StartupDiagnostics report={startup.value} />
        </I18nextProvider>
      </StrictMode>,
    );
  }
});
