/**
 * Calendar and time-zone arithmetic shared by date/time text I/O, casts and functions.
 * Dates are days since 1970-01-01, timestamps microseconds since 1970-01-01 00:00:00 (proleptic
 * Gregorian calendar, astronomical year numbering: year 0 is 1 BC), as in types.ts.
 */
import { SqlError, SQLSTATE } from '../errors.js';

export const USECS_PER_SEC = 1_000_000;
export const USECS_PER_MINUTE = 60 * USECS_PER_SEC;
export const USECS_PER_HOUR = 60 * USECS_PER_MINUTE;
export const USECS_PER_DAY = 24 * USECS_PER_HOUR;

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Splits a timestamp into its date (days) and time of day (microseconds). */
export function splitTimestamp(ts: number): { days: number; timeOfDay: number } {
  const days = Math.floor(ts / USECS_PER_DAY);
  return { days, timeOfDay: ts - days * USECS_PER_DAY };
}

// PostgreSQL's ranges: dates from 4714-11-24 BC, timestamps up to 294276 AD, dates to 5874897 AD.
const MIN_DAYS = daysFromCivil(-4713, 11, 24);
const MAX_DATE_DAYS = daysFromCivil(5874898, 1, 1) - 1;
const MAX_TIMESTAMP = daysFromCivil(294277, 1, 1) * USECS_PER_DAY - 1;

export function dateInRange(days: number): boolean {
  return !Number.isFinite(days) || (days >= MIN_DAYS && days <= MAX_DATE_DAYS);
}

export function timestampInRange(ts: number): boolean {
  return !Number.isFinite(ts) || (ts >= MIN_DAYS * USECS_PER_DAY && ts <= MAX_TIMESTAMP);
}

/** Checks a computed timestamp, raising PostgreSQL's 22008 "timestamp out of range". */
export function checkTimestamp(ts: number): number {
  if (Number.isNaN(ts) || !timestampInRange(ts)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'timestamp out of range');
  return ts;
}

export function checkDate(days: number): number {
  if (Number.isNaN(days) || !dateInRange(days)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'date out of range');
  return days;
}

// ---- time zones -------------------------------------------------------------------------------

/** A time zone: the UTC offset (seconds east of Greenwich) in force at a UTC instant. */
export interface TimeZone {
  readonly name: string;
  offsetAt(utcMicros: number): number;
}

const fixedZones = new Map<string, TimeZone>();

function fixedZone(name: string, offsetSeconds: number): TimeZone {
  return { name, offsetAt: () => offsetSeconds };
}

const UTC = fixedZone('UTC', 0);

function intlZone(name: string): TimeZone | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch {
    return undefined;
  }
  return {
    name,
    offsetAt(utcMicros: number): number {
      // Intl works in milliseconds and only within Date's range; clamp so far-away instants
      // take the nearest known rule.
      const ms = Math.max(-8.64e15, Math.min(8.64e15, Math.floor(utcMicros / 1000 / 1000) * 1000));
      const parts: Record<string, string> = {};
      for (const p of format.formatToParts(new Date(ms))) parts[p.type] = p.value;
      let year = Number(parts.year);
      if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
      const local =
        daysFromCivil(year, Number(parts.month), Number(parts.day)) * 86400 +
        Number(parts.hour) * 3600 +
        Number(parts.minute) * 60 +
        Number(parts.second);
      return local - ms / 1000;
    },
  };
}

/**
 * Resolves a TimeZone setting as PostgreSQL's GUC does: UTC/GMT/Z, a plain number of hours (SQL
 * convention, east positive: '5', '-3.5'), POSIX-style specs (west positive: '+05:30', 'UTC+3',
 * '<+05>-05', which PostgreSQL itself shows) and IANA names through Intl. Unknown names give
 * undefined.
 */
export function resolveTimeZone(name: string | undefined): TimeZone | undefined {
  if (name === undefined || name === '') return UTC;
  const cached = fixedZones.get(name);
  if (cached) return cached;
  const zone = parseZoneName(name);
  if (zone) fixedZones.set(name, zone);
  return zone;
}

/** A zone at a fixed offset east of Greenwich. */
export function fixedOffsetZone(offsetSeconds: number): TimeZone {
  return fixedZone(formatOffsetName(offsetSeconds), offsetSeconds);
}

function formatOffsetName(offsetSeconds: number): string {
  const abs = Math.abs(offsetSeconds);
  return `${offsetSeconds < 0 ? '-' : '+'}${String(Math.floor(abs / 3600)).padStart(2, '0')}:${String(Math.floor((abs % 3600) / 60)).padStart(2, '0')}`;
}

function parseZoneName(name: string): TimeZone | undefined {
  const lower = name.toLowerCase();
  if (lower === 'utc' || lower === 'gmt' || lower === 'z' || lower === 'zulu' || lower === 'etc/utc' || lower === 'universal') {
    return fixedZone(name, 0);
  }
  if (/^[+-]?\d+(\.\d+)?$/.test(name)) return fixedZone(name, Math.round(Number(name) * 3600));
  const posix = /^(?:<[^>]*>|[a-z]{3,})?([+-]?)(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/i.exec(name);
  if (posix) {
    const west = Number(posix[2]) * 3600 + Number(posix[3] ?? 0) * 60 + Number(posix[4] ?? 0);
    return fixedZone(name, posix[1] === '-' ? west : -west);
  }
  return intlZone(name);
}

/** The zone named by the session's TimeZone setting; an unknown name falls back to UTC. */
export function sessionZone(setting: string | undefined): TimeZone {
  return resolveTimeZone(setting) ?? UTC;
}

/**
 * Converts wall-clock microseconds in a zone to the UTC instant. Around a transition PostgreSQL
 * reads an ambiguous time (clocks going back) with the offset after the transition, and a time
 * that does not exist (clocks going forward) with the offset before it.
 */
export function localToUtc(localMicros: number, zone: TimeZone): number {
  if (!Number.isFinite(localMicros)) return localMicros;
  const before = zone.offsetAt(localMicros - USECS_PER_DAY) * USECS_PER_SEC;
  const after = zone.offsetAt(localMicros + USECS_PER_DAY) * USECS_PER_SEC;
  if (zone.offsetAt(localMicros - after) * USECS_PER_SEC === after) return localMicros - after;
  return localMicros - before;
}

export function utcToLocal(utcMicros: number, zone: TimeZone): number {
  if (!Number.isFinite(utcMicros)) return utcMicros;
  return utcMicros + zone.offsetAt(utcMicros) * USECS_PER_SEC;
}
