import { describe, expect, it } from 'vitest';
import { Backoff, describeOpenError } from '../../src-main/core/devices/device-types';
import { cardDisplay, gtinValid, looksLikePan, normalizeCardCode, productBarcodeKind, ScanInterpreter, type ScanInterpreterDeps } from '../../src-main/core/devices/scan-interpreter';

describe('scan interpretation helpers', () => {
  it('validates GTIN check digits (EAN-13, UPC-A, EAN-8)', () => {
    expect(gtinValid('4006381333931')).toBe(true);
    expect(gtinValid('4006381333932')).toBe(false);
    expect(gtinValid('036000291452')).toBe(true);
    expect(gtinValid('96385074')).toBe(true);
    expect(productBarcodeKind('4006381333931', 'ean13')).toBe('EAN-13');
    expect(productBarcodeKind('036000291452', null)).toBe('UPC-A');
    expect(productBarcodeKind('96385074', 'ean8')).toBe('EAN-8');
    expect(productBarcodeKind('4006381333931', 'code128')).toBeNull();
    expect(productBarcodeKind('LOY-1', null)).toBeNull();
  });

  it('recognises payment card numbers, but not EAN-13 codes or other digit strings', () => {
    for (const pan of ['4111111111111111', '4111 1111 1111 1111', '4111-1111-1111-1111', '5555555555554444', '378282246310005', '9792030000000000']) {
      expect(looksLikePan(pan), pan).toBe(true);
    }
    for (const text of ['4111111111111112', '4000000000006', '1234567812345670', '411111', 'LOY-4111111111111111', '37828224631000']) {
      expect(looksLikePan(text), text).toBe(false);
    }
  });

  it('normalises loyalty card numbers and digital card links', () => {
    expect(normalizeCardCode('  LOY-000123456 ')).toBe('LOY-000123456');
    expect(normalizeCardCode('https://example.com/m/0123456789abcdef/')).toBe('0123456789abcdef');
    expect(normalizeCardCode('https://example.com/m/LOY%2D1?x=1')).toBe('LOY-1');
    expect(normalizeCardCode('with space')).toBeNull();
    expect(normalizeCardCode('\u0001\u0002')).toBeNull();
    expect(normalizeCardCode('x'.repeat(129))).toBeNull();
    expect(normalizeCardCode('https://example.com/')).toBeNull();
  });

  it('shows cards as brand and last four only', () => {
    expect(cardDisplay('visa', '1111')).toBe('VISA •••• 1111');
    expect(cardDisplay('troy', '0008')).toBe('Troy •••• 0008');
  });

  it('backs off 250 ms doubling to 5 s by default, and resets', () => {
    const b = new Backoff();
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    b.reset();
    expect(b.next()).toBe(250);
  });

  it('turns open failures into statuses a person can act on', () => {
    expect(describeOpenError('serial port /dev/x', new Error('Error: No such file or directory, cannot open /dev/x'))).toMatchObject({ state: 'disconnected', code: 'not-found' });
    expect(describeOpenError('serial port /dev/x', new Error('Error: Permission denied, cannot open /dev/x'))).toEqual({ state: 'error', code: 'permission-denied', message: expect.stringMatching(/dialout/) });
    expect(describeOpenError('serial port /dev/x', new Error('Error Resource temporarily unavailable Cannot lock port'))).toEqual({ state: 'error', code: 'busy', message: expect.stringMatching(/busy/) });
    expect(describeOpenError('HID device 0c2e:0b81', new Error('cannot open device with vendor id 0xc2e and product id 0xb81: No HID devices with requested VID/PID found in the system.'))).toMatchObject({ state: 'disconnected', code: 'not-found' });
  });
});

describe('card swipe fragments', () => {
  it('are told apart from barcodes so their digits are never shown', async () => {
    const { looksLikeTrackFragment } = await import('../../src-main/core/devices/scan-interpreter');
    for (const fragment of [';41111111111', '%B4111111111', '4111111111111111=2512101', '^DOE/JOHN^2512', '1111=25121010000000000000?']) {
      expect(looksLikeTrackFragment(fragment), fragment).toBe(true);
    }
    for (const barcode of ['4006381333931', 'LOY-000123456', '0123456789abcdef', '036000291452', 'https://example.com/m/abc']) {
      expect(looksLikeTrackFragment(barcode), barcode).toBe(false);
    }
  });
});

describe('why a scan could not be used', () => {
  // The interpreter with nothing known: every card and code is unknown, which is not an error.
  const interpreter = () =>
    new ScanInterpreter({
      members: { byLoyaltyCard: () => null, byCardToken: () => null } as unknown as ScanInterpreterDeps['members'],
      cardKeys: { candidateTokens: () => ['t'], token: () => 't' } as unknown as ScanInterpreterDeps['cardKeys'],
      newId: () => 'scan-1',
      now: () => '2026-01-01T00:00:00.000Z',
    });
  const TRACK2 = ';4111111111111111=30121010000000000000?';

  it.each([
    ['a swipe the reader could not read', ';E?', 'card-unreadable'],
    ['a card number failing its check digit', ';4111111111111112=30121010000000000000?', 'card-check-digit'],
    ['a stripe that is no payment card', ';12345678?', 'card-not-payment'],
    ['tracks that disagree', `%B4111111111111111^DOE/J^3012101?${TRACK2.replace('4111111111111111', '5555555555554444')}`, 'card-tracks-disagree'],
    ['part of a swipe', '4111111111111111=3012', 'swipe-cut-off'],
    ['a barcode holding a card number', '4111 1111 1111 1111', 'card-number-barcode'],
    ['a code with a control character', 'LOY\u0001123', 'unusable-code'],
  ] as const)('%s is %s, with the English as the detail', (_what, data, reason) => {
    const { scan } = interpreter().interpret('front', { kind: 'text', data, symbology: null });
    expect(scan).toMatchObject({ kind: 'error', reason, message: expect.stringMatching(/^[A-Z]/) });
  });

  it("keeps a driver's reason, and gives none to a scan that is not an error", () => {
    expect(interpreter().interpret('front', { kind: 'error', reason: 'line-noise', message: 'ignored 6 bytes of unreadable input' }).scan).toMatchObject({ kind: 'error', reason: 'line-noise' });
    expect(interpreter().interpret('front', { kind: 'text', data: 'LOY-000123456', symbology: null }).scan.reason).toBeUndefined();
    expect(interpreter().interpret('front', { kind: 'text', data: TRACK2, symbology: null }).scan).toMatchObject({ kind: 'card', display: 'VISA •••• 1111' });
  });
});
