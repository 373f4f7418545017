// The app store against a real terminal core, through an in-process transport (no socket in between),
// for the renderer's store tests.
import { createApiClient, type ApiClient, type ApiTransport } from '../../src-shared/api/client';
import type { TerminalCore, TerminalCoreOptions } from '../../src-main/core/terminal-core';
import { createAppStore, type AppStore } from '../../src-renderer/store/app-store';
import { openCore, tempDir } from '../core/helpers';

/** `prepare` runs on the core before the screen's session opens (a programme to install, say). */
export function storeOnRealCore(options: Partial<TerminalCoreOptions> = {}, prepare?: (core: TerminalCore) => void): { core: TerminalCore; store: AppStore; client: ApiClient } {
  const core = openCore(tempDir(), options);
  prepare?.(core);
  const session = core.sessions.open();
  const transport: ApiTransport = {
    call: async (method, params) => core.sessions.call(session, method, params),
    subscribe: (listener) => core.events.subscribe(listener),
  };
  const client = createApiClient(transport);
  return { core, store: createAppStore(client), client };
}

/** The first manager set up and signed in, and a member enrolled on screen by phone, as a cashier does it. */
export async function enrolOnScreen(store: AppStore, phone = '05321234567', name = 'Ayşe'): Promise<void> {
  const s = () => store.getState();
  await s().setUp('Meral', '2580');
  s().setPhoneInput(phone);
  await s().lookup();
  await s().enrol(name);
}
