// The console's Members and Exceptions pages on PostgreSQL with 1,000,000 members: member search
// by id, card last four, phone digits and name, a member's detail with 200 history rows, and the
// exceptions queue with the entries behind each exception, over HTTP with the admin token. The
// baseline in the same run is the bare scan every phone or name search has to do (count(*) of
// the members table).
import { createStore } from '../src-server/admin';
import { startServer } from '../src-server/start-server';
import { freshDatabase } from '../test/server/databases';
import { ADMIN_TOKEN } from '../test/server/sim-terminal';
import { percentiles, report, round, scaled } from './bench-util';

const MEMBERS = scaled(1_000_000);
const CARDS = scaled(200_000);
const EXCEPTIONS = scaled(5_000);
const RUNS = scaled(15);
// The member in the middle of the directory, with a long history.
const BUSY_MEMBER = `m-${String(Math.ceil(MEMBERS / 2)).padStart(8, '0')}`;

const { choice, drop } = await freshDatabase('postgres');
const server = await startServer({ database: choice, port: 0, adminToken: ADMIN_TOKEN, rateLimitPerMinute: 1_000_000 });
try {
  const { db } = server;
  await createStore(db, 'bench', 'Bench store', 'bench');
  await db.query("INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ('bench-t', 'bench', 'x')");
  await db.query(
    `INSERT INTO members (member_id, phone, name, balance)
     SELECT 'm-' || lpad(i::text, 8, '0'), '+90532' || lpad(i::text, 7, '0'), CASE WHEN i % 3 = 0 THEN NULL ELSE 'Member ' || i END, i % 5000
     FROM generate_series(1, $1::int) AS i`,
    [MEMBERS],
  );
  await db.query(`INSERT INTO member_cards (member_id, last4, terminal_id) SELECT 'm-' || lpad(i::text, 8, '0'), lpad((i % 10000)::text, 4, '0'), 'bench-t' FROM generate_series(1, $1::int) AS i`, [CARDS]);
  // One busy member: 200 ledger entries across the history.
  await db.query(
    `INSERT INTO ledger (terminal_id, seq, kind, member_id, points, device_time, prev_hash, hash, entry)
     SELECT 'bench-t', i, CASE WHEN i % 4 = 0 THEN 'redeem' ELSE 'earn' END, $1, CASE WHEN i % 4 = 0 THEN -10 ELSE 25 END,
            to_char(timestamp '2026-01-01' + i * interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'p', 'h',
            jsonb_build_object('memberId', $1::text, 'cashierId', 'c1')
     FROM generate_series(1, 200) AS i`,
    [BUSY_MEMBER],
  );
  await db.query(
    `INSERT INTO exceptions (kind, terminal_id, seq, member_id, details)
     SELECT CASE WHEN i % 2 = 0 THEN 'earn-mismatch' ELSE 'negative-balance' END, 'bench-t', CASE WHEN i % 2 = 0 THEN 1 + i % 200 END,
            'm-' || lpad((i * 97 % $2::int + 1)::text, 8, '0'), '{}'::jsonb
     FROM generate_series(1, $1::int) AS i`,
    [EXCEPTIONS, MEMBERS],
  );
  await db.query('ANALYZE');

  const time = async (fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t0 = process.hrtime.bigint();
      await fn();
      samples.push(Number(process.hrtime.bigint() - t0));
    }
    return percentiles(samples);
  };
  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  const bareScan = await time(() => db.query('SELECT count(*) FROM members'));
  const searches = {
    memberId: await time(() => get(`/v1/admin/members?q=${BUSY_MEMBER}`)),
    cardLast4: await time(() => get('/v1/admin/members?q=4242')),
    phoneDigits: await time(() => get('/v1/admin/members?q=0123456')),
    nameMatching: await time(() => get('/v1/admin/members?q=Member%204242')),
    nameMatchingNobody: await time(() => get('/v1/admin/members?q=Nobody')),
  };
  const detail = await time(() => get(`/v1/admin/members/${BUSY_MEMBER}`));
  const queue = await time(() => get('/v1/admin/exceptions?open=true'));
  report('console members and exceptions (postgres)', {
    members: MEMBERS,
    bareMembersScanMs: bareScan,
    searchMs: searches,
    memberDetailMs: detail,
    exceptionsQueue50Ms: queue,
    ratioNameScanToBareP50: round(searches.nameMatchingNobody.p50 / bareScan.p50, 2),
    target: 'every view p50 < 1000 ms',
    meetsTarget: [...Object.values(searches), detail, queue].every((p) => p.p50 < 1000),
  });
} finally {
  await server.close();
  await drop();
}
