// `npm run bench`: runs every bench/*.ts (except *-util.ts) in its own Node 22 process, one after
// another so they do not disturb each other, and prints one JSON document with every figure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRendererIfMissing } from './renderer-build.mjs';
import { requireNode22 } from './require-node-22.mjs';

requireNode22('run-bench', 'npm run bench');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const files = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('-util.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

// The scan-to-screen bench serves the built renderer to Chromium.
if (files.includes('scan-to-screen.ts')) {
  const built = buildRendererIfMissing(root);
  if (built !== 0) process.exit(built);
}

const results = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', file)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = run.stdout.split('\n').filter((l) => l.startsWith('{'));
  if (run.status !== 0 || lines.length === 0) {
    results.push({ file, error: `exited with ${run.status}` });
    continue;
  }
  for (const line of lines) results.push({ file, ...JSON.parse(line) });
}
process.stdout.write(`${JSON.stringify({ node: process.version, cpus: (await import('node:os')).cpus().length, results }, null, 2)}\n`);
process.exit(results.some((r) => r.error) ? 1 : 0);
