// Electron cannot run on these machines, so the shell is checked where it can be: the window
// options and CSP it uses, the preload against a MOCK of electron's contextBridge/ipcRenderer,
// and the built bundles' imports.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAppUrl, mainWindowOptions } from '../../src-main/electron/window-options';

const exposed: Record<string, unknown> = {};
const invoked: unknown[][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
    on: () => undefined,
  },
}));

describe('Electron shell hardening', () => {
  it('opens the window isolated, sandboxed and without Node', () => {
    const { webPreferences } = mainWindowOptions('/app/preload.cjs');
    expect(webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('sends a strict Content-Security-Policy', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('lets the window show only the app itself', () => {
    const index = 'file:///opt/Kasa/resources/app.asar/dist/renderer/index.html';
    expect(isAppUrl(index, index)).toBe(true);
    expect(isAppUrl('https://example.com/', index)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', index)).toBe(false);
    expect(isAppUrl('not a url', index)).toBe(false);
  });

  it('exposes only the typed transport (call, subscribe) from the preload', async () => {
    await import('../../src-main/electron/preload');
    expect(Object.keys(exposed)).toEqual(['kasa']);
    const api = exposed.kasa as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'subscribe']);
    await (api.call as (m: string, p: unknown) => Promise<unknown>)('terminal.status', {});
    expect(invoked).toEqual([['kasa:call', 'terminal.status', {}]]);
  });

  it('builds bundles whose preload requires nothing but electron', () => {
    const root = path.resolve(__dirname, '../..');
    execFileSync(process.execPath, [path.join(root, 'scripts/build-main.mjs')], { cwd: root });
    const preload = fs.readFileSync(path.join(root, 'dist/main/preload.cjs'), 'utf8');
    const requires = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    const core = fs.readFileSync(path.join(root, 'dist/main/core-process.cjs'), 'utf8');
    expect(core).not.toMatch(/require\("electron"\)/);
  });
});
