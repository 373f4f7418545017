// Runs every vitest suite once and then checks the run itself: no failed, skipped or todo test,
// and every required suite (scripts/required-suites.json) present with at least one passing test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireNode22 } from './require-node-22.mjs';

requireNode22('run-tests', 'npm test');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reportFile = path.join(root, 'test-results', 'vitest.json');
fs.mkdirSync(path.dirname(reportFile), { recursive: true });
fs.rmSync(reportFile, { force: true });

const run = spawnSync(
  path.join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);

const problems = [];
if (!fs.existsSync(reportFile)) {
  console.error('run-tests: vitest wrote no report');
  process.exit(run.status || 1);
}
const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
const required = JSON.parse(fs.readFileSync(path.join(root, 'scripts', 'required-suites.json'), 'utf8')).suites;
const byFile = new Map(report.testResults.map((r) => [path.relative(root, r.name), r]));

let passed = 0;
let failed = 0;
let skipped = 0;
for (const [file, result] of byFile) {
  for (const t of result.assertionResults) {
    if (t.status === 'passed') passed += 1;
    else if (t.status === 'failed') failed += 1;
    else {
      skipped += 1;
      problems.push(`${file}: "${t.fullName}" did not run (${t.status})`);
    }
  }
  if (result.status === 'failed' && result.assertionResults.every((t) => t.status !== 'failed')) {
    failed += 1;
    problems.push(`${file}: the suite failed to load: ${result.message ?? ''}`.trim());
  }
}
for (const file of required) {
  const result = byFile.get(file);
  if (!result) problems.push(`required suite ${file} did not run`);
  else if (!result.assertionResults.some((t) => t.status === 'passed')) problems.push(`required suite ${file} has no passing test`);
}
if (run.status !== 0 && failed === 0) problems.push(`vitest exited with ${run.status}`);

for (const p of problems) console.error(`run-tests: ${p}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);
