import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, logFiles, readRecentLogLines, redactLogFields, redactLogText, REDACTED } from '../../src-main/core/logger';
import { minimalStaticDir, runHost } from '../host/host-process';
import { tempDir } from './helpers';

const PAN = '4111111111111111';
const TRACK1 = `%B${PAN}^DOE/JANE^30121010000000000000?`;
const TRACK2 = `;${PAN}=30121010000000000?`;
const PHONES = ['+905321234567', '0532 123 45 67', '(0532) 123-45-67', '532.123.45.67'];
const MEMBER_ID = '0f3a8b9c-1d2e-4f50-8a6b-123456789012';

describe('structured log', () => {
  it('writes one JSON object per line with level, time, event and fields, below the level dropped', () => {
    const dir = tempDir('kasa-log-');
    const log = createFileLogger({ dir, level: 'info', now: () => new Date('2026-05-01T10:00:00.000Z') });
    log.debug('not kept', {});
    log.info('sync.cycle', { pushed: 3, memberId: MEMBER_ID });
    log.error('device.error', { deviceId: 'd1', message: 'port closed' });
    const lines = fs.readFileSync(path.join(dir, 'kasa.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { level: 'info', time: '2026-05-01T10:00:00.000Z', event: 'sync.cycle', pushed: 3, memberId: MEMBER_ID },
      { level: 'error', time: '2026-05-01T10:00:00.000Z', event: 'device.error', deviceId: 'd1', message: 'port closed' },
    ]);
  });

  it('rotates by size into a bounded number of files, newest lines kept', () => {
    const dir = tempDir('kasa-log-');
    const log = createFileLogger({ dir, maxBytes: 2048, maxFiles: 3 });
    for (let i = 0; i < 200; i++) log.info('tick', { i, padding: 'x'.repeat(60) });
    const files = logFiles(dir);
    expect(files.map((f) => path.basename(f))).toEqual(['kasa.2.log', 'kasa.1.log', 'kasa.log']);
    for (const file of files) expect(fs.statSync(file).size).toBeLessThanOrEqual(2048);
    // Nothing else piles up in the folder.
    expect(fs.readdirSync(dir).sort()).toEqual(['kasa.1.log', 'kasa.2.log', 'kasa.log']);
    const recent = readRecentLogLines(dir, 10_000).map((l) => (JSON.parse(l) as { i: number }).i);
    // Contiguous and ending with the last line written: rotation lost nothing in between.
    expect(recent.at(-1)).toBe(199);
    expect(recent).toEqual(Array.from({ length: recent.length }, (_, k) => 199 - recent.length + 1 + k));
    expect(readRecentLogLines(dir, 5)).toHaveLength(5);
  });

  it('continues an existing file after a restart and rotates it when full', () => {
    const dir = tempDir('kasa-log-');
    createFileLogger({ dir, maxBytes: 1024, maxFiles: 2 }).info('first run', { padding: 'y'.repeat(900) });
    const second = createFileLogger({ dir, maxBytes: 1024, maxFiles: 2 });
    second.info('second run', { padding: 'z'.repeat(300) });
    expect(fs.readFileSync(path.join(dir, 'kasa.1.log'), 'utf8')).toContain('first run');
    expect(fs.readFileSync(path.join(dir, 'kasa.log'), 'utf8')).toContain('second run');
  });

  it('never fails the caller when the folder cannot be written', () => {
    const dir = tempDir('kasa-log-');
    const blocked = path.join(dir, 'a-file');
    fs.writeFileSync(blocked, 'not a folder');
    const log = createFileLogger({ dir: path.join(blocked, 'logs') });
    expect(() => log.error('still selling', {})).not.toThrow();
  });
});

describe('log redaction', () => {
  it('drops card data, PINs and phone numbers passed as fields, keeps member ids', () => {
    const dir = tempDir('kasa-log-');
    const log = createFileLogger({ dir });
    log.info('scan', {
      memberId: MEMBER_ID,
      pan: PAN,
      track: TRACK1,
      pin: '2580',
      customerPin: '1357',
      phone: '+905321234567',
      nested: { cardNumber: PAN, pin_hash: 'abc', list: [TRACK2] },
      panAsNumber: 4111111111111111,
      amountMinor: 125050,
    });
    const text = fs.readFileSync(path.join(dir, 'kasa.log'), 'utf8');
    for (const secret of [PAN, '411111', '2580', '1357', '5321234567', 'DOE/JANE', '30121010']) expect(text).not.toContain(secret);
    const line = JSON.parse(text) as Record<string, unknown>;
    expect(line.memberId).toBe(MEMBER_ID);
    expect(line.amountMinor).toBe(125050);
    expect(line.pin).toBe(REDACTED);
    expect(line.panAsNumber).toBe(REDACTED);
  });

  it('scrubs PANs, track data, phone numbers and PINs out of free text and event names', () => {
    const samples = [
      `read ${TRACK1} from reader`,
      `read ${TRACK2} from reader`,
      `card ${PAN} declined`,
      'card 4111 1111 1111 1111 declined',
      'card 4111-1111-1111-1111 declined',
      ...PHONES.map((p) => `lookup ${p} failed`),
      'wrong PIN 2580 for Meral',
      'pin: 1357',
    ];
    for (const sample of samples) {
      const out = redactLogText(sample);
      expect(out, sample).toContain(REDACTED);
      expect(out, sample).not.toMatch(/\d{4,}/);
    }
    const dir = tempDir('kasa-log-');
    createFileLogger({ dir }).warn(`swipe ${TRACK2}`, { message: `wrong PIN 2580, phone ${PHONES[1]}` });
    const text = fs.readFileSync(path.join(dir, 'kasa.log'), 'utf8');
    expect(text).not.toContain(PAN);
    expect(text).not.toContain('2580');
    expect(text).not.toContain('123 45 67');
  });

  it('leaves ids, times, addresses and small numbers readable', () => {
    const text = `member ${MEMBER_ID} at 2026-05-01T10:00:00.000+03:00 on 2026-05-01 via http://192.168.100.200:8080, seq 42, version 13.2.0`;
    expect(redactLogText(text)).toBe(text);
    // The backup a migration wrote, named for support to find (it read kasa.db.v[redacted]T[redacted]Z.bak).
    const backup = '/var/lib/kasa/kasa.db.v5-2026-12-02T04-12-00-123Z.bak';
    expect(redactLogFields({ backupFile: backup })).toEqual({ backupFile: backup });
    // A phone number beside it is still scrubbed.
    expect(redactLogText(`${backup} for 0532 123 45 67`)).toBe(`${backup} for ${REDACTED}`);
    expect(redactLogFields({ memberId: MEMBER_ID, seq: 1234567, shipping: 'yes' })).toEqual({ memberId: MEMBER_ID, seq: 1234567, shipping: 'yes' });
  });
});

describe('where the host logs', () => {
  it('writes to <data dir>/logs by default and to --log-dir when given', async () => {
    const staticDir = minimalStaticDir();
    const dataDir = tempDir('kasa-log-host-');
    const first = await runHost(['--data-dir', dataDir, '--static-dir', staticDir], 'listening');
    first.stop();
    expect(readRecentLogLines(path.join(dataDir, 'logs')).some((l) => l.includes('"event":"core.started"'))).toBe(true);

    const logDir = path.join(tempDir('kasa-log-host-'), 'elsewhere');
    const second = await runHost(['--data-dir', tempDir('kasa-log-host-'), '--static-dir', staticDir, '--log-dir', logDir], 'listening');
    second.stop();
    expect(readRecentLogLines(logDir).some((l) => l.includes('"event":"core.started"'))).toBe(true);
  });
});
