// Frames a serial / USB-CDC scanner byte stream into scans. Chunks arrive split anywhere (even byte by byte),
// so all state lives in the framer and push() can be fed whatever the port hands us.
import { parseAim } from './aim';
import { bytesToLatin1 } from './ascii';

export type LineTerminator = 'cr' | 'lf' | 'crlf' | 'any' | 'timeout';

export type LineFramerOptions = {
  /** How a scan ends. 'any' takes CR, LF or CRLF; 'timeout' ends a line on flush() (and on CR/LF, see below). */
  terminator?: LineTerminator;
  /** Longest line kept, in bytes, terminator excluded. Default 1024. */
  maxLineBytes?: number;
  /** Stripped from the start of a line when present (a prefix programmed into the scanner). */
  prefix?: string;
  /** Stripped from the end of a line when present. */
  suffix?: string;
};

export type FramerScan = { kind: 'scan'; data: string; symbology: string | null; aim: string | null };
export type FramerError = { kind: 'error'; code: 'LINE_TOO_LONG'; message: string };
export type FramerNoise = { kind: 'noise'; bytes: number };
export type FramerEvent = FramerScan | FramerError | FramerNoise;

export const DEFAULT_MAX_LINE_BYTES = 1024;

const CR = 0x0d;
const LF = 0x0a;
// GS1 barcodes send FNC1 as ASCII GS (0x1D); it is data, not line noise.
const GS = 0x1d;

const isPrintable = (b: number): boolean => (b >= 0x20 && b <= 0x7e) || b === GS;

export class LineFramer {
  private readonly terminator: LineTerminator;
  private readonly maxLineBytes: number;
  private readonly prefix: string;
  private readonly suffix: string;
  private buffer: number[] = [];
  /** After LINE_TOO_LONG: bytes are dropped until the next line end, then framing recovers. */
  private dropping = false;
  /** 'crlf' mode only: a CR was seen and we wait to learn whether LF follows. */
  private pendingCr = false;

  constructor(options: LineFramerOptions = {}) {
    this.terminator = options.terminator ?? 'any';
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(this.maxLineBytes) || this.maxLineBytes < 1) throw new RangeError('maxLineBytes must be a positive integer');
    this.prefix = options.prefix ?? '';
    this.suffix = options.suffix ?? '';
  }

  /** Feeds one chunk from the port; returns every event completed by it, in order. */
  push(chunk: Uint8Array): FramerEvent[] {
    const out: FramerEvent[] = [];
    for (const b of chunk) this.feed(b, out);
    return out;
  }

  /**
   * Ends the current line. In 'timeout' mode the caller calls this after its inter-byte timeout: the pending
   * bytes are a scan. In other modes an unterminated remainder after silence is reported as noise.
   */
  flush(): FramerEvent[] {
    const out: FramerEvent[] = [];
    if (this.pendingCr) {
      this.pendingCr = false;
      this.append(CR, out);
    }
    if (this.terminator === 'timeout') {
      this.endLine(out);
    } else {
      if (this.buffer.length > 0 && !this.dropping) out.push({ kind: 'noise', bytes: this.buffer.length });
      this.buffer = [];
      this.dropping = false;
    }
    return out;
  }

  /** Forgets any partial line (e.g. after the port was reopened). */
  reset(): void {
    this.buffer = [];
    this.dropping = false;
    this.pendingCr = false;
  }

  private feed(b: number, out: FramerEvent[]): void {
    switch (this.terminator) {
      case 'cr':
        if (b === CR) this.endLine(out);
        else this.append(b, out);
        return;
      case 'lf':
        if (b === LF) this.endLine(out);
        else this.append(b, out);
        return;
      case 'crlf':
        if (this.pendingCr) {
          this.pendingCr = false;
          if (b === LF) {
            this.endLine(out);
            return;
          }
          // A lone CR is not a line end here; it stays in the line (and will make it noise).
          this.append(CR, out);
        }
        if (b === CR) this.pendingCr = true;
        else this.append(b, out);
        return;
      case 'any':
      case 'timeout':
        // CRLF needs no extra state: the LF closes an empty line, and empty lines are ignored.
        // 'timeout' also honours CR/LF so a scanner that does send one is framed without waiting.
        if (b === CR || b === LF) this.endLine(out);
        else this.append(b, out);
        return;
    }
  }

  private append(b: number, out: FramerEvent[]): void {
    if (this.dropping) return;
    if (this.buffer.length >= this.maxLineBytes) {
      out.push({
        kind: 'error',
        code: 'LINE_TOO_LONG',
        message: `line exceeded ${this.maxLineBytes} bytes without a terminator; dropping until the next line end`,
      });
      this.buffer = [];
      this.dropping = true;
      return;
    }
    this.buffer.push(b);
  }

  private endLine(out: FramerEvent[]): void {
    const bytes = this.buffer;
    this.buffer = [];
    if (this.dropping) {
      this.dropping = false;
      return;
    }
    // A CR or LF that is not this mode's terminator (e.g. CRLF into a 'cr' framer) may sit at either end of a
    // line; trim it rather than call the scan noise.
    let start = 0;
    let end = bytes.length;
    while (start < end && (bytes[start] === CR || bytes[start] === LF)) start += 1;
    while (end > start && (bytes[end - 1] === CR || bytes[end - 1] === LF)) end -= 1;
    if (start === end) return;
    for (let i = start; i < end; i += 1) {
      if (!isPrintable(bytes[i] ?? 0)) {
        out.push({ kind: 'noise', bytes: end - start });
        return;
      }
    }
    let text = bytesToLatin1(Uint8Array.from(bytes), start, end);
    if (this.prefix !== '' && text.startsWith(this.prefix)) text = text.slice(this.prefix.length);
    if (this.suffix !== '' && text.endsWith(this.suffix)) text = text.slice(0, text.length - this.suffix.length);
    const parsed = parseAim(text);
    if (parsed.data === '') return;
    out.push({ kind: 'scan', data: parsed.data, symbology: parsed.symbology, aim: parsed.aim });
  }
}
