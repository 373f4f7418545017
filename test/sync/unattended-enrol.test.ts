// An installer's unattended enrolment: `npm run host -- --server URL --enrol-code CODE` enrols
// the terminal at first start, keeps the enrolment on later starts, and fails loudly on a bad code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createEnrolCode, revokeTerminal } from '../../src-server/admin';
import { tempDir } from '../core/helpers';
import { minimalStaticDir, runHost } from '../host/host-process';
import { startTestServer } from '../server/server-harness';

describe('unattended enrolment of the browser host', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  const staticDir = minimalStaticDir();
  beforeAll(async () => {
    ctx = await startTestServer('postgres');
  });
  afterAll(() => ctx.close());

  it('enrols at first start and keeps the enrolment on the next', async () => {
    const dataDir = tempDir('kasa-unattended-');
    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    const first = await runHost(['--data-dir', dataDir, '--static-dir', staticDir, '--server', ctx.server.url, '--enrol-code', code], 'enrolled');
    first.stop();
    expect(first.lines.find((l) => l.includes('"event":"enrolled"'))).toContain('"already":false');
    // Until it has exited the first host holds the data folder (not a fixed wait: under load it was not enough).
    await first.exited;
    // The installer's script runs again with the same (now used) code: nothing breaks.
    const second = await runHost(['--data-dir', dataDir, '--static-dir', staticDir, '--server', ctx.server.url, '--enrol-code', code], 'enrolled');
    second.stop();
    await second.exited;
    expect(second.lines.find((l) => l.includes('"event":"enrolled"'))).toContain('"already":true');
    const terminals = await ctx.server.db.query('SELECT terminal_id FROM terminals');
    expect(terminals.length).toBeGreaterThanOrEqual(1);
  });

  it('sells on when revoked: the same command at the next start reports the used code and keeps running', async () => {
    const dataDir = tempDir('kasa-unattended-');
    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    const flags = ['--data-dir', dataDir, '--static-dir', staticDir, '--server', ctx.server.url, '--enrol-code', code];
    const first = await runHost(flags, 'enrolled');
    first.stop();
    await first.exited;
    const terminalId = (JSON.parse(first.lines.find((l) => l.includes('"event":"listening"')) ?? '{}') as { terminalId: string }).terminalId;
    await revokeTerminal(ctx.server.db, 'test', terminalId);
    // A start that syncs learns of the revocation (the log says so).
    const learning = await runHost(['--data-dir', dataDir, '--static-dir', staticDir], 'listening');
    const log = path.join(dataDir, 'logs', 'kasa.log');
    while (!(fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('"sync.revoked"'))) await new Promise((r) => setTimeout(r, 100));
    learning.stop();
    await learning.exited;
    // The service's command line (or config file) still has the used code: the counter must still open.
    const revoked = await runHost(flags, 'enrol-failed');
    revoked.stop();
    await revoked.exited;
    expect(revoked.code).toBeNull();
    const failed = JSON.parse(revoked.lines.find((l) => l.includes('"event":"enrol-failed"')) ?? '{}') as { error: string; terminalId: string };
    expect(failed.error).toMatch(/already used/);
    expect(failed.terminalId).toBe(terminalId);
  });

  it('exits with a clear message when the code is wrong', async () => {
    const result = await runHost(['--data-dir', tempDir('kasa-unattended-'), '--static-dir', staticDir, '--server', ctx.server.url, '--enrol-code', 'NOPE-NOPE-NOPE'], 'enrolled');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Enrolment with .* failed: .*Unknown enrolment code/);
  });
});
