// MagTek HID (non-keyboard) swipe reader reports -> track strings (hardware.md §3.2, §10.3).
// Two layouts are documented: the plain 337-byte report (Mini/Dynamag 0801:0002) and the MagneSafe V5 report,
// of which only the masked tracks are read (the encrypted ones are for the key owner, never for us).
// These readers use unnumbered reports, so with node-hid byte 0 is already decode status, not a report ID.
import { bytesToLatin1 } from './ascii';

export type MsrTrackStatus = 'ok' | 'error' | 'empty';

export type MsrTrack = { status: MsrTrackStatus; /** Track text with sentinels as the reader sent it; '' unless ok. */ data: string };

export type MsrLayout = 'magtek' | 'magnesafe-v5-masked';

export type MsrEncodeType = 'iso-aba' | 'aamva' | 'cadl' | 'blank' | 'other' | 'undetermined' | 'none';

export type MsrReport = { layout: MsrLayout; encodeType: MsrEncodeType; tracks: [MsrTrack, MsrTrack, MsrTrack] };

export type MsrParseResult = { ok: true; report: MsrReport } | { ok: false; code: 'TRUNCATED' | 'BAD_LENGTH'; message: string };

export const MAGTEK_REPORT_BYTES = 337;
const MAGTEK_TRACK_OFFSETS = [7, 117, 227] as const;
const MAGTEK_TRACK_BYTES = 110;

// MagneSafe V5: masked lengths at 505-507, masked tracks at 508/620/732 (112 bytes each); report ends at 855.
export const MAGNESAFE_V5_MIN_BYTES = 856;
const V5_MASKED_LENGTH_OFFSET = 505;
const V5_MASKED_TRACK_OFFSETS = [508, 620, 732] as const;
const V5_TRACK_BYTES = 112;

const ENCODE_TYPES: readonly MsrEncodeType[] = ['iso-aba', 'aamva', 'cadl', 'blank', 'other', 'undetermined', 'none'];
const SENTINELS = [['%', '?'], [';', '?'], ['+', '?']] as const;

/**
 * Parses a MagTek HID report. The layout is chosen by length: 337 bytes is the plain reader, 856+ is MagneSafe V5.
 * Never throws; track text is returned only to be handed straight to parseMagstripe (it is SAD: never log it).
 */
export function parseMagtekHidReport(report: Uint8Array): MsrParseResult {
  const v5 = report.length >= MAGNESAFE_V5_MIN_BYTES;
  if (!v5 && report.length < MAGTEK_REPORT_BYTES) {
    return { ok: false, code: 'TRUNCATED', message: `MagTek report has ${report.length} bytes, expected ${MAGTEK_REPORT_BYTES} or ${MAGNESAFE_V5_MIN_BYTES}+` };
  }
  const capacity = v5 ? V5_TRACK_BYTES : MAGTEK_TRACK_BYTES;
  const offsets = v5 ? V5_MASKED_TRACK_OFFSETS : MAGTEK_TRACK_OFFSETS;
  const lengthOffset = v5 ? V5_MASKED_LENGTH_OFFSET : 3;
  const tracks: MsrTrack[] = [];
  for (let t = 0; t < 3; t += 1) {
    const status = report[t] ?? 0;
    const length = report[lengthOffset + t] ?? 0;
    if (length > capacity) return { ok: false, code: 'BAD_LENGTH', message: `track ${t + 1} length ${length} exceeds ${capacity}` };
    // Decode status is per track: 0 = OK. A failed track is reported as such, its bytes are not trusted.
    if (status !== 0) tracks.push({ status: 'error', data: '' });
    else if (length === 0) tracks.push({ status: 'empty', data: '' });
    else {
      const start = offsets[t] ?? 0;
      tracks.push({ status: 'ok', data: bytesToLatin1(report, start, start + length) });
    }
  }
  const encodeType = ENCODE_TYPES[report[6] ?? 6] ?? 'undetermined';
  const [t1, t2, t3] = tracks as [MsrTrack, MsrTrack, MsrTrack];
  return { ok: true, report: { layout: v5 ? 'magnesafe-v5-masked' : 'magtek', encodeType, tracks: [t1, t2, t3] } };
}

/**
 * Joins tracks into the keyboard-reader text form ("%...?;...?+...?") that parseMagstripe reads. Failed tracks become
 * the "E" marker as keyboard readers send it; sentinels are added when the reader stripped them.
 */
export function msrTracksToString(tracks: readonly MsrTrack[]): string {
  let out = '';
  tracks.forEach((track, i) => {
    const [start, end] = SENTINELS[i] ?? ['', ''];
    if (track.status === 'error') out += `${start}E${end}`;
    else if (track.status === 'ok') {
      const body = track.data;
      out += (body.startsWith(start) ? '' : start) + body + (body.endsWith(end) ? '' : end);
    }
  });
  return out;
}
