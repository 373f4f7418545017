// A member snapshot that stops moving must not hang either side: the server ends its snapshot
// transaction when the reader vanishes or stops reading, and the terminal abandons a stream that
// sends nothing (and retries it later) instead of waiting out its ten-minute limit.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
