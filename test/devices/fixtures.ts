// Byte fixtures shared by the device decoder tests (hardware.md §10).

/** "02 0d 5d ..." (whitespace and newlines ignored) -> bytes, zero-padded to `size` when given. */
export function hex(text: string, size?: number): Uint8Array {
  const parts = text.trim().split(/\s+/).filter((p) => p !== '');
  const out = new Uint8Array(size ?? parts.length);
  parts.forEach((p, i) => {
    out[i] = parseInt(p, 16);
  });
  return out;
}

/** Strips "00:" style offsets from an xxd-like dump. */
export function dump(text: string, size = 64): Uint8Array {
  return hex(
    text
      .split('\n')
      .map((line) => line.replace(/^\s*[0-9a-f]{2}:/i, ''))
      .join(' '),
    size,
  );
}

export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Builds a 64-byte Honeywell-layout HID POS report (report ID first, as node-hid delivers it). */
export function honeywellReport(data: string, opts: { aim?: string; continued?: boolean; codeId?: number; reportId?: number; length?: number } = {}): Uint8Array {
  const r = new Uint8Array(64);
  r[0] = opts.reportId ?? 0x02;
  r[1] = opts.length ?? data.length;
  r.set(ascii(opts.aim ?? ']E0'), 2);
  r.set(ascii(data), 5);
  r[61] = opts.codeId ?? 0;
  r[63] = opts.continued === true ? 1 : 0;
  return r;
}

/** Builds a 64-byte Newland/ID TECH-layout report: data from byte 2, symbology at 62. */
export function newlandReport(data: string, opts: { continued?: boolean; symbology?: number } = {}): Uint8Array {
  const r = new Uint8Array(64);
  r[0] = 0x02;
  r[1] = data.length;
  r.set(ascii(data), 2);
  r[62] = opts.symbology ?? 0;
  r[63] = opts.continued === true ? 1 : 0;
  return r;
}

export const EAN13_HONEYWELL = dump(`
00: 02 0d 5d 45 30 34 30 30 36 33 38 31 33 33 33 39
10: 33 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00
20: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
30: 00 00 00 00 00 00 00 00 00 00 00 00 00 64 00 00`);

export const CODE128_HONEYWELL = dump(`
00: 02 0d 5d 43 30 4c 4f 59 2d 30 30 30 31 32 33 34
10: 35 36 00 00 00 00 00 00 00 00 00 00 00 00 00 00
20: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
30: 00 00 00 00 00 00 00 00 00 00 00 00 00 6a 00 00`);

export const QR_PART_1 = dump(`
00: 02 38 5d 51 31 68 74 74 70 73 3a 2f 2f 65 78 61
10: 6d 70 6c 65 2e 63 6f 6d 2f 6d 2f 30 31 32 33 34
20: 35 36 37 38 39 61 62 63 64 65 66 30 31 32 33 34
30: 35 36 37 38 39 61 62 63 64 65 66 30 31 73 00 01`);

export const QR_PART_2 = dump(`
00: 02 05 5d 51 31 32 33 34 35 36 00 00 00 00 00 00
10: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
20: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
30: 00 00 00 00 00 00 00 00 00 00 00 00 00 73 00 00`);

export const QR_TEXT = 'https://example.com/m/0123456789abcdef0123456789abcdef0123456';

export const EAN13_NEWLAND = dump('00: 02 0d 34 30 30 36 33 38 31 33 33 33 39 33 31 00');

export const TRACK1 = '%B4111111111111111^DOE/JOHN^2812101000000000000000000?';
export const TRACK2 = ';4111111111111111=2812101000000000000?';
