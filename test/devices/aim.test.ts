import { describe, expect, it } from 'vitest';
import { hasAimPrefix, parseAim, symbologyFromAim } from '../../src-shared/devices/aim';

describe('AIM symbology identifiers', () => {
  it.each([
    [']E04006381333931', 'ean13', ']E0', '4006381333931'],
    [']E496385074', 'ean8', ']E4', '96385074'],
    [']C0LOY-000123456', 'code128', ']C0', 'LOY-000123456'],
    [']C1010950123456789', 'gs1-128', ']C1', '010950123456789'],
    [']Q1https://example.com/m/1', 'qr', ']Q1', 'https://example.com/m/1'],
    [']A0CODE39', 'code39', ']A0', 'CODE39'],
    [']d2010950123456789', 'gs1-datamatrix', ']d2', '010950123456789'],
    [']d1HELLO', 'datamatrix', ']d1', 'HELLO'],
    [']e00109501234567', 'gs1-databar', ']e0', '0109501234567'],
    [']I012345678', 'itf', ']I0', '12345678'],
  ])('decodes %s', (raw, symbology, aim, data) => {
    expect(parseAim(raw)).toEqual({ symbology, aim, data });
  });

  it('passes data without an identifier through untouched', () => {
    expect(parseAim('4006381333931')).toEqual({ symbology: null, aim: null, data: '4006381333931' });
    expect(parseAim(']')).toEqual({ symbology: null, aim: null, data: ']' });
    expect(parseAim(']E')).toEqual({ symbology: null, aim: null, data: ']E' });
    expect(parseAim(']1ABC')).toEqual({ symbology: null, aim: null, data: ']1ABC' });
    expect(parseAim('] 0ABC').aim).toBeNull();
  });

  it('keeps an unknown but well-formed identifier with a null symbology', () => {
    expect(parseAim(']Y0DATA')).toEqual({ symbology: null, aim: ']Y0', data: 'DATA' });
    expect(hasAimPrefix(']Y0')).toBe(true);
    expect(symbologyFromAim('E0')).toBeNull();
  });

  it('allows an identifier with no data', () => {
    expect(parseAim(']E0')).toEqual({ symbology: 'ean13', aim: ']E0', data: '' });
  });
});
