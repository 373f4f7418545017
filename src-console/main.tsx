import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createConsoleClient } from './api/console-client';
import { ConsoleApp } from './components/console-app';
import { browserSessionPersistence, createConsoleStore } from './store/console-store';
import './styles.css';

const store = createConsoleStore(browserSessionPersistence());
const client = createConsoleClient({
  token: () => store.getState().session?.token ?? null,
  onUnauthenticated: () => {
    if (store.getState().session) store.getState().clearSession('Your session has ended or expired: sign in again.');
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ConsoleApp store={store} client={client} />
    </StrictMode>,
  );
}
