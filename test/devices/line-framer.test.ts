import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../src-shared/devices/line-framer';
import type { FramerEvent, LineFramerOptions } from '../../src-shared/devices/line-framer';
import { ascii, hex } from './fixtures';

const scan = (data: string, symbology: string | null = null, aim: string | null = null): FramerEvent => ({ kind: 'scan', data, symbology, aim });

function byteByByte(framer: LineFramer, bytes: Uint8Array): FramerEvent[] {
  const out: FramerEvent[] = [];
  for (const b of bytes) out.push(...framer.push(Uint8Array.of(b)));
  return out;
}

/** Feeds `bytes` split at the given sizes, cycling through them. */
function chunked(framer: LineFramer, bytes: Uint8Array, sizes: number[]): FramerEvent[] {
  const out: FramerEvent[] = [];
  let i = 0;
  let s = 0;
  while (i < bytes.length) {
    const n = sizes[s % sizes.length] ?? 1;
    out.push(...framer.push(bytes.subarray(i, i + n)));
    i += n;
    s += 1;
  }
  return out;
}

const framer = (options: LineFramerOptions = {}): LineFramer => new LineFramer(options);

describe('LineFramer', () => {
  it('frames a CR-terminated EAN-13 (hardware.md §10.7)', () => {
    expect(framer({ terminator: 'cr' }).push(hex('34 30 30 36 33 38 31 33 33 33 39 33 31 0d'))).toEqual([scan('4006381333931')]);
  });

  it('joins a scan split across chunks (97802 + 01379624\\r)', () => {
    const f = framer({ terminator: 'cr' });
    expect(f.push(ascii('97802'))).toEqual([]);
    expect(f.push(ascii('01379624\r'))).toEqual([scan('9780201379624')]);
  });

  it('gives the same result byte by byte and for odd chunk splits', () => {
    const stream = ascii(']E04006381333931\r\n]C0LOY-000123456\r\n9780201379624\r\n');
    const expected = [scan('4006381333931', 'ean13', ']E0'), scan('LOY-000123456', 'code128', ']C0'), scan('9780201379624')];
    expect(byteByByte(framer({ terminator: 'crlf' }), stream)).toEqual(expected);
    for (const sizes of [[3], [7, 1], [2, 5, 11], [16, 1, 1], [stream.length]]) {
      expect(chunked(framer({ terminator: 'crlf' }), stream, sizes), sizes.join(',')).toEqual(expected);
      expect(chunked(framer({ terminator: 'any' }), stream, sizes), sizes.join(',')).toEqual(expected);
    }
  });

  it("treats CR, LF and CRLF as one line end each in 'any' mode", () => {
    const stream = ascii('AAAA\rBBBB\nCCCC\r\nDDDD\n\rEEEE\r\r\n\n');
    expect(byteByByte(framer({ terminator: 'any' }), stream)).toEqual(['AAAA', 'BBBB', 'CCCC', 'DDDD', 'EEEE'].map((d) => scan(d)));
  });

  it("in 'lf' mode trims a trailing CR of a CRLF device", () => {
    expect(framer({ terminator: 'lf' }).push(ascii('AAAA\r\nBBBB\n'))).toEqual([scan('AAAA'), scan('BBBB')]);
  });

  it("in 'cr' mode drops the LF a CRLF device leaves at the start of the next line", () => {
    expect(framer({ terminator: 'cr' }).push(ascii('AAAA\r\nBBBB\r\n'))).toEqual([scan('AAAA'), scan('BBBB')]);
  });

  it("in 'crlf' mode a lone CR inside a line makes it noise, and framing continues", () => {
    const f = framer({ terminator: 'crlf' });
    expect(f.push(ascii('AB\rCD\r\nEFGH\r\n'))).toEqual([{ kind: 'noise', bytes: 5 }, scan('EFGH')]);
  });

  it('ignores empty lines', () => {
    expect(framer({ terminator: 'any' }).push(ascii('\r\n\r\n\n\r'))).toEqual([]);
    expect(framer({ terminator: 'cr' }).push(ascii('\r\r\r'))).toEqual([]);
  });

  it('reports lines holding control or binary bytes as noise, between good scans', () => {
    const f = framer({ terminator: 'any' });
    const stream = new Uint8Array([...ascii('1111\r\n'), 0x00, 0xff, 0x13, 0x80, 0x0d, 0x0a, ...ascii('AB'), 0x07, ...ascii('CD\r'), ...ascii('2222\r\n')]);
    expect(byteByByte(f, stream)).toEqual([scan('1111'), { kind: 'noise', bytes: 4 }, { kind: 'noise', bytes: 5 }, scan('2222')]);
  });

  it('keeps the GS1 group separator (FNC1) as data', () => {
    expect(framer().push(ascii(']C1010950123456789\u001d10ABC\r'))).toEqual([scan('010950123456789\u001d10ABC', 'gs1-128', ']C1')]);
  });

  it('reports a 4 KB line without terminator once, drops it, then recovers', () => {
    const f = framer({ terminator: 'cr' });
    const junk = new Uint8Array(4096).fill(0x41);
    const events = chunked(f, junk, [100, 37]);
    expect(events).toEqual([{ kind: 'error', code: 'LINE_TOO_LONG', message: expect.stringContaining('1024') }]);
    // The rest of the over-long line (and its terminator) are swallowed; the next line is a normal scan.
    expect(f.push(ascii('AAAA\r'))).toEqual([]);
    expect(f.push(ascii('4006381333931\r'))).toEqual([scan('4006381333931')]);
  });

  it('honours a custom maxLineBytes exactly', () => {
    const f = framer({ terminator: 'cr', maxLineBytes: 8 });
    expect(f.push(ascii('12345678\r'))).toEqual([scan('12345678')]);
    const events = f.push(ascii('123456789\r12\r'));
    expect(events.map((e) => e.kind)).toEqual(['error', 'scan']);
    expect(events[1]).toEqual(scan('12'));
    expect(() => new LineFramer({ maxLineBytes: 0 })).toThrow(RangeError);
  });

  it('strips a configured prefix and suffix only when present, before AIM decoding', () => {
    const f = framer({ terminator: 'cr', prefix: '#K', suffix: '$' });
    expect(f.push(ascii('#K]E04006381333931$\r'))).toEqual([scan('4006381333931', 'ean13', ']E0')]);
    expect(f.push(ascii('LOY-1$\r'))).toEqual([scan('LOY-1')]);
    expect(f.push(ascii('#KLOY-2\r'))).toEqual([scan('LOY-2')]);
    expect(f.push(ascii('LOY-#K3\r'))).toEqual([scan('LOY-#K3')]);
    // A line that is only prefix + suffix carries no data.
    expect(f.push(ascii('#K$\r'))).toEqual([]);
  });

  it("in 'timeout' mode emits on flush() after the caller's inter-byte timeout", () => {
    const f = framer({ terminator: 'timeout' });
    expect(f.push(ascii('01234'))).toEqual([]);
    expect(f.push(ascii('56789'))).toEqual([]);
    expect(f.flush()).toEqual([scan('0123456789')]);
    expect(f.flush()).toEqual([]);
    // A scanner that does send CR/LF is framed without waiting for the timeout.
    expect(f.push(ascii('ABCD\r\nEF'))).toEqual([scan('ABCD')]);
    expect(f.flush()).toEqual([scan('EF')]);
  });

  it("in 'timeout' mode an over-long line recovers at the next flush", () => {
    const f = framer({ terminator: 'timeout', maxLineBytes: 16 });
    expect(f.push(new Uint8Array(40).fill(0x31)).map((e) => e.kind)).toEqual(['error']);
    expect(f.flush()).toEqual([]);
    expect(f.push(ascii('LOY-9'))).toEqual([]);
    expect(f.flush()).toEqual([scan('LOY-9')]);
  });

  it('reports an unterminated remainder as noise on flush() in terminator modes', () => {
    const f = framer({ terminator: 'cr' });
    f.push(ascii('12'));
    expect(f.flush()).toEqual([{ kind: 'noise', bytes: 2 }]);
    expect(f.push(ascii('3456\r'))).toEqual([scan('3456')]);
  });

  it('reset() forgets a partial line', () => {
    const f = framer({ terminator: 'cr' });
    f.push(ascii('GARBAGE'));
    f.reset();
    expect(f.push(ascii('LOY-1\r'))).toEqual([scan('LOY-1')]);
  });
});
