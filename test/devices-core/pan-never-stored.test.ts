// PCI: a test card swiped through every path (keyboard-format reader on a serial port, a MagTek HID report
// through a test-double device, and a keyboard-wedge burst), linked, and swiped again; then the database file,
// its WAL, every other file of the data folder, the captured log output, the outbox rows and the events are
// searched for the card number: nothing may be found.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { DeviceScan } from '../../src-shared/api/contract';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, callError, openCore, tempDir } from '../core/helpers';
import { managerCaller, watchDevices } from './core-events';
import { magtekReport, TestDoubleHidApi } from './hid-test-double';
import { SocatPair } from './socat-pair';

const PAN = '4111111111111111';
const SWIPE = '%B4111111111111111^DOE/JOHN^2512101000000000000000000?;4111111111111111=25121010000000000000?';
const TRACK1 = '%B4111111111111111^DOE/JOHN^2512101000000000000000000?';
const TRACK2 = ';4111111111111111=25121010000000000000?';

/**
 * Where `411111` followed by a digit appears outside a hex identifier. SHA-256 hashes, HMAC tokens and UUIDs
 * are long runs of lowercase hex in which any 7 characters can occur by chance; a stored PAN, BIN or track
 * would sit among decimal digits, quotes or separators, and the full PAN is searched for everywhere anyway.
 */
function panFragments(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/411111\d/g)) {
    let start = m.index;
    let end = m.index + m[0].length;
    while (start > 0 && /[0-9a-f-]/.test(text[start - 1] ?? '')) start -= 1;
    while (end < text.length && /[0-9a-f-]/.test(text[end] ?? '')) end += 1;
    const run = text.slice(start, end);
    const hexIdentifier = run.length >= 16 && /[a-f]/.test(run);
    if (!hexIdentifier) found.push(text.slice(Math.max(0, m.index - 20), m.index + 30));
  }
  return found;
}

function expectNoPan(what: string, text: string): void {
  expect(text.includes(PAN), `${what} holds the PAN`).toBe(false);
  expect(panFragments(text), `${what} holds 411111 followed by digits`).toEqual([]);
  expect(text.includes('DOE/JOHN'), `${what} holds the cardholder name`).toBe(false);
  expect(text.includes('=2512101'), `${what} holds track 2 data`).toBe(false);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

let core: TerminalCore;
let pair: SocatPair;
let dataDir: string;
const logs: string[] = [];
const spies: MockInstance[] = [];

beforeAll(async () => {
  // Everything written to the console or the process streams while the test runs is kept and searched.
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    spies.push(vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logs.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack ?? ''}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '))));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    spies.push(
      vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
        return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write),
    );
  }
  pair = await SocatPair.start(tempDir('kasa-pan-pty-'));
  dataDir = tempDir('kasa-pan-');
});

afterAll(async () => {
  core?.close();
  await core?.devices.close();
  await pair?.stop();
  for (const spy of spies) spy.mockRestore();
});

describe('a payment card swiped through every path', () => {
  it('is known only by its keyed token, brand and last four: the PAN is nowhere', async () => {
    const hid = new TestDoubleHidApi();
    hid.attached.push({ vendorId: 0x0801, productId: 0x0002, path: '/dev/hidraw-msr', product: 'USB Swipe Reader' });
    core = openCore(dataDir, { devices: { hid, backoff: { initialMs: 30, maxMs: 200 } } });
    const watch = watchDevices(core);
    const { member } = call(core, 'members.enroll', { phone: '05321234567', name: 'John Doe' });
    call(core, 'devices.configure', { deviceId: 'msr-serial', name: 'Keyboard-format reader on serial', config: { transport: 'serial', path: pair.scannerPath } }, managerCaller);
    call(core, 'devices.configure', { deviceId: 'msr-hid', name: 'MagTek HID', config: { transport: 'hid', reader: 'magtek-msr', vendorId: 0x0801, productId: 0x0002 } }, managerCaller);
    await watch.status('msr-serial', 'connected');
    await watch.status('msr-hid', 'connected');

    // 1. Serial (keyboard-format reader): an unknown card.
    pair.write(`${SWIPE}\r`);
    const first = await watch.scan(1);
    expect(first).toMatchObject({ deviceId: 'msr-serial', kind: 'card', member: null, symbology: 'magstripe', display: 'VISA •••• 1111' });
    expect(first.message).toMatch(/not linked/);

    // Linked to the member on screen, by the scan the cashier saw.
    const linked = call(core, 'members.linkCard', { memberId: member.memberId, lastCardScan: true, scanId: first.scanId });
    expect(linked).toMatchObject({ created: true, member: { memberId: member.memberId }, card: { kind: 'payment', brand: 'visa', last4: '1111', cardNumber: null } });
    const token = core.context.db.prepare<[], { card_token: string }>('SELECT card_token FROM member_cards').get()?.card_token;
    expect(token).toMatch(/^v1:[0-9a-f]{64}$/);

    // 2. Serial again: found by token.
    pair.write(`${SWIPE}\r`);
    expect(await watch.scan(2)).toMatchObject({ deviceId: 'msr-serial', kind: 'card', member: { memberId: member.memberId, name: 'John Doe' } });

    // 3. MagTek HID report (byte fixture through the test double): the same token finds the member.
    hid.last.report(magtekReport(TRACK1, TRACK2));
    expect(await watch.scan(3)).toMatchObject({ deviceId: 'msr-hid', kind: 'card', member: { memberId: member.memberId }, display: 'VISA •••• 1111' });

    // 4. Keyboard wedge (the renderer hands the burst over): found, and linking again changes nothing.
    const wedge = call(core, 'devices.keyboardScan', { text: SWIPE });
    expect(wedge).toMatchObject({ deviceId: 'keyboard', kind: 'card', member: { memberId: member.memberId } });
    expect(call(core, 'members.linkCard', { memberId: member.memberId, lastCardScan: true }).created).toBe(false);
    // A card token belongs to one member at most.
    const other = call(core, 'members.enroll', { phone: '05321234568' }).member;
    expect(callError(core, 'members.linkCard', { memberId: other.memberId, lastCardScan: true }).code).toBe('ALREADY_EXISTS');

    // Bad cards on every path: a clear message, nothing kept.
    pair.write('%B4111111111111112^DOE/JOHN^2512101000000000000000000?\r');
    expect(await watch.scan(5)).toMatchObject({ kind: 'error', reason: 'card-check-digit', message: expect.stringMatching(/check digit/) });
    hid.last.report(magtekReport('', TRACK2, [0, 0, 0]).fill(0x2a, 118, 124));
    expect((await watch.scan(6)).kind).not.toBe('card');
    call(core, 'devices.keyboardScan', { text: PAN });
    expect(watch.scans.at(-1)).toMatchObject({ kind: 'error', reason: 'card-number-barcode', display: 'VISA •••• 1111', message: expect.stringMatching(/payment card number/) });

    // Something written to the ledger and audit outboxes after the swipes: a sale for the member.
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 }], idempotencyKey: 'pan-test-sale-1' });

    // What reached the screens (events) and the API results.
    const scans: DeviceScan[] = watch.scans;
    expect(scans.length).toBeGreaterThanOrEqual(7);
    expectNoPan('device events', JSON.stringify(watch.all));
    expectNoPan('the keyboardScan result', JSON.stringify(wedge));
    expectNoPan('the linkCard result', JSON.stringify(linked));

    // What is queued for the server: the ledger's outbox rows with their entries, and the audit
    // records (pushed by seq after the acknowledged one).
    const db = core.context.db;
    const outbox = db.prepare('SELECT o.*, l.* FROM outbox o JOIN ledger l ON l.seq = o.seq').all();
    const auditQueue = db.prepare('SELECT a.* FROM audit_log a WHERE a.seq > (SELECT coalesce(max(audit_acked_through_seq), 0) FROM sync_state)').all();
    expect(outbox.length).toBeGreaterThan(0);
    expect(auditQueue.length).toBeGreaterThan(0);
    expectNoPan('the ledger outbox', JSON.stringify(outbox));
    expectNoPan('the audit records queued for the server', JSON.stringify(auditQueue));
    // Every row of every table.
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
    for (const { name } of tables) expectNoPan(`table ${name}`, JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all()));

    // The database file and its WAL while the core is running, and every file of the data folder.
    const wal = `${core.databaseFile}-wal`;
    expect(fs.existsSync(wal)).toBe(true);
    expect(fs.statSync(wal).size).toBeGreaterThan(0);
    for (const file of filesUnder(dataDir)) expectNoPan(file, fs.readFileSync(file).toString('latin1'));

    // And after the core closed (WAL checkpointed into the file).
    core.close();
    await core.devices.close();
    for (const file of filesUnder(dataDir)) expectNoPan(file, fs.readFileSync(file).toString('latin1'));

    // The captured log output.
    expectNoPan('log output', logs.join('\n'));
  });
});
