// SerialScanner end to end over real pseudo-terminal pairs (socat): framing, noise, an over-long line,
// and unplug/replug with the scanner recovering by itself.
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceInput, DriverListener, DriverStatus } from '../../src-main/core/devices/device-types';
import { SerialScanner, type SerialScannerOptions } from '../../src-main/core/devices/serial-scanner';
import { tempDir } from '../core/helpers';
import { SocatPair, waitUntil } from './socat-pair';

type Recorder = { statuses: DriverStatus[]; inputs: DeviceInput[]; listener: DriverListener; texts(): string[]; errors(): string[] };

function recorder(): Recorder {
  const statuses: DriverStatus[] = [];
  const inputs: DeviceInput[] = [];
  return {
    statuses,
    inputs,
    listener: { status: (s) => statuses.push(s), input: (i) => inputs.push(i) },
    texts: () => inputs.flatMap((i) => (i.kind === 'text' ? [i.data] : [])),
    errors: () => inputs.flatMap((i) => (i.kind === 'error' ? [i.message] : [])),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openScanner(options: Partial<SerialScannerOptions> = {}) {
  const pair = await SocatPair.start(tempDir('kasa-serial-'));
  cleanups.push(() => pair.stop());
  const rec = recorder();
  const scanner = new SerialScanner(
    { path: pair.scannerPath, baudRate: 9600, terminator: 'any', interByteTimeoutMs: 100, backoff: { initialMs: 50, maxMs: 400 }, ...options },
    rec.listener,
  );
  cleanups.push(() => scanner.close());
  scanner.start();
  await waitUntil(() => scanner.status.state === 'connected', 'the scanner to connect');
  return { pair, rec, scanner };
}

describe('SerialScanner over a socat pty pair', () => {
  it('reads a barcode written byte by byte, and barcodes written in odd chunks', async () => {
    const { pair, rec } = await openScanner();
    await pair.writeInChunks('4006381333931\r', [1]);
    await waitUntil(() => rec.texts().length === 1, 'the byte-by-byte scan');
    expect(rec.texts()).toEqual(['4006381333931']);

    await pair.writeInChunks(']E04006381333931\r\nLOY-000123456\r9780201379624\n]Q1https://example.com/m/0123456789abcdef\r\n', [3, 7, 1, 11, 2, 5]);
    await waitUntil(() => rec.texts().length === 5, 'the chunked scans');
    expect(rec.texts()).toEqual(['4006381333931', '4006381333931', 'LOY-000123456', '9780201379624', 'https://example.com/m/0123456789abcdef']);
    const symbologies = rec.inputs.flatMap((i) => (i.kind === 'text' ? [i.symbology] : []));
    expect(symbologies).toEqual([null, 'ean13', null, null, 'qr']);
    expect(rec.errors()).toEqual([]);
  });

  it('frames CR, LF and CRLF mixed in one stream, and CRLF framing strictly', async () => {
    const { pair, rec } = await openScanner();
    pair.write('A1\rB2\nC3\r\nD4\n\rE5\r\r\n\nF6\r');
    await waitUntil(() => rec.texts().length === 6, 'six scans');
    expect(rec.texts()).toEqual(['A1', 'B2', 'C3', 'D4', 'E5', 'F6']);
    await pair.stop();

    const strict = await openScanner({ terminator: 'crlf' });
    await strict.pair.writeInChunks('LOY-1\r\nLOY-2\r\n', [2, 1, 3]);
    await waitUntil(() => strict.rec.texts().length === 2, 'two CRLF scans');
    expect(strict.rec.texts()).toEqual(['LOY-1', 'LOY-2']);
  });

  it('ends a scan with no suffix after the inter-byte timeout', async () => {
    const { pair, rec } = await openScanner({ terminator: 'timeout', interByteTimeoutMs: 150 });
    pair.write('0123456789');
    await waitUntil(() => rec.texts().length === 1, 'the timeout-framed scan');
    pair.write('LOY-000123456');
    await waitUntil(() => rec.texts().length === 2, 'the second timeout-framed scan');
    expect(rec.texts()).toEqual(['0123456789', 'LOY-000123456']);
    // A scanner that does send CR is framed without waiting for the timeout too.
    pair.write('ABC123\r');
    await waitUntil(() => rec.texts().length === 3, 'a CR-terminated scan in timeout mode');
    expect(rec.texts()[2]).toBe('ABC123');
  });

  it('reports garbage and binary noise between scans without losing or inventing scans', async () => {
    const { pair, rec } = await openScanner({ staleLineMs: 200 });
    const noise = Uint8Array.from([0x00, 0xff, 0x13, 0x80, 0x0d, 0x9b, 0x1b, 0x5b, 0x00, 0x0a, 0xfe, 0x07, 0x0d, 0x0a]);
    pair.write('LOY-000000001\r');
    pair.write(noise);
    pair.write('LOY-000000002\r\n');
    await waitUntil(() => rec.texts().length === 2, 'the scans around the noise');
    // Noise with no line end at all: reported after silence, and the next scan is whole.
    pair.write(Uint8Array.from([0x01, 0x02, 0xf0, 0xf1, 0x7f, 0x1c]));
    await waitUntil(() => rec.errors().length === 4, 'the unterminated noise to be reported');
    pair.write('LOY-000000003\r');
    await waitUntil(() => rec.texts().length === 3, 'the scan after the noise');
    expect(rec.texts()).toEqual(['LOY-000000001', 'LOY-000000002', 'LOY-000000003']);
    for (const message of rec.errors()) expect(message).toMatch(/unreadable input/);
    expect(rec.inputs.filter((i) => i.kind === 'error').map((i) => i.reason)).toEqual(['line-noise', 'line-noise', 'line-noise', 'line-noise']);
  });

  it('drops a 4 KB line with no terminator with an error, then reads the next scan', async () => {
    const { pair, rec } = await openScanner({ staleLineMs: 200 });
    pair.write('X'.repeat(4096));
    await waitUntil(() => rec.errors().length === 1, 'the over-long line error');
    expect(rec.errors()[0]).toMatch(/longer than 1024 bytes/);
    expect(rec.inputs.find((i) => i.kind === 'error')).toMatchObject({ reason: 'no-line-end' });
    pair.write('LOY-000123456\r');
    await waitUntil(() => rec.texts().length === 1, 'the scan after the over-long line');
    expect(rec.texts()).toEqual(['LOY-000123456']);

    // The same when the over-long line does end: the end belongs to it, the next scan is read whole.
    pair.write(`${'Y'.repeat(4096)}\r9780201379624\r`);
    await waitUntil(() => rec.texts().length === 2, 'the scan after the terminated over-long line');
    expect(rec.texts()).toEqual(['LOY-000123456', '9780201379624']);
    expect(rec.errors()).toHaveLength(2);
  });

  it('recovers by itself after an unplug (socat killed) and a replug (socat restarted)', async () => {
    const { pair, rec, scanner } = await openScanner();
    pair.write('LOY-BEFORE\r');
    await waitUntil(() => rec.texts().length === 1, 'the scan before the unplug');

    await pair.unplug();
    await waitUntil(() => scanner.status.state === 'disconnected', 'the unplug to be noticed');
    expect(scanner.status.message).toMatch(/unplugged|closed|not connected/);
    // Said by code too, for a screen in another language: gone while open, then not there to reopen.
    expect(['unplugged', 'not-found']).toContain(scanner.status.code);
    // Stays down (retrying) while unplugged, without throwing anywhere.
    await waitUntil(() => rec.statuses.some((s) => s.code === 'not-found' && /not connected/.test(s.message)), 'a failed reopen while unplugged');

    await pair.plug();
    await waitUntil(() => scanner.status.state === 'connected', 'the scanner to reconnect by itself');
    expect(scanner.status.code).toBe('open');
    pair.write('LOY-AFTER\r');
    await waitUntil(() => rec.texts().length === 2, 'the scan after the replug');
    expect(rec.texts()).toEqual(['LOY-BEFORE', 'LOY-AFTER']);
    expect(rec.statuses.map((s) => s.state)).toEqual(expect.arrayContaining(['connected', 'disconnected']));
  });

  it('notices a port hung up while no read was waiting (endless 0-byte reads), and recovers', async () => {
    const pair = await SocatPair.start(tempDir('kasa-serial-'));
    cleanups.push(() => pair.stop());
    const rec = recorder();
    let exited: Promise<void> | null = null;
    const listener: DriverListener = {
      status: rec.listener.status,
      input: (input) => {
        rec.listener.input(input);
        // Unplugged while the scan is being handled: the port's next read starts after the hang-up.
        if (input.kind === 'text' && input.data === 'LOY-LAST') exited = pair.hangUpNow();
      },
    };
    const scanner = new SerialScanner(
      { path: pair.scannerPath, baudRate: 9600, terminator: 'any', interByteTimeoutMs: 100, healthCheckMs: 100, backoff: { initialMs: 50, maxMs: 400 } },
      listener,
    );
    cleanups.push(() => scanner.close());
    scanner.start();
    await waitUntil(() => scanner.status.state === 'connected', 'the scanner to connect');
    pair.write('LOY-LAST\r');
    await waitUntil(() => exited !== null, 'the scan that unplugs');
    await exited;
    await waitUntil(() => scanner.status.state === 'disconnected', 'the hang-up to be noticed');
    await pair.plug();
    await waitUntil(() => scanner.status.state === 'connected', 'the reconnect after the hang-up');
    pair.write('LOY-AFTER-HANGUP\r');
    await waitUntil(() => rec.texts().length === 2, 'the scan after the hang-up');
    expect(rec.texts()).toEqual(['LOY-LAST', 'LOY-AFTER-HANGUP']);
  });

  it('reports a missing port as a status, keeps retrying, and connects once it appears', async () => {
    const dir = tempDir('kasa-serial-missing-');
    const pair = new SocatPair(dir);
    cleanups.push(() => pair.stop());
    const rec = recorder();
    const scanner = new SerialScanner({ path: pair.scannerPath, baudRate: 9600, terminator: 'cr', interByteTimeoutMs: 100, backoff: { initialMs: 20, maxMs: 100 } }, rec.listener);
    cleanups.push(() => scanner.close());
    scanner.start();
    await waitUntil(() => rec.statuses.length > 0, 'a status for the missing port');
    expect(scanner.status).toEqual({ state: 'disconnected', code: 'not-found', message: expect.stringMatching(/not connected/) });
    await pair.plug();
    await waitUntil(() => scanner.status.state === 'connected', 'the port to be opened once it exists');
    pair.write('LOY-LATE\r');
    await waitUntil(() => rec.texts().length === 1, 'the scan');
    await scanner.close();
    expect(scanner.status).toEqual({ state: 'disconnected', code: 'closed', message: 'closed' });
  });
});
