// AIM symbology identifiers (ISO/IEC 15424): "]" + code character + modifier character, sent before the data
// when the scanner is programmed to transmit them. They let us recognise a scan positively, not by timing.

export type AimResult = {
  /** Our symbology name (e.g. "ean13"), or null when there is no identifier or its code is unknown. */
  symbology: string | null;
  /** The raw three-character identifier (e.g. "]E0"), or null when the data carries none. */
  aim: string | null;
  /** The payload with the identifier removed. */
  data: string;
};

// Code character -> symbology. Case matters: "]d" is Data Matrix, "]D" is not assigned here.
const CODE_TO_SYMBOLOGY: Readonly<Record<string, string>> = {
  A: 'code39',
  C: 'code128',
  d: 'datamatrix',
  E: 'ean13',
  e: 'gs1-databar',
  F: 'codabar',
  G: 'code93',
  H: 'code11',
  I: 'itf',
  L: 'pdf417',
  M: 'msi',
  Q: 'qr',
  X: 'other',
  z: 'aztec',
};

const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Maps a three-character AIM identifier to our symbology name; null when unknown or malformed. */
export function symbologyFromAim(aim: string): string | null {
  if (aim.length !== 3 || aim[0] !== ']') return null;
  const code = aim[1] ?? '';
  const modifier = aim[2] ?? '';
  // The modifier refines a few families the loyalty lookup cares about.
  if (code === 'E' && modifier === '4') return 'ean8';
  if (code === 'C' && modifier === '1') return 'gs1-128';
  if (code === 'd' && modifier === '2') return 'gs1-datamatrix';
  if (code === 'Q' && (modifier === '3' || modifier === '5')) return 'gs1-qr';
  return CODE_TO_SYMBOLOGY[code] ?? null;
}

/** True when `text` starts with a well-formed AIM identifier ("]", a letter, then a letter or digit). */
export function hasAimPrefix(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 0x5d) return false;
  const code = text.charCodeAt(1);
  const modifier = text.charCodeAt(2);
  return isAlpha(code) && (isDigit(modifier) || isAlpha(modifier));
}

/** Splits an optional AIM prefix off scanned text. Text without a valid prefix is returned whole as data. */
export function parseAim(text: string): AimResult {
  if (!hasAimPrefix(text)) return { symbology: null, aim: null, data: text };
  const aim = text.slice(0, 3);
  return { symbology: symbologyFromAim(aim), aim, data: text.slice(3) };
}
