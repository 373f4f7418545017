// The push loop reads the next batch while the server works on the one in flight. These are the
// cases where what it read ahead is not what it must send next: an entry written after the read,
// and a server restored from a backup that acknowledges less than the terminal believed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src-shared/api/sync-methods';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { ENGINES, startTestServer } from '../server/server-harness';
import { call, cashier } from '../core/helpers';
import { SyncStore } from '../../src-main/core/sync/sync-store';
import { PUSH_MAX_BYTES, PUSH_MAX_ENTRIES } from '../../src-shared/sync/protocol';
import { pushBodyText } from '../../src-shared/sync/push-body';
import { FaultProxy } from './fault-proxy';
import { enrolTerminal, FAST_SYNC, openTerminal, sell, syncNow } from './sync-harness';

const SALES = 1_200; // three batches: a batch carries at most 500 audit records

/** Runs `makeFixture` without the per-sale fsync: making the fixture is not what is tested. */
function withoutFsync(core: TerminalCore, makeFixture: () => void): void {
  core.context.db.pragma('synchronous = OFF');
  makeFixture();
  core.context.db.pragma('synchronous = FULL');
}

function queueSales(core: TerminalCore, count: number, prefix: string): void {
  withoutFsync(core, () => {
    for (let i = 0; i < count; i += 1) sell(core, `+9053255${String(i % 50).padStart(5, '0')}`, 1_000 + i, 0, `${prefix}-${i}`);
  });
}

/** `count` sales of the same `lines` to one member, as a lane rings them up offline. */
function queueBaskets(core: TerminalCore, phone: string, lines: object[], count: number, prefix: string): void {
  const { member } = call(core, 'members.enroll', { phone }, cashier);
  withoutFsync(core, () => {
    for (let i = 0; i < count; i += 1) call(core, 'sales.complete', { memberId: member.memberId, lines, idempotencyKey: `${prefix}-${i}-sale` } as never, cashier);
  });
}

/** The first push the terminal reads (from seq 0, whatever its push loop has sent meanwhile). */
const firstBatch = (core: TerminalCore) => new SyncStore(core.context.db).nextBatch(PUSH_MAX_ENTRIES, { seq: 0, auditSeq: 0 });

const localLastSeq = (core: TerminalCore) => core.context.db.prepare<[], { seq: number }>('SELECT max(seq) AS seq FROM ledger').get()!.seq;

describe.each(ENGINES)('push batches read ahead on %s', { timeout: 120_000 }, (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  const cores: TerminalCore[] = [];
  beforeAll(async () => {
    ctx = await startTestServer(engine);
  });
  afterAll(async () => {
    for (const c of cores) c.close();
    await ctx.close();
  });

  const storedSeqs = async (terminalId: string) =>
    ctx.server.db.query<{ n: number; min: number; max: number }>('SELECT count(*)::bigint AS n, min(seq) AS min, max(seq) AS max FROM ledger WHERE terminal_id = $1', [terminalId]);

  it('sends an entry written while the last batch is in flight in the same run', async () => {
    const proxy = await new FaultProxy(Number(new URL(ctx.server.url).port), 600).start();
    const core = openTerminal();
    cores.push(core);
    queueSales(core, SALES, 'read-ahead');
    proxy.mode = 'slow';
    let enrolledDuringPush = false;
    const firstRun = new Promise<SyncStatus>((resolve) =>
      core.events.subscribe((name, payload) => {
        if (name !== 'sync.status') return;
        const s = payload as SyncStatus;
        // The answer before the last batch is recorded: the last batch is in flight and the one
        // after it was just read (empty). The entry comes after that read, before the answer.
        if (!enrolledDuringPush && s.phase === 'pushing' && s.ackedThroughSeq > 0 && s.queuedEntries <= 1_000 && s.queuedAuditRecords <= 500) {
          enrolledDuringPush = true;
          // An enrolment (a ledger entry, no sale: the anonymous-sale counts do not bring it along).
          setTimeout(() => call(core, 'members.enroll', { phone: '+905325599999' }, cashier), 150);
        }
        if (s.enrolled && s.phase === 'idle' && s.lastSuccessAt !== null) resolve(s);
      }),
    );
    await enrolTerminal(core, ctx.server, proxy.url);
    const idle = await firstRun;
    await proxy.close();
    expect(enrolledDuringPush).toBe(true);
    // The run that was pushing when the entry came took it too: nothing waits for the next run.
    expect(idle).toMatchObject({ queuedEntries: 0, queuedAuditRecords: 0 });
    const last = localLastSeq(core);
    expect(await storedSeqs(core.terminalId)).toEqual([{ n: last, min: 1, max: last }]);
  });

  it("keeps every push under the server's byte cap when the entries' text is not ASCII", async () => {
    const core = openTerminal();
    cores.push(core);
    // 30 sales of 500 lines whose SKUs and categories take two and three bytes a character: about
    // 2.8 million characters but 6.6 MB of UTF-8, which one batch counted in characters would carry.
    const lines = Array.from({ length: 500 }, (_, i) => ({ sku: `Ж${String(i).padStart(3, '0')}`.padEnd(64, 'Ж'), category: '€'.repeat(64), qty: 1, unitPriceMinor: 100 }));
    queueBaskets(core, '+905325588001', lines, 30, 'wide');
    await enrolTerminal(core, ctx.server);
    const first = firstBatch(core);
    expect(first.seqs.length).toBeGreaterThan(1);
    expect(first.seqs.length).toBeLessThan(31);
    expect(Buffer.byteLength(pushBodyText(first))).toBeLessThanOrEqual(PUSH_MAX_BYTES);
    // Every entry reaches the server, in batches the server takes.
    expect(await syncNow(core)).toMatchObject({ phase: 'idle', queuedEntries: 0, lastError: null });
    const last = localLastSeq(core);
    expect(await storedSeqs(core.terminalId)).toEqual([{ n: last, min: 1, max: last }]);
  });

  it('keeps every push under the cap when a lane queued hundreds of large baskets offline (their audit records too)', async () => {
    // Pushes of megabytes: on a loaded 2-core CI machine one took longer than FAST_SYNC's 3 s
    // request timeout (the timeout is not what this tests).
    const core = openTerminal(undefined, { ...FAST_SYNC, requestTimeoutMs: 60_000 });
    cores.push(core);
    // A day offline at a supermarket lane: 600 baskets of 50 named items. Each sale's audit record
    // keeps its first 50 lines, so 500 of them alone are several megabytes.
    const lines = Array.from({ length: 50 }, (_, i) => ({ sku: `8690000${String(i).padStart(6, '0')}`, name: `Organic whole milk, 1 litre, glass bottle no. ${i}`, category: 'Dairy and eggs', qty: 2, unitPriceMinor: 4_550 }));
    queueBaskets(core, '+905325588002', lines, 600, 'basket');
    await enrolTerminal(core, ctx.server);
    const first = firstBatch(core);
    expect(first.audit.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(pushBodyText(first))).toBeLessThanOrEqual(PUSH_MAX_BYTES);
    expect(await syncNow(core)).toMatchObject({ phase: 'idle', queuedEntries: 0, queuedAuditRecords: 0, lastError: null });
    const last = localLastSeq(core);
    expect(await storedSeqs(core.terminalId)).toEqual([{ n: last, min: 1, max: last }]);
  });

  it("adapts to a reverse proxy whose body limit is below the protocol's: smaller pushes, nothing lost", async () => {
    const proxy = await new FaultProxy(Number(new URL(ctx.server.url).port)).start();
    proxy.mode = 'body-limit';
    proxy.maxBodyBytes = 300 * 1024;
    const core = openTerminal();
    cores.push(core);
    queueSales(core, SALES, 'behind-proxy');
    await enrolTerminal(core, ctx.server, proxy.url);
    const status = await syncNow(core);
    await proxy.close();
    expect(proxy.refusedAsTooLarge).toBeGreaterThan(0);
    expect(status).toMatchObject({ phase: 'idle', queuedEntries: 0, queuedAuditRecords: 0, lastError: null });
    const last = localLastSeq(core);
    expect(await storedSeqs(core.terminalId)).toEqual([{ n: last, min: 1, max: last }]);
  });

  it('says which limit to raise when even a one-entry push is too large for the proxy, and keeps it queued', async () => {
    const proxy = await new FaultProxy(Number(new URL(ctx.server.url).port)).start();
    const core = openTerminal();
    cores.push(core);
    await enrolTerminal(core, ctx.server, proxy.url);
    proxy.maxBodyBytes = 200;
    await proxy.setMode('body-limit');
    sell(core, '+905325588003', 12_500, 0, 'too-large-alone');
    const status = await syncNow(core);
    await proxy.close();
    expect(status.lastError?.message).toMatch(/too large for the server or a proxy on the way \(HTTP 413\): raise its body limit to 5 MB \(nginx: client_max_body_size\)/);
    expect(status.queuedEntries).toBeGreaterThan(0);
    expect(await storedSeqs(core.terminalId)).toEqual([{ n: 0, min: null, max: null }]);
  });

  it('pushes again from where a server restored from a backup stands', async () => {
    const core = openTerminal();
    cores.push(core);
    queueSales(core, SALES, 'restored');
    await enrolTerminal(core, ctx.server);
    expect(await syncNow(core)).toMatchObject({ phase: 'idle', queuedEntries: 0 });
    const pushed = localLastSeq(core);

    // The server's database comes back from a backup taken when it held the first 700 entries.
    const keep = 700;
    await ctx.server.db.query('DELETE FROM ledger WHERE terminal_id = $1 AND seq > $2', [core.terminalId, keep]);
    await ctx.server.db.query('UPDATE terminals SET last_seq = $2, last_hash = (SELECT hash FROM ledger WHERE terminal_id = $1 AND seq = $2) WHERE terminal_id = $1', [core.terminalId, keep]);

    sell(core, '+905325500001', 3_000, 0, 'restored-after');
    const first = await syncNow(core);
    // The terminal learns how far the server really is, queues the rest again and sends it.
    const after = first.queuedEntries === 0 ? first : await syncNow(core);
    expect(after).toMatchObject({ phase: 'idle', queuedEntries: 0, ackedThroughSeq: pushed + 1 });
    expect(await storedSeqs(core.terminalId)).toEqual([{ n: pushed + 1, min: 1, max: pushed + 1 }]);
  });
});
