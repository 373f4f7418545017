// The only IPC channels between renderer, main and the core process. Prefixed, as VS Code does,
// so main can refuse anything else.
export const CALL_CHANNEL = 'kasa:call';
export const EVENT_CHANNEL = 'kasa:event';

/** Messages between Electron main and the core utility process. */
export type ToCore =
  | { type: 'call'; id: number; method: string; params: unknown }
  /** Sent once, first: the secrets main decrypted from the OS keychain (base64). */
  | { type: 'secrets'; values: Record<string, string> }
  /** Main asks whether a downloaded update may be applied now (update-policy.ts). */
  | { type: 'update-readiness'; id: number };
export type FromCore =
  /** `shell`: what the config file asks of the window and the OS (kiosk, start at login, update feed). */
  | { type: 'ready'; terminalId: string; shell: { kiosk: boolean; openAtLogin: boolean; updatesUrl: string | null } }
  | { type: 'update-readiness'; id: number; readiness: { openSales: number; msSinceActivity: number; msSinceDayClosed: number | null } }
  /** The core created or changed a secret: main encrypts and stores it. */
  | { type: 'secret-set'; name: string; value: string }
  | { type: 'fatal'; message: string }
  /** Something the person at the till must know, shown in a dialog (e.g. an unattended enrolment failed). */
  | { type: 'notice'; message: string }
  | { type: 'reply'; id: number; result: unknown }
  | { type: 'event'; name: string; payload: unknown };
