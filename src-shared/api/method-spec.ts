// How an API method is declared: its argument and result schemas, the least role that may call
// it, and whether it changes state. The contract (contract.ts) is a map of these.
import { z } from 'zod';

/** `public` methods work before anyone signs in (sign-in itself, first-run set-up). */
export type Role = 'public' | 'cashier' | 'manager';

export type MethodSpec<A extends z.ZodType, R extends z.ZodType> = {
  args: A;
  result: R;
  /** The least role allowed to call it; the core enforces this. */
  role: Role;
  /**
   * What a cashier may NOT do with it although the role allows the call (e.g. refund someone else's
   * sale): the core enforces it, the role table in docs/local-api.md shows it.
   */
  cashierLimit?: string;
  /**
   * Anyone may call it while the terminal has no manager yet (the first-run wizard's store step,
   * before the first manager is created); `role` applies from then on. Decided before validation.
   */
  publicBeforeSetup?: boolean;
  /** Whether the call changes state (audited, serialised with other writes). */
  mutates: boolean;
  /** The handler writes its own audit records and transactions (PIN checks). */
  auditedByHandler?: boolean;
  summary: string;
};

export const method = <A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>) => spec;
/** A method that waits on the network (enrolment, sync): transports await it; it never holds a SQLite transaction open. */
export const asyncMethod = <A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>) => ({ ...spec, async: true as const });
export const NoArgs = z.object({}).strict().default({});
