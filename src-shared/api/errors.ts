// Stable machine codes: clients branch on these, people read the message.
export const ERROR_CODES = [
  'VALIDATION',
  'METHOD_NOT_FOUND',
  'INVALID_PHONE',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INSUFFICIENT_POINTS',
  'VERIFICATION_REQUIRED',
  'IDEMPOTENCY_CONFLICT',
  'PROGRAM_INVALID',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'UNAVAILABLE',
  'STORAGE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ApiError = { code: ErrorCode; message: string; details?: unknown };

/**
 * Why a call failed, as `details.reason`, for the failures a cashier meets at the counter: with the
 * facts beside it (numbers, a reward's label), a screen says it in its own language, where the
 * message stays English for integrators (docs/local-api.md).
 */
export const ERROR_REASONS = [
  'points-share',
  'redeem-max',
  'redeem-minimum',
  'donate-minimum',
  'donate-step',
  'reward-tier',
  'reward-no-item',
  'reward-nothing-left',
  'reward-exceeds-sale',
  'refund-left',
  'refunded-in-full',
  'referral-code',
  'not-own-sale',
  'outside-refund-window',
  'offline-balance',
  'offline-daily-cap',
  'signed-out',
  'account-unavailable',
  'referral-code-format',
  /** A payment card's number or track data given as a phone number (members.lookup, members.enroll): not repeated back. */
  'card-number',
  /**
   * A request to the central server failed (terminal.enrol): `syncError` says why, one of the sync
   * failure codes (src-shared/sync/sync-errors.ts), and a screen says that code's sentence.
   */
  'sync-failed',
  // Why a scanner did not beep (devices.feedback): the device cannot, has no command set, is not
  // connected, or refused the command.
  'beep-keyboard',
  'beep-unsupported',
  'beep-not-configured',
  'device-not-connected',
  'beep-refused',
  /** A device's stored configuration is not understood. */
  'device-bad-config',
  // A manager's refusals in the staff, devices, settings and set-up screens.
  /** devices.configure: that port is another device's (`path`, `device`: its name). */
  'device-path-taken',
  /** users.create: an account has that name (`name`). */
  'account-name-taken',
  /** users.update: the last active manager cannot be made a cashier or deactivated. */
  'last-manager',
  /** auth.setup: the terminal has its first manager already. */
  'manager-exists',
  /** A manager override given with an account that is not a manager's (`name`). */
  'not-a-manager',
  /** setup.finishStep before the first manager exists. */
  'manager-first',
  /** setup.finishStep 'connect' in server mode before the terminal is enrolled. */
  'connect-first',
  /** setup.finishStep 'done' with steps still open (`steps`: their keys). */
  'steps-left',
  /** The store's country or currency, once a sale is recorded (terminal.configure, setup.saveStore). */
  'place-after-first-sale',
  /** catalogue.install on a terminal that takes its catalogue from the server. */
  'catalogue-from-server',
  /** catalogue.install in another currency (`currency`) than the store's (`storeCurrency`). */
  'catalogue-currency',
  // Of one field, in details.issues[].reason (VALIDATION).
  'pin-format',
  'pin-weak',
  'server-address',
  /** Text holding a control character (a NUL, an escape), in details.issues[].reason. */
  'control-character',
  /** The disk holding the database is full (STORAGE): nothing was recorded; space must be freed first. */
  'disk-full',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

/** An error's details: its reason and the facts a screen needs to say it. */
export const because = <Facts extends Record<string, unknown>>(reason: ErrorReason, facts?: Facts) => ({ reason, ...facts });

/** An expected failure with a stable code; anything else thrown is reported as INTERNAL. */
export class KasaError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'KasaError';
    this.code = code;
    this.details = details;
  }

  toApiError(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);

/** The `code` a thrown value carries (node's errno codes, PostgreSQL's SQLSTATE), whatever was thrown. */
export const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined);
