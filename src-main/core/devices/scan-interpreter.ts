// What a scan means (issue 4): a barcode is a loyalty card number or digital card code; a payment card's
// PAN is Luhn-checked and turned AT ONCE into keyed tokens (CardKeys, HMAC-SHA-256), keeping only brand and
// last four. The PAN and track text never leave interpret(): not into the result, the event, a log or the DB.
import type { CatalogueInfo, DeviceScan, ProductView, ScanErrorCode } from '../../../src-shared/api/contract';
import { cardBrand, looksLikeTrackData, luhnValid, parseMagstripe, type CardBrand, type MagstripeErrorCode, type MagstripeResult } from '../../../src-shared/devices';
import { isChainToken, type CardKeys } from '../card-keys';
import type { MembersRepo } from '../members-repo';
import type { DeviceInput } from './device-types';

/** The last payment card swiped on this terminal, as members.linkCard needs it: tokens, never the PAN. */
export type LastCardScan =
  | {
      scanId: string;
      masked: false;
      token: string;
      tokens: string[];
      chainTokens: string[];
      /** The token the card is linked under here (null: not linked). */
      linkedToken: string | null;
      brand: CardBrand;
      last4: string;
      atMs: number;
    }
  | { scanId: string; masked: true; brand: CardBrand; last4: string; atMs: number };

export type Interpretation = { scan: DeviceScan; card: LastCardScan | null };

const BRAND_LABELS: Record<CardBrand, string> = {
  visa: 'VISA',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  troy: 'Troy',
  unionpay: 'UnionPay',
  jcb: 'JCB',
  other: 'Card',
};

export const cardDisplay = (brand: CardBrand, last4: string): string => `${BRAND_LABELS[brand]} •••• ${last4}`;

/** GTIN (EAN-8, UPC-A, EAN-13) check digit: weights 3,1,3... from the right, excluding the check digit. */
export function gtinValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, w = 3; i >= 0; i -= 1, w = 4 - w) sum += (digits.charCodeAt(i) - 0x30) * w;
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 0x30;
}

const PAN_LENGTHS: Partial<Record<CardBrand, readonly number[]>> = { visa: [13, 16, 19], mastercard: [16], amex: [15] };

/**
 * True for text that is a payment card number (spaces and dashes allowed): such text is never kept as a
 * loyalty card number. A valid 13-digit EAN (a product or loyalty barcode) is not taken for a card.
 */
export function looksLikePan(text: string): boolean {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(digits) || !luhnValid(digits)) return false;
  const brand = cardBrand(digits);
  if (brand === 'other') return false;
  if (digits.length === 13 && gtinValid(digits)) return false;
  const lengths = PAN_LENGTHS[brand];
  return lengths ? lengths.includes(digits.length) : digits.length >= 16;
}

/**
 * Part of a card swipe (a reader or a busy machine split it): a track sentinel, or digits beside
 * the track's field separators. Never shown or kept as a barcode: it may hold card digits.
 */
export function looksLikeTrackFragment(text: string): boolean {
  return /^[%;]/.test(text) || /\d{6,}[=^]|[=^]\d{4,}|\?$/.test(text) || /\d{12,}/.test(text.replace(/[\s-]/g, '')) && looksLikePan(text.replace(/[^\d]/g, '').slice(0, 19));
}

const MAX_CODE_LENGTH = 128;

/**
 * A loyalty card number or digital card code as stored and looked up: trimmed; from a digital card link
 * (https://.../m/<code>) the last path segment. Null when it holds anything but printable ASCII.
 */
export function normalizeCardCode(text: string): string | null {
  let code = text.trim();
  if (/^https?:\/\//i.test(code)) {
    try {
      const segments = new URL(code).pathname.split('/').filter((s) => s !== '');
      code = decodeURIComponent(segments.at(-1) ?? '');
    } catch {
      return null;
    }
  }
  if (code.length === 0 || code.length > MAX_CODE_LENGTH || !/^[\x21-\x7e]+$/.test(code)) return null;
  return code;
}

/** A product barcode (EAN-13, UPC-A, EAN-8 with a valid check digit), named for the message; else null. */
export function productBarcodeKind(data: string, symbology: string | null): string | null {
  if (!/^\d+$/.test(data) || !gtinValid(data)) return null;
  if (data.length === 13 && (symbology === null || symbology === 'ean13')) return 'EAN-13';
  if (data.length === 12 && (symbology === null || symbology === 'ean13')) return 'UPC-A';
  if (data.length === 8 && (symbology === null || symbology === 'ean8' || symbology === 'ean13')) return 'EAN-8';
  return null;
}

const CARD_ERRORS: Record<MagstripeErrorCode, { reason: ScanErrorCode; message: string }> = {
  READ_ERROR: { reason: 'card-unreadable', message: 'The card could not be read: swipe it again, steadily' },
  BAD_LUHN: { reason: 'card-check-digit', message: 'The card number failed its check digit: swipe the card again' },
  BAD_FORMAT: { reason: 'card-not-payment', message: 'The stripe does not hold a payment card (ISO/IEC 7813) format' },
  TRACK_MISMATCH: { reason: 'card-tracks-disagree', message: 'The card tracks disagree: swipe the card again' },
  NO_TRACK: { reason: 'card-unreadable', message: 'No card data was read: swipe the card again' },
};

const truncate = (text: string, max = 64): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The product catalogue as the interpreter needs it (CatalogueStore). */
export type ProductCatalogue = { info(): CatalogueInfo | null; byBarcode(code: string): ProductView | null };

export type ScanInterpreterDeps = {
  members: MembersRepo;
  /** Product barcodes are looked up here; without it they only get a message. */
  catalogue?: ProductCatalogue;
  cardKeys: CardKeys;
  newId: () => string;
  now: () => string;
};

export class ScanInterpreter {
  constructor(private readonly deps: ScanInterpreterDeps) {}

  interpret(deviceId: string, input: DeviceInput): Interpretation {
    if (input.kind === 'error') return { scan: this.#failed(deviceId, null, '', input.reason, input.message), card: null };
    if (input.kind === 'magstripe') return this.#card(deviceId, input.result);
    // Keyboard-format card readers (serial, wedge) send track text: route it to the card path before anything
    // could treat it as a barcode.
    if (looksLikeTrackData(input.data)) return this.#card(deviceId, parseMagstripe(input.data));
    return { scan: this.#barcode(deviceId, input.data, input.symbology), card: null };
  }

  #barcode(deviceId: string, data: string, symbology: string | null): DeviceScan {
    if (!looksLikePan(data) && looksLikeTrackFragment(data)) {
      return this.#failed(deviceId, symbology, '', 'swipe-cut-off', 'Only part of a card swipe arrived: swipe the card again');
    }
    if (looksLikePan(data)) {
      const digits = data.replace(/[\s-]/g, '');
      return this.#failed(deviceId, symbology, cardDisplay(cardBrand(digits), digits.slice(-4)), 'card-number-barcode', 'This barcode holds a payment card number: it is not used or kept. Swipe the card instead');
    }
    const code = normalizeCardCode(data);
    if (code === null) return this.#failed(deviceId, symbology, '', 'unusable-code', 'The scan holds no usable card number (unprintable or too long)');
    const member = this.deps.members.byLoyaltyCard(code);
    const display = truncate(code);
    if (member) return this.#scan(deviceId, 'barcode', member, symbology, display, 'Loyalty card recognised');
    const product = productBarcodeKind(code, symbology);
    if (product && this.deps.catalogue) return this.#product(deviceId, code, product, symbology, display, this.deps.catalogue);
    const message = product
      ? `A product barcode (${product}); this terminal has no product catalogue yet, so nothing happens`
      : 'No member has this card: link it to the member on screen, or enrol the customer';
    return this.#scan(deviceId, 'barcode', null, symbology, display, message);
  }

  /** A product barcode: the catalogue's product (the counter adds it to the sale), or why nothing happens. */
  #product(deviceId: string, code: string, kind: string, symbology: string | null, display: string, catalogue: ProductCatalogue): DeviceScan {
    const info = catalogue.info();
    if (!info) return this.#scan(deviceId, 'barcode', null, symbology, display, `A product barcode (${kind}); this terminal has no product catalogue yet, so nothing happens`);
    const found = catalogue.byBarcode(code);
    if (!found) {
      return { ...this.#scan(deviceId, 'barcode', null, symbology, display, `Unknown product: ${kind} ${code} is not in the catalogue (${info.version}). Key the amount by category`), product: null };
    }
    return { ...this.#scan(deviceId, 'barcode', null, symbology, display, `Product: ${found.name}`), product: found };
  }

  #card(deviceId: string, result: MagstripeResult): Interpretation {
    if (result.kind === 'error') {
      const { reason, message } = CARD_ERRORS[result.code];
      return { scan: this.#failed(deviceId, 'magstripe', '', reason, message), card: null };
    }
    const display = cardDisplay(result.brand, result.last4);
    const scanId = this.deps.newId();
    const atMs = Date.parse(this.deps.now());
    if (result.kind === 'masked') {
      const message = `Card seen from an encrypting reader: its number is masked, so it cannot be looked up or linked. Use the masked last four (${result.last4}) to find the member, or swipe on a plain reader`;
      return {
        scan: this.#scan(deviceId, 'masked-card', null, 'magstripe', display, message, scanId),
        card: { scanId, masked: true, brand: result.brand, last4: result.last4, atMs },
      };
    }
    // The only use of the PAN: keyed tokens under every key version (lookup) and the current one (linking).
    const tokens = this.deps.cardKeys.candidateTokens(result.pan);
    const token = this.deps.cardKeys.token(result.pan);
    // Under every version of the chain's key: what the server matches a link made at another store by.
    const chainTokens = tokens.filter(isChainToken);
    const linked = this.deps.members.byCardToken(tokens);
    const message = linked ? 'Member found by payment card' : 'This card is not linked to a member: enrol the customer, or link the card to the member on screen';
    return {
      scan: this.#scan(deviceId, 'card', linked?.member ?? null, 'magstripe', display, message, scanId),
      card: { scanId, masked: false, token, tokens, chainTokens, linkedToken: linked?.token ?? null, brand: result.brand, last4: result.last4, atMs },
    };
  }

  /** A scan that could not be used: why, as a code a screen says in its language, and the English detail. */
  #failed(deviceId: string, symbology: string | null, display: string, reason: ScanErrorCode, message: string): DeviceScan {
    return { ...this.#scan(deviceId, 'error', null, symbology, display, message), reason };
  }

  #scan(
    deviceId: string,
    kind: DeviceScan['kind'],
    member: { memberId: string; name: string | null; balance: number } | null,
    symbology: string | null,
    display: string,
    message: string,
    scanId = this.deps.newId(),
  ): DeviceScan {
    return {
      deviceId,
      scanId,
      kind,
      member: member ? { memberId: member.memberId, name: member.name, balance: member.balance } : null,
      symbology,
      display,
      message,
      at: this.deps.now(),
    };
  }
}
