// Serves the built console (dist/console, `npm run build:console`) at /console with a strict
// Content-Security-Policy: scripts and styles only from this server, no inline scripts, no
// framing. Without a build, /console answers with a page saying how to build it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DEFAULT_CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/console');

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kasa console not built</title></head>
<body><h1>The Kasa console is not built</h1>
<p>This server serves the programme console from <code>dist/console</code>, which does not exist yet.
Run <code>npm run build:console</code> (or <code>npm run build</code>) in the Kasa folder, then restart the server.</p>
<p>The admin API under <code>/v1/admin</code> works without it.</p></body></html>`;

export async function registerConsoleStatic(app: FastifyInstance, consoleDir = DEFAULT_CONSOLE_DIR): Promise<void> {
  const indexFile = path.join(consoleDir, 'index.html');
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', CONSOLE_CSP);
      return payload;
    });
    // Read per request: a rebuilt console is served without a restart.
    const sendIndex = async (_request: unknown, reply: import('fastify').FastifyReply) => {
      reply.header('cache-control', 'no-store');
      if (!fs.existsSync(indexFile)) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return reply.type('text/html; charset=utf-8').send(fs.readFileSync(indexFile, 'utf8'));
    };
    scope.get('/console', sendIndex);
    scope.get('/console/', sendIndex);
    if (fs.existsSync(consoleDir)) {
      await scope.register(fastifyStatic, { root: consoleDir, prefix: '/console/', index: false, wildcard: true, decorateReply: false });
    } else {
      scope.get('/console/*', sendIndex);
    }
  });
}
