import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createConsoleClient } from './api/console-client';
import { ConsoleApp } from './components/console-app';
import { createConsoleI18n } from './i18n/console-i18n';
import { browserLanguagePersistence, browserSessionPersistence, createConsoleStore } from './store/console-store';
import './styles.css';

const store = createConsoleStore({ session: browserSessionPersistence(), language: browserLanguagePersistence() });
const i18n = createConsoleI18n(store.getState().language);
// The store holds the owner's choice; i18next follows it and every translated component re-renders.
store.subscribe((state, before) => {
  if (state.language !== before.language) void i18n.changeLanguage(state.language);
});
const client = createConsoleClient({
  token: () => store.getState().session?.token ?? null,
  onUnauthenticated: () => {
    if (store.getState().session) store.getState().clearSession('session-ended');
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ConsoleApp store={store} client={client} />
      </I18nextProvider>
    </StrictMode>,
  );
}
