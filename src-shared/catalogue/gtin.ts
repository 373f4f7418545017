// GS1 trade item numbers as printed on products: EAN-13, UPC-A (12 digits) and EAN-8, each with
// its check digit. A scanner in EAN-13 mode sends a UPC-A with a leading 0, so numbers are compared
// in their 14-digit form (GTIN-14, zero-padded): 036000291452 and 0036000291452 are one product.

export type GtinKind = 'EAN-13' | 'UPC-A' | 'EAN-8';

/** GS1 check digit: weights 3,1,3... from the digit next to the check digit. */
export function gtinCheckDigitValid(digits: string): boolean {
  if (!/^\d{2,18}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, w = 3; i >= 0; i -= 1, w = 4 - w) sum += (digits.charCodeAt(i) - 0x30) * w;
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 0x30;
}

/** The check digit a GTIN body (without it) needs: for writing test data and error messages. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i -= 1, w = 4 - w) sum += (body.charCodeAt(i) - 0x30) * w;
  return (10 - (sum % 10)) % 10;
}

export function gtinKind(digits: string): GtinKind | null {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(digits)) return null;
  return digits.length === 13 ? 'EAN-13' : digits.length === 12 ? 'UPC-A' : 'EAN-8';
}

/** The 14-digit key of a valid EAN-13, UPC-A or EAN-8; null for anything else. */
export function gtinKey(digits: string): string | null {
  if (gtinKind(digits) === null || !gtinCheckDigitValid(digits)) return null;
  return digits.padStart(14, '0');
}
