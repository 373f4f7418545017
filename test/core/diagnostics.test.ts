// "Save diagnostics" on a terminal that has seen everything support could leak: a manager PIN, a
// customer PIN, phone numbers, a payment card swipe, and a server credential from a real enrolment.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src-main/core/db/migrations';
import { createFileLogger } from '../../src-main/core/logger';
import { createFileSecretStore } from '../../src-main/core/secret-store';
import { createEnrolCode } from '../../src-server/admin';
import { startTestServer } from '../server/server-harness';
import { callAsync, FAST_SYNC } from '../sync/sync-harness';
import { call, openCore, tempDir } from './helpers';

const PAN = '4111111111111111';
const SWIPE = `%B${PAN}^DOE/JOHN^2512101000000000000000000?;${PAN}=25121010000000000000?`;
const PHONE = '+905321234567';

describe('save diagnostics', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    ctx = await startTestServer('pglite');
  });
  afterAll(() => ctx.close());

  it('bundles logs, versions, native modules, devices, sync status and schema version, and no PIN, PAN or credential', async () => {
    const dataDir = tempDir('kasa-diag-');
    const core = openCore(dataDir, { sync: FAST_SYNC as never, appVersion: '9.8.7', store: { country: 'TR', currency: 'TRY' } });
    try {
      const screen = core.sessions.open();
      expect(core.sessions.call(screen, 'auth.setup', { name: 'Meral', pin: '2580' }).ok).toBe(true);
      const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
      await callAsync(core, 'terminal.enrol', { serverUrl: ctx.server.url, code, name: 'Till 1' });
      // The credential as the terminal uses it, and the files it is kept in.
      const credential = [createFileSecretStore(dataDir).get('sync-credential'), ...fs.readdirSync(path.join(dataDir, 'secrets')).map((f) => fs.readFileSync(path.join(dataDir, 'secrets', f)))].filter(
        (c): c is Buffer => c !== null,
      );
      expect(credential.length).toBeGreaterThan(1);
      const { member } = call(core, 'members.enroll', { phone: PHONE, name: 'Ayşe', customerPin: '1357' });
      call(core, 'devices.configure', { name: 'Counter scanner', config: { transport: 'serial', path: path.join(dataDir, 'no-such-tty') } }, { role: 'manager', userId: null });
      const scan = call(core, 'devices.keyboardScan', { text: SWIPE });
      expect(scan.kind).toBe('card');
      // Something unexpected reaches the log with personal data in it.
      core.context.log.error('test.careless-caller', { phone: PHONE, message: `swipe ${SWIPE} by ${PHONE}, PIN 2580`, memberId: member.memberId });
      // The desktop shell's own log in the same folder (updates).
      createFileLogger({ dir: core.context.log.dir ?? '', baseName: 'kasa-shell' }).info('update.downloaded', { detail: '1.2.3', phone: PHONE });
      const wrongPin = core.sessions.call(core.sessions.open(), 'auth.signIn', { userId: member.memberId, pin: '9999' });
      expect(wrongPin.ok).toBe(false);

      const bundle = await callAsync(core, 'terminal.diagnostics', { logLines: 500 }, { role: 'manager', userId: null });
      expect(bundle.fileName).toMatch(/^kasa-diagnostics-[0-9a-f]{8}-.*\.json$/);
      const parsed = JSON.parse(bundle.content) as Record<string, any>;
      expect(Object.keys(parsed)).toEqual(['format', 'createdAt', 'terminal', 'versions', 'database', 'selfTest', 'devices', 'sync', 'logs']);
      expect(parsed.terminal).toMatchObject({ terminalId: core.terminalId, storeName: expect.any(String) });
      expect(parsed.versions).toMatchObject({ app: '9.8.7', node: process.versions.node });
      expect(parsed.versions.nativeModules.map((m: { module: string }) => m.module)).toEqual(['better-sqlite3', 'node-hid', 'serialport']);
      expect(parsed.database.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(parsed.devices.configured).toEqual([expect.objectContaining({ name: 'Counter scanner' })]);
      expect(parsed.sync).toMatchObject({ enrolled: true, serverUrl: ctx.server.url });
      const events = parsed.logs.lines.map((l: { event: string }) => l.event);
      expect(parsed.logs.shellLines).toEqual([expect.objectContaining({ event: 'update.downloaded', detail: '1.2.3', phone: '[redacted]' })]);
      expect(events).toEqual(expect.arrayContaining(['core.started', 'sync.enrolled', 'test.careless-caller']));
      expect(parsed.logs.lines.find((l: { event: string }) => l.event === 'test.careless-caller').memberId).toBe(member.memberId);

      for (const secret of [PAN, '411111', 'DOE/JOHN', '2580', '1357', '5321234567', '532 123', ...credential.map((c) => c.toString('utf8')).filter((c) => c.length >= 8)]) {
        expect(bundle.content, secret).not.toContain(secret);
      }
      // And the raw credential bytes, in whatever encoding.
      for (const c of credential) {
        expect(bundle.content).not.toContain(c.toString('base64'));
        expect(bundle.content).not.toContain(c.toString('hex'));
      }
    } finally {
      core.close();
    }
  });

  it('is for managers only', async () => {
    const core = openCore(tempDir('kasa-diag-'), { sync: false });
    try {
      const r = await core.dispatchAsync('terminal.diagnostics', {}, { role: 'cashier', userId: 'c1' });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      core.close();
    }
  });
});
