// Every kind of exception the server records: those ingest raises from a pushed entry (the sync
// protocol's, which a push's answer names) and those it raises from a day's activity. The console
// lists them in its Kind filter; the admin API and CLI refuse any other kind by name.
import { EXCEPTION_KINDS, type ExceptionKind } from '../sync/protocol';

/** Raised from what the terminals sent over a day (too many redemptions by one member, enrolments by one cashier). */
export const SUSPICIOUS_EXCEPTION_KINDS = ['suspicious-redemptions', 'suspicious-enrolments'] as const;
export type SuspiciousExceptionKind = (typeof SUSPICIOUS_EXCEPTION_KINDS)[number];

export type AnyExceptionKind = ExceptionKind | SuspiciousExceptionKind;

/** Every kind, in the order the console's Kind filter lists them. */
export const ALL_EXCEPTION_KINDS = [...EXCEPTION_KINDS, ...SUSPICIOUS_EXCEPTION_KINDS] as const satisfies readonly AnyExceptionKind[];

export const isExceptionKind = (kind: string): kind is AnyExceptionKind => (ALL_EXCEPTION_KINDS as readonly string[]).includes(kind);
