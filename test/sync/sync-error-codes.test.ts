// Each way a sync attempt fails gets its code where the sync client meets it, through real sockets:
// a real server behind the test's fault proxy, a TLS server whose certificate nobody signed. The
// status carries the code beside the English message, and the day report says it in the store's
// language (a Turkish store in Turkish), keeping the message as its technical detail.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src-shared/api/sync-methods';
import { ENGLISH_SYNC_WORDS, syncErrorCodeOf, TURKISH_SYNC_WORDS } from '../../src-shared/sync/sync-errors';
import { call, openCore, tempDir } from '../core/helpers';
import { startTestServer } from '../server/server-harness';
import type { CannedAnswer, FaultMode } from './fault-proxy';
import { enrolTerminal, FAST_SYNC, manager, openTerminal, sell, syncNow, terminalBehindFaultProxy } from './sync-harness';

const json = (status: number, value: unknown): CannedAnswer => ({ status, contentType: 'application/json', body: JSON.stringify(value) });

const CASES: { fault: FaultMode; canned?: CannedAnswer; code: NonNullable<SyncStatus['lastError']>['code']; phase: SyncStatus['phase'] }[] = [
  { fault: 'refuse', code: 'unreachable', phase: 'waiting-to-retry' },
  { fault: 'slow', code: 'timeout', phase: 'waiting-to-retry' },
  { fault: 'drop-request', code: 'connection-lost', phase: 'waiting-to-retry' },
  { fault: 'drop-response', code: 'connection-lost', phase: 'waiting-to-retry' },
  { fault: 'error-500', code: 'server-error', phase: 'waiting-to-retry' },
  { fault: 'canned', canned: json(503, { error: { code: 'UNAVAILABLE', message: 'nothing was stored' } }), code: 'server-error', phase: 'waiting-to-retry' },
  { fault: 'canned', canned: json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }), code: 'server-busy', phase: 'waiting-to-retry' },
  // A captive portal or a proxy's own page, and a server of another protocol.
  { fault: 'canned', canned: { status: 200, contentType: 'text/html', body: '<html><body>Sign in to the Wi-Fi</body></html>' }, code: 'bad-reply', phase: 'waiting-to-retry' },
  { fault: 'canned', canned: json(200, { accepted: true }), code: 'bad-reply', phase: 'waiting-to-retry' },
  { fault: 'canned', canned: json(400, { error: { code: 'VALIDATION', message: 'Invalid push body' } }), code: 'refused', phase: 'waiting-to-retry' },
  // An answer that takes nothing of the batch: the entry stays queued and a person must look.
  {
    fault: 'canned',
    canned: json(200, { ackedThroughSeq: 0, auditAckedThroughSeq: 0, results: [{ seq: 1, status: 'gap', exceptions: [] }], serverTime: '2026-01-01T00:00:00.000Z' }),
    code: 'entry-refused',
    phase: 'blocked',
  },
];

describe('what a failed sync attempt is called', () => {
  const env = terminalBehindFaultProxy('postgres');

  it.each(CASES.map((c, i) => ({ ...c, name: `${c.fault}${c.canned ? ` ${c.canned.status} ${c.canned.contentType}` : ''}`, i })))('$name is $code', async ({ fault, canned, code, phase, i }) => {
    if (canned) env.proxy.canned = canned;
    await env.proxy.setMode(fault);
    sell(env.core, `+90532555${String(i).padStart(4, '0')}`, 10_000);
    const failed = await syncNow(env.core);
    expect(failed.phase).toBe(phase);
    expect(failed.lastError).toMatchObject({ code, message: expect.any(String) });
    // The stored code survives a fresh read of the status.
    expect(call(env.core, 'sync.status', {}).lastError?.code).toBe(code);

    await env.proxy.setMode('pass');
    expect(await syncNow(env.core)).toMatchObject({ phase: 'idle', queuedEntries: 0, lastError: null });
  });

  it('says the failure in the Turkish store\'s day report, keeping the message as the detail', async () => {
    await env.proxy.setMode('refuse');
    sell(env.core, '+905325559990', 10_000);
    const failed = await syncNow(env.core);
    const report = call(env.core, 'reports.day', {}, manager).sync;
    expect(report).toMatchObject({
      reasonCode: 'retrying',
      lastErrorCode: 'unreachable',
      lastError: failed.lastError?.message,
      reason: 'Son deneme başarısız oldu. Sunucuya ulaşılamadı: bu bilgisayarın ağ bağlantısını kontrol edin. Kendiliğinden yeniden denenir.',
    });
    expect(report.lastError).toMatch(/^The server is unreachable \(ECONNREFUSED\)$/);
    await env.proxy.setMode('pass');
    expect(await syncNow(env.core)).toMatchObject({ phase: 'idle', lastError: null });
  });

  it('calls a credential the server does not know credential-refused (a revoked one is revoked: sync-basics)', async () => {
    const other = openTerminal();
    try {
      await enrolTerminal(other, env.ctx.server, env.proxy.url);
      await env.ctx.server.db.query("UPDATE terminals SET credential_hash = 'forgotten' WHERE terminal_id = $1", [other.terminalId]);
      sell(other, '+905325559991', 1_000);
      expect(await syncNow(other)).toMatchObject({ phase: 'revoked', lastError: { code: 'credential-refused', message: expect.stringMatching(/\. Enrol the terminal again with a new code; nothing queued is lost$/) } });
    } finally {
      other.close();
    }
  });

  it('calls one entry over a env.proxy body limit too-large', async () => {
    const other = openTerminal();
    try {
      await enrolTerminal(other, env.ctx.server, env.proxy.url);
      env.proxy.maxBodyBytes = 200;
      await env.proxy.setMode('body-limit');
      sell(other, '+905325559992', 1_000);
      expect(await syncNow(other)).toMatchObject({ phase: 'waiting-to-retry', lastError: { code: 'too-large', message: expect.stringMatching(/HTTP 413/) } });
    } finally {
      env.proxy.maxBodyBytes = 1024 * 1024;
      await env.proxy.setMode('pass');
      other.close();
    }
  });
});

describe('a server whose TLS certificate is not trusted', () => {
  it('is a certificate problem, said in English for an English store', async () => {
    const dir = tempDir('kasa-tls-');
    // A certificate nobody signed, as a wrong clock makes a good one look (expired, not yet valid).
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const ctx = await startTestServer('postgres');
    const core = openCore(tempDir('kasa-sync-'), { sync: FAST_SYNC as never, store: { country: 'GB', currency: 'GBP', locale: 'en-GB', timeZone: 'Europe/London' } });
    try {
      await enrolTerminal(core, ctx.server);
      // The terminal moved to the TLS address (as an installer's https:// server would be).
      core.context.db.prepare('UPDATE sync_state SET server_url = ?').run(`https://127.0.0.1:${(server.address() as { port: number }).port}`);
      call(core, 'members.enroll', { phone: '+447911123456' });
      const failed = await syncNow(core);
      expect(failed.lastError).toMatchObject({ code: 'certificate', message: expect.stringMatching(/SELF_SIGNED|CERT/) });
      expect(call(core, 'reports.day', {}, manager).sync.reason).toBe(`The last attempt failed. ${ENGLISH_SYNC_WORDS.error.certificate} It is retried automatically.`);
    } finally {
      core.close();
      await ctx.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('sync error codes', () => {
  it('reads a stored code it does not know, or none, as other', () => {
    expect(syncErrorCodeOf('timeout')).toBe('timeout');
    expect(syncErrorCodeOf(null)).toBe('other');
    expect(syncErrorCodeOf('added-by-a-later-version')).toBe('other');
  });

  it('has a sentence for every code in English and Turkish, each a whole sentence', () => {
    for (const words of [ENGLISH_SYNC_WORDS, TURKISH_SYNC_WORDS]) {
      for (const sentence of Object.values(words.error)) expect(sentence).toMatch(/^\p{Lu}.*\.$/u);
      expect(Object.keys(words.error).sort()).toEqual(Object.keys(ENGLISH_SYNC_WORDS.error).sort());
    }
  });
});
