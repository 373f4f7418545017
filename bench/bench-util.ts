// Shared helpers for the benchmarks: percentiles over hrtime samples, CPU time of processes, and JSON output.
import fs from 'node:fs';

/**
 * BENCH_SCALE (above 0, at most 1; default 1) shrinks every bench's sizes and durations: the bench
 * smoke test (test/bench/bench-smoke.test.ts) runs them all at a thousandth so that none can stop
 * working unnoticed. Each figure then says its scale: only figures at scale 1 meet or miss a target.
 */
export const benchScale = ((text: string | undefined): number => {
  const scale = Number(text ?? 1);
  if (!(scale > 0 && scale <= 1)) throw new Error(`BENCH_SCALE must be a number above 0 and at most 1, not "${text}"`);
  return scale;
})(process.env.BENCH_SCALE);

/** A bench size at this run's scale, never below `min`. */
export const scaled = (size: number, min = 1): number => Math.max(min, Math.round(size * benchScale));

export function percentiles(samplesNs: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1e6;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length) / 1e6;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(mean) };
}

export const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

/** Times `fn` once per iteration and returns samples in nanoseconds. */
export function sample(iterations: number, fn: (i: number) => void): number[] {
  const out = new Array<number>(iterations);
  for (let i = 0; i < iterations; i += 1) {
    const start = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - start);
  }
  return out;
}

export function report(name: string, result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: name, ...(benchScale === 1 ? {} : { scale: benchScale }), ...result })}\n`);
}

/** CPU time (user + system, microseconds) this thread spent since `before` (process.threadCpuUsage()). */
export function cpuMicrosSince(before: NodeJS.CpuUsage): number {
  const spent = process.threadCpuUsage(before);
  return spent.user + spent.system;
}

/**
 * CPU time (user + system, seconds) of one process, or of every process with the given command
 * name, read from /proc (Linux: clock ticks of 1/100 s); null where /proc cannot be read.
 */
export function procCpuSeconds(select: { pid: number } | { command: string }): number | null {
  const ticksOf = (pid: string): number => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces, inside parentheses): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  try {
    if ('pid' in select) return ticksOf(String(select.pid)) / 100;
    let ticks = 0;
    for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === select.command) ticks += ticksOf(pid);
      } catch {
        // The process ended while the list was read.
      }
    }
    return ticks / 100;
  } catch {
    return null;
  }
}
