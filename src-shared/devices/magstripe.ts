// ISO/IEC 7813 magnetic stripe track 1 / track 2 parsing (hardware.md §3.1-3.2, §7, §10.2).
// PCI: track data is Sensitive Authentication Data. Nothing here logs, stores or echoes it; error messages
// never contain the PAN or any other track content.

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'troy' | 'unionpay' | 'jcb' | 'other';

export type MagstripeErrorCode = 'READ_ERROR' | 'BAD_LUHN' | 'BAD_FORMAT' | 'TRACK_MISMATCH' | 'NO_TRACK';

export type MagstripeCard = {
  kind: 'card';
  /**
   * The full PAN, returned ONLY so the core can compute its keyed hash (HMAC) and drop it at once.
   * Never store, log, display or send it anywhere (PCI DSS 3.3-3.5).
   */
  pan: string;
  last4: string;
  brand: CardBrand;
  /** "YYMM" as on the stripe, or null when absent or not a real month. */
  expiry: string | null;
};

/** From encrypting readers that mask the clear-text track: no PAN, nothing to hash. */
export type MagstripeMasked = { kind: 'masked'; last4: string; brand: CardBrand };

export type MagstripeError = { kind: 'error'; code: MagstripeErrorCode; message: string };

export type MagstripeResult = MagstripeCard | MagstripeMasked | MagstripeError;

/** Luhn (mod 10) over a digit string; false for anything that is not 1+ digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 0x30;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const prefixIn = (digits: string, len: number, lo: number, hi: number): boolean => {
  if (digits.length < len) return false;
  const n = Number(digits.slice(0, len));
  return n >= lo && n <= hi;
};

/** Brand from the IIN (leading digits). Works on a masked PAN's visible leading digits too. */
export function cardBrand(panOrPrefix: string): CardBrand {
  const d = /^\d*/.exec(panOrPrefix)?.[0] ?? '';
  // Troy (Türkiye) before the broad ranges; 9792 overlaps nothing else here.
  if (d.startsWith('9792')) return 'troy';
  if (d.startsWith('4')) return 'visa';
  if (prefixIn(d, 2, 51, 55) || prefixIn(d, 4, 2221, 2720)) return 'mastercard';
  if (d.startsWith('34') || d.startsWith('37')) return 'amex';
  if (d.startsWith('6011') || prefixIn(d, 3, 644, 649) || d.startsWith('65')) return 'discover';
  // 62 is UnionPay (its 622126-622925 cards also run on Discover, but the issuer brand is UnionPay).
  if (d.startsWith('62')) return 'unionpay';
  if (prefixIn(d, 4, 3528, 3589)) return 'jcb';
  return 'other';
}

// Characters encrypting readers use to mask (ID TECH / MagTek mask char is configurable, '*' by default).
const MASK_CHARS = /[*Xx#]/;

type TrackPan =
  | { kind: 'clear'; pan: string }
  | { kind: 'masked'; last4: string; visiblePrefix: string }
  | { kind: 'bad' };

function classifyPan(field: string): TrackPan {
  // Track 1 may carry spaces inside the PAN (embossing-style grouping); they are not part of it.
  const pan = field.replace(/ /g, '');
  if (/^\d{12,19}$/.test(pan)) return { kind: 'clear', pan };
  if (pan.length >= 12 && pan.length <= 19 && MASK_CHARS.test(pan) && /^[\d*Xx#]+$/.test(pan) && /\d{4}$/.test(pan)) {
    return { kind: 'masked', last4: pan.slice(-4), visiblePrefix: /^\d*/.exec(pan)?.[0] ?? '' };
  }
  return { kind: 'bad' };
}

function expiryOf(rest: string): string | null {
  const m = /^(\d{2})(\d{2})/.exec(rest);
  if (m === null) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? `${m[1]}${m[2]}` : null;
}

type TrackParse = { pan: TrackPan; expiry: string | null } | { error: 'READ_ERROR' | 'BAD_FORMAT' };

/** Track 1 body, sentinels removed: "B<PAN>^<NAME>^<YYMM><svc>...". */
function parseTrack1(body: string): TrackParse {
  if (body === 'E' || body === '') return { error: 'READ_ERROR' };
  if (body[0] !== 'B') return { error: 'BAD_FORMAT' };
  const first = body.indexOf('^');
  const second = first < 0 ? -1 : body.indexOf('^', first + 1);
  if (first < 0 || second < 0 || second - first - 1 > 26) return { error: 'BAD_FORMAT' };
  const pan = classifyPan(body.slice(1, first));
  if (pan.kind === 'bad') return { error: 'BAD_FORMAT' };
  return { pan, expiry: expiryOf(body.slice(second + 1)) };
}

/** Track 2 body, sentinels removed: "<PAN>=<YYMM><svc>...". */
function parseTrack2(body: string): TrackParse {
  if (body === 'E' || body === '') return { error: 'READ_ERROR' };
  const sep = body.indexOf('=');
  if (sep < 0) return { error: 'BAD_FORMAT' };
  const pan = classifyPan(body.slice(0, sep));
  if (pan.kind === 'bad') return { error: 'BAD_FORMAT' };
  return { pan, expiry: expiryOf(body.slice(sep + 1)) };
}

type Segment = { sentinel: string; body: string };

/** Splits reader output into sentinel-delimited tracks. Anything between tracks (CR, an LRC) is skipped. */
function segments(input: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] ?? '';
    if (c === '%' || c === ';' || c === '+') {
      const end = input.indexOf('?', i + 1);
      if (end < 0) {
        out.push({ sentinel: c, body: '\u0000' }); // unterminated: marks the track as malformed
        break;
      }
      out.push({ sentinel: c, body: input.slice(i + 1, end) });
      i = end + 1;
    } else {
      i += 1;
    }
  }
  return out;
}

const error = (code: MagstripeErrorCode, message: string): MagstripeError => ({ kind: 'error', code, message });

/**
 * Parses keyboard-MSR / serial output holding track 1 and/or track 2 (track 3 is ignored).
 * Priority: a clear, Luhn-valid card > a masked card > an error. A track-1 read error next to a good
 * track 2 still yields the card, as readers send "E" per failed track.
 */
export function parseMagstripe(input: string): MagstripeResult {
  const tracks = segments(input).filter((s) => s.sentinel !== '+');
  if (tracks.length === 0) {
    const hasTrack3 = segments(input).length > 0;
    return hasTrack3 ? error('READ_ERROR', 'no track 1 or 2 data was read') : error('NO_TRACK', 'input holds no track data');
  }
  const parsed = tracks.map((t) => (t.sentinel === '%' ? parseTrack1(t.body) : parseTrack2(t.body)));
  const clear: string[] = [];
  let expiry: string | null = null;
  let masked: MagstripeMasked | null = null;
  let sawBadFormat = false;
  for (const p of parsed) {
    if ('error' in p) {
      if (p.error === 'BAD_FORMAT') sawBadFormat = true;
      continue;
    }
    if (p.pan.kind === 'clear') {
      clear.push(p.pan.pan);
      expiry ??= p.expiry;
    } else if (p.pan.kind === 'masked') {
      masked ??= { kind: 'masked', last4: p.pan.last4, brand: cardBrand(p.pan.visiblePrefix) };
    }
  }
  if (clear.length > 0) {
    const pan = clear[0] ?? '';
    if (clear.some((p) => p !== pan)) return error('TRACK_MISMATCH', 'track 1 and track 2 carry different card numbers');
    if (!luhnValid(pan)) return error('BAD_LUHN', 'card number failed the Luhn check');
    return { kind: 'card', pan, last4: pan.slice(-4), brand: cardBrand(pan), expiry };
  }
  if (masked !== null) return masked;
  return sawBadFormat ? error('BAD_FORMAT', 'track data is malformed') : error('READ_ERROR', 'the reader reported a track read error');
}

/**
 * Cheap test for "this text is (or contains) magstripe track data", used to route keyboard-wedge or serial input
 * to the MSR path and to keep it out of logs. Deliberately liberal: a false positive costs nothing.
 */
export function looksLikeTrackData(s: string): boolean {
  return /%B[\d *Xx#]{4,}\^/.test(s) || /;[\d*Xx#]{8,}[=?]/.test(s) || /[%;+]E\?/.test(s);
}
