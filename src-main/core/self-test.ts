// Startup self-test: the native modules load (a wrong ABI or a missing prebuild is the classic
// installer failure), the database opens, the devices enumerate. Each failure is reported as a
// named check with the reason, so the app can show a diagnostics screen instead of a white window.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SelfTestCheck, SelfTestCheckCode } from '../../src-shared/api/contract';
import type { HandlerMap } from './handlers/handler-types';

export type { SelfTestCheck };
export type SelfTestReport = { ok: boolean; checks: SelfTestCheck[] };

export type SelfTestOptions = {
  /** The terminal's data folder: its database must open. */
  dataDir: string;
  /** Load a module from this path instead of by name (tests simulate a missing module with it). */
  modulePaths?: Partial<Record<NativeModuleName, string>>;
  /** Where module names resolve from (default: the working directory); the packaged app passes its own folder. */
  resolveFrom?: string;
  /** Device enumeration gives up after this long (a wedged USB stack must not hang the start). */
  deviceTimeoutMs?: number;
};

export const NATIVE_MODULES = ['better-sqlite3', 'node-hid', 'serialport'] as const;
export type NativeModuleName = (typeof NATIVE_MODULES)[number];

type SqliteModule = new (file: string, options?: { fileMustExist?: boolean }) => {
  prepare(sql: string): { get(): unknown };
  close(): void;
};
type HidModule = { devicesAsync(): Promise<unknown[]> };
type SerialModule = { SerialPort: { list(): Promise<unknown[]> } };

const message = (error: unknown) => (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runSelfTest(options: SelfTestOptions): Promise<SelfTestReport> {
  const load = createRequire(path.join(options.resolveFrom ?? process.cwd(), 'self-test.cjs'));
  const abi = `ABI ${process.versions.modules}, N-API ${process.versions.napi ?? '?'}`;
  const checks: SelfTestCheck[] = [];
  const loaded = new Map<NativeModuleName, unknown>();

  for (const name of NATIVE_MODULES) {
    const from = options.modulePaths?.[name];
    try {
      const mod: unknown = load(from ?? name);
      let version = 'unknown';
      try {
        version = (load(`${name}/package.json`) as { version: string }).version;
      } catch {
        // Some packages do not export package.json; the load itself is what matters.
      }
      loaded.set(name, mod);
      checks.push({ code: `module-${name}`, name: `module ${name}`, ok: true, detail: `${name} ${version} (${abi})` });
    } catch (error) {
      checks.push({ code: `module-${name}`, name: `module ${name}`, ok: false, detail: `${name} did not load${from ? ` from ${from}` : ''}: ${message(error)} (${abi})` });
    }
  }

  const Sqlite = loaded.get('better-sqlite3') as SqliteModule | undefined;
  const dbFile = path.join(options.dataDir, 'kasa.db');
  if (!Sqlite) checks.push({ code: 'database', name: 'database', ok: false, detail: `${dbFile} not opened: better-sqlite3 did not load` });
  else {
    try {
      // Not fileMustExist: a first start has no database yet, and creating one is what the core does next.
      fs.mkdirSync(options.dataDir, { recursive: true });
      const db = new Sqlite(dbFile);
      try {
        const row = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number };
        checks.push({ code: 'database', name: 'database', ok: true, detail: `${dbFile} opened (${row.n} schema objects)` });
      } finally {
        db.close();
      }
    } catch (error) {
      checks.push({ code: 'database', name: 'database', ok: false, detail: `${dbFile} did not open: ${message(error)}` });
    }
  }

  const timeoutMs = options.deviceTimeoutMs ?? 5000;
  const enumerate = async (code: SelfTestCheckCode, name: string, module: NativeModuleName, list: (mod: unknown) => Promise<unknown[]>): Promise<SelfTestCheck> => {
    const mod = loaded.get(module);
    if (!mod) return { code, name, ok: false, detail: `not enumerated: ${module} did not load` };
    try {
      const found = await withTimeout(list(mod), timeoutMs, name);
      return { code, name, ok: true, detail: `${found.length} found`, found: found.length };
    } catch (error) {
      return { code, name, ok: false, detail: message(error) };
    }
  };
  checks.push(
    ...(await Promise.all([
      enumerate('serial-ports', 'serial ports', 'serialport', (mod) => (mod as SerialModule).SerialPort.list()),
      enumerate('hid-devices', 'HID devices', 'node-hid', (mod) => (mod as HidModule).devicesAsync()),
    ])),
  );

  return { ok: checks.every((c) => c.ok), checks };
}

/** `terminal.selfTest`: the same checks on demand, for the diagnostics screen and support. */
export const selfTestHandlers = (dataDir: string): HandlerMap<'terminal.selfTest' | 'terminal.startup'> => ({
  'terminal.selfTest': () => runSelfTest({ dataDir }),
  // A core that answers has started; one that could not is served by startup-failure.ts instead.
  'terminal.startup': () => ({ started: true, problem: null, code: null, locale: null, checks: [] }),
});
