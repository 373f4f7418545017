import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KasaError } from '../../src-shared/api/errors';
import { startHost, type RunningHost } from '../../src-main/host/host-server';
import { tempDir } from '../core/helpers';

let host: RunningHost;
let staticDir: string;

beforeEach(async () => {
  staticDir = tempDir('kasa-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><html><head><title>Kasa</title></head><body></body></html>');
  host = await startHost({ dataDir: tempDir(), port: 0, staticDir });
});
afterEach(() => host.close());

const wsUrl = (token: string) => `ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(token)}`;

function connect(token = host.sessionToken, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(token), { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function rpc(ws: WebSocket, frame: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.method) return; // an event
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

/** First run on this host: create the manager, which signs this connection in. */
async function setUp(ws: WebSocket) {
  const answer = await rpc(ws, { jsonrpc: '2.0', id: 'setup', method: 'auth.setup', params: { name: 'Ayla', pin: '2580' } });
  expect(answer.result).toMatchObject({ name: 'Ayla', role: 'manager' });
}

describe('browser host', () => {
  it('serves the renderer with the session token and strict headers', async () => {
    const res = await fetch(host.url);
    const html = await res.text();
    expect(html).toContain(`<meta name="kasa-session" content="${host.sessionToken}">`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(new URL('/../../etc/passwd', host.url))).status).not.toBe(500);
    expect((await fetch(new URL('/missing.js', host.url))).status).toBe(404);
    expect(fs.readFileSync(path.join(host.core.context.db.name, '..', 'host-session-token'), 'utf8')).toBe(host.sessionToken);
    expect(fs.statSync(path.join(host.core.context.db.name, '..', 'host-session-token')).mode & 0o777).toBe(0o600);
  });

  it('answers JSON-RPC 2.0 calls and maps errors to stable codes', async () => {
    const ws = await connect();
    expect((await rpc(ws, { jsonrpc: '2.0', id: 0, method: 'members.lookup', params: { phone: '0532 123 45 67' } })).error.data.code).toBe('UNAUTHENTICATED');
    await setUp(ws);
    const enrolled = await rpc(ws, { jsonrpc: '2.0', id: 1, method: 'members.enroll', params: { phone: '0532 123 45 67' } });
    expect(enrolled).toMatchObject({ jsonrpc: '2.0', id: 1, result: { created: true, member: { phone: '+905321234567' } } });

    const invalidPhone = await rpc(ws, { jsonrpc: '2.0', id: 2, method: 'members.lookup', params: { phone: '12' } });
    expect(invalidPhone.error.data.code).toBe('INVALID_PHONE');

    const unknown = await rpc(ws, { jsonrpc: '2.0', id: 3, method: 'members.drop', params: {} });
    expect(unknown.error).toMatchObject({ code: -32601, data: { code: 'METHOD_NOT_FOUND' } });

    const badArgs = await rpc(ws, { jsonrpc: '2.0', id: 4, method: 'sales.preview', params: { lines: [{ category: 'X', qty: -1, unitPriceMinor: 5 }] } });
    expect(badArgs.error).toMatchObject({ code: -32602, data: { code: 'VALIDATION' } });
    expect(badArgs.error.message).toContain('lines[0].qty');

    const notJson = await rpc(ws, '{"jsonrpc": "2.0", ');
    expect(notJson.error.code).toBe(-32700);

    const batch = await rpc(ws, [
      { jsonrpc: '2.0', id: 'a', method: 'terminal.status' },
      { jsonrpc: '2.0', id: 'b', method: 'members.lookup', params: { phone: '+905321234567' } },
    ]);
    expect(batch.map((r: { id: string }) => r.id)).toEqual(['a', 'b']);
    expect(batch[1].result.member.phone).toBe('+905321234567');
    ws.close();
  });

  it('refuses connections without the token or from another origin, and keeps serving', async () => {
    await expect(connect('wrong-token')).rejects.toThrow('HTTP 401');
    await expect(connect(host.sessionToken, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const ws = await connect(host.sessionToken, { Origin: `http://127.0.0.1:${host.port}` });
    // A second connection is a second screen: signing in on one does not sign in the other.
    const other = await connect();
    await setUp(other);
    expect((await rpc(ws, { jsonrpc: '2.0', id: 9, method: 'members.lookup', params: { phone: '+905321234567' } })).error.data.code).toBe('UNAUTHENTICATED');
    other.close();
    const status = await rpc(ws, { jsonrpc: '2.0', id: 1, method: 'terminal.status' });
    expect(status.result.terminalId).toBe(host.core.terminalId);
    ws.close();
  });

  it('pushes events to connected clients', async () => {
    const ws = await connect();
    await setUp(ws);
    const event = new Promise<any>((resolve) => ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.method === 'member.enrolled') resolve(m);
    }));
    await rpc(ws, { jsonrpc: '2.0', id: 1, method: 'members.enroll', params: { phone: '05551112233' } });
    expect((await event).params.memberId).toBeTruthy();
    ws.close();
  });

  it('refuses to listen beyond loopback without TLS', async () => {
    await expect(startHost({ dataDir: tempDir(), port: 0, staticDir, bind: '0.0.0.0' })).rejects.toThrow(/TLS|tls-cert/);
  });

  it('names the TLS file that is missing or not a PEM certificate and key, before the terminal opens its data', async () => {
    const dir = tempDir('kasa-tls-');
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=till-1', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const otherKey = path.join(dir, 'other-key.pem');
    execFileSync('openssl', ['genrsa', '-out', otherKey, '2048'], { stdio: 'ignore' });
    const attempts: [{ certFile: string; keyFile: string }, RegExp][] = [
      [{ certFile: path.join(dir, 'nope.pem'), keyFile: key }, /^--tls-cert .*nope\.pem cannot be read \(ENOENT\)/],
      [{ certFile: cert, keyFile: path.join(dir, 'nope.pem') }, /^--tls-key .*nope\.pem cannot be read \(ENOENT\)/],
      [{ certFile: key, keyFile: cert }, /^--tls-cert and --tls-key: not a PEM certificate and its private key/],
      [{ certFile: cert, keyFile: otherKey }, /^--tls-cert and --tls-key: .*(do not match|key values mismatch)/],
    ];
    for (const [tls, expected] of attempts) {
      const dataDir = path.join(tempDir('kasa-tls-data-'), 'till');
      const error = await startHost({ dataDir, port: 0, staticDir, bind: '0.0.0.0', tls }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(tls)).toBeInstanceOf(KasaError);
      expect((error as KasaError).code).toBe('VALIDATION');
      expect((error as KasaError).message).toMatch(expected);
      expect(fs.existsSync(dataDir)).toBe(false);
    }
    // The pair that matches serves https.
    const served = await startHost({ dataDir: tempDir(), port: 0, staticDir, bind: '127.0.0.1', tls: { certFile: cert, keyFile: key } });
    expect(served.url).toMatch(/^https:/);
    await served.close();
  });

  it("on the store network lets pages opened at its certificate names and this machine's addresses connect, and no other", async () => {
    const dir = tempDir('kasa-tls-');
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=till-1', '-days', '1', '-keyout', key, '-out', cert, '-addext', 'subjectAltName=DNS:till-1.store.lan,DNS:*.kasa.lan'], { stdio: 'ignore' });
    const tablet = await startHost({ dataDir: tempDir(), port: 0, staticDir, bind: '0.0.0.0', tls: { certFile: cert, keyFile: key } });
    try {
      const address = Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
      // Where a tablet opens the page: said on start, not the unopenable 0.0.0.0.
      expect(tablet.networkUrls[0]).toBe(`https://till-1.store.lan:${tablet.port}/`);
      if (address) expect(tablet.networkUrls).toContain(`https://${address}:${tablet.port}/`);
      const open = (origin: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`wss://127.0.0.1:${tablet.port}/rpc?token=${encodeURIComponent(tablet.sessionToken)}`, { headers: { Origin: origin }, rejectUnauthorized: false });
          ws.once('open', () => {
            ws.close();
            resolve(101);
          });
          ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.once('error', () => resolve(0));
        });
      // The page opened where the host is reached (it was refused with 403 at any address but loopback).
      expect(await open(`https://till-1.store.lan:${tablet.port}`)).toBe(101);
      expect(await open(`https://till-2.kasa.lan:${tablet.port}`)).toBe(101);
      if (address) expect(await open(`https://${address}:${tablet.port}`)).toBe(101);
      expect(await open(`https://127.0.0.1:${tablet.port}`)).toBe(101);
      // Any other page: another site (even one whose name points here), another port or scheme, two labels under a wildcard.
      for (const origin of [`https://evil.example:${tablet.port}`, `https://till-1.store.lan:${tablet.port + 1}`, `http://till-1.store.lan:${tablet.port}`, `https://a.b.kasa.lan:${tablet.port}`, 'null']) {
        expect(await open(origin), origin).toBe(403);
      }
    } finally {
      await tablet.close();
    }
  });

  it('on loopback lets only pages of this PC connect and names no network address', async () => {
    expect(host.networkUrls).toEqual([]);
    await expect(connect(host.sessionToken, { Origin: `http://localhost:${host.port}` })).resolves.toBeInstanceOf(WebSocket);
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
    for (const origin of [`http://evil.example:${host.port}`, ...(address ? [`http://${address}:${host.port}`] : [])]) {
      await expect(connect(host.sessionToken, { Origin: origin })).rejects.toThrow('HTTP 403');
    }
  });
});
