// The browser host: runs the terminal core in Node, serves the built renderer at / and the API as
// JSON-RPC 2.0 over WebSocket at /rpc. It is how the UI is tested in Chromium, a way to run a counter
// on a tablet, and the integration point for a POS system on the same PC (docs/local-api.md).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createSecureContext as tlsSecureContext } from 'node:tls';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { HOST_RPC_PATH, HOST_SESSION_META } from '../../src-shared/api/client';
import { listenFailure } from '../../src-shared/api/listen-failure';
import { KasaError } from '../../src-shared/api/errors';
import { EventBus } from '../core/event-bus';
import { answerWhileFailed, type StartupFailure } from '../core/startup-failure';
import { createTerminalCore, type TerminalCore, type TerminalCoreOptions } from '../core/terminal-core';
import { serveConnection } from './rpc-connection';
import { readStaticFile } from './static-files';
import { pageOrigins, type PageOrigins } from './page-origins';

export type HostOptions = TerminalCoreOptions & {
  port: number;
  /** Interface to listen on; anything but loopback needs TLS. */
  bind?: string;
  staticDir: string;
  tls?: { certFile: string; keyFile: string };
};

export type RunningHost = {
  url: string;
  /** Where another device on the network opens the page (empty on loopback). */
  networkUrls: string[];
  port: number;
  core: TerminalCore;
  /** Written to <dataDir>/host-session-token (0600) for POS integrations on the same PC. */
  sessionToken: string;
  close(): Promise<void>;
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
// A product catalogue import (catalogue.install) may be up to 16 MB of JSON; every other call is far smaller.
const MAX_MESSAGE_BYTES = 17 * 1024 * 1024;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function injectSessionToken(html: string, token: string): string {
  return html.replace('<head>', `<head>\n    <meta name="${HOST_SESSION_META}" content="${token}">`);
}

/** createTerminalCore threw: the host can still serve the diagnostics screen (startDiagnosticsHost). */
export class CoreStartError extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

type TlsFiles = { cert: Buffer; key: Buffer };

/** The certificate and key, read and tried together: a wrong file is named by its flag, not a stack trace. */
function readTlsFiles(tls: { certFile: string; keyFile: string }): TlsFiles {
  const read = (flag: string, file: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      const why = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      throw new KasaError('VALIDATION', `${flag} ${file} cannot be read (${why}): give the PEM file's path, readable by the host's user`);
    }
  };
  const pair = { cert: read('--tls-cert', tls.certFile), key: read('--tls-key', tls.keyFile) };
  try {
    tlsSecureContext(pair);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const mismatch = /KEY_VALUES_MISMATCH|key values mismatch/i.test(why);
    throw new KasaError(
      'VALIDATION',
      mismatch
        ? `--tls-cert and --tls-key: the key does not match the certificate (${why}): give the key the certificate was made with`
        : `--tls-cert and --tls-key: not a PEM certificate and its private key (${why}): give the certificate (-----BEGIN CERTIFICATE-----) to --tls-cert and its key to --tls-key`,
    );
  }
  return pair;
}

/** Refuses options the host cannot start with, before the core opens its data; the TLS files read, for serve(). */
function checkHostOptions(options: HostOptions): TlsFiles | null {
  const bind = options.bind ?? '127.0.0.1';
  if (!LOOPBACK.has(bind) && !options.tls) {
    throw new KasaError('VALIDATION', `Listening on ${bind} exposes the terminal to the network: pass --tls-cert and --tls-key, or keep the default 127.0.0.1`);
  }
  const tlsFiles = options.tls ? readTlsFiles(options.tls) : null;
  const indexFile = path.join(options.staticDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    throw new KasaError('UNAVAILABLE', `The renderer is not built (${indexFile} is missing): run npm run build:renderer`);
  }
  return tlsFiles;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const tlsFiles = checkHostOptions(options);
  let core: TerminalCore;
  try {
    core = createTerminalCore(options);
  } catch (error) {
    throw new CoreStartError(error);
  }
  try {
    // Each connection is a screen with its own sign-in.
    const served = await serve(options, tlsFiles, (ws) => {
      const session = core.sessions.open();
      serveConnection(ws, (method, params) => core.sessions.callAsync(session, method, params), core.events);
    });
    return {
      ...served,
      core,
      async close() {
        await served.close();
        core.close();
      },
    };
  } catch (error) {
    core.close();
    throw error;
  }
}

/** The same page and API for a core that could not start: every screen shows why (diagnostics). */
export async function startDiagnosticsHost(options: HostOptions, failure: StartupFailure): Promise<Omit<RunningHost, 'core'>> {
  const tlsFiles = checkHostOptions(options);
  const noEvents = new EventBus();
  return serve(options, tlsFiles, (ws) => serveConnection(ws, (method) => answerWhileFailed(failure, method), noEvents));
}

/** Serves the renderer (with the session token) and the API WebSocket, whatever answers the calls. */
async function serve(options: HostOptions, tlsFiles: TlsFiles | null, connect: (ws: WebSocket) => void): Promise<Omit<RunningHost, 'core'>> {
  const bind = options.bind ?? '127.0.0.1';
  const sessionToken = randomBytes(32).toString('base64url');
  const tokenFile = path.join(options.dataDir, 'host-session-token');
  fs.writeFileSync(tokenFile, sessionToken, { mode: 0o600 });
  fs.chmodSync(tokenFile, 0o600);
  const handler: http.RequestListener = (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = readStaticFile(options.staticDir, req.url ?? '/');
    // Client-side routes fall back to the app shell.
    const served = file ?? (req.url && !path.extname(req.url.split('?')[0] ?? '') ? readStaticFile(options.staticDir, '/') : null);
    if (!served) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const body = served.contentType.startsWith('text/html') ? Buffer.from(injectSessionToken(served.body.toString('utf8'), sessionToken)) : served.body;
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': served.contentType, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = tlsFiles ? https.createServer(tlsFiles, handler) : http.createServer(handler);

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let origins: PageOrigins | null = null;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const token = url.searchParams.get('token') ?? '';
    const origin = req.headers.origin;
    // Browsers always send Origin: only pages this host served may connect. Non-browser
    // integrations send none and must present the token from the token file.
    const refused =
      url.pathname !== HOST_RPC_PATH ? '404 Not Found' : !sameToken(token, sessionToken) ? '401 Unauthorized' : origin !== undefined && !origins?.accepts(origin) ? '403 Forbidden' : null;
    if (refused) {
      socket.end(`HTTP/1.1 ${refused}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, connect);
  });

  await new Promise<void>((resolve, reject) => {
    const refused = (error: Error) => reject(listenFailure(error, bind, options.port, { port: '--port', address: '--bind' }) ?? error);
    server.once('error', refused);
    server.listen(options.port, bind, () => {
      server.off('error', refused);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  const hostName = bind.includes(':') ? `[${bind}]` : bind;
  origins = pageOrigins(bind, scheme, port, tlsFiles?.cert);

  return {
    url: `${scheme}://${hostName}:${port}/`,
    networkUrls: origins.networkUrls,
    port,
    sessionToken,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
