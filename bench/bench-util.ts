// Shared helpers for the benchmarks: percentiles over hrtime samples, and JSON output.
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
  process.stdout.write(`${JSON.stringify({ bench: name, ...result })}\n`);
}
