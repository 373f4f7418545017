// The refusals a manager meets in the staff, devices, settings and set-up screens carry a reason
// (details.reason) beside the English, so a Turkish screen says them in Turkish rather than only
// "Bu kabul edilmedi" (test/renderer/i18n.test.ts has their sentences).
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../src-shared/api/contract';
import type { ApiResult } from '../../src-shared/api/result';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, openCore, tempDir } from './helpers';

const open: TerminalCore[] = [];
afterEach(() => {
  for (const core of open.splice(0)) core.close();
});

const owner = { role: 'manager' as const, userId: null };
const errorOf = (result: ApiResult<unknown>) => (result.ok ? null : result.error);

function terminal() {
  const core = openCore(tempDir('kasa-refusals-'), { sync: false });
  open.push(core);
  const screen = core.sessions.open();
  const setup = core.sessions.call(screen, 'auth.setup', { name: 'Meral', pin: '2580' });
  if (!setup.ok) throw new Error(setup.error.message);
  return { core, screen, manager: setup.value as User };
}

describe("a manager's refusals say why", () => {
  it('an account name already taken, the last manager, a second first manager, a cashier as approver', () => {
    const { core, screen, manager } = terminal();
    expect(errorOf(core.sessions.call(screen, 'users.create', { name: 'Meral', role: 'cashier', pin: '7531' }))).toMatchObject({
      code: 'ALREADY_EXISTS',
      message: 'There is already an account named Meral',
      details: { reason: 'account-name-taken', name: 'Meral' },
    });
    for (const change of [{ role: 'cashier' }, { active: false }]) {
      expect(errorOf(core.sessions.call(screen, 'users.update', { userId: manager.userId, ...change }))).toMatchObject({ code: 'VALIDATION', details: { reason: 'last-manager' } });
    }
    expect(errorOf(core.sessions.call(core.sessions.open(), 'auth.setup', { name: 'Deniz', pin: '9517' }))).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'manager-exists' } });

    const cashier = call(core, 'users.create', { name: 'Ece', role: 'cashier', pin: '1357' }, owner);
    const counter = core.sessions.open();
    expect(core.sessions.call(counter, 'auth.signIn', { userId: cashier.userId, pin: '1357' }).ok).toBe(true);
    expect(errorOf(core.sessions.call(counter, 'users.list', { managerOverride: { userId: cashier.userId, pin: '1357' } }))).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'not-a-manager', name: 'Ece' },
    });
  });

  it('a port another device already uses, naming that device', () => {
    const { core } = terminal();
    const port = path.join(tempDir('kasa-refusals-'), 'no-such-tty');
    call(core, 'devices.configure', { name: 'Front scanner', config: { transport: 'serial', path: port } }, owner);
    expect(errorOf(core.dispatch('devices.configure', { name: 'Back scanner', config: { transport: 'serial', path: port } }, owner))).toMatchObject({
      code: 'ALREADY_EXISTS',
      details: { reason: 'device-path-taken', path: port, device: 'Front scanner' },
    });
  });

  it('the set-up steps out of order', () => {
    const core = openCore(tempDir('kasa-refusals-'), { sync: false });
    open.push(core);
    expect(errorOf(core.dispatch('setup.finishStep', { step: 'devices' }, owner))).toMatchObject({ code: 'VALIDATION', details: { reason: 'manager-first' } });
    expect(core.sessions.call(core.sessions.open(), 'auth.setup', { name: 'Meral', pin: '2580' }).ok).toBe(true);
    expect(errorOf(core.dispatch('setup.finishStep', { step: 'connect', mode: 'server' }, owner))).toMatchObject({ code: 'VALIDATION', details: { reason: 'connect-first' } });
    expect(errorOf(core.dispatch('setup.finishStep', { step: 'done' }, owner))).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('Finish these steps first: store'),
      details: { reason: 'steps-left', steps: expect.arrayContaining(['store']) },
    });
  });

  it('a country or currency change after the first sale, from the settings and from the wizard', () => {
    const { core } = terminal();
    call(core, 'sales.complete', { lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 }], idempotencyKey: 'sale-refusal-1' }, owner);
    expect(errorOf(core.dispatch('terminal.configure', { currency: 'EUR' }, owner))).toMatchObject({ code: 'VALIDATION', details: { reason: 'place-after-first-sale' } });
    expect(errorOf(core.dispatch('setup.saveStore', { storeName: 'Kadıköy', terminalName: 'Kasa 1', country: 'DE', currency: 'EUR' }, owner))).toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'place-after-first-sale' },
    });
    // The same country and currency again is no change.
    expect(core.dispatch('terminal.configure', { country: 'TR', currency: 'TRY', storeName: 'Kadıköy' }, owner).ok).toBe(true);
  });

  it("a catalogue in another currency than the store's, or on a terminal whose catalogue comes from the server", () => {
    const { core } = terminal();
    const catalogue = { format: 1, version: 'c1', currency: 'EUR', products: [{ sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', unitPriceMinor: 8950, barcodes: ['4006381333931'] }] };
    expect(errorOf(core.dispatch('catalogue.install', { catalogue }, owner))).toMatchObject({ code: 'VALIDATION', details: { reason: 'catalogue-currency', currency: 'EUR', storeCurrency: 'TRY' } });
    // Enrolled (its sync state, not revoked): the server's catalogue is the terminal's.
    core.context.db
      .prepare("INSERT INTO sync_state (id, server_url, store_id, store_name, enrolled_at) VALUES (1, 'https://kasa.example', 'kadikoy', 'Kadıköy', ?)")
      .run(new Date().toISOString());
    expect(errorOf(core.dispatch('catalogue.install', { catalogue: { ...catalogue, currency: 'TRY' } }, owner))).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'catalogue-from-server' } });
  });
});
