import { describe, expect, it } from 'vitest';
import { msrTracksToString, parseMagtekHidReport } from '../../src-shared/devices/hid-msr';
import { parseMagstripe } from '../../src-shared/devices/magstripe';
import { ascii, hex, TRACK1, TRACK2 } from './fixtures';

/** The 337-byte MagTek report of hardware.md §10.3, built from its field table. */
function magtek(t1: string, t2: string, status: [number, number, number] = [0, 0, 0]): Uint8Array {
  const r = new Uint8Array(337);
  r.set(status, 0);
  r[3] = t1.length;
  r[4] = t2.length;
  r[5] = 0;
  r[6] = 0;
  r.set(ascii(t1), 7);
  r.set(ascii(t2), 117);
  return r;
}

describe('parseMagtekHidReport', () => {
  it('matches the byte-level fixture header and reads both tracks', () => {
    const report = magtek(TRACK1, TRACK2);
    expect(report.subarray(0, 8)).toEqual(hex('00 00 00 36 26 00 00 25'));
    expect(report.subarray(117, 121)).toEqual(hex('3b 34 31 31'));
    const r = parseMagtekHidReport(report);
    expect(r).toEqual({
      ok: true,
      report: {
        layout: 'magtek',
        encodeType: 'iso-aba',
        tracks: [
          { status: 'ok', data: TRACK1 },
          { status: 'ok', data: TRACK2 },
          { status: 'empty', data: '' },
        ],
      },
    });
    if (!r.ok) return;
    expect(parseMagstripe(msrTracksToString(r.report.tracks))).toMatchObject({ kind: 'card', pan: '4111111111111111', expiry: '2812' });
  });

  it('turns a failed track into the E marker', () => {
    const r = parseMagtekHidReport(magtek('', TRACK2, [1, 0, 0]));
    expect(r.ok && r.report.tracks[0]).toEqual({ status: 'error', data: '' });
    if (!r.ok) return;
    expect(msrTracksToString(r.report.tracks)).toBe(`%E?${TRACK2}`);
    const allFailed = parseMagtekHidReport(magtek('', '', [1, 1, 1]));
    if (!allFailed.ok) throw new Error('expected a parsed report');
    expect(msrTracksToString(allFailed.report.tracks)).toBe('%E?;E?+E?');
    expect(parseMagstripe(msrTracksToString(allFailed.report.tracks))).toMatchObject({ kind: 'error', code: 'READ_ERROR' });
  });

  it('adds sentinels a reader left out', () => {
    expect(msrTracksToString([{ status: 'ok', data: 'B4111111111111111^DOE/JOHN^2812' }, { status: 'ok', data: '4111111111111111=2812' }])).toBe(
      '%B4111111111111111^DOE/JOHN^2812?;4111111111111111=2812?',
    );
  });

  it('reads only the masked tracks of a MagneSafe V5 report', () => {
    const r = new Uint8Array(887);
    const masked1 = '%B411111******1111^DOE/JOHN^2812*********************?';
    const masked2 = ';411111******1111=2812*************?';
    r[3] = 80; // encrypted lengths: ignored
    r.fill(0xaa, 7, 231); // ciphertext: never read
    r[505] = masked1.length;
    r[506] = masked2.length;
    r.set(ascii(masked1), 508);
    r.set(ascii(masked2), 620);
    const parsed = parseMagtekHidReport(r);
    expect(parsed.ok && parsed.report.layout).toBe('magnesafe-v5-masked');
    if (!parsed.ok) return;
    expect(parsed.report.tracks.map((t) => t.data)).toEqual([masked1, masked2, '']);
    expect(parseMagstripe(msrTracksToString(parsed.report.tracks))).toEqual({ kind: 'masked', last4: '1111', brand: 'visa' });
  });

  it('rejects truncated reports and impossible lengths', () => {
    expect(parseMagtekHidReport(new Uint8Array(100))).toMatchObject({ ok: false, code: 'TRUNCATED' });
    const r = magtek(TRACK1, TRACK2);
    r[4] = 111;
    expect(parseMagtekHidReport(r)).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
  });
});
