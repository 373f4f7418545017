import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../src-shared/api/result';
import type { MethodResult } from '../../src-shared/api/contract';
import { parseTerminalConfig, seedSetupFromConfig } from '../../src-main/core/terminal-config';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { openCore, tempDir } from './helpers';

const open: TerminalCore[] = [];
afterEach(() => {
  for (const core of open.splice(0)) core.close();
});
const start = (dataDir: string, store = {}) => {
  const core = openCore(dataDir, { sync: false, store });
  open.push(core);
  return core;
};

/** Calls through a screen session, as the renderer does (auth.setup signs that screen in). */
function screen(core: TerminalCore) {
  const session = core.sessions.open();
  return {
    call<K extends string>(method: K, params: unknown = {}) {
      return core.sessions.call(session, method, params) as ApiResult<K extends 'setup.status' ? MethodResult<'setup.status'> : never>;
    },
    ok(method: string, params: unknown = {}): MethodResult<'setup.status'> {
      const r = core.sessions.call(session, method, params);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value as MethodResult<'setup.status'>;
    },
  };
}

describe('first-run wizard progress (core)', () => {
  it('walks store -> manager -> connect -> devices -> done, and a restart mid-wizard resumes', () => {
    const dataDir = tempDir('kasa-setup-');
    let core = start(dataDir);
    let s = screen(core);
    // No store name is offered: the built-in one is a placeholder, not this store's.
    expect(s.ok('setup.status')).toMatchObject({ complete: false, step: 'store', ask: ['storeName', 'terminalName', 'country', 'currency'], values: { storeName: '', country: 'TR', currency: 'TRY' } });
    // A step cannot be skipped by calling a later one.
    expect(s.call('setup.finishStep', { step: 'devices' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const missing = s.call('setup.saveStore', { storeName: 'Moda' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(missing.ok ? '' : missing.error.message).toMatch(/terminalName, country, currency/);
    expect(s.ok('setup.saveStore', { storeName: 'Moda', terminalName: 'Till 2', country: 'DE', currency: 'EUR' })).toMatchObject({
      step: 'manager',
      values: { storeName: 'Moda', terminalName: 'Till 2', country: 'DE', currency: 'EUR' },
    });
    expect(core.dispatch('terminal.status', {}, { role: 'public', userId: null })).toMatchObject({ ok: true, value: { storeName: 'Moda', currency: 'EUR' } });

    // The power goes: the wizard comes back at the manager step.
    core.close();
    core = start(dataDir);
    s = screen(core);
    expect(s.ok('setup.status')).toMatchObject({ step: 'manager', steps: { store: 'done', manager: 'pending' } });
    expect(core.sessions.call(core.sessions.open(), 'auth.setup', { name: 'Meral', pin: '2580' }).ok).toBe(true);
    // Signed in on another screen; this one is still signed out and may no longer change the store.
    expect(s.call('setup.saveStore', { storeName: 'X', terminalName: 'Y', country: 'TR', currency: 'TRY' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const manager = screen(core);
    const meral = core.sessions.call(core.sessions.open(), 'auth.status', {});
    expect(meral.ok).toBe(true);
    const userId = meral.ok ? (meral.value as { users: { userId: string }[] }).users[0]!.userId : '';
    expect(manager.call('auth.signIn', { userId, pin: '2580' }).ok).toBe(true);
    expect(manager.ok('setup.status').step).toBe('connect');
    expect(manager.call('setup.finishStep', { step: 'connect', mode: 'server' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/Connect to the server first/) } });
    expect(manager.ok('setup.finishStep', { step: 'connect', mode: 'standalone' })).toMatchObject({ step: 'devices', mode: 'standalone' });
    expect(manager.ok('setup.finishStep', { step: 'devices' })).toMatchObject({ step: 'done', complete: false });
    core.close();
    core = start(dataDir);
    const again = screen(core);
    expect(again.ok('setup.status')).toMatchObject({ step: 'done', complete: false });
    expect(again.call('setup.finishStep', { step: 'done' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(again.call('auth.signIn', { userId, pin: '2580' }).ok).toBe(true);
    expect(again.ok('setup.finishStep', { step: 'done' })).toMatchObject({ step: 'done', complete: true });

    // A manager re-runs it later: every step asked again, the manager kept.
    expect(again.ok('setup.restart')).toMatchObject({ complete: false, step: 'store', steps: { manager: 'done' } });
  });

  it("gives a store in another country that country's locale and time zone, or the zone chosen", () => {
    const s = screen(start(tempDir('kasa-setup-place-')));
    expect(s.ok('setup.status').values).toMatchObject({ country: 'TR', locale: 'tr-TR', timeZone: 'Europe/Istanbul' });
    // Germany: amounts and dates as Germans write them, and Berlin's day.
    expect(s.ok('setup.saveStore', { storeName: 'Mitte', terminalName: 'Kasse 1', country: 'DE', currency: 'EUR' }).values).toMatchObject({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    // A country of several zones takes the one chosen; an unknown zone or country is refused and changes nothing.
    expect(s.ok('setup.saveStore', { storeName: 'Loop', terminalName: 'Till 1', country: 'US', currency: 'USD', timeZone: 'America/Chicago' }).values).toMatchObject({
      country: 'US',
      locale: 'en-US',
      timeZone: 'America/Chicago',
    });
    expect(s.call('setup.saveStore', { storeName: 'Loop', terminalName: 'Till 1', country: 'US', currency: 'USD', timeZone: 'America/Springfield' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const noCountry = s.call('setup.saveStore', { storeName: 'Loop', terminalName: 'Till 1', country: 'XX', currency: 'USD' });
    expect(noCountry.ok ? '' : noCountry.error.message).toMatch(/unknown country "XX"/);
    expect(s.ok('setup.status').values).toMatchObject({ country: 'US', locale: 'en-US', timeZone: 'America/Chicago' });
    // The same country again keeps the zone chosen for it.
    expect(s.ok('setup.saveStore', { storeName: 'Loop', terminalName: 'Till 1', country: 'US', currency: 'USD' }).values).toMatchObject({ timeZone: 'America/Chicago' });
  });

  it('takes a new country\'s locale and time zone from start options too, where they give none', () => {
    const dataDir = tempDir('kasa-setup-options-');
    let core = start(dataDir, { country: 'DE', currency: 'EUR' });
    expect(core.context.settings).toMatchObject({ country: 'DE', locale: 'de-DE', timeZone: 'Europe/Berlin' });
    core.close();
    open.splice(open.indexOf(core), 1);
    // A locale given with the country is kept; the zone still follows the country.
    core = start(tempDir('kasa-setup-options-'), { country: 'DE', currency: 'EUR', locale: 'en-GB' });
    expect(core.context.settings).toMatchObject({ locale: 'en-GB', timeZone: 'Europe/Berlin' });
    // The same options at the next start change nothing a manager set meanwhile.
    core = start(dataDir, { country: 'DE', currency: 'EUR' });
    const manager = screen(core);
    manager.ok('auth.setup', { name: 'Meral', pin: '2580' });
    expect(manager.call('terminal.configure', { timeZone: 'Europe/Busingen' }).ok).toBe(true);
    // A country, locale or zone the runtime does not know is refused, the one that is wrong named.
    const refusal = (args: object) => {
      const result = manager.call('terminal.configure', args);
      return result.ok ? null : result.error.message;
    };
    expect(refusal({ country: 'XX' })).toContain('unknown country "XX"');
    expect(refusal({ timeZone: 'Mars/Base' })).toBe('Invalid store settings: unknown time zone "Mars/Base": give an IANA time zone such as Europe/Istanbul');
    expect(core.context.settings).toMatchObject({ country: 'DE', timeZone: 'Europe/Busingen' });
    core.close();
    open.splice(open.indexOf(core), 1);
    expect(start(dataDir, { country: 'DE', currency: 'EUR' }).context.settings).toMatchObject({ locale: 'de-DE', timeZone: 'Europe/Busingen' });
  });

  it('asks only for what the config file did not give', () => {
    const dataDir = tempDir('kasa-setup-');
    const config = parseTerminalConfig({
      store: { storeName: 'Kadıköy', country: 'TR', currency: 'TRY' },
      terminal: { name: 'Till 1' },
      devices: [{ name: 'Scanner', config: { transport: 'serial', path: '/dev/ttyACM9' } }],
    });
    const core = start(dataDir, config.store);
    seedSetupFromConfig(core, config);
    const s = screen(core);
    expect(s.ok('setup.status')).toMatchObject({
      step: 'manager',
      steps: { store: 'seeded', manager: 'pending', connect: 'pending', devices: 'seeded' },
      ask: [],
      values: { storeName: 'Kadıköy', terminalName: 'Till 1' },
    });

    const partial = start(tempDir('kasa-setup-'), { storeName: 'Moda' });
    seedSetupFromConfig(partial, parseTerminalConfig({ store: { storeName: 'Moda' }, server: { url: 'https://kasa.example.com', enrolCode: 'ABCD-1234' } }));
    const p = screen(partial);
    expect(p.ok('setup.status')).toMatchObject({ step: 'store', ask: ['terminalName', 'country', 'currency'], steps: { connect: 'seeded' }, mode: 'server' });
    // The file's store name is the file's: the wizard's answer for it is ignored.
    expect(p.ok('setup.saveStore', { storeName: 'Other', terminalName: 'Till 3', country: 'TR', currency: 'TRY' })).toMatchObject({
      step: 'manager',
      values: { storeName: 'Moda', terminalName: 'Till 3' },
    });
  });

  it('sends a new terminal whose first manager was made through the API, before the store step, through the wizard', () => {
    const core = start(tempDir('kasa-setup-'));
    expect(core.sessions.call(core.sessions.open(), 'auth.setup', { name: 'Meral', pin: '2580' }).ok).toBe(true);
    expect(screen(core).ok('setup.status')).toMatchObject({ complete: false, step: 'store', values: { storeName: '' } });
  });

  it('leaves a terminal set up before the wizard existed at the counter', () => {
    const dataDir = tempDir('kasa-setup-');
    const core = start(dataDir);
    expect(core.sessions.call(core.sessions.open(), 'auth.setup', { name: 'Meral', pin: '2580' }).ok).toBe(true);
    // No wizard state was ever written (the accounts existed first).
    core.context.db.prepare("DELETE FROM settings WHERE key = 'setup'").run();
    expect(screen(core).ok('setup.status')).toMatchObject({ complete: true, step: 'done' });
  });
});
