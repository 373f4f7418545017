import type { DeviceScan } from '../../src-shared/api/contract';

/** An EAN-13, UPC-A or EAN-8 with a valid GS1 check digit: the core calls these product barcodes too. */
export function isProductBarcode(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(code)) return false;
  const digits = [...code].map(Number);
  const check = digits.pop() ?? -1;
  // GS1: weights 3,1,3,... from the digit next to the check digit.
  const sum = digits.reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

/** What a scan means for the cashier, as a translation key under `scan.` */
export type ScanOutcome = 'member' | 'memberByCard' | 'productAdded' | 'productUnknown' | 'product' | 'unknownCard' | 'cardNotLinked' | 'masked' | 'error';

export function scanOutcome(scan: DeviceScan): ScanOutcome {
  if (scan.member) return scan.kind === 'card' ? 'memberByCard' : 'member';
  if (scan.product) return 'productAdded';
  // product: null (not undefined): the terminal has a catalogue and this barcode is not in it.
  if (scan.product === null) return 'productUnknown';
  if (scan.kind === 'card') return 'cardNotLinked';
  if (scan.kind === 'masked-card') return 'masked';
  if (scan.kind === 'error') return 'error';
  return isProductBarcode(scan.display) ? 'product' : 'unknownCard';
}

/** Which unknown scans can be linked to the member on screen: a clear payment card, or a whole card code. */
export function linkableKind(scan: DeviceScan): 'card' | 'loyalty' | null {
  const outcome = scanOutcome(scan);
  if (outcome === 'cardNotLinked') return 'card';
  // The core shortens codes over 64 characters for display: those cannot be linked from here.
  if (outcome === 'unknownCard' && scan.display !== '' && !scan.display.endsWith('…')) return 'loyalty';
  return null;
}

/**
 * Part of a keyboard card reader's swipe, cut off by a stall longer than the detector allows: a start
 * sentinel without the end one, or without the start sentinel track 2's "PAN=YYMM", track 1's "^"
 * separators, or the end sentinel after digits.
 * Sent on, it would be read as a barcode and its digits shown; it is dropped instead.
 */
export function looksLikeTrackFragment(text: string): boolean {
  // Start sentinel: whole tracks end with the end sentinel; without it the core would take the digits for a barcode.
  if (text.startsWith('%') || text.startsWith(';')) return !text.endsWith('?');
  return /\d{4,}=\d{4}/.test(text) || /\^/.test(text) || /\d\?$/.test(text);
}
