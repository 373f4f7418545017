// Wall-clock time in the store's IANA time zone, from the runtime's own tz data (Intl), with no
// date library. Promotions, birthdays, days for caps and expiry dates are all wall-clock facts.
import { KasaError } from '../api/errors';

/** A local moment; weekday 0 = Monday ... 6 = Sunday. */
export type LocalTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  /** "YYYY-MM-DD" */
  date: string;
  /** "YYYY-MM-DDTHH:MM", comparable as text with rule-set date-times. */
  dateTime: string;
};

/** The instant a sale happened and the zone of the store it happened in. */
export type Clock = { at: string; timeZone: string };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// The last instant parsed: a sale's clock is read several times (local time, tier window) in a row.
let lastIso: string | null = null;
let lastMs = 0;

export function parseInstant(iso: string): number {
  if (iso === lastIso) return lastMs;
  const ms = ISO_INSTANT.test(iso) ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ms)) throw new KasaError('VALIDATION', `"${iso}" is not an ISO 8601 instant with a zone (e.g. 2025-06-03T14:05:00Z)`);
  lastIso = iso;
  lastMs = ms;
  return ms;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new KasaError('VALIDATION', `unknown time zone "${timeZone}"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function offsetFromIntl(ms: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year ?? 1970, (fields.month ?? 1) - 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
  return wall - Math.floor(ms / 1000) * 1000;
}

// Zone offsets change only at transitions, which fall on quarter hours; an offset that is the same
// at both ends of a quarter hour holds for all of it, so it is cached per quarter hour.
const QUARTER_HOUR = 900_000;
const DAY_MS = 86_400_000;
/** Offsets by zone, then by quarter hour since the epoch. */
const offsets = new Map<string, Map<number, number>>();
let cachedOffsets = 0;

export function zoneOffsetMs(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / QUARTER_HOUR);
  let zone = offsets.get(timeZone);
  const cached = zone?.get(bucket);
  if (cached !== undefined) return cached;
  const start = offsetFromIntl(bucket * QUARTER_HOUR, timeZone);
  const end = offsetFromIntl((bucket + 1) * QUARTER_HOUR - 1000, timeZone);
  if (start !== end) return offsetFromIntl(ms, timeZone);
  if (cachedOffsets > 20_000) {
    offsets.clear();
    cachedOffsets = 0;
    zone = undefined;
  }
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  zone.set(bucket, start);
  cachedOffsets += 1;
  return start;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** Two digits, without building a padded copy (this runs several times per sale). */
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export const formatDate = (year: number, month: number, day: number): string =>
  `${year >= 1000 && year <= 9999 ? String(year) : pad(year, 4)}-${pad2(month)}-${pad2(day)}`;

/** The wall clock of `ms` in the zone, as a Date whose UTC fields read it. */
const wallClock = (ms: number, timeZone: string): Date => new Date(ms + zoneOffsetMs(ms, timeZone));

export function localTimeOf(ms: number, timeZone: string): LocalTime {
  const shifted = wallClock(ms, timeZone);
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  const hour = shifted.getUTCHours();
  const minute = shifted.getUTCMinutes();
  const date = formatDate(year, month, day);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second: shifted.getUTCSeconds(),
    weekday: (shifted.getUTCDay() + 6) % 7,
    date,
    dateTime: `${date}T${pad2(hour)}:${pad2(minute)}`,
  };
}

export const localTime = (clock: Clock): LocalTime => localTimeOf(parseInstant(clock.at), clock.timeZone);

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a spring-forward gap maps to the
 * instant after the gap; a time repeated by a fall-back maps to its first occurrence.
 */
export function instantOfLocal(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets a day either side bracket any transition near this wall time.
  const before = wall - zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = wall - zoneOffsetMs(wall + DAY_MS, timeZone);
  const beforeReadsBack = before + zoneOffsetMs(before, timeZone) === wall;
  const afterReadsBack = after + zoneOffsetMs(after, timeZone) === wall;
  if (beforeReadsBack && afterReadsBack) return Math.min(before, after);
  if (afterReadsBack) return after;
  // Only `before` reads back, or (in a spring-forward gap) neither does: the old offset lands just after the gap.
  return before;
}

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Calendar months later, the day clamped to the month's length (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsToDate(year: number, month: number, day: number, months: number): { year: number; month: number; day: number } {
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return { year: y, month: m, day: Math.min(day, daysInMonth(y, m)) };
}

/** The same wall-clock time `months` calendar months later (or earlier, if negative), as an ISO instant. */
export function addMonthsToInstant(at: string, months: number, timeZone: string): string {
  return new Date(addMonthsToMs(parseInstant(at), months, timeZone)).toISOString();
}

/** `addMonthsToInstant` on epoch milliseconds (whole minutes of the wall clock, as the ISO form keeps them). */
export function addMonthsToMs(ms: number, months: number, timeZone: string): number {
  const local = wallClock(ms, timeZone);
  const d = addMonthsToDate(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), months);
  return instantOfLocal(d.year, d.month, d.day, local.getUTCHours(), local.getUTCMinutes(), timeZone);
}

export function addDaysToInstant(at: string, days: number, timeZone: string): string {
  const local = wallClock(parseInstant(at), timeZone);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days));
  return new Date(instantOfLocal(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), timeZone)).toISOString();
}

/** Start (inclusive) and end (exclusive) of the local day of `at`, as ISO instants: for per-day caps. */
export function localDayBounds(clock: Clock): { start: string; end: string } {
  const local = localTime(clock);
  return dayBounds(local.year, local.month, local.day, clock.timeZone);
}

/**
 * The instants a calendar date ("YYYY-MM-DD") starts and ends in a zone. Taken from the date itself,
 * not from some instant on it: no one instant (noon UTC, say) falls on the same date everywhere, and
 * in a zone 13 or 14 hours ahead of UTC noon is already the next day. VALIDATION for a date that is
 * not on the calendar (2026-02-30).
 */
export function localDateBounds(date: string, timeZone: string): { start: string; end: string } {
  if (!isLocalDate(date)) throw new KasaError('VALIDATION', `"${date}" is not a date on the calendar (YYYY-MM-DD)`);
  return dayBounds(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), timeZone);
}

/** Days since 1970-01-01 of a calendar date ("YYYY-MM-DD"): dates compared and counted as numbers. */
export const dayNumber = (date: string): number => Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS);

/** The calendar date `days` after (before, when negative) a date. */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" and on the calendar (not 2026-02-30). */
export const isLocalDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text) && addDays(text, 0) === text;

function dayBounds(year: number, month: number, day: number, timeZone: string): { start: string; end: string } {
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return {
    start: new Date(instantOfLocal(year, month, day, 0, 0, timeZone)).toISOString(),
    end: new Date(instantOfLocal(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone)).toISOString(),
  };
}
