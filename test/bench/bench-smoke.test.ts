// Every benchmark still runs to its end and prints its figures: `npm run bench` at a thousandth of
// its sizes (BENCH_SCALE), so a bench that stopped working (the scan-to-screen bench once filled a
// sign-up form the first-run wizard had replaced) fails here, not the next time someone measures.
// No figure is judged: these machines are too noisy for timing assertions, and at this scale the
// figures mean nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const benches = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('-util.ts'))
  .sort();

type BenchOutput = { node: string; results: ({ file: string; error?: string; scale?: number } & Record<string, unknown>)[] };

function runBench(args: string[], scale: string) {
  return spawnSync(process.execPath, [path.join(root, 'scripts', 'run-bench.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, BENCH_SCALE: scale },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe('npm run bench', () => {
  it('runs every bench at BENCH_SCALE=0.001, each printing figures marked with that scale', () => {
    expect(benches.length).toBeGreaterThanOrEqual(12);
    const run = runBench([], '0.001');
    expect(run.status, run.stderr.slice(-4000)).toBe(0);
    const output = JSON.parse(run.stdout) as BenchOutput;
    expect(output.node).toMatch(/^v22\./);
    for (const file of benches) {
      const figures = output.results.filter((r) => r.file === file);
      expect(figures.length, `${file} printed no figures`).toBeGreaterThan(0);
      for (const figure of figures) {
        expect(figure.error, `${file}: ${figure.error}`).toBeUndefined();
        expect(figure.scale, file).toBe(0.001);
        expect(typeof figure.bench, file).toBe('string');
      }
    }
  }, 600_000);

  it('refuses a scale that is not above 0 and at most 1, naming the setting', () => {
    for (const scale of ['0', '2', 'fast']) {
      const run = runBench(['logger'], scale);
      expect(run.status, scale).toBe(1);
      expect(JSON.parse(run.stdout) as BenchOutput).toMatchObject({ results: [{ file: 'logger.ts', error: 'exited with 1' }] });
      expect(run.stderr).toContain(`BENCH_SCALE must be a number above 0 and at most 1, not "${scale}"`);
    }
  }, 120_000);
});
