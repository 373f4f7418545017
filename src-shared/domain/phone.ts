import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { because, KasaError } from '../api/errors';
import { looksLikeTrackData, luhnValid } from '../devices/magstripe';

/**
 * A payment card's number or track data where a phone number was expected (keyed into the phone
 * field, or a swipe the keyboard-wedge detector did not catch): refused without repeating it, since
 * a card number is never shown, logged or stored. Asked only of input that is no valid phone number,
 * so a phone whose digits happen to pass Luhn is never taken for a card.
 */
function refuseUnlessCard(text: string, refusal: KasaError): KasaError {
  const digits = text.replace(/[\s\-.]/g, '');
  const card = looksLikeTrackData(text) || (/^\d{12,19}$/.test(digits) && luhnValid(digits));
  return card ? new KasaError('INVALID_PHONE', 'a payment card number is not a phone number', because('card-number')) : refusal;
}

/**
 * Normalises what a cashier typed to E.164 with the store's default country, so that
 * "0532 123 45 67", "+90 532 123 4567" and "905321234567" are one number in a Turkish store.
 * Throws INVALID_PHONE for anything that is not a valid number.
 */
export function normalizePhone(input: string, defaultCountry: string): string {
  const text = input.trim();
  if (text.length === 0 || text.length > 32 || !/^[+\d\s().\-/]+$/.test(text)) {
    throw refuseUnlessCard(text, new KasaError('INVALID_PHONE', `"${text.slice(0, 32)}" is not a phone number`));
  }
  const country = defaultCountry as CountryCode;
  const candidates = [parsePhoneNumberFromString(text, country)];
  const digits = text.replace(/\D/g, '');
  // A number typed with its country code but without "+" (905321234567).
  if (!text.startsWith('+') && !text.startsWith('00')) candidates.push(parsePhoneNumberFromString(`+${digits}`));
  if (text.startsWith('00')) candidates.push(parsePhoneNumberFromString(`+${digits.slice(2)}`));
  const home = candidates.find((p) => p?.isValid() && p.country === country);
  const any = home ?? candidates.find((p) => p?.isValid());
  if (!any) throw refuseUnlessCard(text, new KasaError('INVALID_PHONE', `"${text}" is not a valid phone number`));
  return any.number;
}

/** "+905321234567" shown as "+90 532 123 45 67". */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
