import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { KasaError } from '../api/errors';

/**
 * Normalises what a cashier typed to E.164 with the store's default country, so that
 * "0532 123 45 67", "+90 532 123 4567" and "905321234567" are one number in a Turkish store.
 * Throws INVALID_PHONE for anything that is not a valid number.
 */
export function normalizePhone(input: string, defaultCountry: string): string {
  const text = input.trim();
  if (text.length === 0 || text.length > 32 || !/^[+\d\s().\-/]+$/.test(text)) {
    throw new KasaError('INVALID_PHONE', `"${text.slice(0, 32)}" is not a phone number`);
  }
  const country = defaultCountry as CountryCode;
  const candidates = [parsePhoneNumberFromString(text, country)];
  const digits = text.replace(/\D/g, '');
  // A number typed with its country code but without "+" (905321234567).
  if (!text.startsWith('+') && !text.startsWith('00')) candidates.push(parsePhoneNumberFromString(`+${digits}`));
  if (text.startsWith('00')) candidates.push(parsePhoneNumberFromString(`+${digits.slice(2)}`));
  const home = candidates.find((p) => p?.isValid() && p.country === country);
  const any = home ?? candidates.find((p) => p?.isValid());
  if (!any) throw new KasaError('INVALID_PHONE', `"${text}" is not a valid phone number`);
  return any.number;
}

/** "+905321234567" shown as "+90 532 123 45 67". */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
