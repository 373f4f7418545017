// The first-run wizard's progress, kept in the terminal's settings so a restart mid-wizard resumes
// where it stopped. The installer's config file pre-seeds steps (terminal-config.ts), and the
// wizard asks only for what the file did not give. Steps: store -> manager -> connect -> devices -> done.
import type { Database } from 'better-sqlite3';
import { SETUP_STORE_FIELDS, type SetupStatus } from '../../src-shared/api/installation-methods';
import { because, KasaError } from '../../src-shared/api/errors';
import type { AccountsRepo } from './accounts-repo';
import type { CoreContext } from './core-context';
import type { HandlerMap } from './handlers/handler-types';
import { DEFAULT_STORE_SETTINGS, loadStoreSettings, readSetting, refusePlaceChangeAfterFirstSale, writeSetting } from './settings';
import type { SyncClient } from './sync/sync-client';

type StepState = 'pending' | 'done' | 'seeded';
type StoreField = (typeof SETUP_STORE_FIELDS)[number];
type SetupState = {
  steps: { store: StepState; connect: StepState; devices: StepState };
  /** Store fields the config file gave. */
  seeded: StoreField[];
  mode: 'server' | 'standalone' | null;
  completedAt: string | null;
};

const SETUP_KEY = 'setup';
const TERMINAL_NAME_KEY = 'terminal_name';

function freshState(): SetupState {
  return { steps: { store: 'pending', connect: 'pending', devices: 'pending' }, seeded: [], mode: null, completedAt: null };
}

function readState(db: Database, hasManager: boolean): SetupState {
  const text = readSetting(db, SETUP_KEY);
  if (!text) {
    // A terminal set up before the wizard existed (it has accounts) is not sent through it again.
    return hasManager ? { ...freshState(), steps: { store: 'done', connect: 'done', devices: 'done' }, completedAt: 'before-wizard' } : freshState();
  }
  const parsed = JSON.parse(text) as Partial<SetupState>;
  return { ...freshState(), ...parsed, steps: { ...freshState().steps, ...parsed.steps } };
}

const writeState = (db: Database, state: SetupState) => writeSetting(db, SETUP_KEY, JSON.stringify(state));

export function readTerminalName(db: Database): string | null {
  return readSetting(db, TERMINAL_NAME_KEY);
}

/** What the installer's config file gives, in the wizard's terms. */
export type SetupSeed = {
  store?: { storeName?: string; country?: string; currency?: string };
  terminalName?: string;
  server?: boolean;
  devices?: boolean;
};

/**
 * Marks what the config file gives as seeded (at every start: a field added to the file later is
 * skipped from then on). A step a person already finished stays finished.
 */
export function seedSetup(db: Database, seed: SetupSeed, hasManager: boolean): void {
  const state = readState(db, hasManager);
  if (seed.terminalName) writeSetting(db, TERMINAL_NAME_KEY, seed.terminalName);
  const given: StoreField[] = SETUP_STORE_FIELDS.filter((f) => (f === 'terminalName' ? Boolean(seed.terminalName) : Boolean(seed.store?.[f])));
  state.seeded = [...new Set([...state.seeded, ...given])];
  if (state.steps.store === 'pending' && SETUP_STORE_FIELDS.every((f) => state.seeded.includes(f))) state.steps.store = 'seeded';
  if (seed.server && state.steps.connect === 'pending') {
    state.steps.connect = 'seeded';
    state.mode = 'server';
  }
  if (seed.devices && state.steps.devices === 'pending') state.steps.devices = 'seeded';
  writeState(db, state);
}

function statusOf(ctx: CoreContext, state: SetupState, hasManager: boolean): SetupStatus {
  const manager: StepState = hasManager ? 'done' : 'pending';
  const steps = { store: state.steps.store, manager, connect: state.steps.connect, devices: state.steps.devices };
  const step = steps.store === 'pending' ? 'store' : manager === 'pending' ? 'manager' : steps.connect === 'pending' ? 'connect' : steps.devices === 'pending' ? 'devices' : 'done';
  return {
    complete: step === 'done' && state.completedAt !== null,
    step,
    steps,
    ask: SETUP_STORE_FIELDS.filter((f) => !state.seeded.includes(f)),
    // The built-in name is a placeholder nobody chose: the installer types the store's real one.
    values: {
      storeName: steps.store === 'pending' && ctx.settings.storeName === DEFAULT_STORE_SETTINGS.storeName ? '' : ctx.settings.storeName,
      terminalName: readTerminalName(ctx.db),
      country: ctx.settings.country,
      currency: ctx.settings.currency,
      locale: ctx.settings.locale,
      timeZone: ctx.settings.timeZone,
    },
    mode: state.mode,
  };
}

type SetupMethods = 'setup.status' | 'setup.saveStore' | 'setup.finishStep' | 'setup.restart';

export function setupHandlers(ctx: CoreContext, accounts: AccountsRepo, sync: SyncClient): HandlerMap<SetupMethods> {
  const hasManager = () => accounts.count() > 0;
  const current = () => readState(ctx.db, hasManager());
  // A new terminal starts the wizard now: its first manager, made through the API before the
  // store step (not the wizard's way), must not make it look set up before the wizard existed.
  if (readSetting(ctx.db, SETUP_KEY) === null && !hasManager()) writeState(ctx.db, freshState());
  return {
    'setup.status': () => statusOf(ctx, current(), hasManager()),
    // Anyone before the first manager exists, a manager afterwards: the dispatcher decides (publicBeforeSetup).
    'setup.saveStore': (args) => {
      const state = current();
      const missing = SETUP_STORE_FIELDS.filter((f) => !state.seeded.includes(f) && !args[f]);
      if (missing.length) throw new KasaError('VALIDATION', `Fill in: ${missing.join(', ')}`);
      refusePlaceChangeAfterFirstSale(ctx.db, ctx.settings, args);
      // Fields the config file gave are the file's: they are not overwritten here.
      const own = <K extends StoreField>(field: K) => (state.seeded.includes(field) ? undefined : args[field]);
      // An unknown country (XX) is refused by loadStoreSettings, as from every other way in.
      ctx.settings = loadStoreSettings(ctx.db, { storeName: own('storeName'), country: own('country'), currency: own('currency'), timeZone: args.timeZone });
      const terminalName = own('terminalName');
      if (terminalName) writeSetting(ctx.db, TERMINAL_NAME_KEY, terminalName);
      if (state.steps.store === 'pending') state.steps.store = 'done';
      writeState(ctx.db, state);
      return statusOf(ctx, state, hasManager());
    },
    'setup.finishStep': (args) => {
      const state = current();
      if (!hasManager()) throw new KasaError('VALIDATION', 'Create the first manager first', because('manager-first'));
      if (args.step === 'connect') {
        if (!args.mode) throw new KasaError('VALIDATION', "mode: 'server' or 'standalone'");
        if (args.mode === 'server' && !sync.status().enrolled) throw new KasaError('VALIDATION', 'Connect to the server first (server address and enrolment code)', because('connect-first'));
        state.mode = args.mode;
        if (state.steps.connect === 'pending') state.steps.connect = 'done';
      } else if (args.step === 'devices') {
        if (state.steps.devices === 'pending') state.steps.devices = 'done';
      } else {
        const open = Object.entries(state.steps).filter(([, s]) => s === 'pending');
        if (open.length) throw new KasaError('VALIDATION', `Finish these steps first: ${open.map(([k]) => k).join(', ')}`, because('steps-left', { steps: open.map(([k]) => k) }));
        state.completedAt = ctx.now();
      }
      writeState(ctx.db, state);
      return statusOf(ctx, state, hasManager());
    },
    'setup.restart': () => {
      const state = current();
      const again = (s: StepState): StepState => (s === 'seeded' ? 'seeded' : 'pending');
      const next: SetupState = { ...state, steps: { store: again(state.steps.store), connect: again(state.steps.connect), devices: again(state.steps.devices) }, completedAt: null };
      writeState(ctx.db, next);
      return statusOf(ctx, next, hasManager());
    },
  };
}
