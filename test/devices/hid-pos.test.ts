import { describe, expect, it } from 'vitest';
import { HidScanAssembler, parseHidPosReport } from '../../src-shared/devices/hid-pos';
import {
  ascii,
  CODE128_HONEYWELL,
  EAN13_HONEYWELL,
  EAN13_NEWLAND,
  hex,
  honeywellReport,
  newlandReport,
  QR_PART_1,
  QR_PART_2,
  QR_TEXT,
} from './fixtures';

const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

describe('parseHidPosReport', () => {
  it('reads the Honeywell layout: length, AIM at 2-4, data from 5, code ID at 61', () => {
    const r = parseHidPosReport(EAN13_HONEYWELL);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.layout).toBe('aim');
    expect(r.report.aim).toBe(']E0');
    expect(text(r.report.data)).toBe('4006381333931');
    expect(r.report.continued).toBe(false);
    expect(r.report.vendorCodeId).toBe(0x64);
  });

  it('reads the Newland/ID TECH layout: data from byte 2, symbology byte 62', () => {
    const r = parseHidPosReport(EAN13_NEWLAND);
    expect(r.ok && r.report).toEqual({ layout: 'plain', aim: null, data: ascii('4006381333931'), continued: false, vendorCodeId: null });
    const withSym = parseHidPosReport(newlandReport('LOY-1', { symbology: 0x33 }));
    expect(withSym.ok && withSym.report.vendorCodeId).toBe(0x33);
  });

  it('reads the continued bit from byte 63 bit 0 only', () => {
    const r = parseHidPosReport(QR_PART_1);
    expect(r.ok && r.report.continued).toBe(true);
    expect(r.ok && r.report.data.length).toBe(56);
    const other = honeywellReport('X');
    other[63] = 0xfe; // other bits set, bit 0 clear
    const o = parseHidPosReport(other);
    expect(o.ok && o.report.continued).toBe(false);
  });

  it('ignores report IDs other than the scanned-data report', () => {
    expect(parseHidPosReport(hex('0d 01 41'))).toEqual({ ok: false, ignored: true, reportId: 0x0d });
    expect(parseHidPosReport(honeywellReport('4006381333931', { reportId: 0x04 }))).toEqual({ ok: false, ignored: true, reportId: 0x04 });
  });

  it('rejects zero length, over-long length and truncated reports with a code', () => {
    expect(parseHidPosReport(hex('02 00', 64))).toMatchObject({ ok: false, ignored: false, code: 'ZERO_LENGTH' });
    expect(parseHidPosReport(honeywellReport('1', { length: 57 }))).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(parseHidPosReport(EAN13_HONEYWELL.subarray(0, 18))).toMatchObject({ ok: false, ignored: false, code: 'TRUNCATED' });
    expect(parseHidPosReport(EAN13_HONEYWELL.subarray(0, 63))).toMatchObject({ ok: false, code: 'TRUNCATED' });
    expect(parseHidPosReport(new Uint8Array(0))).toMatchObject({ ok: false, code: 'TRUNCATED' });
  });

  it('accepts WebHID data (report ID stripped) with the ID passed separately', () => {
    const r = parseHidPosReport(EAN13_HONEYWELL.subarray(1), { webHidReportId: 0x02 });
    expect(r.ok && text(r.report.data)).toBe('4006381333931');
    expect(parseHidPosReport(EAN13_HONEYWELL.subarray(1), { webHidReportId: 0x05 })).toMatchObject({ ignored: true });
  });

  it('lets the layout be pinned when auto-detection would guess wrong', () => {
    // A Newland payload that itself starts with "]E0" (AIM sent as a prefix) looks like layout A to 'auto'.
    const r = parseHidPosReport(newlandReport(']E04006381333931'), { layout: 'plain' });
    expect(r.ok && text(r.report.data)).toBe(']E04006381333931');
  });
});

describe('HidScanAssembler', () => {
  it('emits single-report scans with symbology from the AIM ID', () => {
    const a = new HidScanAssembler();
    expect(a.push(EAN13_HONEYWELL, 0)).toEqual([{ kind: 'scan', data: '4006381333931', symbology: 'ean13', aim: ']E0', reports: 1 }]);
    expect(a.push(CODE128_HONEYWELL, 10)).toEqual([{ kind: 'scan', data: 'LOY-000123456', symbology: 'code128', aim: ']C0', reports: 1 }]);
  });

  it('joins a 61-byte QR split across two reports (hardware.md §10.4)', () => {
    const a = new HidScanAssembler();
    expect(a.push(QR_PART_1, 1000)).toEqual([]);
    expect(a.pending).toBe(true);
    expect(a.push(QR_PART_2, 1008)).toEqual([{ kind: 'scan', data: QR_TEXT, symbology: 'qr', aim: ']Q1', reports: 2 }]);
    expect(a.pending).toBe(false);
  });

  it('joins three reports and strips a trailing CR', () => {
    const a = new HidScanAssembler();
    const body = 'A'.repeat(56) + 'B'.repeat(56) + 'C'.repeat(10);
    a.push(honeywellReport(body.slice(0, 56), { aim: ']Q1', continued: true }), 0);
    a.push(honeywellReport(body.slice(56, 112), { aim: ']Q1', continued: true }), 20);
    expect(a.push(honeywellReport(body.slice(112) + '\r', { aim: ']Q1' }), 40)).toEqual([{ kind: 'scan', data: body, symbology: 'qr', aim: ']Q1', reports: 3 }]);
  });

  it('handles the Newland layout, including an AIM prefix inside the data', () => {
    const a = new HidScanAssembler({ layout: 'plain' });
    expect(a.push(EAN13_NEWLAND, 0)).toEqual([{ kind: 'scan', data: '4006381333931', symbology: null, aim: null, reports: 1 }]);
    a.push(newlandReport(']Q1' + 'x'.repeat(53), { continued: true }), 0);
    expect(a.push(newlandReport('yz'), 5)).toEqual([{ kind: 'scan', data: 'x'.repeat(53) + 'yz', symbology: 'qr', aim: ']Q1', reports: 2 }]);
  });

  it('ignores other report IDs without breaking a pending scan', () => {
    const a = new HidScanAssembler();
    expect(a.push(QR_PART_1, 0)).toEqual([]);
    expect(a.push(hex('0d 01 41'), 2)).toEqual([]);
    expect(a.push(hex('04 01', 64), 3)).toEqual([]);
    expect(a.push(QR_PART_2, 5)).toMatchObject([{ kind: 'scan', data: QR_TEXT }]);
  });

  it('drops a partial scan after the timeout (caller-supplied clock)', () => {
    const a = new HidScanAssembler({ timeoutMs: 100 });
    a.push(QR_PART_1, 0);
    expect(a.expire(100)).toEqual([]);
    expect(a.expire(101)).toEqual([{ kind: 'error', code: 'PARTIAL_TIMEOUT', message: expect.any(String) }]);
    expect(a.pending).toBe(false);
    // A late part 2 alone is a short, valid-looking report: it becomes its own (short) scan, not a join.
    expect(a.push(QR_PART_2, 150)).toEqual([{ kind: 'scan', data: '23456', symbology: 'qr', aim: ']Q1', reports: 1 }]);
  });

  it('expires on push too, then processes the new report', () => {
    const a = new HidScanAssembler({ timeoutMs: 100 });
    a.push(QR_PART_1, 0);
    expect(a.push(EAN13_HONEYWELL, 500)).toEqual([
      { kind: 'error', code: 'PARTIAL_TIMEOUT', message: expect.any(String) },
      { kind: 'scan', data: '4006381333931', symbology: 'ean13', aim: ']E0', reports: 1 },
    ]);
  });

  it('refuses to join reports with different AIM IDs', () => {
    const a = new HidScanAssembler();
    a.push(QR_PART_1, 0);
    expect(a.push(EAN13_HONEYWELL, 5)).toEqual([
      { kind: 'error', code: 'PARTIAL_MISMATCH', message: expect.any(String) },
      { kind: 'scan', data: '4006381333931', symbology: 'ean13', aim: ']E0', reports: 1 },
    ]);
  });

  it('reports zero-length and truncated reports, and a broken report breaks the chain', () => {
    const a = new HidScanAssembler();
    expect(a.push(hex('02 00', 64), 0)).toEqual([{ kind: 'error', code: 'ZERO_LENGTH', message: expect.any(String) }]);
    a.push(QR_PART_1, 10);
    const events = a.push(QR_PART_2.subarray(0, 20), 15);
    expect(events).toEqual([{ kind: 'error', code: 'TRUNCATED', message: expect.stringContaining('dropped a partial scan of 1') }]);
    expect(a.pending).toBe(false);
  });

  it('caps the joined size', () => {
    const a = new HidScanAssembler({ maxScanBytes: 100 });
    a.push(honeywellReport('A'.repeat(56), { continued: true }), 0);
    expect(a.push(honeywellReport('A'.repeat(56), { continued: true }), 1)).toMatchObject([{ kind: 'error', code: 'SCAN_TOO_LONG' }]);
    expect(a.pending).toBe(false);
  });

  it('works on WebHID data', () => {
    const a = new HidScanAssembler({ webHidReportId: 0x02 });
    a.push(QR_PART_1.subarray(1), 0);
    expect(a.push(QR_PART_2.subarray(1), 1)).toMatchObject([{ kind: 'scan', data: QR_TEXT }]);
  });

  it('drops a scan that is only CR/LF', () => {
    expect(new HidScanAssembler().push(honeywellReport('\r\n'), 0)).toEqual([]);
  });
});
