// Each way "Connect to server" fails gets its code (details.syncError, a sync failure code) where the
// sync client meets it, through real sockets: the real server's refusals of a code (unknown, used,
// expired, a terminal enrolled twice, too many attempts), a proxy that refuses connections or
// answers as some other web server, a typed address that is not one. A screen says the code's
// sentence (en and tr, test/renderer/i18n.test.ts); the English message stays as the detail.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../src-shared/api/errors';
import type { SyncErrorCode } from '../../src-shared/sync/sync-errors';
import { createEnrolCode } from '../../src-server/admin';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { tempDir } from '../core/helpers';
import { startTestServer } from '../server/server-harness';
import { FaultProxy, type CannedAnswer } from './fault-proxy';
import { manager, openTerminal } from './sync-harness';

/** terminal.enrol's error, which must be one (a success fails the test). */
async function enrolError(core: TerminalCore, serverUrl: string, code: string): Promise<ApiError> {
  const result = await core.dispatchAsync('terminal.enrol', { serverUrl, code }, manager);
  if (result.ok) throw new Error('the enrolment was expected to fail');
  return result.error;
}

const failedAs = (syncError: SyncErrorCode) => ({ details: { reason: 'sync-failed', syncError } });

describe('what a failed enrolment is called', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let proxy: FaultProxy;
  let core: TerminalCore;
  beforeAll(async () => {
    ctx = await startTestServer('postgres', { enrolLimitPerMinute: 1000 });
    proxy = await new FaultProxy(ctx.server.port, 3_500).start();
    core = openTerminal();
  });
  afterAll(async () => {
    core.close();
    await proxy.close();
    await ctx.close();
  });

  it("an unknown code is code-unknown, the server's words the detail", async () => {
    expect(await enrolError(core, ctx.server.url, 'NOPE-NOPE-NOPE')).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/Unknown enrolment code/), ...failedAs('code-unknown') });
  });

  it('an expired code is code-expired', async () => {
    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    await ctx.server.db.query("UPDATE enrol_codes SET expires_at = now() - interval '1 hour'");
    expect(await enrolError(core, ctx.server.url, code)).toMatchObject({ message: expect.stringMatching(/expired/), ...failedAs('code-expired') });
  });

  it('a used code is code-used; a terminal the server has enrolled, with a fresh code, already-enrolled', async () => {
    const first = openTerminal();
    try {
      const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
      const enrolled = await first.dispatchAsync('terminal.enrol', { serverUrl: ctx.server.url, code }, manager);
      expect(enrolled.ok).toBe(true);
      expect(await enrolError(core, ctx.server.url, code)).toMatchObject({ message: expect.stringMatching(/already used/), ...failedAs('code-used') });
      // The same terminal id with a fresh code, while the server still has it enrolled.
      const { code: fresh } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
      expect(await enrolError(first, ctx.server.url, fresh)).toMatchObject({ code: 'ALREADY_EXISTS', ...failedAs('already-enrolled') });
    } finally {
      first.close();
    }
  });

  it('too many attempts from one address are too-many-attempts', async () => {
    const strict = await startTestServer('postgres', { enrolLimitPerMinute: 2 });
    try {
      for (let i = 0; i < 2; i += 1) expect((await enrolError(core, strict.server.url, 'NOPE-NOPE-NOPE')).details).toMatchObject({ syncError: 'code-unknown' });
      expect(await enrolError(core, strict.server.url, 'NOPE-NOPE-NOPE')).toMatchObject({ code: 'UNAVAILABLE', ...failedAs('too-many-attempts') });
    } finally {
      await strict.close();
    }
  });

  it('no server at the address is unreachable', async () => {
    await proxy.setMode('refuse');
    try {
      expect(await enrolError(core, proxy.url, 'ABCD-EFGH-JKLM')).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/ECONNREFUSED/), ...failedAs('unreachable') });
    } finally {
      await proxy.setMode('pass');
    }
  });

  it("a server whose certificate is not trusted is certificate, and the detail says so, not 'check the network'", async () => {
    const dir = tempDir('kasa-tls-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const error = await enrolError(core, `https://127.0.0.1:${(server.address() as { port: number }).port}`, 'ABCD-EFGH-JKLM');
      expect(error).toMatchObject({ code: 'UNAVAILABLE', ...failedAs('certificate') });
      // The English detail is what the host prints to an installer at an unattended enrolment.
      expect(error.message).toMatch(/^The server's security certificate was not accepted \(\w*SELF_SIGNED\w*\)\. Check this PC's date and time/);
      expect(error.message).toMatch(/NODE_EXTRA_CA_CERTS/);
      expect(error.message).not.toMatch(/unreachable|Check the address and the network/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const notKasa: [string, CannedAnswer][] = [
    ['a web page', { status: 200, contentType: 'text/html', body: '<html><body>Welcome to nginx!</body></html>' }],
    ['a 404', { status: 404, contentType: 'text/html', body: '<html><body>Not Found</body></html>' }],
    ['another JSON service', { status: 200, contentType: 'application/json', body: '{"status":"ok"}' }],
  ];
  it.each(notKasa)('an address answered by %s is not-kasa-server', async (_name, canned) => {
    proxy.canned = canned;
    await proxy.setMode('canned');
    try {
      expect(await enrolError(core, proxy.url, 'ABCD-EFGH-JKLM')).toMatchObject(failedAs('not-kasa-server'));
    } finally {
      await proxy.setMode('pass');
    }
  });

  it('a server failing is server-error, as in sync', async () => {
    proxy.canned = { status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'nothing was stored' } }) };
    await proxy.setMode('canned');
    try {
      expect(await enrolError(core, proxy.url, 'ABCD-EFGH-JKLM')).toMatchObject({ code: 'UNAVAILABLE', ...failedAs('server-error') });
    } finally {
      await proxy.setMode('pass');
    }
  });

  it('an address that is not one is refused before any request, with its own reason', async () => {
    for (const serverUrl of ['https://', 'kasa.example.com', 'http://kasa.example.com', 'https://kasa example.com']) {
      const error = await enrolError(core, serverUrl, 'ABCD-EFGH-JKLM');
      expect(error, serverUrl).toMatchObject({ code: 'VALIDATION', details: { issues: [{ path: 'serverUrl', reason: 'server-address' }] } });
    }
    // What an installer types for a real server still passes the check (and then fails to connect).
    for (const serverUrl of ['https://localhost:1', 'https://127.0.0.1:1/kasa/', 'http://127.0.0.1:1', 'https://[::1]:9']) {
      const error = await enrolError(core, serverUrl, 'ABCD-EFGH-JKLM');
      expect(error.code, serverUrl).not.toBe('VALIDATION');
    }
  });
});
