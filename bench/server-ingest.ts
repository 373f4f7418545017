// Server ingest through HTTP: 50 simulated terminals push batches of 1,000 entries at once to a
// server process; beside it, the bare batched insert of the same rows into the same table.
import { randomUUID } from 'node:crypto';
import { createEnrolCode, createStore } from '../src-server/admin';
import type { Database } from '../src-server/db/database';
import { insertLedgerRows } from '../src-server/ingest';
import { openDatabase, type DatabaseChoice } from '../src-server/start-server';
import { PROTOCOL_VERSION } from '../src-shared/sync/protocol';
import { freshDatabase, type Engine } from '../test/server/databases';
import { spawnServer } from '../test/server/server-process';
import { http, SimTerminal } from '../test/server/sim-terminal';
import { report, round } from './bench-util';

const TERMINALS = 50;
const BATCH = 1000;
const MEMBERS_PER_TERMINAL = 50;

async function withDatabase<T>(choice: DatabaseChoice, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(choice);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

function makeTerminals(batches: number): { terminals: SimTerminal[]; bodies: string[][] } {
  const terminals = Array.from({ length: TERMINALS }, () => new SimTerminal(`bench-${randomUUID().slice(0, 8)}`));
  const bodies = terminals.map((t, ti) => {
    const members = Array.from({ length: MEMBERS_PER_TERMINAL }, (_, m) => t.enrolMember(`+9053${String(ti).padStart(3, '0')}${String(m).padStart(5, '0')}`).memberId);
    while (t.entries.length < batches * BATCH) t.earn(members[t.entries.length % members.length]!, 1000 + (t.entries.length % 5000));
    return Array.from({ length: batches }, (_, b) => JSON.stringify({ protocolVersion: PROTOCOL_VERSION, entries: t.entries.slice(b * BATCH, (b + 1) * BATCH) }));
  });
  return { terminals, bodies };
}

async function ingestThroughHttp(choice: DatabaseChoice, batches: number) {
  const { terminals, bodies } = makeTerminals(batches);
  const codes = await withDatabase(choice, async (db) => {
    await createStore(db, 'bench', 'Bench store', 'bench');
    return Promise.all(terminals.map(() => createEnrolCode(db, 'bench', 'bench').then((c) => c.code)));
  });
  const server = await spawnServer(choice);
  try {
    await Promise.all(
      terminals.map(async (t, i) => {
        const res = await http(server.url, 'POST', '/v1/terminals/enrol', { code: codes[i], terminalId: t.terminalId });
        t.credential = res.body.credential;
      }),
    );
    const start = process.hrtime.bigint();
    await Promise.all(
      terminals.map(async (t, i) => {
        for (const body of bodies[i]!) {
          const res = await http(server.url, 'POST', '/v1/sync/push', body, t.credential);
          if (res.status !== 200) throw new Error(`push failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { entries: TERMINALS * batches * BATCH, seconds, terminals };
  } finally {
    await server.stop();
  }
}

/** The same rows, batch by batch, 50 writers at once, straight into the ledger table. */
async function bareInsert(choice: DatabaseChoice, terminals: SimTerminal[]) {
  return withDatabase(choice, async (db) => {
    const ids = terminals.map((t) => `${t.terminalId}-bare`);
    for (const id of ids) await db.query('INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ($1, $2, $3)', [id, 'bench', randomUUID()]);
    const [member] = await db.query<{ member_id: string }>('SELECT member_id FROM members LIMIT 1');
    const start = process.hrtime.bigint();
    await Promise.all(
      terminals.map(async (t, i) => {
        for (let b = 0; b < t.entries.length; b += BATCH) {
          const rows = t.entries.slice(b, b + BATCH).map((entry) => ({ memberId: member!.member_id, entry }));
          await db.transaction((tx) => insertLedgerRows(tx, ids[i]!, rows));
        }
      }),
    );
    return Number(process.hrtime.bigint() - start) / 1e9;
  });
}

async function run(engine: Engine, batches: number, target: number) {
  const { choice, drop } = await freshDatabase(engine);
  try {
    const ingest = await ingestThroughHttp(choice, batches);
    const bareSeconds = await bareInsert(choice, ingest.terminals);
    const perSecond = ingest.entries / ingest.seconds;
    const barePerSecond = ingest.entries / bareSeconds;
    report(`server ingest (${engine})`, {
      terminals: TERMINALS,
      batch: BATCH,
      entries: ingest.entries,
      seconds: round(ingest.seconds, 2),
      entriesPerSecond: Math.round(perSecond),
      bareInsertEntriesPerSecond: Math.round(barePerSecond),
      ratioBareToIngest: round(barePerSecond / perSecond, 2),
      target: `>= ${target} entries/s`,
      meetsTarget: perSecond >= target,
    });
  } finally {
    await drop();
  }
}

await run('postgres', 4, 30_000);
await run('pglite', 1, 5_000);
