// The device manager inside a real core (SQLite files in a temp dir): devices.list, devices.configure
// persisted and applied at runtime and at start, devices closed with the core, and what a scan means.
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCore, TerminalCoreOptions } from '../../src-main/core/terminal-core';
import { call, callError, openCore, tempDir } from '../core/helpers';
import { managerCaller, watchDevices } from './core-events';
import { CODE128_HONEYWELL, EAN13_HONEYWELL } from '../devices/fixtures';
import { TestDoubleHidApi } from './hid-test-double';
import { SocatPair, waitUntil } from './socat-pair';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startCore(dataDir = tempDir('kasa-devices-'), options: Partial<TerminalCoreOptions> = {}): TerminalCore {
  const core = openCore(dataDir, { devices: { backoff: { initialMs: 30, maxMs: 200 }, ...options.devices }, ...options });
  cleanups.push(async () => {
    core.close();
    await core.devices.close();
  });
  return core;
}

async function socat(): Promise<SocatPair> {
  const pair = await SocatPair.start(tempDir('kasa-pty-'));
  cleanups.push(() => pair.stop());
  return pair;
}

const serialConfig = (path: string, extra: Record<string, unknown> = {}) => ({ transport: 'serial' as const, path, ...extra });

describe('devices.list', () => {
  it('lists serial ports and HID interfaces with vendor, product, usage page and a hint', async () => {
    const hid = new TestDoubleHidApi();
    hid.attached.push(
      { vendorId: 0x0c2e, productId: 0x0b81, path: '/dev/hidraw3', product: 'Voyager 1400g', manufacturer: 'Honeywell', usagePage: 0x8c, usage: 0x02 },
      { vendorId: 0x0801, productId: 0x0002, path: '/dev/hidraw4', product: 'USB Swipe Reader', usagePage: 0xff00, usage: 0x01 },
      { vendorId: 0x05e0, productId: 0x1200, path: '/dev/hidraw5', product: 'Bar Code Scanner', usagePage: 0x01, usage: 0x06 },
    );
    const core = startCore(undefined, {
      devices: { hid, listSerialPorts: async () => [{ path: '/dev/ttyACM0', manufacturer: 'Honeywell', vendorId: '0c2e', productId: '0720' }] },
    });
    const first = call(core, 'devices.list', {}, managerCaller);
    expect(first.devices).toEqual([]);
    await core.devices.refreshCandidates();
    const listed = call(core, 'devices.list', {}, managerCaller);
    expect(listed.listedAt).not.toBeNull();
    expect(listed.listError).toBeNull();
    expect(listed.candidates).toEqual([
      { transport: 'serial', path: '/dev/ttyACM0', vendorId: 0x0c2e, productId: 0x0720, usagePage: null, usage: null, product: null, manufacturer: 'Honeywell', hint: expect.stringMatching(/Honeywell serial/) },
      expect.objectContaining({ transport: 'hid', path: '/dev/hidraw3', vendorId: 0x0c2e, usagePage: 0x8c, usage: 0x02, product: 'Voyager 1400g', hint: expect.stringMatching(/HID POS/) }),
      expect.objectContaining({ transport: 'hid', path: '/dev/hidraw4', vendorId: 0x0801, hint: expect.stringMatching(/MagTek card reader/) }),
      expect.objectContaining({ transport: 'hid', path: '/dev/hidraw5', vendorId: 0x05e0, hint: expect.stringMatching(/keyboard mode/) }),
    ]);
    expect(callError(core, 'devices.list', {}).code).toBe('FORBIDDEN');
  });

  it('enumerates with the real serialport and node-hid modules without failing', async () => {
    const core = startCore();
    await core.devices.refreshCandidates();
    const listed = call(core, 'devices.list', {}, managerCaller);
    expect(listed.listError).toBeNull();
    for (const c of listed.candidates) expect(['serial', 'hid']).toContain(c.transport);
  });
});

describe('devices.configure', () => {
  it('persists a serial scanner, opens it at once and at every start, reconfigures and removes it at runtime', async () => {
    const pair = await socat();
    const dataDir = tempDir('kasa-devices-');
    const core = startCore(dataDir);
    const watch = watchDevices(core);
    const configured = call(core, 'devices.configure', { deviceId: 'front', name: 'Front scanner', config: serialConfig(pair.scannerPath) }, managerCaller);
    expect(configured.deviceId).toBe('front');
    expect(configured.devices).toEqual([
      {
        deviceId: 'front',
        name: 'Front scanner',
        enabled: true,
        config: { transport: 'serial', path: pair.scannerPath, baudRate: 9600, terminator: 'any', interByteTimeoutMs: 100, prefix: '', suffix: '' },
        status: expect.objectContaining({ state: 'disconnected' }),
      },
    ]);
    await watch.status('front', 'connected');
    expect(call(core, 'devices.list', {}, managerCaller).devices[0]?.status.state).toBe('connected');
    pair.write('LOY-1\r');
    expect((await watch.scan(1)).display).toBe('LOY-1');

    // Audited like every change.
    const audit = call(core, 'audit.list', { action: 'devices.configure' }, managerCaller);
    expect(audit.records[0]).toMatchObject({ action: 'devices.configure', outcome: 'ok', userId: 'manager-1' });

    // Reconfigure at runtime: timeout framing for a scanner with no suffix.
    call(core, 'devices.configure', { deviceId: 'front', name: 'Front scanner', config: serialConfig(pair.scannerPath, { terminator: 'timeout', interByteTimeoutMs: 120 }) }, managerCaller);
    await core.devices.settled();
    await watch.status('front', 'connected');
    await waitUntil(() => call(core, 'devices.list', {}, managerCaller).devices[0]?.status.state === 'connected', 'the reconfigured scanner to connect');
    pair.write('LOY-2');
    expect((await watch.scan(2)).display).toBe('LOY-2');

    // Closed with the core: the port is free again (serialport locks it while open).
    core.close();
    await core.devices.close();
    await expect(openAndClose(pair.scannerPath)).resolves.toBe('opened');

    // Opened again at start from the database.
    const again = startCore(dataDir);
    const watchAgain = watchDevices(again);
    await watchAgain.status('front', 'connected');
    expect(call(again, 'devices.list', {}, managerCaller).devices).toEqual([
      expect.objectContaining({ deviceId: 'front', config: expect.objectContaining({ terminator: 'timeout', interByteTimeoutMs: 120 }) }),
    ]);
    pair.write('LOY-3');
    expect((await watchAgain.scan(1)).display).toBe('LOY-3');

    // Disable, then remove.
    call(again, 'devices.configure', { deviceId: 'front', name: 'Front scanner', enabled: false, config: serialConfig(pair.scannerPath) }, managerCaller);
    await watchAgain.status('front', 'disconnected', /disabled/);
    await expect(openAndClose(pair.scannerPath)).resolves.toBe('opened');
    const removed = call(again, 'devices.configure', { deviceId: 'front', remove: true }, managerCaller);
    expect(removed.devices).toEqual([]);
    expect(callError(again, 'devices.configure', { deviceId: 'front', remove: true }, managerCaller).code).toBe('NOT_FOUND');
  });

  it('refuses cashiers, a second device on the same port and a HID device with no address', async () => {
    const core = startCore();
    const config = serialConfig('/dev/ttyKASA-none');
    expect(callError(core, 'devices.configure', { name: 'X', config }).code).toBe('FORBIDDEN');
    call(core, 'devices.configure', { deviceId: 'a', name: 'A', config }, managerCaller);
    expect(callError(core, 'devices.configure', { deviceId: 'b', name: 'B', config }, managerCaller)).toMatchObject({ code: 'ALREADY_EXISTS', message: expect.stringMatching(/"A"/) });
    expect(callError(core, 'devices.configure', { name: 'H', config: { transport: 'hid', vendorId: 1 } }, managerCaller).code).toBe('VALIDATION');
    expect(callError(core, 'devices.configure', { deviceId: 'keyboard', name: 'K', config: serialConfig('/dev/ttyKASA-k') }, managerCaller).code).toBe('VALIDATION');
    // A port that does not exist is a status, not an error of the call.
    const watch = watchDevices(core);
    await watch.status('a', 'disconnected', /not connected/);
  });
});

describe('what a scan means', () => {
  it('a linked loyalty card scanned on a serial scanner opens the member; unknown and product barcodes say so', async () => {
    const pair = await socat();
    const core = startCore();
    const watch = watchDevices(core);
    const { member } = call(core, 'members.enroll', { phone: '05321234567', name: 'Ayşe' });
    const linked = call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'LOY-000123456' });
    expect(linked).toMatchObject({ created: true, card: { kind: 'loyalty', cardNumber: 'LOY-000123456', brand: null, last4: null } });
    expect(call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: ' LOY-000123456 ' }).created).toBe(false);

    call(core, 'devices.configure', { deviceId: 'till', name: 'Till scanner', config: serialConfig(pair.scannerPath) }, managerCaller);
    await watch.status('till', 'connected');
    pair.write(']C0LOY-000123456\r');
    const scan = await watch.scan(1);
    expect(scan).toEqual({
      deviceId: 'till',
      scanId: expect.any(String),
      kind: 'barcode',
      member: { memberId: member.memberId, name: 'Ayşe', balance: 0 },
      symbology: 'code128',
      display: 'LOY-000123456',
      message: 'Loyalty card recognised',
      at: expect.any(String),
    });
    // The member it names opens with members.get, as the UI does.
    expect(call(core, 'members.get', { memberId: scan.member?.memberId ?? '' }).name).toBe('Ayşe');

    pair.write('loy-000123456\r]Q1https://example.com/m/LOY-000123456\r');
    expect((await watch.scan(2)).member?.memberId).toBe(member.memberId);
    expect((await watch.scan(3)).member?.memberId).toBe(member.memberId);

    pair.write('LOY-999\r]E04006381333931\r');
    expect(await watch.scan(4)).toMatchObject({ kind: 'barcode', member: null, display: 'LOY-999', message: expect.stringMatching(/No member has this card/) });
    expect(await watch.scan(5)).toMatchObject({ kind: 'barcode', member: null, symbology: 'ean13', message: expect.stringMatching(/product barcode \(EAN-13\)/) });
  });

  it('HID POS scans reach the core through a test-double device', async () => {
    const hid = new TestDoubleHidApi();
    hid.attached.push({ vendorId: 0x0c2e, productId: 0x0b81, path: '/dev/hidraw-test', usagePage: 0x8c, usage: 0x02 });
    const core = startCore(undefined, { devices: { hid } });
    const watch = watchDevices(core);
    const { member } = call(core, 'members.enroll', { phone: '05321234568' });
    call(core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'LOY-000123456' });
    call(core, 'devices.configure', { deviceId: 'hidpos', name: 'HID scanner', config: { transport: 'hid', vendorId: 0x0c2e, productId: 0x0b81 } }, managerCaller);
    await watch.status('hidpos', 'connected');
    hid.last.report(CODE128_HONEYWELL);
    hid.last.report(EAN13_HONEYWELL);
    expect(await watch.scan(1)).toMatchObject({ deviceId: 'hidpos', kind: 'barcode', symbology: 'code128', member: { memberId: member.memberId } });
    expect(await watch.scan(2)).toMatchObject({ deviceId: 'hidpos', kind: 'barcode', symbology: 'ean13', member: null });
    hid.last.unplugged();
    await watch.status('hidpos', 'disconnected');
    await waitUntil(() => watch.statuses.filter((s) => s.deviceId === 'hidpos' && s.state === 'connected').length === 2, 'the HID scanner to reconnect');
  });

  it('links loyalty cards to one member at most and never keeps a payment card number typed as one', () => {
    const core = startCore();
    const a = call(core, 'members.enroll', { phone: '05321234567' }).member;
    const b = call(core, 'members.enroll', { phone: '05321234568' }).member;
    call(core, 'members.linkCard', { memberId: a.memberId, loyaltyCardNumber: 'LOY-1' });
    call(core, 'members.linkCard', { memberId: a.memberId, loyaltyCardNumber: 'LOY-2' });
    expect(callError(core, 'members.linkCard', { memberId: b.memberId, loyaltyCardNumber: 'loy-1' }).code).toBe('ALREADY_EXISTS');
    expect(callError(core, 'members.linkCard', { memberId: b.memberId, loyaltyCardNumber: '4111 1111 1111 1111' }).code).toBe('VALIDATION');
    expect(callError(core, 'members.linkCard', { memberId: b.memberId, loyaltyCardNumber: 'has space' }).code).toBe('VALIDATION');
    expect(callError(core, 'members.linkCard', { memberId: 'nobody', loyaltyCardNumber: 'LOY-3' }).code).toBe('NOT_FOUND');
    expect(callError(core, 'members.linkCard', { memberId: a.memberId, lastCardScan: true }).code).toBe('NOT_FOUND');
    // An EAN-13 loyalty card whose digits happen to pass Luhn is still a loyalty card.
    expect(call(core, 'members.linkCard', { memberId: b.memberId, loyaltyCardNumber: '4000000000006' }).created).toBe(true);
    expect(callError(core, 'members.linkCard', { loyaltyCardNumber: 'LOY-4' }).code).toBe('VALIDATION');
  });

  it('a masked track from an encrypting reader is "card seen, use the masked last four", and cannot be linked', () => {
    const core = startCore();
    const watch = watchDevices(core);
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    const scan = call(core, 'devices.keyboardScan', { text: '%B411111******1111^DOE/JOHN^2512*********************?' });
    expect(scan).toMatchObject({ deviceId: 'keyboard', kind: 'masked-card', member: null, symbology: 'magstripe', display: 'VISA •••• 1111' });
    expect(scan.message).toMatch(/masked last four \(1111\)/);
    expect(watch.scans).toEqual([scan]);
    expect(callError(core, 'members.linkCard', { memberId: member.memberId, lastCardScan: true }).code).toBe('VALIDATION');
    const unreadable = call(core, 'devices.keyboardScan', { text: '%E?;E?' });
    expect(unreadable).toMatchObject({ kind: 'error', reason: 'card-unreadable', message: expect.stringMatching(/could not be read/) });
  });
});

function openAndClose(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    port.open((error) => {
      if (error) {
        reject(error);
        return;
      }
      port.close(() => resolve('opened'));
    });
  });
}
