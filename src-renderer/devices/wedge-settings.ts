import { WedgeDetector } from '../../src-shared/devices/wedge-detector';

/** The keyboard-wedge detector's thresholds on this screen (docs/devices.md); kept per screen in localStorage. */
export type WedgeSettings = {
  enabled: boolean;
  maxGapMs: number;
  maxJitterGapMs: number;
  maxTotalMsPerChar: number;
  minLength: number;
  /** Key the scanner sends after a scan; null when it sends none (a scan then ends after idleMs). */
  suffixKey: 'Enter' | 'Tab' | null;
  idleMs: number;
};

const defaults = new WedgeDetector();

export const DEFAULT_WEDGE_SETTINGS: WedgeSettings = {
  enabled: true,
  maxGapMs: defaults.maxGapMs,
  maxJitterGapMs: defaults.maxJitterGapMs,
  maxTotalMsPerChar: defaults.maxTotalMsPerChar,
  minLength: defaults.minLength,
  suffixKey: defaults.suffixKey === 'Tab' ? 'Tab' : defaults.suffixKey === null ? null : 'Enter',
  idleMs: defaults.idleMs,
};

const STORAGE_KEY = 'kasa.wedge';

/** Bounds keep a mistyped value from making every keystroke a scan, or typing lag for seconds. */
const LIMITS: Record<'maxGapMs' | 'maxJitterGapMs' | 'maxTotalMsPerChar' | 'minLength' | 'idleMs', [number, number]> = {
  maxGapMs: [5, 75],
  maxJitterGapMs: [5, 79],
  maxTotalMsPerChar: [5, 75],
  minLength: [2, 64],
  idleMs: [30, 500],
};

const clamp = (value: unknown, [min, max]: [number, number], fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;

/** A complete, bounded settings object from anything (stored JSON, a form). */
export function normalizeWedgeSettings(input: Partial<Record<keyof WedgeSettings, unknown>>): WedgeSettings {
  const d = DEFAULT_WEDGE_SETTINGS;
  const suffix = input.suffixKey;
  const maxGapMs = clamp(input.maxGapMs, LIMITS.maxGapMs, d.maxGapMs);
  return {
    enabled: typeof input.enabled === 'boolean' ? input.enabled : d.enabled,
    maxGapMs,
    // A "jitter" gap shorter than a normal one would make every slow gap end the burst.
    maxJitterGapMs: Math.max(maxGapMs, clamp(input.maxJitterGapMs, LIMITS.maxJitterGapMs, d.maxJitterGapMs)),
    maxTotalMsPerChar: clamp(input.maxTotalMsPerChar, LIMITS.maxTotalMsPerChar, d.maxTotalMsPerChar),
    minLength: clamp(input.minLength, LIMITS.minLength, d.minLength),
    suffixKey: suffix === 'Enter' || suffix === 'Tab' || suffix === null ? suffix : d.suffixKey,
    idleMs: clamp(input.idleMs, LIMITS.idleMs, d.idleMs),
  };
}

export function loadWedgeSettings(): WedgeSettings {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    return raw ? normalizeWedgeSettings(JSON.parse(raw) as Record<string, unknown>) : DEFAULT_WEDGE_SETTINGS;
  } catch {
    // Storage unavailable or corrupt: the defaults work for every scanner measured.
    return DEFAULT_WEDGE_SETTINGS;
  }
}

export function saveWedgeSettings(settings: WedgeSettings): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Not persisted: still applies until the screen reloads.
  }
}
