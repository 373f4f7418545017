// The structured log's cost per line (redaction guard, JSON, synchronous append, rotation checks)
// beside the raw baseline: appending the same pre-serialised line with fs.appendFileSync.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFileLogger } from '../src-main/core/logger';
import { percentiles, report, sample, scaled } from './bench-util';

const LINES = scaled(20_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-bench-log-'));
// What a sync failure or device status line looks like, with a member id and some free text.
const fields = { memberId: '0f3a8b9c-1d2e-4f50-8a6b-123456789012', deviceId: 'd-17', error: 'connect ECONNREFUSED 127.0.0.1:8080 after 3 attempts', failures: 3 };
const log = createFileLogger({ dir, maxBytes: 1024 * 1024, maxFiles: 5 });
const rawFile = path.join(dir, 'raw.log');
const rawLine = `${JSON.stringify({ level: 'warn', time: new Date().toISOString(), event: 'sync.failed', ...fields })}\n`;
for (let i = 0; i < 1000; i += 1) {
  log.warn('sync.failed', fields);
  fs.appendFileSync(rawFile, rawLine);
}
const raw = percentiles(sample(LINES, () => fs.appendFileSync(rawFile, rawLine)));
const logged = percentiles(sample(LINES, () => log.warn('sync.failed', fields)));
report('log-line', { lines: LINES, unit: 'ms', logger: logged, rawAppendBaseline: raw, files: fs.readdirSync(dir).length });
fs.rmSync(dir, { recursive: true, force: true });
