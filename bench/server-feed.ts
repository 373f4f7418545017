// The member snapshot (1,000,000 members streamed over HTTP) and pulls of 1,000 changes, each
// beside the bare SQL doing the same reads in the same run.
import { randomUUID } from 'node:crypto';
import { createStore } from '../src-server/admin';
import { encodeCursor, pullChanges } from '../src-server/feed';
import { startServer } from '../src-server/start-server';
import { freshDatabase } from '../test/server/databases';
import { ADMIN_TOKEN } from '../test/server/sim-terminal';
import { percentiles, report, round, scaled } from './bench-util';

const MEMBERS = scaled(1_000_000);
const CHANGES = scaled(200_000);
const PULLS = scaled(300);

const { choice, drop } = await freshDatabase('postgres');
const server = await startServer({ database: choice, port: 0, adminToken: ADMIN_TOKEN, rateLimitPerMinute: 1_000_000 });
try {
  const { db } = server;
  await createStore(db, 'bench', 'Bench store', 'bench');
  const credential = randomUUID();
  const { hashSecret } = await import('../src-server/credentials');
  await db.query('INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ($1, $2, $3)', ['bench-t', 'bench', hashSecret(credential)]);
  await db.query(
    `INSERT INTO members (member_id, phone, name, balance)
     SELECT 'm-' || lpad(i::text, 8, '0'), '+90532' || lpad(i::text, 7, '0'), CASE WHEN i % 3 = 0 THEN NULL ELSE 'Member ' || i END, i % 5000
     FROM generate_series(1, $1::int) AS i`,
    [MEMBERS],
  );
  // Cards linked at terminals: a payment card for every fifth member, a loyalty card for every
  // tenth (the snapshot carries them on the members' lines).
  await db.query(
    `INSERT INTO linked_cards (card_key, card_id, kind, member_id, brand, last4, card_number, key_version, terminal_id)
     SELECT 'c1:' || encode(sha256(i::text::bytea), 'hex'), 'card-p-' || i, 'payment', 'm-' || lpad(i::text, 8, '0'), 'visa', lpad((i % 10000)::text, 4, '0'), NULL, 1, 'bench-t'
     FROM generate_series(1, $1::int, 5) AS i
     UNION ALL
     SELECT 'loyalty:LOY-' || i, 'card-l-' || i, 'loyalty', 'm-' || lpad(i::text, 8, '0'), NULL, NULL, 'LOY-' || i, NULL, 'bench-t'
     FROM generate_series(3, $1::int, 10) AS i`,
    [MEMBERS],
  );
  await db.query(
    `INSERT INTO changes (dataset, key, payload)
     SELECT 'balances', 'm-' || lpad((i % $2::int)::text, 8, '0'), jsonb_build_object('memberId', 'm-' || lpad((i % $2::int)::text, 8, '0'), 'balance', i % 5000)
     FROM generate_series(1, $1::int) AS i`,
    [CHANGES, MEMBERS],
  );
  await db.query('ANALYZE');
  const auth = { authorization: `Bearer ${credential}` };

  // Snapshot through HTTP, read to the end and its lines counted. The reader runs on the server's
  // thread, so it counts newline bytes: decoding the text and walking it character by character
  // cost this thread about 2 s of the 1,000,000 members' 8 s, charged to the server.
  let start = process.hrtime.bigint();
  const res = await fetch(`${server.url}/v1/members/snapshot`, { headers: auth });
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
  }
  const snapshotSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  // Bare: the same pages read straight from the table.
  start = process.hrtime.bigint();
  let after = '';
  for (;;) {
    const rows = await db.query<{ member_id: string }>('SELECT member_id, phone, name, balance FROM members WHERE member_id > $1 ORDER BY member_id LIMIT 10000', [after]);
    if (rows.length === 0) break;
    after = rows.at(-1)!.member_id;
  }
  const bareSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const [cardCount] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM linked_cards');
  report('server snapshot (postgres)', {
    members: lines - 1,
    linkedCards: cardCount?.n ?? 0,
    seconds: round(snapshotSeconds, 2),
    membersPerSecond: Math.round((lines - 1) / snapshotSeconds),
    bareSelectSeconds: round(bareSeconds, 2),
    ratio: round(snapshotSeconds / bareSeconds, 2),
    target: '< 10 s',
    meetsTarget: snapshotSeconds < 10,
  });

  // Pulls of 1,000 changes from cursors spread over the feed.
  const anchors = await db.query<{ change_id: number; txid: string }>(`SELECT change_id, txid::text AS txid FROM changes ORDER BY random() LIMIT ${PULLS}`);
  const cursors = anchors.map((a) => encodeCursor({ t: a.txid, c: a.change_id }));
  const httpSamples: number[] = [];
  const bareSamples: number[] = [];
  for (const cursor of cursors) {
    let t0 = process.hrtime.bigint();
    const page = await fetch(`${server.url}/v1/sync/pull?limit=1000&cursor=${cursor}`, { headers: auth });
    await page.json();
    httpSamples.push(Number(process.hrtime.bigint() - t0));
    t0 = process.hrtime.bigint();
    await pullChanges(db, cursor, 1000);
    bareSamples.push(Number(process.hrtime.bigint() - t0));
  }
  const http = percentiles(httpSamples);
  const bare = percentiles(bareSamples);
  report('server pull 1000 changes (postgres)', {
    pulls: PULLS,
    httpMs: http,
    feedQueryMs: bare,
    ratioP99: round(http.p99 / bare.p99, 2),
    target: 'p99 < 20 ms',
    meetsTarget: http.p99 < 20,
  });
} finally {
  await server.close();
  await drop();
}
