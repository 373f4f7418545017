// An installer's unattended enrolment: `npm run host -- --server URL --enrol-code CODE` enrols
// the terminal at first start, keeps the enrolment on later starts, and fails loudly on a bad code.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../src-server/admin';
import { tempDir } from '../core/helpers';
import { startTestServer } from '../server/server-harness';

const CLI = path.resolve(__dirname, '../../src-main/host/cli.ts');

function runHost(dataDir: string, staticDir: string, args: string[]): Promise<{ lines: string[]; code: number | null; stderr: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dataDir, '--static-dir', staticDir, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Started and enrolled (or told why not): that is all this test needs from the host.
      if (out.includes('"event":"enrolled"')) resolve({ lines: out.split('\n'), code: null, stderr, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => resolve({ lines: out.split('\n'), code, stderr, stop: () => undefined }));
  });
}

describe('unattended enrolment of the browser host', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  const staticDir = tempDir('kasa-static-');
  beforeAll(async () => {
    ctx = await startTestServer('postgres');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  });
  afterAll(() => ctx.close());

  it('enrols at first start and keeps the enrolment on the next', async () => {
    const dataDir = tempDir('kasa-unattended-');
    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    const first = await runHost(dataDir, staticDir, ['--server', ctx.server.url, '--enrol-code', code]);
    first.stop();
    expect(first.lines.find((l) => l.includes('"event":"enrolled"'))).toContain('"already":false');
    await new Promise((r) => setTimeout(r, 500));
    // The installer's script runs again with the same (now used) code: nothing breaks.
    const second = await runHost(dataDir, staticDir, ['--server', ctx.server.url, '--enrol-code', code]);
    second.stop();
    expect(second.lines.find((l) => l.includes('"event":"enrolled"'))).toContain('"already":true');
    const terminals = await ctx.server.db.query('SELECT terminal_id FROM terminals');
    expect(terminals.length).toBeGreaterThanOrEqual(1);
  });

  it('exits with a clear message when the code is wrong', async () => {
    const result = await runHost(tempDir('kasa-unattended-'), staticDir, ['--server', ctx.server.url, '--enrol-code', 'NOPE-NOPE-NOPE']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Enrolment with .* failed: .*Unknown enrolment code/);
  });
});
