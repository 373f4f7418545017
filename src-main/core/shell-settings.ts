// What the installer's config file asks of the desktop shell, decided here (testable without
// Electron) and only carried out by src-main/electron/main.ts.
import path from 'node:path';
import type { TerminalConfig } from './terminal-config';

export type ShellSettings = {
  /** Full screen with no window frame (BrowserWindow kiosk). */
  kiosk: boolean;
  /** Start with the OS session (a counter PC that reboots comes back to the till by itself). */
  openAtLogin: boolean;
  /** The generic update feed (electron-updater) on the chain's server; null: no automatic updates. */
  updatesUrl: string | null;
};

/**
 * Kiosk mode means both full screen and start at login. Updates come from `<server>/updates/` on the
 * server the terminal is enrolled with (or the config file names): the chain's own server, never a
 * public one, so a terminal only installs what its chain published there.
 */
export function shellSettings(config: TerminalConfig | null, enrolledServerUrl: string | null): ShellSettings {
  const server = enrolledServerUrl ?? config?.server?.url ?? null;
  return {
    kiosk: config?.kiosk ?? false,
    openAtLogin: config?.kiosk ?? false,
    updatesUrl: server ? `${server.replace(/\/+$/, '')}/updates/` : null,
  };
}

/**
 * Electron's login items exist on Windows and macOS only; on Linux a session starts what
 * ~/.config/autostart holds (XDG autostart). `exec`: the AppImage ($APPIMAGE) or the installed binary.
 */
export function linuxAutostartEntry(exec: string, args: readonly string[] = []): string {
  // Desktop Entry Exec quoting: arguments in double quotes, with \ " ` $ escaped.
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`);
  return ['[Desktop Entry]', 'Type=Application', 'Name=Kasa', 'Comment=Kasa loyalty terminal', `Exec=${[exec, ...args].map(quote).join(' ')}`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
}

/**
 * What the app started at login is given: the `--config FILE` it was started with (kiosk mode and
 * the rest of the file come from it), made absolute because the login session starts elsewhere.
 * The enrolment flags are not repeated: the terminal is enrolled by then.
 */
export function loginArgs(argv: readonly string[], cwd: string): string[] {
  const i = argv.indexOf('--config');
  const file = i >= 0 ? argv[i + 1] : undefined;
  return file ? ['--config', path.resolve(cwd, file)] : [];
}
