// HID Point of Sale barcode scanners (usage page 0x8C), per docs in shared research hardware.md §1.2-1.3 and §10.4.
// Offsets below are node-hid offsets: byte 0 is the report ID. WebHID strips that byte; pass `webHidReportId`.
import { hasAimPrefix, parseAim, symbologyFromAim } from './aim';
import { bytesToLatin1, trimLineEnd } from './ascii';

export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_SCANNER_USAGE = 0x02;
/** Report ID of the Scanned Data Report on Honeywell/Access-IS and Newland/ID TECH engines. */
export const HID_POS_SCANNED_DATA_REPORT_ID = 0x02;
/** Full report size including the report ID: the "continued" flag lives in the last byte (63). */
export const HID_POS_REPORT_BYTES = 64;
/** Most decoded bytes one report carries. */
export const HID_POS_MAX_DATA_BYTES = 56;

const LENGTH_OFFSET = 1;
// Layout A (Honeywell / Hand Held Products / Access-IS): AIM at 2-4, data 5-60, vendor code ID at 61.
const AIM_OFFSET = 2;
const AIM_DATA_OFFSET = 5;
const AIM_CODE_ID_OFFSET = 61;
// Layout B (Newland / ID TECH): data 2-57, vendor symbology byte at 62.
const PLAIN_DATA_OFFSET = 2;
const PLAIN_SYMBOLOGY_OFFSET = 62;
// Both: byte 63 bit 0 = Decode Data Continued.
const CONTINUED_OFFSET = 63;

/** 'auto' picks 'aim' when byte 2 is "]" followed by a valid AIM code (the VotingWorks rule), else 'plain'. */
export type HidPosLayout = 'auto' | 'aim' | 'plain';

export type HidPosParseOptions = {
  layout?: HidPosLayout;
  /** Set when `report` came from WebHID (no report-ID byte): the event's reportId. */
  webHidReportId?: number;
};

export type HidPosReport = {
  layout: 'aim' | 'plain';
  /** AIM identifier from bytes 2-4 (layout 'aim' only; 'plain' data may still carry one, see the assembler). */
  aim: string | null;
  /** Decoded data bytes of this report only (length byte honoured, padding excluded). */
  data: Uint8Array;
  /** Byte 63 bit 0: more reports follow for this barcode. */
  continued: boolean;
  /** Vendor code ID (byte 61, layout 'aim') or vendor symbology byte (byte 62, layout 'plain'); null when 0. */
  vendorCodeId: number | null;
};

export type HidPosErrorCode = 'ZERO_LENGTH' | 'TRUNCATED' | 'BAD_LENGTH';

export type HidPosParseResult =
  | { ok: true; report: HidPosReport }
  /** Not a Scanned Data Report (e.g. a trigger or vendor report): not an error, just not ours. */
  | { ok: false; ignored: true; reportId: number }
  | { ok: false; ignored: false; code: HidPosErrorCode; message: string };

function withReportId(report: Uint8Array, reportId: number): Uint8Array {
  const full = new Uint8Array(report.length + 1);
  full[0] = reportId;
  full.set(report, 1);
  return full;
}

/** Parses one HID POS input report. Never throws. */
export function parseHidPosReport(input: Uint8Array, options: HidPosParseOptions = {}): HidPosParseResult {
  const report = options.webHidReportId === undefined ? input : withReportId(input, options.webHidReportId);
  const reportId = report[0];
  if (reportId === undefined) return { ok: false, ignored: false, code: 'TRUNCATED', message: 'empty HID report' };
  if (reportId !== HID_POS_SCANNED_DATA_REPORT_ID) return { ok: false, ignored: true, reportId };
  // Short reports are refused outright: without byte 63 we cannot tell whether the barcode continues, and a
  // silently cut code could be looked up as somebody else's loyalty card.
  if (report.length < HID_POS_REPORT_BYTES) {
    return {
      ok: false,
      ignored: false,
      code: 'TRUNCATED',
      message: `HID POS report has ${report.length} bytes, expected ${HID_POS_REPORT_BYTES} (report ID included)`,
    };
  }
  const length = report[LENGTH_OFFSET] ?? 0;
  if (length === 0) return { ok: false, ignored: false, code: 'ZERO_LENGTH', message: 'HID POS report declares 0 data bytes' };
  if (length > HID_POS_MAX_DATA_BYTES) {
    return { ok: false, ignored: false, code: 'BAD_LENGTH', message: `HID POS report declares ${length} data bytes, max is ${HID_POS_MAX_DATA_BYTES}` };
  }
  const layout = resolveLayout(report, options.layout ?? 'auto');
  const continued = ((report[CONTINUED_OFFSET] ?? 0) & 0x01) === 1;
  if (layout === 'aim') {
    const aim = bytesToLatin1(report, AIM_OFFSET, AIM_DATA_OFFSET);
    const code = report[AIM_CODE_ID_OFFSET] ?? 0;
    return {
      ok: true,
      report: {
        layout,
        aim: hasAimPrefix(aim) ? aim : null,
        data: report.slice(AIM_DATA_OFFSET, AIM_DATA_OFFSET + length),
        continued,
        vendorCodeId: code === 0 ? null : code,
      },
    };
  }
  const symbology = report[PLAIN_SYMBOLOGY_OFFSET] ?? 0;
  return {
    ok: true,
    report: {
      layout,
      aim: null,
      data: report.slice(PLAIN_DATA_OFFSET, PLAIN_DATA_OFFSET + length),
      continued,
      vendorCodeId: symbology === 0 ? null : symbology,
    },
  };
}

function resolveLayout(report: Uint8Array, layout: HidPosLayout): 'aim' | 'plain' {
  if (layout !== 'auto') return layout;
  // Ambiguous only when a Newland payload itself starts with "]xx"; pin the layout per VID if that matters.
  return hasAimPrefix(bytesToLatin1(report, AIM_OFFSET, AIM_DATA_OFFSET)) ? 'aim' : 'plain';
}

export type HidScanEvent =
  | { kind: 'scan'; data: string; symbology: string | null; aim: string | null; reports: number }
  | { kind: 'error'; code: HidAssemblerErrorCode; message: string };

export type HidAssemblerErrorCode = HidPosErrorCode | 'PARTIAL_TIMEOUT' | 'PARTIAL_MISMATCH' | 'SCAN_TOO_LONG';

export type HidScanAssemblerOptions = {
  /** Longest allowed gap between two reports of one barcode, ms. Default 100 (hardware.md §9.3). */
  timeoutMs?: number;
  layout?: HidPosLayout;
  /** Cap on a joined scan, bytes. Default 4096. */
  maxScanBytes?: number;
  /** Set when reports come from WebHID (no report-ID byte in the data). */
  webHidReportId?: number;
};

type PendingScan = { layout: 'aim' | 'plain'; aim: string | null; chunks: Uint8Array[]; bytes: number; lastAt: number };

/**
 * Joins multi-report scans on the "continued" bit. Pure: time comes from the caller (`now`, ms), so the caller
 * either passes its clock with each report or calls expire(now) from a timer.
 */
export class HidScanAssembler {
  private readonly timeoutMs: number;
  private readonly layout: HidPosLayout;
  private readonly maxScanBytes: number;
  private readonly webHidReportId: number | undefined;
  private partial: PendingScan | null = null;

  constructor(options: HidScanAssemblerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 100;
    this.layout = options.layout ?? 'auto';
    this.maxScanBytes = options.maxScanBytes ?? 4096;
    this.webHidReportId = options.webHidReportId;
  }

  /** True while a multi-report scan waits for its next report. */
  get pending(): boolean {
    return this.partial !== null;
  }

  push(report: Uint8Array, now: number): HidScanEvent[] {
    const out = this.expire(now);
    const parsed = parseHidPosReport(
      report,
      this.webHidReportId === undefined ? { layout: this.layout } : { layout: this.layout, webHidReportId: this.webHidReportId },
    );
    if (!parsed.ok) {
      if (parsed.ignored) return out;
      // A broken report inside a chain breaks the chain: joining around it could glue halves of two codes.
      const dropped = this.dropPartial();
      out.push({ kind: 'error', code: parsed.code, message: dropped > 0 ? `${parsed.message}; dropped a partial scan of ${dropped} report(s)` : parsed.message });
      return out;
    }
    const r = parsed.report;
    let partial = this.partial;
    // Access-IS repeats the AIM ID in every report; a different one means a new barcode, not a continuation.
    if (partial !== null && (partial.layout !== r.layout || partial.aim !== r.aim)) {
      const dropped = this.dropPartial();
      out.push({ kind: 'error', code: 'PARTIAL_MISMATCH', message: `next report belongs to another barcode; dropped a partial scan of ${dropped} report(s)` });
      partial = null;
    }
    if (partial === null) {
      partial = { layout: r.layout, aim: r.aim, chunks: [], bytes: 0, lastAt: now };
      this.partial = partial;
    }
    partial.chunks.push(r.data);
    partial.bytes += r.data.length;
    partial.lastAt = now;
    if (partial.bytes > this.maxScanBytes) {
      const dropped = this.dropPartial();
      out.push({ kind: 'error', code: 'SCAN_TOO_LONG', message: `scan exceeded ${this.maxScanBytes} bytes; dropped ${dropped} report(s)` });
      return out;
    }
    if (r.continued) return out;
    this.partial = null;
    const scan = finish(partial);
    if (scan !== null) out.push(scan);
    return out;
  }

  /** Drops a partial scan whose last report is more than timeoutMs old. Call from a timer, or rely on push(). */
  expire(now: number): HidScanEvent[] {
    const partial = this.partial;
    if (partial === null || now - partial.lastAt <= this.timeoutMs) return [];
    const dropped = this.dropPartial();
    return [{ kind: 'error', code: 'PARTIAL_TIMEOUT', message: `no continuation within ${this.timeoutMs} ms; dropped a partial scan of ${dropped} report(s)` }];
  }

  reset(): void {
    this.partial = null;
  }

  private dropPartial(): number {
    const n = this.partial?.chunks.length ?? 0;
    this.partial = null;
    return n;
  }
}

function finish(partial: PendingScan): HidScanEvent | null {
  const joined = new Uint8Array(partial.bytes);
  let at = 0;
  for (const chunk of partial.chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  const text = trimLineEnd(bytesToLatin1(joined));
  if (partial.layout === 'aim') {
    if (text === '') return null;
    return { kind: 'scan', data: text, symbology: partial.aim === null ? null : symbologyFromAim(partial.aim), aim: partial.aim, reports: partial.chunks.length };
  }
  // The plain layout has no AIM block, but a scanner programmed to send AIM puts it at the start of the data.
  const parsed = parseAim(text);
  if (parsed.data === '') return null;
  return { kind: 'scan', data: parsed.data, symbology: parsed.symbology, aim: parsed.aim, reports: partial.chunks.length };
}
