// Window hardening in one place, so a test can read it without Electron running.
import type { BrowserWindowConstructorOptions } from 'electron';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** `kiosk`: the config file's kiosk mode: full screen, no way out to the desktop but the OS's own. */
export function mainWindowOptions(preloadPath: string, shell: { kiosk?: boolean } = {}): BrowserWindowConstructorOptions {
  return {
    ...(shell.kiosk ? { kiosk: true, fullscreen: true } : {}),
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: 'Kasa',
    backgroundColor: '#f6f7f9',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: process.env.KASA_DEVTOOLS === '1',
    },
  };
}

/** Only the app's own files may be shown; everything else is refused. */
export function isAppUrl(url: string, appIndexUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appIndexUrl);
    return target.protocol === app.protocol && target.pathname === app.pathname;
  } catch {
    return false;
  }
}
