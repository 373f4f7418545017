// Server ingest through HTTP: 50 simulated terminals push batches of 1,000 entries at once to a
// server process; beside it, the bare batched insert of the same rows into the same table, the two
// taking turns batch by batch on PostgreSQL. Both are timed after a warm-up of one batch from each
// of 50 other terminals. The CPU
// time each process spent per entry is measured too: on a machine this size the three share the
// cores, so their sum is what bounds the rate.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import os from 'node:os';
import { createEnrolCode, createStore } from '../src-server/admin';
import type { Database } from '../src-server/db/database';
import { insertLedgerRows } from '../src-server/ingest';
import { openDatabase, type DatabaseChoice } from '../src-server/start-server';
import type { PushResponse } from '../src-shared/sync/protocol';
import { freshDatabase, type Engine } from '../test/server/databases';
import { spawnServer } from '../test/server/server-process';
import { http, pushBodyOf, SimTerminal } from '../test/server/sim-terminal';
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
    // Encoded before the clock starts, and laid out as a terminal's push is: the bench times the server.
    return Array.from({ length: batches }, (_, b) => Buffer.from(pushBodyOf(t.entries.slice(b * BATCH, (b + 1) * BATCH), { timeZone: 'Europe/Istanbul' })));
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

/** Each terminal pushes its batch `b`; every answer must say `stored` for every entry. */
async function pushBatch(agent: Agent, serverUrl: string, { terminals, bodies }: ReturnType<typeof makeTerminals>, b: number): Promise<void> {
  await Promise.all(
    terminals.map(async (t, i) => {
      const res = await push(agent, serverUrl, bodies[i]![b]!, t.credential);
      if (res.status !== 200) throw new Error(`push failed: ${res.status} ${res.text.slice(0, 300)}`);
      // Read as a terminal reads it: every entry stored, none flagged (a flagged batch would time
      // other work than the common case).
      const { results } = JSON.parse(res.text) as PushResponse;
      if (results.some((r) => r.status !== 'stored' || r.exceptions.length > 0)) throw new Error(`push not stored cleanly: ${res.text.slice(0, 300)}`);
    }),
  );
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

const microsPerEntry = (seconds: number | null, entries: number) => (seconds === null ? null : round((seconds * 1e6) / entries, 1));

/** One kind of timed phase (the ingest, or the bare insert), added up over its rounds. */
class PhaseTotals {
  seconds = 0;
  entries = 0;
  checkpoints: number | null = null;
  readonly cpu: CpuSeconds = { server: null, postgres: null, loadGenerator: 0 };
  readonly roundSeconds: number[] = [];

  /** Times `work` (`entries` of them) from a fresh checkpoint, with the CPU each process spent on it. */
  async time(choice: DatabaseChoice, serverPid: number | undefined, entries: number, work: () => Promise<void>): Promise<void> {
    const checkpointsBefore = await startFromCheckpoint(choice);
    const before = cpuNow(choice, serverPid);
    const start = process.hrtime.bigint();
    await work();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const after = cpuNow(choice, serverPid);
    const checkpoints = await checkpointsSince(choice, checkpointsBefore);
    this.seconds += seconds;
    this.roundSeconds.push(seconds);
    this.entries += entries;
    if (checkpoints !== null) this.checkpoints = (this.checkpoints ?? 0) + checkpoints;
    for (const key of ['server', 'postgres', 'loadGenerator'] as const) {
      const spent = before[key] === null || after[key] === null ? null : (after[key] as number) - (before[key] as number);
      if (spent !== null) this.cpu[key] = (this.cpu[key] ?? 0) + spent;
    }
  }

  /** Microseconds of CPU per entry for each process. */
  cpuPerEntry(): { server: number | null; postgres: number | null; loadGenerator: number | null } {
    return { server: microsPerEntry(this.cpu.server, this.entries), postgres: microsPerEntry(this.cpu.postgres, this.entries), loadGenerator: microsPerEntry(this.cpu.loadGenerator, this.entries) };
  }
}

/**
 * Batch `b` of every terminal's rows, all terminals at once, straight into the ledger table, each
 * row under its own member as ingest stores it (one member for every row made the member index's
 * inserts all land on one key, cheaper than ingest's 2,500 members).
 */
async function insertBatch(db: Database, terminals: SimTerminal[], b: number): Promise<void> {
  await Promise.all(
    terminals.map(async (t) => {
      const rows = t.entries.slice(b * BATCH, (b + 1) * BATCH).map((entry) => ({ memberId: entry.memberId, entry }));
      // One statement per batch: with 50 writers the faster bare insert (see insertLedgerRows).
      await db.transaction((tx) => insertLedgerRows(tx, `${t.terminalId}-bare`, rows, Number.POSITIVE_INFINITY));
    }),
  );
}

async function addBareTerminals(db: Database, terminals: SimTerminal[]): Promise<void> {
  for (const t of terminals) await db.query('INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ($1, $2, $3)', [`${t.terminalId}-bare`, 'bench', randomUUID()]);
}

/**
 * The ingest over HTTP and, beside it, the bare insert of the same rows under other terminal ids,
 * each after a warm-up of one batch from each of 50 other terminals. On PostgreSQL the two take
 * turns batch by batch (ingest of every terminal's batch 1, its bare insert, batch 2...): this
 * machine's speed wanders by a fifth within minutes, and two phases run one after the other had
 * measured the bare insert at 38,000 and 59,000 rows/s in the same hour. PGlite belongs to the
 * server process while it runs, so its bare insert follows the whole ingest.
 */
async function ingestBesideBare(choice: DatabaseChoice, batches: number) {
  const measured = makeTerminals(batches, '+9053');
  const warmup = makeTerminals(WARMUP_BATCHES, '+9054');
  const all = [...warmup.terminals, ...measured.terminals];
  const codes = await withDatabase(choice, async (db) => {
    await createStore(db, 'bench', 'Bench store', 'bench');
    return Promise.all(all.map(() => createEnrolCode(db, 'bench', 'bench').then((c) => c.code)));
  });
  const ingest = new PhaseTotals();
  const bare = new PhaseTotals();
  const alternate = 'url' in choice;
  const phaseEntries = TERMINALS * BATCH;
  const server = await spawnServer(choice);
  const keepAlive = new Agent({ keepAlive: true, maxSockets: TERMINALS });
  const bareDb = alternate ? await openDatabase(choice) : null;
  try {
    await Promise.all(
      all.map(async (t, i) => {
        const res = await http(server.url, 'POST', '/v1/terminals/enrol', { code: codes[i], terminalId: t.terminalId });
        t.credential = res.body.credential;
      }),
    );
    // Not timed: other terminals' pushes first, so that V8 has optimised the server's path, as on
    // a server that has been running (the terminal core's lanes are warmed the same way); the
    // bare insert is warmed with their rows.
    for (let b = 0; b < WARMUP_BATCHES; b += 1) await pushBatch(keepAlive, server.url, warmup, b);
    if (bareDb) {
      await addBareTerminals(bareDb, all);
      for (let b = 0; b < WARMUP_BATCHES; b += 1) await insertBatch(bareDb, warmup.terminals, b);
    }
    for (let b = 0; b < batches; b += 1) {
      await ingest.time(choice, server.child.pid, phaseEntries, () => pushBatch(keepAlive, server.url, measured, b));
      if (bareDb) await bare.time(choice, undefined, phaseEntries, () => insertBatch(bareDb, measured.terminals, b));
    }
  } finally {
    keepAlive.destroy();
    await bareDb?.close();
    await server.stop();
  }
  if (!alternate) {
    await withDatabase(choice, async (db) => {
      await addBareTerminals(db, all);
      for (let b = 0; b < WARMUP_BATCHES; b += 1) await insertBatch(db, warmup.terminals, b);
      for (let b = 0; b < batches; b += 1) await bare.time(choice, undefined, phaseEntries, () => insertBatch(db, measured.terminals, b));
    });
  }
  return { ingest, bare };
}

/** The targets: entries/s on each engine, and on PostgreSQL within 2x of the bare insert. */
type IngestTargets = { entriesPerSecondMin: number; ratioMax?: number };

async function run(engine: Engine, batches: number, targets: IngestTargets) {
  const { choice, drop } = await freshDatabase(engine);
  try {
    const { ingest, bare } = await ingestBesideBare(choice, batches);
    const perSecond = ingest.entries / ingest.seconds;
    const barePerSecond = bare.entries / bare.seconds;
    const ratio = barePerSecond / perSecond;
    const cpuMicrosPerEntry = ingest.cpuPerEntry();
    const cpuTotal = (cpuMicrosPerEntry.server ?? 0) + (cpuMicrosPerEntry.postgres ?? 0) + (cpuMicrosPerEntry.loadGenerator ?? 0);
    const cores = os.availableParallelism();
    const bareCpu = bare.cpuPerEntry();
    report(`server ingest (${engine})`, {
      terminals: TERMINALS,
      batch: BATCH,
      entries: ingest.entries,
      warmupEntries: TERMINALS * WARMUP_BATCHES * BATCH,
      seconds: round(ingest.seconds, 2),
      entriesPerSecond: Math.round(perSecond),
      bareInsertEntriesPerSecond: Math.round(barePerSecond),
      ratioBareToIngest: round(ratio, 2),
      // Each round's own ratio (PostgreSQL: the phases alternate), to show how far they wander.
      roundRatios: 'url' in choice ? ingest.roundSeconds.map((s, i) => round(s / (bare.roundSeconds[i] ?? s), 2)) : null,
      cpuMicrosPerEntry,
      cores,
      // The rate the three processes' CPU per entry allows on this machine's cores.
      cpuBoundCeilingEntriesPerSecond: cpuTotal > 0 ? Math.round((cores * 1e6) / cpuTotal) : null,
      // This process is the bare insert's client (and its database too, on PGlite).
      bareInsertCpuMicrosPerEntry: { client: bareCpu.loadGenerator, postgres: bareCpu.postgres },
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
