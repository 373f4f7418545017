// One zustand store of typed slices, UI state only: who is signed in and which page is open.
// Data from the server lives in the pages that show it.
import { useStore } from 'zustand';
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';

export type ConsoleSession = { token: string; adminName: string; expiresAt: string };

export type SessionSlice = {
  session: ConsoleSession | null;
  /** Why the owner is on the sign-in screen again (expired session), shown there. */
  signedOutReason: string | null;
  setSession: (session: ConsoleSession) => void;
  clearSession: (reason?: string) => void;
};

export type NavigationSlice = {
  pageId: string | null;
  openPage: (pageId: string) => void;
};

export type ConsoleState = SessionSlice & NavigationSlice;

const SESSION_KEY = 'kasa-console-session';

/** sessionStorage keeps the owner signed in across a reload of this tab only. */
export type SessionPersistence = { load(): ConsoleSession | null; save(session: ConsoleSession | null): void };

export const browserSessionPersistence = (): SessionPersistence => ({
  load() {
    try {
      const text = window.sessionStorage.getItem(SESSION_KEY);
      const session = text ? (JSON.parse(text) as ConsoleSession) : null;
      return session && Date.parse(session.expiresAt) > Date.now() ? session : null;
    } catch {
      return null;
    }
  },
  save(session) {
    try {
      if (session) window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
      else window.sessionStorage.removeItem(SESSION_KEY);
    } catch {
      // Storage disabled: the session lasts until the tab is reloaded.
    }
  },
});

const sessionSlice =
  (persistence: SessionPersistence): StateCreator<ConsoleState, [], [], SessionSlice> =>
  (set) => ({
    session: persistence.load(),
    signedOutReason: null,
    setSession: (session) => {
      persistence.save(session);
      set({ session, signedOutReason: null });
    },
    clearSession: (reason) => {
      persistence.save(null);
      set({ session: null, signedOutReason: reason ?? null });
    },
  });

const navigationSlice: StateCreator<ConsoleState, [], [], NavigationSlice> = (set) => ({
  pageId: null,
  openPage: (pageId) => set({ pageId }),
});

export type ConsoleStore = StoreApi<ConsoleState>;

export function createConsoleStore(persistence: SessionPersistence): ConsoleStore {
  return createStore<ConsoleState>()((...a) => ({ ...sessionSlice(persistence)(...a), ...navigationSlice(...a) }));
}

export const useConsoleState = <T,>(store: ConsoleStore, selector: (state: ConsoleState) => T): T => useStore(store, selector);
