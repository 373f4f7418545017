// A member snapshot that stops moving must not hang either side: the server ends its snapshot
// transaction when the reader vanishes or stops reading, the terminal abandons a stream that
// sends nothing (and retries it later) instead of waiting out its ten-minute limit, and a terminal
// that closes cuts the download it had running.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTerminalCore } from '../../src-main/core/terminal-core';
import type { SyncStatus } from '../../src-shared/api/sync-methods';
import { ServerApi, TransientSyncError } from '../../src-main/core/sync/server-api';
import { SnapshotHeader } from '../../src-shared/sync/protocol';
import { ENGINES, SimTerminal, startTestServer } from '../server/server-harness';

// Enough members (about 15 MB of NDJSON) to fill every socket buffer between server and reader.
const MEMBERS = 200_000;

/** Opens the snapshot, reads its header line, then stops reading: the caller decides what follows. */
function openAndStopReading(url: string, credential: string): Promise<{ res: http.IncomingMessage; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/v1/members/snapshot`, { headers: { authorization: `Bearer ${credential}` } }, (res) => {
      const closed = new Promise<void>((done) => res.socket.once('close', () => done()));
      res.once('data', () => {
        res.pause();
        resolve({ res, closed });
      });
    });
    req.once('error', reject);
  });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('a stalled snapshot reader on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let reader: SimTerminal;
  beforeAll(async () => {
    ctx = await startTestServer(engine, { snapshotStallMs: 400 });
    reader = new SimTerminal();
    await reader.enrol(ctx.server);
    await ctx.server.db.query(
      `INSERT INTO members (member_id, phone, name, balance)
       SELECT 'stall-' || lpad(i::text, 7, '0'), '+90599' || lpad(i::text, 7, '0'), 'Member ' || i, i % 1000 FROM generate_series(1, ${MEMBERS}) AS i`,
    );
  }, 120_000);
  afterAll(() => ctx.close());

  /** The whole snapshot again, read to the end: it cannot start while a stuck one holds the database. */
  const fullSnapshotLines = async () => {
    const res = await fetch(`${ctx.server.url}/v1/members/snapshot`, { headers: { authorization: `Bearer ${reader.credential}` } });
    const lines = (await res.text()).trimEnd().split('\n');
    return { header: SnapshotHeader.parse(JSON.parse(lines[0] ?? '')), members: lines.length - 1 };
  };
  const openSnapshotTransactions = async () =>
    engine === 'postgres'
      ? (await ctx.server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'"))[0]?.n
      : 0;

  it('cuts off a reader that stops reading, and the database is free again', async () => {
    const { res, closed } = await openAndStopReading(ctx.server.url, reader.credential);
    // Far longer than the server's 400 ms patience once the buffers are full.
    await delay(3000);
    let lines = 0;
    res.on('data', (chunk: Buffer) => (lines += chunk.toString('utf8').split('\n').length - 1));
    res.on('error', () => undefined);
    res.resume();
    await closed;
    // The server gave up on the silent reader: what was still buffered arrives, then the cut.
    expect(lines).toBeLessThan(MEMBERS);
    expect(await openSnapshotTransactions()).toBe(0);
    const again = await fullSnapshotLines();
    expect(again.members).toBe(again.header.members);
    expect(again.members).toBeGreaterThanOrEqual(MEMBERS);
  });

  it('ends the snapshot transaction when the reader vanishes with the buffers full', async () => {
    const { res, closed } = await openAndStopReading(ctx.server.url, reader.credential);
    await delay(150); // the server is now waiting for the buffers to drain
    res.socket.destroy();
    await closed;
    const again = await fullSnapshotLines();
    expect(again.members).toBe(again.header.members);
    for (let i = 0; i < 50 && (await openSnapshotTransactions()) !== 0; i += 1) await delay(100);
    expect(await openSnapshotTransactions()).toBe(0);
  });
});

describe.each(ENGINES)('a server closing on %s while a snapshot reader has stopped reading', (engine) => {
  it('cuts the connection after its grace period instead of waiting on the reader', async () => {
    // The server would wait ten minutes for this reader (snapshotStallMs), a restart only 300 ms.
    const ctx = await startTestServer(engine, { snapshotStallMs: 10 * 60_000, closeGraceMs: 300 });
    try {
      const reader = new SimTerminal();
      await reader.enrol(ctx.server);
      await ctx.server.db.query(
        `INSERT INTO members (member_id, phone, name, balance)
         SELECT 'stall-' || lpad(i::text, 7, '0'), '+90599' || lpad(i::text, 7, '0'), 'Member ' || i, i % 1000 FROM generate_series(1, ${MEMBERS}) AS i`,
      );
      const { res, closed } = await openAndStopReading(ctx.server.url, reader.credential);
      res.on('error', () => undefined);
      await delay(150); // the server is now waiting for the buffers to drain
      await ctx.server.close();
      // What was buffered arrives, then the cut.
      res.resume();
      await closed;
    } finally {
      await ctx.drop();
    }
  }, 120_000);
});

describe('the terminal abandons a snapshot stream that stops moving', () => {
  let server: http.Server;
  let behaviour: 'silent' | 'header-then-silence' = 'silent';
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      if (behaviour === 'silent') return; // never answers at all
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ cursor: 'c1', members: 3, documents: [] })}\n`);
      res.write(`${JSON.stringify({ memberId: 'm1', phone: '+905320000001', name: null, balance: 5 })}\n`);
      // ...and nothing more, with the connection left open.
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterEach(() => server.closeAllConnections());
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const api = () =>
    new ServerApi({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credential: () => 'token', timeoutMs: 30_000, snapshotTimeoutMs: 10 * 60_000, snapshotIdleMs: 300 });

  it('when the server never answers', async () => {
    behaviour = 'silent';
    const outcome = api().snapshot(() => undefined, () => undefined, 10);
    await expect(outcome).rejects.toThrow(TransientSyncError);
    await expect(outcome).rejects.toThrow(/stalled/);
  });

  it('when the stream stops after the header, keeping what it had out of the store', async () => {
    behaviour = 'header-then-silence';
    const headers: unknown[] = [];
    const chunks: unknown[][] = [];
    const outcome = api().snapshot((h) => headers.push(h), (m) => chunks.push(m), 10);
    await expect(outcome).rejects.toThrow(/The snapshot stream stalled: nothing arrived/);
    expect(headers).toHaveLength(1);
    // The one member sat in an unfinished chunk: an abandoned stream delivers no partial chunk.
    expect(chunks).toEqual([]);
  });
});

describe('a terminal that closes while it loads the snapshot', () => {
  // A stand-in for the server (node:http): it enrols, stores pushes, and sends a snapshot's header
  // and first member, then nothing, with the connection left open, as a slow link would.
  let server: http.Server;
  let snapshotClosed: Promise<void>;
  beforeAll(async () => {
    let closed!: () => void;
    snapshotClosed = new Promise((r) => (closed = r));
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.url === '/v1/terminals/enrol') {
          const { terminalId } = JSON.parse(body) as { terminalId: string };
          return json({ terminalId, storeId: 'kadikoy', storeName: 'Kadıköy', credential: 'stand-in-credential' });
        }
        if (req.url === '/v1/sync/push') {
          const pushed = JSON.parse(body) as { entries: { seq: number }[]; audit: { seq: number }[] };
          const last = (items: { seq: number }[]) => Math.max(0, ...items.map((i) => i.seq));
          return json({
            ackedThroughSeq: last(pushed.entries),
            auditAckedThroughSeq: last(pushed.audit),
            results: pushed.entries.map((e) => ({ seq: e.seq, status: 'stored', exceptions: [] })),
            serverTime: new Date().toISOString(),
          });
        }
        if (req.url === '/v1/members/snapshot') {
          req.socket.once('close', () => closed());
          res.writeHead(200, { 'content-type': 'application/x-ndjson' });
          res.write(`${JSON.stringify({ cursor: 'c1', members: 2, documents: [] })}\n`);
          res.write(`${JSON.stringify({ memberId: 'm1', phone: '+905320000001', name: null, balance: 5 })}\n`);
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  it('aborts the download: the server sees the connection close at once, not after the minute a stalled stream is given', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-snapshot-close-'));
    const core = createTerminalCore({ dataDir });
    try {
      const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // Closed once the terminal has taken in the header and waits for more members.
      const waiting = new Promise<void>((resolve) =>
        core.events.subscribe((name, payload) => {
          if (name === 'sync.status' && (payload as SyncStatus).snapshot?.total === 2) resolve();
        }),
      );
      const enrolled = await core.dispatchAsync('terminal.enrol', { serverUrl, code: 'STAND-IN-CODE' }, { role: 'manager', userId: null });
      expect(enrolled.ok).toBe(true);
      await waiting;
    } finally {
      core.close();
    }
    // Without the abort the stream would sit idle until the terminal's 60 s snapshot idle limit,
    // beyond this test's own timeout.
    await snapshotClosed;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

