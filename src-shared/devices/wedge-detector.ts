// Keyboard-wedge scan detection from keystroke timing (hardware.md §2.1, §10.6).
//
// Thresholds (defaults) and why they separate scanners from people:
// - Real scanners: 1-19 ms between keys (measured); jittery hosts add the odd 40-60 ms pause.
// - People: 80-300 ms between keys; rollover can give a couple of fast keys, but never a long fast run.
// A burst is a scan iff ALL hold:
//   1. every gap <= maxJitterGapMs (70): one human gap (>= 80 ms) ends the burst;
//   2. gaps above maxGapMs (35) are "slow" and at most max(1, floor(gaps / 4)) of them are allowed:
//      an occasional 45 ms hiccup passes, a run of 40-60 ms keys (a fast typist) does not;
//   3. (last key time - first key time) <= maxTotalMsPerChar (35) x length (onscan.js's average rule; 35, not its
//      30, so a scanner pacing at 30 ms still has room for its 45 ms hiccups: 30(n-1) + 15(n/4) <= 35n);
//   4. length >= minLength (4), suffix key not counted.
// Because the first keys cannot be judged, every printable key is held (suppressed) while a burst may still be
// a scan; when it turns out to be typing, the held keys are handed back in a 'release' event, in order.

export type WedgeKeystroke = { key: string; /** Event time, ms. */ at: number };

export type WedgeEvent = { kind: 'scan'; data: string } | { kind: 'release'; keys: string[] };

/** Per key: suppress it from the focused field? Events come first: a 'release' must be typed before this key. */
export type WedgeDecision = { suppress: boolean; events: WedgeEvent[] };

export type WedgeDetectorOptions = {
  maxGapMs?: number;
  maxJitterGapMs?: number;
  maxTotalMsPerChar?: number;
  minLength?: number;
  /** Key that ends a scan (programmed scanner suffix). Default 'Enter'. null: scans end only by idle flush(). */
  suffixKey?: string | null;
  /** How long after the last key the caller should call flush(), ms. Default 100. */
  idleMs?: number;
};

// Modifiers arrive as their own keydown while a scanner types capitals; they carry no text and no timing.
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock']);

export class WedgeDetector {
  readonly maxGapMs: number;
  readonly maxJitterGapMs: number;
  readonly maxTotalMsPerChar: number;
  readonly minLength: number;
  readonly suffixKey: string | null;
  readonly idleMs: number;
  private held: WedgeKeystroke[] = [];

  constructor(options: WedgeDetectorOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 35;
    this.maxJitterGapMs = options.maxJitterGapMs ?? 70;
    this.maxTotalMsPerChar = options.maxTotalMsPerChar ?? 35;
    this.minLength = options.minLength ?? 4;
    this.suffixKey = options.suffixKey === undefined ? 'Enter' : options.suffixKey;
    this.idleMs = options.idleMs ?? 100;
  }

  /** Keys currently held back from the field. */
  get heldCount(): number {
    return this.held.length;
  }

  key(stroke: WedgeKeystroke): WedgeDecision {
    if (MODIFIERS.has(stroke.key)) return { suppress: this.held.length > 0, events: [] };
    const events: WedgeEvent[] = [];
    const last = this.held[this.held.length - 1];
    // A human-sized pause ends whatever burst was running before this key is judged.
    if (last !== undefined && stroke.at - last.at > this.maxJitterGapMs) events.push(...this.flush());

    if (this.suffixKey !== null && stroke.key === this.suffixKey) {
      if (this.held.length > 0 && this.isScan(this.held)) {
        events.push({ kind: 'scan', data: this.takeText() });
        return { suppress: true, events };
      }
      events.push(...this.release());
      return { suppress: false, events };
    }
    if ([...stroke.key].length !== 1) {
      // Backspace, arrows, Tab...: not scanner text. Whatever was held goes to the field first.
      events.push(...this.flush());
      return { suppress: false, events };
    }
    this.held.push(stroke);
    return { suppress: true, events };
  }

  /** Ends the current burst: a scan if it qualifies (scanner with no suffix), otherwise the keys are released. */
  flush(): WedgeEvent[] {
    if (this.held.length === 0) return [];
    if (this.isScan(this.held)) return [{ kind: 'scan', data: this.takeText() }];
    return this.release();
  }

  reset(): void {
    this.held = [];
  }

  private release(): WedgeEvent[] {
    if (this.held.length === 0) return [];
    const keys = this.held.map((k) => k.key);
    this.held = [];
    return [{ kind: 'release', keys }];
  }

  private takeText(): string {
    // e.key is used verbatim, so ; = ? / % ^ - (track data, URLs) survive, unlike onscan.js's keyCode mapper.
    const text = this.held.map((k) => k.key).join('');
    this.held = [];
    return text;
  }

  private isScan(keys: readonly WedgeKeystroke[]): boolean {
    if (keys.length < this.minLength) return false;
    let slow = 0;
    for (let i = 1; i < keys.length; i += 1) {
      const gap = (keys[i]?.at ?? 0) - (keys[i - 1]?.at ?? 0);
      if (gap > this.maxJitterGapMs) return false;
      if (gap > this.maxGapMs) slow += 1;
    }
    const gaps = keys.length - 1;
    if (slow > Math.max(1, Math.floor(gaps / 4))) return false;
    const total = (keys[keys.length - 1]?.at ?? 0) - (keys[0]?.at ?? 0);
    return total <= this.maxTotalMsPerChar * keys.length;
  }
}
