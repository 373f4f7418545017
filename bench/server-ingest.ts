// Server ingest through HTTP: 50 simulated terminals push batches of 1,000 entries at once to a
// server process; beside it, the bare batched insert of the same rows into the same table. Both are
// timed after a warm-up of one batch from each of 50 other terminals. The CPU
// time each process spent per entry is measured too: on a machine this size the three share the
// cores, so their sum is what bounds the rate.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import os from 'node:os';
import { createEnrolCode, createStore } from '../src-server/admin';
import type { Database } from '../src-server/db/database';
import { insertLedgerRows } from '../src-server/ingest';
import { openDatabase, type DatabaseChoice } from '../src-server/start-server';
import { PROTOCOL_VERSION, type PushResponse } from '../src-shared/sync/protocol';
import { freshDatabase, type Engine } from '../test/server/databases';
import { spawnServer } from '../test/server/server-process';
import { http, SimTerminal } from '../test/server/sim-terminal';
import { procCpuSeconds, report, round, scaled } from './bench-util';

const TERMINALS = scaled(50, 2);
const BATCH = scaled(1000, 10);
const MEMBERS_PER_TERMINAL = scaled(50, 2);
/** Batches each of another 50 terminals pushes before the clock starts. */
const WARMUP_BATCHES = 1;

/**
 * Posts one pre-encoded push over a kept-alive connection. The load generator shares the machine's
 * two cores with the server and PostgreSQL: fetch (undici) spent 9-12 us of CPU per entry sending
 * batches and reading the answers, node:http about 4, which leaves that much more to what is measured.
 */
function push(agent: Agent, serverUrl: string, body: Uint8Array, credential: string): Promise<{ status: number; text: string }> {
  const url = new URL('/v1/sync/push', serverUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.byteLength, authorization: `Bearer ${credential}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function withDatabase<T>(choice: DatabaseChoice, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(choice);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** 50 terminals, each with its own 50 members (phones under `phonePrefix`, so no two terminals share one). */
function makeTerminals(batches: number, phonePrefix: string): { terminals: SimTerminal[]; bodies: Uint8Array[][] } {
  const terminals = Array.from({ length: TERMINALS }, () => new SimTerminal(`bench-${randomUUID().slice(0, 8)}`));
  const bodies = terminals.map((t, ti) => {
    const members = Array.from({ length: MEMBERS_PER_TERMINAL }, (_, m) => t.enrolMember(`${phonePrefix}${String(ti).padStart(3, '0')}${String(m).padStart(5, '0')}`).memberId);
    while (t.entries.length < batches * BATCH) t.earn(members[t.entries.length % members.length]!, 1000 + (t.entries.length % 5000));
    // Encoded before the clock starts, as a terminal's queued batch is: the bench times the server.
    return Array.from({ length: batches }, (_, b) => Buffer.from(JSON.stringify({ protocolVersion: PROTOCOL_VERSION, entries: t.entries.slice(b * BATCH, (b + 1) * BATCH) })));
  });
  return { terminals, bodies };
}

/**
 * PostgreSQL checkpoints when enough WAL has been written (a timed phase writes about a third of
 * the default max_wal_size), and one that falls inside a phase slowed it by up to a third: each
 * timed phase starts right after one, and the bench prints how many more ran during it (PGlite: null).
 */
async function startFromCheckpoint(choice: DatabaseChoice): Promise<number | null> {
  if (!('url' in choice)) return null;
  return withDatabase(choice, async (db) => {
    await db.exec('CHECKPOINT');
    return requestedCheckpoints(db);
  });
}

async function checkpointsSince(choice: DatabaseChoice, before: number | null): Promise<number | null> {
  if (before === null) return null;
  return withDatabase(choice, async (db) => (await requestedCheckpoints(db)) - before);
}

async function requestedCheckpoints(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT checkpoints_req + checkpoints_timed AS n FROM pg_stat_bgwriter');
  return Number(row?.n ?? 0);
}

/** Each terminal pushes its batches in order; every answer must say `stored` for every entry. */
async function pushAll(agent: Agent, serverUrl: string, { terminals, bodies }: ReturnType<typeof makeTerminals>): Promise<void> {
  await Promise.all(
    terminals.map(async (t, i) => {
      for (const body of bodies[i]!) {
        const res = await push(agent, serverUrl, body, t.credential);
        if (res.status !== 200) throw new Error(`push failed: ${res.status} ${res.text.slice(0, 300)}`);
        // Read as a terminal reads it: every entry stored, none flagged (a flagged batch would time
        // other work than the common case).
        const { results } = JSON.parse(res.text) as PushResponse;
        if (results.some((r) => r.status !== 'stored' || r.exceptions.length > 0)) throw new Error(`push not stored cleanly: ${res.text.slice(0, 300)}`);
      }
    }),
  );
}

async function ingestThroughHttp(choice: DatabaseChoice, batches: number) {
  const measured = makeTerminals(batches, '+9053');
  const warmup = makeTerminals(WARMUP_BATCHES, '+9054');
  const all = [...warmup.terminals, ...measured.terminals];
  const codes = await withDatabase(choice, async (db) => {
    await createStore(db, 'bench', 'Bench store', 'bench');
    return Promise.all(all.map(() => createEnrolCode(db, 'bench', 'bench').then((c) => c.code)));
  });
  const server = await spawnServer(choice);
  const keepAlive = new Agent({ keepAlive: true, maxSockets: TERMINALS });
  try {
    await Promise.all(
      all.map(async (t, i) => {
        const res = await http(server.url, 'POST', '/v1/terminals/enrol', { code: codes[i], terminalId: t.terminalId });
        t.credential = res.body.credential;
      }),
    );
    // Not timed: other terminals' pushes first, so that V8 has optimised the server's path, as on
    // a server that has been running (the terminal core's lanes are warmed the same way).
    await pushAll(keepAlive, server.url, warmup);
    const checkpointsBefore = await startFromCheckpoint(choice);
    const cpuBefore = cpuNow(choice, server.child.pid);
    const start = process.hrtime.bigint();
    await pushAll(keepAlive, server.url, measured);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = cpuPerEntry(cpuBefore, cpuNow(choice, server.child.pid), TERMINALS * batches * BATCH);
    const checkpoints = await checkpointsSince(choice, checkpointsBefore);
    return { entries: TERMINALS * batches * BATCH, seconds, measured: measured.terminals, warmup: warmup.terminals, cpu, checkpoints };
  } finally {
    keepAlive.destroy();
    await server.stop();
  }
}

type CpuSeconds = { server: number | null; postgres: number | null; loadGenerator: number };

/** CPU seconds so far of the server process, the PostgreSQL processes (PGlite runs inside the server) and this one. */
function cpuNow(choice: DatabaseChoice, serverPid: number | undefined): CpuSeconds {
  const own = process.cpuUsage();
  return {
    server: serverPid === undefined ? null : procCpuSeconds({ pid: serverPid }),
    postgres: 'url' in choice ? procCpuSeconds({ command: 'postgres' }) : null,
    loadGenerator: (own.user + own.system) / 1e6,
  };
}

const microsPerEntry = (before: number | null, after: number | null, entries: number) => (before === null || after === null ? null : round(((after - before) * 1e6) / entries, 1));

/** Microseconds of CPU per entry for each process, and the rate their sum allows on this machine's cores. */
function cpuPerEntry(before: CpuSeconds, after: CpuSeconds, entries: number) {
  const per = (key: keyof CpuSeconds) => microsPerEntry(before[key], after[key], entries);
  const perEntry = { server: per('server'), postgres: per('postgres'), loadGenerator: per('loadGenerator') };
  const total = (perEntry.server ?? 0) + (perEntry.postgres ?? 0) + (perEntry.loadGenerator ?? 0);
  const cores = os.availableParallelism();
  return { cpuMicrosPerEntry: perEntry, cores, cpuBoundCeilingEntriesPerSecond: total > 0 ? Math.round((cores * 1e6) / total) : null };
}

/**
 * Each terminal's rows, batch by batch, all terminals at once, straight into the ledger table, each
 * under its own member as ingest stores it (one member for every row made the member index's
 * inserts all land on one key, cheaper than ingest's 2,500 members).
 */
async function insertAll(db: Database, terminals: SimTerminal[]): Promise<void> {
  const ids = terminals.map((t) => `${t.terminalId}-bare`);
  for (const id of ids) await db.query('INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ($1, $2, $3)', [id, 'bench', randomUUID()]);
  await Promise.all(
    terminals.map(async (t, i) => {
      for (let b = 0; b < t.entries.length; b += BATCH) {
        const rows = t.entries.slice(b, b + BATCH).map((entry) => ({ memberId: entry.memberId, entry }));
        // One statement per batch: with 50 writers the faster bare insert (see insertLedgerRows).
        await db.transaction((tx) => insertLedgerRows(tx, ids[i]!, rows, Number.POSITIVE_INFINITY));
      }
    }),
  );
}

/** The same rows, batch by batch, 50 writers at once, straight into the ledger table, after the same warm-up. */
async function bareInsert(choice: DatabaseChoice, measured: SimTerminal[], warmup: SimTerminal[]) {
  return withDatabase(choice, async (db) => {
    await insertAll(db, warmup);
    const checkpointsBefore = await startFromCheckpoint(choice);
    const cpuBefore = cpuNow(choice, undefined);
    const start = process.hrtime.bigint();
    await insertAll(db, measured);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpuAfter = cpuNow(choice, undefined);
    const checkpoints = await checkpointsSince(choice, checkpointsBefore);
    const entries = measured.reduce((n, t) => n + t.entries.length, 0);
    // This process is the client here (and the database too, on PGlite).
    const cpuMicrosPerEntry = { client: microsPerEntry(cpuBefore.loadGenerator, cpuAfter.loadGenerator, entries), postgres: microsPerEntry(cpuBefore.postgres, cpuAfter.postgres, entries) };
    return { seconds, cpuMicrosPerEntry, checkpoints };
  });
}

/** The targets: entries/s on each engine, and on PostgreSQL within 2x of the bare insert. */
type IngestTargets = { entriesPerSecondMin: number; ratioMax?: number };

async function run(engine: Engine, batches: number, targets: IngestTargets) {
  const { choice, drop } = await freshDatabase(engine);
  try {
    const ingest = await ingestThroughHttp(choice, batches);
    const bare = await bareInsert(choice, ingest.measured, ingest.warmup);
    const perSecond = ingest.entries / ingest.seconds;
    const barePerSecond = ingest.entries / bare.seconds;
    const ratio = barePerSecond / perSecond;
    report(`server ingest (${engine})`, {
      terminals: TERMINALS,
      batch: BATCH,
      entries: ingest.entries,
      warmupEntries: TERMINALS * WARMUP_BATCHES * BATCH,
      seconds: round(ingest.seconds, 2),
      entriesPerSecond: Math.round(perSecond),
      bareInsertEntriesPerSecond: Math.round(barePerSecond),
      ratioBareToIngest: round(ratio, 2),
      ...ingest.cpu,
      bareInsertCpuMicrosPerEntry: bare.cpuMicrosPerEntry,
      checkpointsDuring: { ingest: ingest.checkpoints, bareInsert: bare.checkpoints },
      targets,
      meetsTarget: perSecond >= targets.entriesPerSecondMin && (targets.ratioMax === undefined || ratio <= targets.ratioMax),
    });
  } finally {
    await drop();
  }
}

await run('postgres', 4, { entriesPerSecondMin: 30_000, ratioMax: 2 });
await run('pglite', 1, { entriesPerSecondMin: 5_000 });
