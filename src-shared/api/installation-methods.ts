// First run and support, as API methods: the first-run wizard's progress (kept by the core so a
// restart mid-wizard resumes) and "Save diagnostics". Part of the one contract (contract.ts).
import { z } from 'zod';
import { method, asyncMethod, NoArgs } from './method-spec';

export const SETUP_STEPS = ['store', 'manager', 'connect', 'devices', 'done'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];
/** 'seeded': the installer's config file gave it, so the wizard does not ask. */
export const SETUP_STEP_STATES = ['pending', 'done', 'seeded'] as const;
export const SETUP_STORE_FIELDS = ['storeName', 'terminalName', 'country', 'currency'] as const;

const StepState = z.enum(SETUP_STEP_STATES);

export const SetupStatus = z.object({
  /** Every step done or seeded and the wizard finished: the counter opens. */
  complete: z.boolean(),
  /** The step to show now ('done': the last screen). */
  step: z.enum(SETUP_STEPS),
  steps: z.object({ store: StepState, manager: StepState, connect: StepState, devices: StepState }),
  /** Store fields the wizard asks for: those the config file did not give. */
  ask: z.array(z.enum(SETUP_STORE_FIELDS)),
  /** The store's settings now; locale and time zone follow the country the wizard sets (locale: how amounts and dates are written). */
  values: z.object({ storeName: z.string(), terminalName: z.string().nullable(), country: z.string(), currency: z.string(), locale: z.string(), timeZone: z.string() }),
  /** How the terminal gets its programme: from the chain's server, or a local rule-set file. */
  mode: z.enum(['server', 'standalone']).nullable(),
});
export type SetupStatus = z.infer<typeof SetupStatus>;

export const DiagnosticsBundle = z.object({
  fileName: z.string(),
  /** The bundle itself (JSON text), ready to be saved as one file. */
  content: z.string(),
  bytes: z.number().int(),
});

export const installationMethods = {
  'setup.status': method({
    args: NoArgs,
    result: SetupStatus,
    role: 'public',
    mutates: false,
    summary: "Where the first-run wizard stands: each step's state, the step to show and which store fields to ask for.",
  }),
  'setup.saveStore': method({
    args: z
      .object({
        storeName: z.string().trim().min(1).max(120).optional(),
        terminalName: z.string().trim().min(1).max(120).optional(),
        country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as TR').optional(),
        currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as TRY').optional(),
        /** An IANA time zone, where the store's day starts and ends (default: the country's first, when the country changes). */
        timeZone: z.string().min(1).max(64).optional(),
      })
      .strict(),
    result: SetupStatus,
    role: 'manager',
    publicBeforeSetup: true,
    cashierLimit: 'before the first manager exists: anyone at the new terminal (first-run wizard)',
    mutates: true,
    summary: "First-run wizard, store step: store and terminal name, country and currency, and the store's time zone; a new country brings its locale.",
  }),
  'setup.finishStep': method({
    args: z.object({ step: z.enum(['connect', 'devices', 'done']), mode: z.enum(['server', 'standalone']).optional() }).strict(),
    result: SetupStatus,
    role: 'manager',
    mutates: true,
    summary: "First-run wizard: mark the connect step (server: the terminal must be enrolled; standalone: a local programme), the devices step, or the whole wizard done.",
  }),
  'setup.restart': method({
    args: NoArgs,
    result: SetupStatus,
    role: 'manager',
    mutates: true,
    summary: 'Run the first-run wizard again (a manager); steps the config file gives stay skipped.',
  }),
  'terminal.diagnostics': asyncMethod({
    args: z.object({ logLines: z.number().int().min(0).max(20_000).default(2000) }).strict().default({ logLines: 2000 }),
    result: DiagnosticsBundle,
    role: 'manager',
    mutates: false,
    summary: 'One file for support: recent logs, versions, native modules, devices, sync status and schema version; never PINs, card data or credentials.',
  }),
};
