// Pure decoders for scanner and card-reader input; transports (node-hid, serialport, DOM keys) live elsewhere.
export { hasAimPrefix, parseAim, symbologyFromAim } from './aim';
export type { AimResult } from './aim';
export { bytesToLatin1, latin1ToBytes, trimLineEnd } from './ascii';
export { DEFAULT_MAX_LINE_BYTES, LineFramer } from './line-framer';
export type { FramerError, FramerEvent, FramerNoise, FramerScan, LineFramerOptions, LineTerminator } from './line-framer';
export {
  HID_POS_MAX_DATA_BYTES,
  HID_POS_REPORT_BYTES,
  HID_POS_SCANNED_DATA_REPORT_ID,
  HID_POS_SCANNER_USAGE,
  HID_POS_USAGE_PAGE,
  HidScanAssembler,
  parseHidPosReport,
} from './hid-pos';
export type {
  HidAssemblerErrorCode,
  HidPosErrorCode,
  HidPosLayout,
  HidPosParseOptions,
  HidPosParseResult,
  HidPosReport,
  HidScanAssemblerOptions,
  HidScanEvent,
} from './hid-pos';
export { cardBrand, looksLikeTrackData, luhnValid, parseMagstripe } from './magstripe';
export type { CardBrand, MagstripeCard, MagstripeError, MagstripeErrorCode, MagstripeMasked, MagstripeResult } from './magstripe';
export { MAGNESAFE_V5_MIN_BYTES, MAGTEK_REPORT_BYTES, msrTracksToString, parseMagtekHidReport } from './hid-msr';
export type { MsrEncodeType, MsrLayout, MsrParseResult, MsrReport, MsrTrack, MsrTrackStatus } from './hid-msr';
export { WedgeDetector } from './wedge-detector';
export type { WedgeDecision, WedgeDetectorOptions, WedgeEvent, WedgeKeystroke } from './wedge-detector';
