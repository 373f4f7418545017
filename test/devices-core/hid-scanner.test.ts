// HidScanner: real node-hid for enumeration and for opening a device that is not there (no /dev/hidraw on
// this machine); the report-handling path with byte fixtures through a test-double device.
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceInput, DriverListener, DriverStatus } from '../../src-main/core/devices/device-types';
import { HidScanner, nodeHidApi, type HidScannerOptions } from '../../src-main/core/devices/hid-scanner';
import { CODE128_HONEYWELL, EAN13_HONEYWELL, EAN13_NEWLAND, honeywellReport, QR_PART_1, QR_PART_2, QR_TEXT } from '../devices/fixtures';
import { waitUntil } from './socat-pair';
import { magtekReport, TestDoubleHidApi } from './hid-test-double';

const TRACK1 = '%B4111111111111111^DOE/JOHN^2512101000000000000000000?';
const TRACK2 = ';4111111111111111=25121010000000000000?';

function recorder() {
  const statuses: DriverStatus[] = [];
  const inputs: DeviceInput[] = [];
  const listener: DriverListener = { status: (s) => statuses.push(s), input: (i) => inputs.push(i) };
  return { statuses, inputs, listener };
}

const scanners: HidScanner[] = [];
afterEach(async () => {
  for (const s of scanners.splice(0)) await s.close();
});

function scanner(options: HidScannerOptions, listener: DriverListener): HidScanner {
  const s = new HidScanner({ backoff: { initialMs: 20, maxMs: 100 }, ...options }, listener);
  scanners.push(s);
  s.start();
  return s;
}

const HONEYWELL = { vendorId: 0x0c2e, productId: 0x0b81, path: '/dev/hidraw-test-0', product: 'Voyager 1400g', usagePage: 0x8c, usage: 0x02 };

async function connectedDouble(options: Partial<HidScannerOptions> = {}) {
  const hid = new TestDoubleHidApi();
  hid.attached.push(HONEYWELL);
  const rec = recorder();
  const s = scanner({ reader: 'hid-pos', vendorId: 0x0c2e, productId: 0x0b81, hid, ...options }, rec.listener);
  await waitUntil(() => s.status.state === 'connected', 'the test-double device to open');
  return { hid, rec, scanner: s };
}

describe('HidScanner with real node-hid (no HID devices on this machine)', () => {
  it('enumerates: devicesAsync answers with a list, possibly empty', async () => {
    const devices = await nodeHidApi.devicesAsync();
    expect(Array.isArray(devices)).toBe(true);
    for (const d of devices) expect(typeof d.vendorId).toBe('number');
  });

  it('opening a device that does not exist gives a clear status, not a crash, and keeps retrying', async () => {
    const byPath = recorder();
    const a = scanner({ reader: 'hid-pos', path: '/dev/hidraw-kasa-missing' }, byPath.listener);
    const byIds = recorder();
    const b = scanner({ reader: 'magtek-msr', vendorId: 0x0801, productId: 0x0002 }, byIds.listener);
    await waitUntil(() => byPath.statuses.length > 0 && byIds.statuses.length > 0, 'statuses for both missing devices');
    expect(a.status.state).not.toBe('connected');
    expect(a.status.message).toMatch(/HID device \/dev\/hidraw-kasa-missing .*(not connected|cannot be opened)/);
    expect(b.status).toEqual({ state: 'disconnected', code: 'not-found', message: expect.stringMatching(/HID device 0801:0002 is not connected/) });
    await a.close();
    expect(a.status).toEqual({ state: 'disconnected', code: 'closed', message: 'closed' });
  });
});

describe('HidScanner report handling (test-double device, byte fixtures)', () => {
  it('prefers the HID POS interface of a composite scanner', async () => {
    const hid = new TestDoubleHidApi();
    hid.attached.push({ ...HONEYWELL, path: '/dev/hidraw-kbd', usagePage: 0x01, usage: 0x06 }, HONEYWELL);
    const rec = recorder();
    const s = scanner({ reader: 'hid-pos', vendorId: 0x0c2e, productId: 0x0b81, hid }, rec.listener);
    await waitUntil(() => s.status.state === 'connected', 'open');
    expect(hid.last.info.path).toBe('/dev/hidraw-test-0');
  });

  it('decodes single reports of both layouts and joins a multi-report scan', async () => {
    const { hid, rec } = await connectedDouble();
    hid.last.report(EAN13_HONEYWELL);
    hid.last.report(CODE128_HONEYWELL);
    hid.last.report(QR_PART_1);
    hid.last.report(QR_PART_2);
    hid.last.report(EAN13_NEWLAND);
    expect(rec.inputs).toEqual([
      { kind: 'text', data: '4006381333931', symbology: 'ean13' },
      { kind: 'text', data: 'LOY-000123456', symbology: 'code128' },
      { kind: 'text', data: QR_TEXT, symbology: 'qr' },
      { kind: 'text', data: '4006381333931', symbology: null },
    ]);
  });

  it('ignores other report IDs, reports zero-length and truncated reports, and drops a partial scan after its timeout', async () => {
    const { hid, rec } = await connectedDouble({ partialTimeoutMs: 50 });
    hid.last.report(Uint8Array.from([0x0d, 0x01, 0x41]));
    expect(rec.inputs).toEqual([]);
    hid.last.report(honeywellReport('', { length: 0 }));
    hid.last.report(EAN13_HONEYWELL.slice(0, 20));
    expect(rec.inputs.map((i) => i.kind)).toEqual(['error', 'error']);
    expect(rec.inputs.map((i) => (i.kind === 'error' ? i.message : ''))).toEqual([expect.stringMatching(/0 data bytes/), expect.stringMatching(/20 bytes/)]);
    expect(rec.inputs.map((i) => (i.kind === 'error' ? i.reason : ''))).toEqual(['report-not-understood', 'report-not-understood']);

    hid.last.report(QR_PART_1);
    await waitUntil(() => rec.inputs.length === 3, 'the partial scan to be dropped');
    expect(rec.inputs[2]).toEqual({ kind: 'error', reason: 'partial-scan', message: expect.stringMatching(/no continuation/) });
    hid.last.report(EAN13_HONEYWELL);
    expect(rec.inputs[3]).toEqual({ kind: 'text', data: '4006381333931', symbology: 'ean13' });
  });

  it('turns a MagTek HID swipe into a magstripe result, and reports bad cards and short reports', async () => {
    const hid = new TestDoubleHidApi();
    hid.attached.push({ vendorId: 0x0801, productId: 0x0002, path: '/dev/hidraw-msr', product: 'USB Swipe Reader', usagePage: 0xff00, usage: 1 });
    const rec = recorder();
    const s = scanner({ reader: 'magtek-msr', path: '/dev/hidraw-msr', hid }, rec.listener);
    await waitUntil(() => s.status.state === 'connected', 'open');
    hid.last.report(magtekReport(TRACK1, TRACK2));
    hid.last.report(magtekReport('', TRACK2.replace('4111111111111111', '4111111111111112')));
    hid.last.report(magtekReport('', '', [1, 1, 0]));
    hid.last.report(new Uint8Array(64));
    const [card, badLuhn, readError, short] = rec.inputs;
    expect(card?.kind === 'magstripe' && card.result.kind === 'card' && card.result.last4).toBe('1111');
    expect(card?.kind === 'magstripe' && card.result.kind === 'card' && card.result.brand).toBe('visa');
    expect(badLuhn?.kind === 'magstripe' && badLuhn.result.kind === 'error' && badLuhn.result.code).toBe('BAD_LUHN');
    expect(readError?.kind === 'magstripe' && readError.result.kind === 'error' && readError.result.code).toBe('READ_ERROR');
    expect(short).toEqual({ kind: 'error', reason: 'report-not-understood', message: expect.stringMatching(/card reader report not understood: .*64 bytes/) });
  });

  it('treats a read error as an unplug, waits while the device is gone, and reopens it by itself', async () => {
    const { hid, rec, scanner: s } = await connectedDouble();
    const first = hid.last;
    hid.attached = [];
    first.unplugged();
    expect(s.status.state).toBe('disconnected');
    expect(first.closed).toBe(true);
    await waitUntil(() => /is not connected/.test(s.status.message), 'a failed reopen while unplugged');

    hid.attached = [HONEYWELL];
    await waitUntil(() => s.status.state === 'connected', 'the reopen after the replug');
    expect(hid.last).not.toBe(first);
    // Reports of the old handle are ignored; the new one reads.
    first.report(EAN13_HONEYWELL);
    hid.last.report(CODE128_HONEYWELL);
    expect(rec.inputs).toEqual([{ kind: 'text', data: 'LOY-000123456', symbology: 'code128' }]);
    expect(rec.statuses.map((x) => x.state)).toEqual(['connected', 'disconnected', 'disconnected', 'connected']);
  });
});
