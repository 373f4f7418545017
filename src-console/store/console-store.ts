// One zustand store of typed slices, UI state only: who is signed in, which page is open and the
// console's language. Data from the server lives in the pages that show it.
import { useStore } from 'zustand';
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { browserLanguages, initialLanguage, type ConsoleLanguage } from '../i18n/console-i18n';

export type ConsoleSession = { token: string; adminName: string; expiresAt: string };

/** Why the owner is on the sign-in screen again; the screen says it in the console's language. */
export type SignedOutReason = 'session-ended';

export type SessionSlice = {
  session: ConsoleSession | null;
  /** Why the owner is on the sign-in screen again (expired session), shown there. */
  signedOutReason: SignedOutReason | null;
  setSession: (session: ConsoleSession) => void;
  clearSession: (reason?: SignedOutReason) => void;
};

export type NavigationSlice = {
  pageId: string | null;
  openPage: (pageId: string) => void;
  /** The member another page (an exception) asked the Members page to open, until it opens. */
  memberToOpen: string | null;
  openMember: (memberId: string) => void;
};

export type LanguageSlice = {
  language: ConsoleLanguage;
  /** The owner's choice from the language switch: remembered for the next visit. */
  chooseLanguage: (language: ConsoleLanguage) => void;
};

export type ConsoleState = SessionSlice & NavigationSlice & LanguageSlice;

const SESSION_KEY = 'kasa-console-session';
const LANGUAGE_KEY = 'kasa-console-language';

/** sessionStorage keeps the owner signed in across a reload of this tab only. */
export type SessionPersistence = { load(): ConsoleSession | null; save(session: ConsoleSession | null): void };

/** The language the console opens in, and where the owner's choice is kept. */
export type LanguagePersistence = { load(): ConsoleLanguage; save(language: ConsoleLanguage): void };

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

/**
 * localStorage keeps the language across tabs, sign-outs and visits (it is no secret, unlike the
 * session); with nothing stored, the browser's first language decides.
 */
export const browserLanguagePersistence = (): LanguagePersistence => ({
  load() {
    let stored: string | null = null;
    try {
      stored = window.localStorage.getItem(LANGUAGE_KEY);
    } catch {
      // Storage disabled: the browser's language decides every time.
    }
    return initialLanguage(stored, browserLanguages());
  },
  save(language) {
    try {
      window.localStorage.setItem(LANGUAGE_KEY, language);
    } catch {
      // Storage disabled: the choice lasts until the page is reloaded.
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
  openPage: (pageId) => set({ pageId, memberToOpen: null }),
  memberToOpen: null,
  openMember: (memberId) => set({ pageId: 'members', memberToOpen: memberId }),
});

const languageSlice =
  (persistence: LanguagePersistence): StateCreator<ConsoleState, [], [], LanguageSlice> =>
  (set) => ({
    language: persistence.load(),
    chooseLanguage: (language) => {
      persistence.save(language);
      set({ language });
    },
  });

export type ConsoleStore = StoreApi<ConsoleState>;

export function createConsoleStore(persistence: { session: SessionPersistence; language: LanguagePersistence }): ConsoleStore {
  return createStore<ConsoleState>()((...a) => ({ ...sessionSlice(persistence.session)(...a), ...navigationSlice(...a), ...languageSlice(persistence.language)(...a) }));
}

export const useConsoleState = <T,>(store: ConsoleStore, selector: (state: ConsoleState) => T): T => useStore(store, selector);
