import { describe, expect, it } from 'vitest';
import { cardBrand, looksLikeTrackData, luhnValid, parseMagstripe } from '../../src-shared/devices/magstripe';
import { TRACK1, TRACK2 } from './fixtures';

const PAN = '4111111111111111';

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['9792000000000003', true],
    ['9792000000000000', false],
    ['', false],
    ['4111 1111', false],
  ])('%s -> %s', (pan, ok) => expect(luhnValid(pan)).toBe(ok));
});

describe('cardBrand', () => {
  it.each([
    ['4111111111111111', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223000048400011', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['6500000000000002', 'discover'],
    ['9792000000000003', 'troy'],
    ['6200000000000005', 'unionpay'],
    ['3530111333300000', 'jcb'],
    ['2200000000000004', 'other'],
    ['', 'other'],
  ])('%s -> %s', (pan, brand) => expect(cardBrand(pan)).toBe(brand));
});

describe('parseMagstripe', () => {
  it('parses track 1 (hardware.md §10.2)', () => {
    expect(parseMagstripe(TRACK1)).toEqual({ kind: 'card', pan: PAN, last4: '1111', brand: 'visa', expiry: '2812' });
  });

  it('parses track 2, and both tracks with a trailing CR (MagTek keyboard format)', () => {
    expect(parseMagstripe(TRACK2)).toEqual({ kind: 'card', pan: PAN, last4: '1111', brand: 'visa', expiry: '2812' });
    expect(parseMagstripe(`${TRACK1}${TRACK2}\r`)).toEqual({ kind: 'card', pan: PAN, last4: '1111', brand: 'visa', expiry: '2812' });
    expect(parseMagstripe(`${TRACK1}${TRACK2};E?\r`)).toMatchObject({ kind: 'card' });
    expect(parseMagstripe(`${TRACK1}${TRACK2}+E?\r`)).toMatchObject({ kind: 'card' });
  });

  it('parses other brands', () => {
    expect(parseMagstripe(';5555555555554444=3001201?')).toEqual({ kind: 'card', pan: '5555555555554444', last4: '4444', brand: 'mastercard', expiry: '3001' });
    expect(parseMagstripe('%B378282246310005^SMITH/ANN^2905101?')).toMatchObject({ kind: 'card', brand: 'amex', last4: '0005' });
    expect(parseMagstripe(';9792000000000003=2712?')).toMatchObject({ kind: 'card', brand: 'troy', last4: '0003' });
    expect(parseMagstripe('%B4111 1111 1111 1111^DOE/JOHN^2812?')).toMatchObject({ kind: 'card', pan: PAN });
  });

  it('returns null expiry when absent or not a month', () => {
    expect(parseMagstripe(';4111111111111111==101?')).toMatchObject({ kind: 'card', expiry: null });
    expect(parseMagstripe('%B4111111111111111^DOE/JOHN^^101?')).toMatchObject({ kind: 'card', expiry: null });
    expect(parseMagstripe(';4111111111111111=2813101?')).toMatchObject({ kind: 'card', expiry: null });
  });

  it('rejects a bad Luhn without leaking the PAN', () => {
    const r = parseMagstripe(';4111111111111112=2812101000000000000?');
    expect(r).toEqual({ kind: 'error', code: 'BAD_LUHN', message: expect.any(String) });
    expect(JSON.stringify(r)).not.toContain('411111');
  });

  it('maps reader error markers to READ_ERROR', () => {
    for (const input of ['%E?', ';E?', '+E?', '%E?;E?\r', '%E?;E?+E?\r']) {
      expect(parseMagstripe(input), input).toEqual({ kind: 'error', code: 'READ_ERROR', message: expect.any(String) });
    }
  });

  it('still reads track 2 when track 1 failed (%E?;...?)', () => {
    expect(parseMagstripe(`%E?${TRACK2}\r`)).toEqual({ kind: 'card', pan: PAN, last4: '1111', brand: 'visa', expiry: '2812' });
  });

  it('returns only last4 and brand for masked tracks', () => {
    expect(parseMagstripe('%B411111******1111^DOE/JOHN^2812*********************?')).toEqual({ kind: 'masked', last4: '1111', brand: 'visa' });
    expect(parseMagstripe('%B4111********1111^DOE/JOHN^2812?')).toEqual({ kind: 'masked', last4: '1111', brand: 'visa' });
    expect(parseMagstripe(';555555XXXXXX4444=3001?')).toEqual({ kind: 'masked', last4: '4444', brand: 'mastercard' });
    expect(parseMagstripe(';************0005=3001?')).toEqual({ kind: 'masked', last4: '0005', brand: 'other' });
    const masked = parseMagstripe('%B411111******1111^DOE/JOHN^2812?;411111******1111=2812?');
    expect(masked).toEqual({ kind: 'masked', last4: '1111', brand: 'visa' });
    expect(Object.keys(masked)).not.toContain('pan');
  });

  it('rejects malformed and mismatched tracks without echoing them', () => {
    const bad = ['%B4111111111111111DOE/JOHN2812?', ';4111111111111111?', '%A4111111111111111^X^2812?', ';41111=2812?', '%B4111111111111111^DOE', ';4111111111111111=2812'];
    for (const input of bad) {
      const r = parseMagstripe(input);
      expect(r, input).toMatchObject({ kind: 'error', code: 'BAD_FORMAT' });
      expect(JSON.stringify(r)).not.toContain('4111');
    }
    expect(parseMagstripe(`${TRACK1};5555555555554444=3001?`)).toMatchObject({ kind: 'error', code: 'TRACK_MISMATCH' });
    expect(parseMagstripe('LOY-000123456')).toMatchObject({ kind: 'error', code: 'NO_TRACK' });
  });
});

describe('looksLikeTrackData', () => {
  it('spots clear, masked and error-marker track data', () => {
    for (const s of [TRACK1, TRACK2, `${TRACK1}${TRACK2}\r`, '%B411111******1111^DOE/JOHN^2812?', ';411111******1111=2812?', '%E?', ';E?', '+E?']) {
      expect(looksLikeTrackData(s), s).toBe(true);
    }
  });

  it('does not flag ordinary barcodes', () => {
    for (const s of ['4006381333931', 'LOY-000123456', 'https://example.com/m/0123?x=1', '50%', 'a;b']) {
      expect(looksLikeTrackData(s), s).toBe(false);
    }
  });
});
