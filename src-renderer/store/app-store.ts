import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../../src-shared/api/client';
import type { AppState, ErrorSlice, SliceCreator } from './app-state';
import { createCartSlice } from './cart-slice';
import { createDeviceSlice, scanNoticeForNewMember } from './device-slice';
import { createMemberSlice } from './member-slice';
import { createOfferSlice } from './offer-slice';
import { createProgrammeSlice } from './programme-slice';
import { createSessionSlice } from './session-slice';
import { createSetupSlice } from './setup-slice';
import { createStatusSlice } from './status-slice';
import { createSyncSlice } from './sync-slice';

const createErrorSlice: SliceCreator<ErrorSlice> = () => (set) => ({
  error: null,
  showError(error) {
    set({ error });
  },
});

export type AppStore = StoreApi<AppState>;

/** One store from typed slices. UI state only: the terminal core is the source of truth. */
export function createAppStore(client: ApiClient): AppStore {
  const store = createStore<AppState>()((...a) => ({
    ...createSessionSlice(client)(...a),
    ...createStatusSlice(client)(...a),
    ...createMemberSlice(client)(...a),
    ...createCartSlice(client)(...a),
    ...createProgrammeSlice(client)(...a),
    ...createOfferSlice(client)(...a),
    ...createSyncSlice(client)(...a),
    ...createDeviceSlice(client)(...a),
    ...createSetupSlice(client)(...a),
    ...createErrorSlice(client)(...a),
  }));
  store.subscribe((state, previous) => {
    const scanNotice = scanNoticeForNewMember(state, previous);
    if (scanNotice) store.setState({ scanNotice });
  });
  return store;
}
