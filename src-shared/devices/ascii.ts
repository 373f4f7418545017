// Byte <-> text helpers for device decoders. src-shared has no TextDecoder guarantee (lib is ES2023 only),
// and scanner payloads are ASCII anyway, so this is done by hand.

/** One character per byte (latin-1): every byte stays visible and reversible, nothing is silently replaced. */
export function bytesToLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i += 1) out += String.fromCharCode(bytes[i] ?? 0);
  return out;
}

/** Encodes an ASCII/latin-1 string to bytes (chars above 0xFF are truncated to their low byte). */
export function latin1ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Strips trailing CR/LF: scanners often append them to the payload itself (HID POS included). */
export function trimLineEnd(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 0x0d || text.charCodeAt(end - 1) === 0x0a)) end -= 1;
  return text.slice(0, end);
}
