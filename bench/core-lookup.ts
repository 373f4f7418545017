// Member lookup by phone with 1,000,000 members: through the core (validation, phone
// normalisation, dispatch) beside a bare indexed better-sqlite3 get on the same file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTerminalCore } from '../src-main/core/terminal-core';
import { percentiles, report, round, sample, scaled } from './bench-util';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? scaled(1_000_000));
const LOOKUPS = scaled(20_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-bench-lookup-'));
const core = createTerminalCore({ dataDir });
const { db } = core.context;
const caller = { role: 'cashier' as const, userId: null };

// Turkish mobile numbers +90 5xx xxx xx xx; bulk-loaded straight into the table.
const phoneOf = (i: number) => `+905${String(300000000 + i * 7).padStart(9, '0')}`;
const insert = db.prepare("INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES (?, ?, NULL, 0, '2026-01-01T00:00:00Z')");
const loadStart = process.hrtime.bigint();
db.transaction(() => {
  for (let i = 0; i < MEMBERS; i += 1) insert.run(`m${i}`, phoneOf(i));
})();
const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;

const pick = (i: number) => (i * 7919) % MEMBERS;
const bare = db.prepare('SELECT member_id, phone, name, balance, enrolled_at FROM members WHERE phone = ?');
// Warm both paths the same way.
for (let i = 0; i < 2000; i += 1) {
  bare.get(phoneOf(pick(i)));
  core.dispatch('members.lookup', { phone: phoneOf(pick(i)) }, caller);
}
// Interleaved, each on a member of its own, so machine noise and cache misses hit all three alike.
const bareSamples: number[] = [];
const coreSamples: number[] = [];
const typedSamples: number[] = [];
for (let i = 0; i < LOOKUPS; i += 1) {
  bareSamples.push(...sample(1, () => bare.get(phoneOf(pick(3 * i + 1)))));
  coreSamples.push(
    ...sample(1, () => {
      const r = core.dispatch('members.lookup', { phone: phoneOf(pick(3 * i + 2)) }, caller);
      if (!r.ok) throw new Error(r.error.message);
    }),
  );
  typedSamples.push(
    ...sample(1, () => {
      // What a cashier types: national format with spaces.
      const e164 = phoneOf(pick(3 * i + 3));
      const r = core.dispatch('members.lookup', { phone: `0${e164.slice(3, 6)} ${e164.slice(6, 9)} ${e164.slice(9, 11)} ${e164.slice(11)}` }, caller);
      if (!r.ok) throw new Error(r.error.message);
    }),
  );
}

const bareP = percentiles(bareSamples);
const coreP = percentiles(coreSamples);
report('member-lookup-by-phone', {
  members: MEMBERS,
  lookups: LOOKUPS,
  loadSeconds: round(loadSeconds, 2),
  unit: 'ms',
  core: coreP,
  coreTypedNationalFormat: percentiles(typedSamples),
  bareIndexedGet: bareP,
  ratioP50: round(coreP.p50 / bareP.p50, 2),
  ratioP99: round(coreP.p99 / bareP.p99, 2),
  targets: { coreP99Ms: 0.2, ratioMax: 2 },
});
core.close();
fs.rmSync(dataDir, { recursive: true, force: true });
