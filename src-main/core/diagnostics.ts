// "Save diagnostics": one JSON file a manager hands to support. It holds what support asks for
// first (recent logs, versions, native modules, devices, sync status, schema version) and never a
// PIN, card data or the server credential: the credential lives only in the secret store and is
// never read here, every section goes through the log redaction guard, and so do the log lines.
import os from 'node:os';
import { readRecentLogLines, redactLogFields, redactLogText, type LogFields } from './logger';
import type { CoreContext } from './core-context';
import type { DeviceManager } from './devices/device-manager';
import type { HandlerMap } from './handlers/handler-types';
import { readTerminalStatus } from './handlers/terminal';
import { runSelfTest } from './self-test';
import { readTerminalName } from './setup-wizard';
import type { SyncClient } from './sync/sync-client';

export const DIAGNOSTICS_FORMAT = 'kasa-diagnostics/1';

export type DiagnosticsOptions = {
  dataDir: string;
  /** The app's version (Electron: app.getVersion(); host: package.json). */
  appVersion: string | null;
};

function logSection(dir: string | null, maxLines: number): { dir: string | null; lines: unknown[]; shellLines: unknown[] } {
  if (!dir || maxLines === 0) return { dir, lines: [], shellLines: [] };
  // Lines were redacted when written; redacted again in case a file was edited or written by an older version.
  const read = (baseName: string) =>
    readRecentLogLines(dir, maxLines, baseName).map((line) => {
      try {
        return redactLogFields(JSON.parse(line) as LogFields);
      } catch {
        return redactLogText(line.slice(0, 2000));
      }
    });
  // kasa-shell.log: the desktop app's window and updates, in the same folder.
  return { dir, lines: read('kasa'), shellLines: read('kasa-shell') };
}

export async function buildDiagnostics(ctx: CoreContext, devices: DeviceManager, sync: SyncClient, options: DiagnosticsOptions, logLines: number) {
  const status = readTerminalStatus(ctx);
  const selfTest = await runSelfTest({ dataDir: options.dataDir });
  // A fresh enumeration, bounded: a wedged USB stack must not hold the bundle back.
  await Promise.race([devices.refreshCandidates().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  const deviceList = devices.list({ refresh: false });
  const syncStatus = sync.status();
  const createdAt = ctx.now();
  const bundle = {
    format: DIAGNOSTICS_FORMAT,
    createdAt,
    terminal: redactLogFields({
      terminalId: ctx.terminalId,
      terminalName: readTerminalName(ctx.db),
      storeName: status.storeName,
      country: status.country,
      currency: status.currency,
      locale: status.locale,
      timeZone: status.timeZone,
    }),
    versions: redactLogFields({
      app: options.appVersion,
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      v8: process.versions.v8,
      modulesAbi: process.versions.modules,
      napi: process.versions.napi ?? null,
      platform: process.platform,
      arch: process.arch,
      osRelease: os.release(),
      nativeModules: selfTest.checks.filter((c) => c.name.startsWith('module ')).map((c) => ({ module: c.name.slice('module '.length), ok: c.ok, detail: c.detail })),
    }),
    database: redactLogFields({
      schemaVersion: status.schemaVersion,
      ruleSetVersion: status.ruleSetVersion,
      members: status.members,
      lastSeq: status.lastSeq,
      integrity: status.integrity,
    }),
    selfTest: redactLogFields(selfTest),
    devices: redactLogFields({
      configured: deviceList.devices,
      candidates: deviceList.candidates,
      listedAt: deviceList.listedAt,
      listError: deviceList.listError,
    }),
    sync: redactLogFields(syncStatus),
    logs: logSection(ctx.log.dir, logLines),
  };
  const content = `${JSON.stringify(bundle, null, 2)}\n`;
  const stamp = createdAt.replace(/[:.]/g, '-').replace(/[^0-9A-Za-z+-]/g, '');
  return { fileName: `kasa-diagnostics-${ctx.terminalId.slice(0, 8)}-${stamp}.json`, content, bytes: Buffer.byteLength(content) };
}

export const diagnosticsHandlers = (ctx: CoreContext, devices: DeviceManager, sync: SyncClient, options: DiagnosticsOptions): HandlerMap<'terminal.diagnostics'> => ({
  'terminal.diagnostics': async (args) => {
    ctx.log.info('diagnostics.saved', { logLines: args.logLines });
    return buildDiagnostics(ctx, devices, sync, options, args.logLines);
  },
});
