// The desktop shell's start-up choices, decided where they can be tested (Electron cannot run
// here): kiosk mode and start at login from the config file, the update feed on the chain's own
// server, the window in kiosk mode, and the built main bundle wiring them (single instance lock,
// login item, updates applied only through the policy).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTerminalConfig } from '../../src-main/core/terminal-config';
import { linuxAutostartEntry, loginArgs, shellSettings } from '../../src-main/core/shell-settings';
import { mainWindowOptions } from '../../src-main/electron/window-options';
import { tempDir } from '../core/helpers';

describe('desktop shell settings', () => {
  it('kiosk mode in the config file means full screen and start at login', () => {
    expect(shellSettings(parseTerminalConfig({ kiosk: true }), null)).toEqual({ kiosk: true, openAtLogin: true, updatesUrl: null });
    expect(shellSettings(parseTerminalConfig({}), null)).toEqual({ kiosk: false, openAtLogin: false, updatesUrl: null });
    expect(shellSettings(null, null)).toEqual({ kiosk: false, openAtLogin: false, updatesUrl: null });
  });

  it("takes updates from the chain's own server: the enrolled one, else the config file's", () => {
    const config = parseTerminalConfig({ server: { url: 'https://kasa.example.com', enrolCode: 'ABCD-1234' } });
    expect(shellSettings(config, null).updatesUrl).toBe('https://kasa.example.com/updates/');
    expect(shellSettings(config, 'https://chain.example.org/').updatesUrl).toBe('https://chain.example.org/updates/');
  });

  it('starts at login on Linux through an XDG autostart entry that keeps the config file', () => {
    const entry = linuxAutostartEntry('/opt/Kasa/kasa', ['--config', '/srv/kasa/till 1.json']);
    expect(entry.split('\n')).toEqual(
      expect.arrayContaining(['[Desktop Entry]', 'Type=Application', 'Exec=/opt/Kasa/kasa --config "/srv/kasa/till 1.json"', 'X-GNOME-Autostart-enabled=true']),
    );
    expect(linuxAutostartEntry('/home/k/Kasa-1.0.AppImage')).toContain('Exec=/home/k/Kasa-1.0.AppImage\n');
    expect(linuxAutostartEntry('/opt/x', ['$HOME"`'])).toContain('Exec=/opt/x "\\$HOME\\"\\`"');
  });

  it('starts at login with the config file it was started with, as an absolute path (the session starts elsewhere)', () => {
    expect(loginArgs(['/opt/Kasa/kasa', '--config', 'till-1.json'], '/srv/kasa')).toEqual(['--config', '/srv/kasa/till-1.json']);
    expect(loginArgs(['/opt/Kasa/kasa', '--server', 'https://kasa.example.com', '--enrol-code', 'ABCD-EFGH', '--config', '/etc/till.json'], '/')).toEqual(['--config', '/etc/till.json']);
    expect(loginArgs(['/opt/Kasa/kasa'], '/srv')).toEqual([]);
    expect(loginArgs(['/opt/Kasa/kasa', '--config'], '/srv')).toEqual([]);
  });

  it('opens the kiosk window full screen with the same hardening', () => {
    const kiosk = mainWindowOptions('/app/preload.cjs', { kiosk: true });
    const normal = mainWindowOptions('/app/preload.cjs');
    expect(kiosk).toMatchObject({ kiosk: true, fullscreen: true });
    expect(normal.kiosk).toBeUndefined();
    expect(kiosk.webPreferences).toEqual(normal.webPreferences);
  });

  it('builds a main bundle that holds the single instance lock, sets the login item and applies updates only through the policy', () => {
    const root = path.resolve(__dirname, '../..');
    const out = tempDir('kasa-main-build-');
    execFileSync(process.execPath, [path.join(root, 'scripts/build-main.mjs'), '--out-dir', out], { cwd: root });
    const main = fs.readFileSync(path.join(out, 'electron-main.cjs'), 'utf8');
    expect(main).toContain('requestSingleInstanceLock');
    // Windows' login item starts the app with the same --config (else kiosk mode is lost at reboot).
    expect(main).toMatch(/setLoginItemSettings\(\{ openAtLogin: true, args: loginArgs\(/);
    expect(main).toContain('autostart');
    expect(main).toMatch(/provider: "generic"/);
    expect(main).toMatch(/autoInstallOnAppQuit = false/);
    // Our restart into a new version comes after the policy's answer.
    expect(main.indexOf('decideUpdate(since')).toBeGreaterThan(0);
    expect(main.indexOf('autoUpdater.quitAndInstall(true, true)')).toBeGreaterThan(main.indexOf('decideUpdate(since'));
    const core = fs.readFileSync(path.join(out, 'core-process.cjs'), 'utf8');
    expect(core).not.toMatch(/require\("electron"\)/);
    expect(core).not.toMatch(/require\("electron-updater"\)/);
  });
});
