// Electron main: creates the hardened window, runs the core in a utility process and relays
// typed API calls. It holds no business logic (that is the core's), so it stays small.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, utilityProcess, type UtilityProcess } from 'electron';
import type { ApiResult } from '../../src-shared/api/result';
import { CALL_CHANNEL, EVENT_CHANNEL, type FromCore, type ToCore } from './ipc-channels';
import { loadKeychainSecrets, saveKeychainSecret } from './keychain-secrets';
import { CONTENT_SECURITY_POLICY, isAppUrl, mainWindowOptions } from './window-options';
import { startUpdater } from './updater';
import { linuxAutostartEntry, loginArgs, type ShellSettings } from '../core/shell-settings';
import type { UpdateReadiness } from '../core/update-policy';
import { createFileLogger, type Logger } from '../core/logger';

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const appIndexUrl = pathToFileURL(rendererIndex).toString();
const pending = new Map<number, (result: ApiResult<unknown>) => void>();
let nextId = 1;
let core: UtilityProcess | null = null;
let window: BrowserWindow | null = null;
let shell: ShellSettings = { kiosk: false, openAtLogin: false, updatesUrl: null };
const readinessWaiters = new Map<number, (readiness: UpdateReadiness | null) => void>();
// Main's own log beside the core's (kasa-shell.log in the platform's log folder): updates happen here.
let shellLogger: Logger | null = null;
const shellLog = () => (shellLogger ??= createFileLogger({ dir: app.getPath('logs'), baseName: 'kasa-shell' }));

/** Only the enrolment and config flags travel to the core process, nothing else from the command line. */
function enrolmentArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const flag of ['--server', '--enrol-code', '--config']) {
    const i = argv.indexOf(flag);
    const value = i >= 0 ? argv[i + 1] : undefined;
    if (value) out.push(flag, value);
  }
  return out;
}

function startCore(): Promise<void> {
  const dataDir = path.join(app.getPath('userData'), 'terminal');
  const secretsDir = path.join(dataDir, 'keychain');
  return new Promise((resolve, reject) => {
    // Installers may pass --server URL --enrol-code CODE; the core enrols once with them.
    // Logs go to the platform's log folder (Linux ~/.config/Kasa/logs, Windows %APPDATA%\Kasa\logs, macOS ~/Library/Logs/Kasa).
    const args = [dataDir, '--log-dir', app.getPath('logs'), '--app-version', app.getVersion(), ...enrolmentArgs(process.argv)];
    const child = utilityProcess.fork(path.join(__dirname, 'core-process.cjs'), args, {
      serviceName: 'Kasa terminal core',
    });
    const secrets: ToCore = { type: 'secrets', values: loadKeychainSecrets(secretsDir) };
    child.postMessage(secrets);
    child.on('message', (message: FromCore) => {
      if (message.type === 'ready') {
        shell = message.shell;
        resolve();
      } else if (message.type === 'update-readiness') {
        readinessWaiters.get(message.id)?.(message.readiness);
        readinessWaiters.delete(message.id);
      }
      else if (message.type === 'secret-set') saveKeychainSecret(secretsDir, message.name, message.value);
      else if (message.type === 'fatal') reject(new Error(message.message));
      else if (message.type === 'notice') dialog.showErrorBox('Kasa', message.message);
      else if (message.type === 'reply') {
        pending.get(message.id)?.(message.result as ApiResult<unknown>);
        pending.delete(message.id);
      } else if (message.type === 'event') window?.webContents.send(EVENT_CHANNEL, message.name, message.payload);
    });
    child.on('exit', (code) => {
      for (const resolvePending of pending.values()) resolvePending({ ok: false, error: { code: 'UNAVAILABLE', message: 'The terminal core stopped; restarting' } });
      pending.clear();
      core = null;
      if (code !== 0 && !app.isReady()) reject(new Error(`core process exited with ${code}`));
    });
    core = child;
  });
}

/** Kiosk terminals come back by themselves after a reboot: a login item, or XDG autostart on Linux. */
function startAtLogin(): void {
  if (process.platform !== 'linux') {
    // args: Windows only (macOS login items take none: docs/installation.md says to use the machine-wide file there).
    app.setLoginItemSettings({ openAtLogin: true, args: loginArgs(process.argv, process.cwd()) });
    return;
  }
  const dir = path.join(app.getPath('appData'), 'autostart');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kasa.desktop'), linuxAutostartEntry(process.env.APPIMAGE ?? process.execPath, loginArgs(process.argv, process.cwd())));
}

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appIndexUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

ipcMain.handle(CALL_CHANNEL, (event, method: unknown, params: unknown): Promise<ApiResult<unknown>> => {
  // Only our own page may call the core.
  if (!event.senderFrame || !isAppUrl(event.senderFrame.url, appIndexUrl) || typeof method !== 'string') {
    return Promise.resolve({ ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the Kasa window' } });
  }
  if (!core) return Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'The terminal core is not running' } });
  const id = nextId++;
  const message: ToCore = { type: 'call', id, method, params };
  return new Promise((resolve) => {
    pending.set(id, resolve);
    core?.postMessage(message);
  });
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.whenReady().then(async () => {
    hardenSessions();
    try {
      await startCore();
    } catch (error) {
      dialog.showErrorBox('Kasa cannot start', error instanceof Error ? error.message : String(error));
      app.exit(1);
      return;
    }
    if (shell.openAtLogin) startAtLogin();
    // Save diagnostics: the renderer offers the file as a download; main asks where to save it.
    session.defaultSession.on('will-download', (_event, item) => {
      item.setSaveDialogOptions({ title: 'Save diagnostics', defaultPath: path.join(app.getPath('documents'), item.getFilename()) });
    });
    if (shell.updatesUrl && app.isPackaged) {
      startUpdater(
        shell.updatesUrl,
        () =>
          new Promise((resolve) => {
            if (!core) return resolve(null);
            const id = nextId++;
            readinessWaiters.set(id, resolve);
            core.postMessage({ type: 'update-readiness', id } satisfies ToCore);
          }),
        (event, detail) => shellLog().info(event, { detail }),
      );
    }
    window = new BrowserWindow(mainWindowOptions(path.join(__dirname, 'preload.cjs'), { kiosk: shell.kiosk }));
    window.once('ready-to-show', () => window?.show());
    await window.loadFile(rendererIndex);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => core?.kill());
}
