import type { SessionSlice, SliceCreator } from './app-state';

export const createSessionSlice: SliceCreator<SessionSlice> = (client) => (set, get) => {
  // Who left the counter as it is on screen (the member, the sale, the open panels). A session the
  // core ended (idle sign-out) leaves it there: the same person signing in again carries on with the
  // customer still waiting; anyone else starts at an empty counter, as after Sign out, and does not
  // see or complete another cashier's customer and sale.
  let counterOf: string | null = null;
  const clearCounter = () => {
    get().nextCustomer();
    // The manager's panels close with the session: the next person starts at the counter.
    get().setShowSettings(false);
    get().setShowDevices(false);
    get().setShowEnrol(false);
    get().closeCloseDay();
    set({ closeDayAfterSignIn: false });
    counterOf = null;
  };
  return {
    auth: null,
    async refreshAuth() {
      const r = await client.send('auth.status', {});
      if (!r.ok) return get().showError(r.error);
      const user = r.value.user;
      const signedIn = user !== null && get().auth?.user?.userId !== user.userId;
      if (signedIn && counterOf !== null && counterOf !== user.userId) clearCounter();
      if (user) counterOf = user.userId;
      set({ auth: { user, needsSetup: r.value.needsSetup, users: r.value.users } });
      // What a signed-out screen may not read is fetched once someone signs in: the sync state, and
      // the devices' state (the counter says when one is not working, not only when it next changes:
      // a scanner unplugged before the cashier signed in was never said).
      if (signedIn) {
        void get().refreshSync();
        void get().refreshDeviceHealth();
        // Close day pressed just after an idle sign-out, by this same manager: it opens now.
        if (get().closeDayAfterSignIn) {
          set({ closeDayAfterSignIn: false });
          void get().openCloseDay();
        }
      }
    },
    async setUp(name, pin) {
      const r = await client.send('auth.setup', { name, pin });
      if (!r.ok) {
        get().showError(r.error);
        return false;
      }
      get().showError(null);
      await get().refreshAuth();
      // The first manager is a step of the first-run wizard.
      await get().refreshSetup();
      return true;
    },
    async signIn(userId, pin) {
      const r = await client.send('auth.signIn', { userId, pin });
      if (!r.ok) {
        get().showError(r.error);
        return false;
      }
      get().showError(null);
      await get().refreshAuth();
      return true;
    },
    staff: null,
    async loadStaff() {
      const r = await client.send('users.list', {});
      if (!r.ok) return get().showError(r.error);
      set({ staff: r.value.users });
    },
    async saveStaff(change) {
      const r = 'userId' in change ? await client.send('users.update', change) : await client.send('users.create', change);
      if (!r.ok) {
        get().showError(r.error);
        return false;
      }
      get().showError(null);
      // The sign-in screen's list of people changes with it.
      await Promise.all([get().loadStaff(), get().refreshAuth()]);
      return true;
    },
    async signOut() {
      await client.send('auth.signOut', {});
      clearCounter();
      await get().refreshAuth();
    },
  };
};
