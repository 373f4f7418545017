// The product catalogue in a real core (SQLite files): a manager imports one, cashiers look products up,
// and a product barcode scanned on a real serial pty (socat) comes out as a device.scan with the product.
// Scanner feedback (devices.feedback): the bytes the core writes, read on the other end of the pty, and
// HID POS output report 4 through the HID test double (no /dev/hidraw exists here).
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../src-shared/api/result';
import type { MethodResult } from '../../src-shared/api/contract';
import type { TerminalCore, TerminalCoreOptions } from '../../src-main/core/terminal-core';
import { call, callError, openCore, tempDir } from '../core/helpers';
import { managerCaller, watchDevices } from './core-events';
import { honeywellReport } from '../devices/fixtures';
import { TestDoubleHidApi } from './hid-test-double';
import { SocatPair, waitUntil } from './socat-pair';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startCore(options: Partial<TerminalCoreOptions> = {}): TerminalCore {
  const core = openCore(tempDir('kasa-catalogue-'), { devices: { backoff: { initialMs: 30, maxMs: 200 }, ...options.devices }, ...options });
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

export const TEA = { sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', unitPriceMinor: 8950, barcodes: ['4006381333931'] };
export const SODA = { sku: 'SODA-330', name: 'Soda 330 ml', category: 'drinks', unitPriceMinor: 1500, barcodes: ['036000291452', '96385074'] };
export const catalogue = (version = 'cat-1', products: unknown[] = [TEA, SODA], currency = 'TRY') => ({ format: 1, version, currency, products });

async function feedback(core: TerminalCore, deviceId: string, kind: 'good' | 'error'): Promise<ApiResult<MethodResult<'devices.feedback'>>> {
  return (await core.dispatchAsync('devices.feedback', { deviceId, kind }, managerCaller)) as ApiResult<MethodResult<'devices.feedback'>>;
}

describe('catalogue.install and catalogue.lookup', () => {
  it('imports a catalogue (manager), looks products up by barcode (UPC-A as EAN-13 too) and SKU, and replaces it whole', () => {
    const core = startCore();
    expect(call(core, 'catalogue.lookup', { barcode: '4006381333931' })).toEqual({ product: null, catalogue: null });
    expect(callError(core, 'catalogue.install', { catalogue: catalogue() }).code).toBe('FORBIDDEN');

    const installed = call(core, 'catalogue.install', { catalogue: JSON.stringify(catalogue()) }, managerCaller);
    expect(installed).toMatchObject({ version: 'cat-1', replaced: null, catalogue: { version: 'cat-1', currency: 'TRY', products: 2, source: 'local' } });
    expect(call(core, 'catalogue.lookup', { barcode: '4006381333931' }).product).toEqual(TEA);
    const soda = { ...SODA, barcodes: ['0036000291452', '96385074'] };
    expect(call(core, 'catalogue.lookup', { barcode: '036000291452' }).product).toEqual(soda);
    expect(call(core, 'catalogue.lookup', { barcode: '0036000291452' }).product).toEqual(soda);
    expect(call(core, 'catalogue.lookup', { barcode: '96385074' }).product?.sku).toBe('SODA-330');
    expect(call(core, 'catalogue.lookup', { sku: 'TEA-1' }).product?.name).toBe('Black tea 500 g');
    expect(call(core, 'catalogue.lookup', { barcode: '9780201379624' }).product).toBeNull();
    expect(call(core, 'catalogue.lookup', { barcode: '4006381333932' }).product).toBeNull();
    expect(call(core, 'catalogue.lookup', { sku: 'nope' }).product).toBeNull();

    const next = call(core, 'catalogue.install', { catalogue: catalogue('cat-2', [{ ...TEA, unitPriceMinor: 9950 }]) }, managerCaller);
    expect(next).toMatchObject({ version: 'cat-2', replaced: 'cat-1', catalogue: { products: 1 } });
    expect(call(core, 'catalogue.lookup', { barcode: '4006381333931' }).product?.unitPriceMinor).toBe(9950);
    expect(call(core, 'catalogue.lookup', { barcode: '036000291452' }).product).toBeNull();
    const audit = call(core, 'audit.list', { action: 'catalogue.install' }, managerCaller).records;
    expect(audit.map((r) => [r.outcome, r.userId, r.details.result])).toEqual([
      ['ok', 'manager-1', { version: 'cat-2' }],
      ['ok', 'manager-1', { version: 'cat-1' }],
      ['refused', 'cashier-1', undefined],
    ]);
  });

  it('refuses a bad catalogue with every problem by path, and another currency; the current one stays', () => {
    const core = startCore();
    call(core, 'catalogue.install', { catalogue: catalogue() }, managerCaller);
    const bad = callError(core, 'catalogue.install', { catalogue: catalogue('cat-2', [{ ...TEA, barcodes: ['4006381333932'] }, { ...SODA, sku: 'TEA-1' }]) }, managerCaller);
    expect(bad.code).toBe('VALIDATION');
    // Each problem by path, in English, and as a code with its facts for a screen's own language.
    expect(bad.details).toEqual({
      problems: [
        { path: 'products[0].barcodes[0]', message: 'check digit is wrong: 400638133393 needs 1, not 2', code: 'gtin-check-digit', facts: { barcode: '4006381333932', needs: 1, found: 2 } },
        { path: 'products[1].sku', message: 'duplicate SKU "TEA-1" (also products[0])', code: 'duplicate-sku', facts: { sku: 'TEA-1', alsoAt: 'products[0]' } },
      ],
    });
    expect(callError(core, 'catalogue.install', { catalogue: '{"format": 1, "version": ' }, managerCaller).message).toMatch(/not valid JSON/);
    expect(callError(core, 'catalogue.install', { catalogue: catalogue('cat-eur', [TEA], 'EUR') }, managerCaller).message).toMatch(/prices are in EUR; this store sells in TRY/);
    expect(call(core, 'catalogue.lookup', { sku: 'SODA-330' }).catalogue?.version).toBe('cat-1');
    expect(call(core, 'catalogue.lookup', { sku: 'SODA-330' }).product?.name).toBe('Soda 330 ml');
  });
});

describe('product scans', () => {
  it('turns a product barcode scanned on a serial pty into a device.scan with the product; an unknown one gets a clear message', async () => {
    const pair = await socat();
    const core = startCore();
    const watch = watchDevices(core);
    call(core, 'devices.configure', { deviceId: 'front', name: 'Front scanner', config: { transport: 'serial', path: pair.scannerPath } }, managerCaller);
    await watch.status('front', 'connected');

    // No catalogue yet: said so, nothing else.
    pair.write('4006381333931\r');
    expect(await watch.scan(1)).toMatchObject({ kind: 'barcode', member: null, display: '4006381333931', message: expect.stringMatching(/no product catalogue yet/) });

    call(core, 'catalogue.install', { catalogue: catalogue() }, managerCaller);
    await pair.writeInChunks(']E04006381333931\r\n', [2, 5, 1]);
    const tea = await watch.scan(2);
    expect(tea).toMatchObject({ kind: 'barcode', member: null, symbology: 'ean13', product: TEA, message: 'Product: Black tea 500 g' });

    // A UPC-A sent in EAN-13 form by the scanner is the same product.
    pair.write('0036000291452\r');
    expect((await watch.scan(3)).product?.sku).toBe('SODA-330');

    pair.write('9780201379624\r');
    const unknown = await watch.scan(4);
    expect(unknown).toMatchObject({ kind: 'barcode', member: null, product: null, message: 'Unknown product: EAN-13 9780201379624 is not in the catalogue (cat-1). Key the amount by category' });
    // Nothing else happened: no ledger entry, no sale.
    expect(core.context.db.prepare('SELECT count(*) AS n FROM ledger').get()).toEqual({ n: 0 });
  });

  it('a product line from a scan carries the SKU, so SKU rules of the rule set apply', () => {
    const core = startCore();
    call(core, 'catalogue.install', { catalogue: catalogue() }, managerCaller);
    call(
      core,
      'program.install',
      { ruleSet: { schema: 2, version: 'skus-1', name: 'SKU bonus', currency: 'TRY', earning: { pointsPerUnit: 1, skuRates: { 'TEA-1': 5 } }, redemption: { minorPerPoint: 10 } } },
      managerCaller,
    );
    const scan = call(core, 'devices.keyboardScan', { text: '4006381333931' });
    const product = scan.product;
    if (!product) throw new Error('expected the product');
    const quote = call(core, 'sales.preview', { lines: [{ sku: product.sku, name: product.name, category: product.category, qty: 1, unitPriceMinor: product.unitPriceMinor }] });
    const plain = call(core, 'sales.preview', { lines: [{ category: product.category, qty: 1, unitPriceMinor: product.unitPriceMinor }] });
    // 89.50 TRY: the SKU's rate (5 a unit) instead of the base rate (1 a unit).
    expect(quote.lines[0]).toMatchObject({ sku: 'TEA-1' });
    expect(quote.pointsEarned).toBe(447);
    expect(plain.pointsEarned).toBe(89);
  });
});

describe('devices.feedback', () => {
  it('writes the configured serial command bytes for good and error beeps, read on the other end of the pty', async () => {
    const pair = await socat();
    const core = startCore();
    const watch = watchDevices(core);
    call(
      core,
      'devices.configure',
      { deviceId: 'front', name: 'Front scanner', config: { transport: 'serial', path: pair.scannerPath, feedbackCommands: { good: '16 07 0D', error: '16450D' } } },
      managerCaller,
    );
    await watch.status('front', 'connected');
    expect(await feedback(core, 'front', 'good')).toEqual({ ok: true, value: { deviceId: 'front', kind: 'good', via: 'serial-command', bytes: 3 } });
    expect([...(await pair.readWritten(3))]).toEqual([0x16, 0x07, 0x0d]);
    expect((await feedback(core, 'front', 'error')).ok).toBe(true);
    expect([...(await pair.readWritten(3))]).toEqual([0x16, 0x45, 0x0d]);
    expect(await core.dispatchAsync('devices.feedback', { deviceId: 'front', kind: 'good' }, { role: 'cashier', userId: 'c1' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await feedback(core, 'nobody', 'good')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await feedback(core, 'keyboard', 'good')).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(callError(core, 'devices.configure', { name: 'Bad', config: { transport: 'serial', path: '/dev/ttyX9', feedbackCommands: { good: '16 07 0' } } }, managerCaller).message).toMatch(/hex bytes/);

    // Unplugged: a clear answer, no crash.
    await pair.unplug();
    await watch.status('front', 'disconnected', /unplugged|closed|not connected/);
    expect(await feedback(core, 'front', 'good')).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/Front scanner is not connected/), details: { reason: 'device-not-connected', device: 'Front scanner' } },
    });
  });

  it('answers clearly when a serial scanner has no feedback command configured (the default)', async () => {
    const pair = await socat();
    const core = startCore();
    const watch = watchDevices(core);
    call(core, 'devices.configure', { deviceId: 'front', name: 'Front scanner', config: { transport: 'serial', path: pair.scannerPath } }, managerCaller);
    await watch.status('front', 'connected');
    expect(await feedback(core, 'front', 'good')).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: expect.stringMatching(/^Front scanner: no good-read feedback command is configured for this serial scanner/),
        // What the devices panel says, in its language, naming the device.
        details: { reason: 'beep-not-configured', device: 'Front scanner' },
      },
    });
  });

  it('beeps after each scan when the device config enables it: good for a product found, error for an unknown one', async () => {
    const pair = await socat();
    const core = startCore();
    const watch = watchDevices(core);
    call(core, 'catalogue.install', { catalogue: catalogue() }, managerCaller);
    call(
      core,
      'devices.configure',
      { deviceId: 'front', name: 'Front', config: { transport: 'serial', path: pair.scannerPath, feedbackCommands: { good: '47', error: '45' }, feedbackOnScan: true } },
      managerCaller,
    );
    await watch.status('front', 'connected');
    pair.write('4006381333931\r');
    await watch.scan(1);
    expect(String(await pair.readWritten(1))).toBe('G');
    pair.write('9780201379624\r');
    await watch.scan(2);
    expect(String(await pair.readWritten(1))).toBe('E');
  });

  it('sends HID POS output report 4 with the Good-Read (0x40) or Error (0x20) Beep bit, and survives a device that refuses the write', async () => {
    const hid = new TestDoubleHidApi();
    hid.attached.push({ vendorId: 0x0c2e, productId: 0x0b81, path: '/dev/hidraw3', usagePage: 0x8c, usage: 0x02 }, { vendorId: 0x0801, productId: 0x0002, path: '/dev/hidraw4' });
    const core = startCore({ devices: { hid } });
    const watch = watchDevices(core);
    call(core, 'devices.configure', { deviceId: 'pos', name: 'HID scanner', config: { transport: 'hid', reader: 'hid-pos', path: '/dev/hidraw3' } }, managerCaller);
    await watch.status('pos', 'connected');
    const device = hid.last;
    expect(await feedback(core, 'pos', 'good')).toEqual({ ok: true, value: { deviceId: 'pos', kind: 'good', via: 'hid-output-report', bytes: 2 } });
    expect((await feedback(core, 'pos', 'error')).ok).toBe(true);
    expect(device.written).toEqual([
      [0x04, 0x40],
      [0x04, 0x20],
    ]);

    device.refuseWrites = 'reject';
    expect(await feedback(core, 'pos', 'good')).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/HID scanner refused the good-read beep: Cannot write to hid device/) } });
    device.refuseWrites = 'throw';
    expect(await feedback(core, 'pos', 'error')).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/refused the error beep/) } });
    // Still open and reading after the refusals.
    expect(call(core, 'devices.list', {}, managerCaller).devices[0]?.status.state).toBe('connected');

    call(core, 'devices.configure', { deviceId: 'msr', name: 'Card reader', config: { transport: 'hid', reader: 'magtek-msr', path: '/dev/hidraw4' } }, managerCaller);
    await watch.status('msr', 'connected');
    expect(await feedback(core, 'msr', 'good')).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'Card reader: a HID card reader has no beep to drive' } });

    // With feedbackOnScan, each scan from the HID POS scanner is answered with its beep report.
    device.refuseWrites = null;
    device.written.length = 0;
    call(core, 'catalogue.install', { catalogue: catalogue() }, managerCaller);
    call(core, 'devices.configure', { deviceId: 'pos', name: 'HID scanner', config: { transport: 'hid', reader: 'hid-pos', path: '/dev/hidraw3', feedbackOnScan: true } }, managerCaller);
    await waitUntil(() => hid.opened.length === 3, 'the HID scanner to be reopened with its new configuration');
    const beeping = hid.last;
    await watch.status('pos', 'connected');
    await waitUntil(() => call(core, 'devices.list', {}, managerCaller).devices.find((d) => d.deviceId === 'pos')?.status.state === 'connected', 'the reopened scanner');
    beeping.report(honeywellReport('4006381333931'));
    await waitUntil(() => beeping.written.length === 1, 'the good-read beep');
    beeping.report(honeywellReport('9780201379624'));
    await waitUntil(() => beeping.written.length === 2, 'the error beep');
    expect(beeping.written).toEqual([
      [0x04, 0x40],
      [0x04, 0x20],
    ]);
    expect(watch.scans.slice(-2).map((s) => s.product?.sku ?? null)).toEqual(['TEA-1', null]);

    beeping.unplugged();
    await watch.status('pos', 'disconnected', /stopped answering/);
    expect(await feedback(core, 'pos', 'good')).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/not connected/) } });
    await waitUntil(() => hid.opened.length >= 4, 'the HID scanner to be reopened');
  });
});
