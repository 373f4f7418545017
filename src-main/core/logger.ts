// The terminal's structured log: one JSON object per line ({level, time, event, ...fields}), in
// the platform's log folder, rotated by size over a bounded number of files. Support reads it
// (and "Save diagnostics" bundles it), so it must never hold personal data beyond member ids:
// every field goes through redactLogFields, which drops card data, PINs and phone numbers even
// when a caller passes them by mistake.
import fs from 'node:fs';
import path from 'node:path';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export type Logger = {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** The folder the files live in; null for a logger that writes nowhere. */
  readonly dir: string | null;
};

export type FileLoggerOptions = {
  dir: string;
  /** File name of the current file; rotated ones are `<base>.1.log` (newest) ... */
  baseName?: string;
  /** Rotate once the current file would grow past this (default 1 MiB). */
  maxBytes?: number;
  /** Files kept in all, the current one included (default 5). */
  maxFiles?: number;
  /** Lines below this level are dropped (default info). */
  level?: LogLevel;
  now?: () => Date;
  /** Also echo each line to stderr (the host does, so an operator watching the console sees it). */
  echo?: boolean;
};

export const REDACTED = '[redacted]';

// Field names whose values are never logged, whatever they hold.
const SECRET_KEY = /track|phone|card.?number|password|passcode|secret|credential|token|enrol.?code|^code$|authorization|cookie|^pan$|^pins?$/i;
// PINs and PANs by camelCase or snake_case name (customerPin, pin_hash, cardPan), not "shipping".
const SECRET_KEY_CASED = /(?:^|[_-])pin|[a-z]Pin|^PIN|[a-z]Pan$|_pan$/;
const isSecretKey = (key: string) => SECRET_KEY.test(key) || SECRET_KEY_CASED.test(key);
// Kept verbatim before the text rules run: member ids, timestamps (also as file names write them,
// 2026-12-02T04-12-00-123Z, as in a database backup's name) and the address in a URL are digits too
// (a bare dotted number may be a phone number: it is not kept).
const PROTECTED =
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{1,9})?Z|\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|(?<=\/\/)\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/gi;
// ISO/IEC 7813 track 1 (%B...^NAME^...?) and track 2 (;PAN=...?), with or without sentinels.
const TRACK1 = /%?B\d{8,19}\^[^^\n]{0,26}\^[^?\n]*\??/g;
const TRACK2 = /;?\d{8,19}=\d{0,40}\??/g;
// "PIN 2580", "pin: 1234": a PIN named in free text.
const PIN_IN_TEXT = /\b(pin|passcode)\b(\W{0,3})\d{3,12}/gi;
// Any run of 7 or more digits, spaces, dots, dashes or brackets (PANs, phone numbers in any spelling).
const DIGIT_RUN = /\+?\(?\d[\d ().-]{5,}\d/g;

/** Scrubs one piece of free text: track data, PANs, phone numbers and PINs become [redacted]. */
export function redactLogText(text: string): string {
  const kept: string[] = [];
  const shielded = text.replace(PROTECTED, (m) => `\u0000${kept.push(m) - 1}\u0000`);
  const scrubbed = shielded
    .replace(TRACK1, REDACTED)
    .replace(TRACK2, REDACTED)
    .replace(PIN_IN_TEXT, (_m, word: string, gap: string) => `${word}${gap}${REDACTED}`)
    .replace(DIGIT_RUN, (m) => ((m.match(/\d/g)?.length ?? 0) >= 7 ? REDACTED : m));
  return scrubbed.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)] ?? '');
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactLogText(value.length > 2000 ? `${value.slice(0, 2000)}…` : value);
  // Long integers are card or phone numbers typed as numbers; amounts and counts stay far below.
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 1e9 ? REDACTED : value;
  if (typeof value === 'bigint') return REDACTED;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 5) return '[nested]';
  if (value instanceof Error) return { name: value.name, message: redactLogText(value.message.slice(0, 500)) };
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactValue(v, depth + 1));
  return redactLogFields(value as LogFields, depth + 1);
}

/** Applied to every log line's fields: secret-named fields dropped, the rest scrubbed. */
export function redactLogFields(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[key] = isSecretKey(key) ? REDACTED : redactValue(value, depth);
  return out;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger that writes nowhere (tests and tools that do not want files). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, dir: null };

/** The rotated files of a log folder, oldest first, the current one last. */
export function logFiles(dir: string, baseName = 'kasa'): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const pattern = new RegExp(`^${baseName}(?:\\.(\\d+))?\\.log$`);
  return names
    .map((name) => ({ name, n: Number(pattern.exec(name)?.[1] ?? (pattern.test(name) ? 0 : NaN)) }))
    .filter((f) => !Number.isNaN(f.n))
    .sort((a, b) => b.n - a.n)
    .map((f) => path.join(dir, f.name));
}

/**
 * Appends synchronously (a line written just before a crash is on disk) and rotates by renaming:
 * kasa.log -> kasa.1.log -> ... -> kasa.<maxFiles-1>.log, the oldest dropped. A log that cannot
 * be written never fails the caller: the terminal must keep selling with a full or read-only disk.
 */
export function createFileLogger(options: FileLoggerOptions): Logger {
  const dir = options.dir;
  const base = options.baseName ?? 'kasa';
  const maxBytes = Math.max(1024, options.maxBytes ?? 1024 * 1024);
  const maxFiles = Math.max(1, options.maxFiles ?? 5);
  const minRank = RANK[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const current = path.join(dir, `${base}.log`);
  const rotated = (n: number) => path.join(dir, `${base}.${n}.log`);
  let size: number | null = null;
  let broken = false;

  const rotate = () => {
    fs.rmSync(rotated(maxFiles - 1), { force: true });
    for (let n = maxFiles - 2; n >= 1; n--) if (fs.existsSync(rotated(n))) fs.renameSync(rotated(n), rotated(n + 1));
    if (maxFiles > 1) fs.renameSync(current, rotated(1));
    else fs.rmSync(current, { force: true });
    size = 0;
  };

  const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
    if (RANK[level] < minRank) return;
    const line = `${JSON.stringify({ level, time: now().toISOString(), event: redactLogText(event), ...redactLogFields(fields) })}\n`;
    if (options.echo) process.stderr.write(line);
    try {
      if (size === null) {
        fs.mkdirSync(dir, { recursive: true });
        size = fs.existsSync(current) ? fs.statSync(current).size : 0;
      }
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) rotate();
      fs.appendFileSync(current, line);
      size += bytes;
      broken = false;
    } catch (error) {
      size = null;
      if (!broken) process.stderr.write(`kasa: cannot write the log in ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
      broken = true;
    }
  };

  return {
    dir,
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}

/** The last `maxLines` lines over the rotated files, oldest first (for the diagnostics bundle). */
export function readRecentLogLines(dir: string, maxLines = 2000, baseName = 'kasa'): string[] {
  const lines: string[] = [];
  for (const file of logFiles(dir, baseName).reverse()) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const fileLines = text.split('\n').filter((l) => l.length > 0);
    lines.unshift(...fileLines.slice(-Math.max(0, maxLines - lines.length)));
    if (lines.length >= maxLines) break;
  }
  return lines;
}
