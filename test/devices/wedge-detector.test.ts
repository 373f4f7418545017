import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../src-shared/devices/wedge-detector';
import type { WedgeDecision, WedgeEvent } from '../../src-shared/devices/wedge-detector';
import { TRACK1, TRACK2 } from './fixtures';

type Trace = { key: string; at: number }[];

/** Keys of `text` at the given gaps (cycled), then `suffix` one gap later. */
function trace(text: string, gaps: number[], suffix: string | null = 'Enter', start = 1000): Trace {
  const out: Trace = [];
  let at = start;
  const keys = [...text, ...(suffix === null ? [] : [suffix])];
  keys.forEach((key, i) => {
    if (i > 0) at += gaps[(i - 1) % gaps.length] ?? 0;
    out.push({ key, at });
  });
  return out;
}

type Run = { decisions: WedgeDecision[]; events: WedgeEvent[]; field: string };

/** Plays a trace and models the focused field: unsuppressed keys and released keys are typed into it. */
function play(d: WedgeDetector, t: Trace, idleFlush = true): Run {
  const decisions: WedgeDecision[] = [];
  const events: WedgeEvent[] = [];
  let field = '';
  const apply = (evs: WedgeEvent[]): void => {
    for (const e of evs) {
      events.push(e);
      if (e.kind === 'release') field += e.keys.join('');
    }
  };
  for (const k of t) {
    const decision = d.key(k);
    decisions.push(decision);
    apply(decision.events);
    if (!decision.suppress) field += k.key === 'Enter' ? '\n' : k.key.length === 1 ? k.key : '';
  }
  if (idleFlush) apply(d.flush());
  return { decisions, events, field };
}

const scans = (r: Run): string[] => r.events.flatMap((e) => (e.kind === 'scan' ? [e.data] : []));

describe('WedgeDetector', () => {
  it('accepts a fast scanner (5 ms gaps) and suppresses every key', () => {
    const r = play(new WedgeDetector(), trace('4006381333931', [5]));
    expect(scans(r)).toEqual(['4006381333931']);
    expect(r.decisions.every((x) => x.suppress)).toBe(true);
    expect(r.field).toBe('');
  });

  it('accepts the measured scanner traces of hardware.md §10.6 (1, 10, 19 ms, one 60 ms hiccup)', () => {
    expect(scans(play(new WedgeDetector(), trace('4006381333931', [1])))).toEqual(['4006381333931']);
    expect(scans(play(new WedgeDetector(), trace('4006381333931', [10])))).toEqual(['4006381333931']);
    expect(scans(play(new WedgeDetector(), trace('LOY-000123456', [19])))).toEqual(['LOY-000123456']);
    expect(scans(play(new WedgeDetector(), trace('4006381333931', [10, 10, 10, 10, 10, 60, 10, 10, 10, 10, 10, 10])))).toEqual(['4006381333931']);
  });

  it('accepts a jittery scanner (up to 30 ms, an occasional 45 ms)', () => {
    const gaps = [22, 30, 18, 45, 27, 30, 12, 29, 30, 25, 45, 30, 20, 28, 30, 24];
    const r = play(new WedgeDetector(), trace('LOY-000123456-77', gaps));
    expect(scans(r)).toEqual(['LOY-000123456-77']);
    expect(r.field).toBe('');
    // Worst case the thresholds allow: every gap at 30 ms with a 45 ms one in each stretch of four.
    expect(scans(play(new WedgeDetector(), trace('0123456789012', [30, 30, 30, 45])))).toEqual(['0123456789012']);
  });

  it('never classifies human typing (80-300 ms gaps) as a scan, and hands every key back in order', () => {
    const gaps = [80, 140, 300, 95, 210, 80, 180, 250, 120, 85, 300, 160];
    const r = play(new WedgeDetector(), trace('4006381333931', gaps));
    expect(scans(r)).toEqual([]);
    expect(r.field).toBe('4006381333931\n');
    // Even a fast typist at exactly 80 ms for a long run.
    expect(scans(play(new WedgeDetector(), trace('12345678901234567890', [80])))).toEqual([]);
  });

  it('rejects a fast typist run of 40-60 ms gaps (hardware.md human_fast_short and longer)', () => {
    expect(scans(play(new WedgeDetector(), trace('1234', [40, 60, 55])))).toEqual([]);
    const r = play(new WedgeDetector(), trace('12345678', [40, 60, 55, 45, 50, 42, 58]));
    expect(scans(r)).toEqual([]);
    expect(r.field).toBe('12345678\n');
  });

  it('releases a short fast burst of 2 keys as typing', () => {
    const d = new WedgeDetector();
    const r = play(d, trace('ab', [5]));
    expect(r.decisions.map((x) => x.suppress)).toEqual([true, true, false]);
    expect(r.decisions[2]?.events).toEqual([{ kind: 'release', keys: ['a', 'b'] }]);
    expect(r.field).toBe('ab\n');
    // Without a suffix the idle flush releases them.
    const idle = play(new WedgeDetector(), trace('ab', [5], null));
    expect(idle.events).toEqual([{ kind: 'release', keys: ['a', 'b'] }]);
  });

  it('keeps track-data punctuation intact (; = ? / % ^ -)', () => {
    const data = `${TRACK1}${TRACK2}`;
    const r = play(new WedgeDetector(), trace(data, [10]));
    expect(scans(r)).toEqual([data]);
    expect(scans(play(new WedgeDetector(), trace('http://x.io/a-b?c=d;e%f^', [8])))).toEqual(['http://x.io/a-b?c=d;e%f^']);
  });

  it('ends a suffix-less scan on idle flush()', () => {
    const d = new WedgeDetector({ suffixKey: null });
    const r = play(d, trace('9780201379624', [8], null));
    expect(scans(r)).toEqual(['9780201379624']);
    expect(d.idleMs).toBe(100);
  });

  it('separates a scan from typing that follows after a pause', () => {
    const t = [...trace('LOY-1234', [6], null), ...trace('hi', [150], null, 1300)];
    const r = play(new WedgeDetector({ suffixKey: null }), t);
    expect(r.events).toEqual([
      { kind: 'scan', data: 'LOY-1234' },
      { kind: 'release', keys: ['h'] },
      { kind: 'release', keys: ['i'] },
    ]);
    expect(r.field).toBe('hi');
  });

  it('ignores modifier keys and lets editing keys through after releasing held keys', () => {
    const d = new WedgeDetector();
    const shifted: Trace = [
      { key: 'Shift', at: 0 },
      { key: 'L', at: 2 },
      { key: 'Shift', at: 4 },
      { key: 'O', at: 6 },
      { key: 'Shift', at: 8 },
      { key: 'Y', at: 10 },
      { key: '1', at: 15 },
      { key: 'Enter', at: 20 },
    ];
    expect(scans(play(d, shifted))).toEqual(['LOY1']);
    const edit = play(new WedgeDetector(), [
      { key: 'a', at: 0 },
      { key: 'Backspace', at: 90 },
    ]);
    expect(edit.decisions[1]).toEqual({ suppress: false, events: [{ kind: 'release', keys: ['a'] }] });
  });

  it('accepts a burst of exactly minLength and rejects one key fewer', () => {
    expect(scans(play(new WedgeDetector({ minLength: 4 }), trace('1234', [5])))).toEqual(['1234']);
    expect(scans(play(new WedgeDetector({ minLength: 4 }), trace('123', [5])))).toEqual([]);
  });
});
