/**
 * Text input and output of date, timestamp, timestamptz and interval, as PostgreSQL does it with
 * DateStyle ISO and IntervalStyle postgres.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { Interval } from './types.js';
import {
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  USECS_PER_SEC,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  localToUtc,
  fixedOffsetZone,
  resolveTimeZone,
  splitTimestamp,
  dateInRange,
  timestampInRange,
  utcToLocal,
  type TimeZone,
} from './datetime.js';

// ---- output -----------------------------------------------------------------------------------

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatYmd(days: number): { text: string; bc: boolean } {
  const { year, month, day } = civilFromDays(days);
  const bc = year <= 0;
  return { text: `${pad(bc ? 1 - year : year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, bc };
}

/** Seconds with the fraction PostgreSQL prints: trailing zeros dropped, none when whole. */
function formatSeconds(seconds: number, micros: number): string {
  const whole = pad(seconds, 2);
  if (micros === 0) return whole;
  return `${whole}.${pad(micros, 6).replace(/0+$/, '')}`;
}

function formatTimeOfDay(timeOfDay: number): string {
  const hours = Math.floor(timeOfDay / USECS_PER_HOUR);
  const minutes = Math.floor((timeOfDay % USECS_PER_HOUR) / USECS_PER_MINUTE);
  const micros = timeOfDay % USECS_PER_MINUTE;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${formatSeconds(Math.floor(micros / USECS_PER_SEC), micros % USECS_PER_SEC)}`;
}

export function formatDate(days: number): string {
  if (days === Infinity) return 'infinity';
  if (days === -Infinity) return '-infinity';
  const { text, bc } = formatYmd(days);
  return bc ? `${text} BC` : text;
}

export function formatTimestamp(ts: number): string {
  if (ts === Infinity) return 'infinity';
  if (ts === -Infinity) return '-infinity';
  const { days, timeOfDay } = splitTimestamp(ts);
  const { text, bc } = formatYmd(days);
  return `${text} ${formatTimeOfDay(timeOfDay)}${bc ? ' BC' : ''}`;
}

/**
 * ISO 8601, as to_jsonb writes timestamps: `2024-01-02T03:04:05.5`, and for an instant
 * (timestamptz) in UTC with its offset, `2024-01-02T03:04:05.5+00:00`.
 */
export function formatIsoTimestamp(ts: number, instant: boolean): string {
  const text = formatTimestamp(ts).replace(' ', 'T');
  return instant && Number.isFinite(ts) ? `${text}+00:00` : text;
}

/** A UTC offset as PostgreSQL prints it: +00, -05, +05:30, +00:53:28. */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  return `${sign}${pad(h, 2)}${m || s ? `:${pad(m, 2)}` : ''}${s ? `:${pad(s, 2)}` : ''}`;
}

export function formatTimestamptz(ts: number, zone: TimeZone): string {
  if (ts === Infinity) return 'infinity';
  if (ts === -Infinity) return '-infinity';
  const offset = zone.offsetAt(ts);
  const { days, timeOfDay } = splitTimestamp(ts + offset * USECS_PER_SEC);
  const { text, bc } = formatYmd(days);
  return `${text} ${formatTimeOfDay(timeOfDay)}${formatOffset(offset)}${bc ? ' BC' : ''}`;
}

/** IntervalStyle postgres: `1 year 2 mons -3 days +04:05:06.5`. */
export function formatInterval(iv: Interval): string {
  const parts: string[] = [];
  let isBefore = false;
  const addPart = (value: number, unit: string) => {
    if (value === 0) return;
    parts.push(`${isBefore && value > 0 ? '+' : ''}${value} ${unit}${value !== 1 ? 's' : ''}`);
    isBefore = value < 0;
  };
  addPart(Math.trunc(iv.months / 12), 'year');
  addPart(iv.months % 12 || 0, 'mon');
  addPart(iv.days, 'day');
  if (parts.length === 0 || iv.micros !== 0) {
    const abs = Math.abs(iv.micros);
    const sign = iv.micros < 0 ? '-' : isBefore ? '+' : '';
    const hours = Math.floor(abs / USECS_PER_HOUR);
    const minutes = Math.floor((abs % USECS_PER_HOUR) / USECS_PER_MINUTE);
    const rest = abs % USECS_PER_MINUTE;
    parts.push(`${sign}${pad(hours, 2)}:${pad(minutes, 2)}:${formatSeconds(Math.floor(rest / USECS_PER_SEC), rest % USECS_PER_SEC)}`);
  }
  return parts.join(' ');
}

// ---- input ------------------------------------------------------------------------------------

function syntaxError(typeName: string, text: string): SqlError {
  return new SqlError(SQLSTATE.invalidDatetimeFormat, `invalid input syntax for type ${typeName}: "${text}"`);
}

function fieldOverflow(text: string): SqlError {
  return new SqlError(SQLSTATE.datetimeFieldOverflow, `date/time field value out of range: "${text}"`);
}

interface ParsedDateTime {
  special?: 'infinity' | '-infinity';
  days: number;
  timeOfDay: number;
  /** Explicit zone in the text: a fixed offset in seconds, or a named zone. */
  zone?: TimeZone;
  hasTime: boolean;
}

const DATE_PART = String.raw`(\d{1,7})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2})`;
const TIME_PART = String.raw`(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?`;
/** Common entries of PostgreSQL's 'Default' time zone abbreviations (seconds east of UTC). */
const ZONE_ABBREVIATIONS: Record<string, number> = {
  est: -5 * 3600, edt: -4 * 3600, cst: -6 * 3600, cdt: -5 * 3600, mst: -7 * 3600, mdt: -6 * 3600, pst: -8 * 3600, pdt: -7 * 3600,
  akst: -9 * 3600, akdt: -8 * 3600, hst: -10 * 3600, wet: 0, west: 3600, bst: 3600, cet: 3600, cest: 2 * 3600, eet: 2 * 3600,
  eest: 3 * 3600, msk: 3 * 3600, ist: 2 * 3600, jst: 9 * 3600, kst: 9 * 3600, aest: 10 * 3600, aedt: 11 * 3600, nzst: 12 * 3600,
  nzdt: 13 * 3600,
};

const ZONE_PART = String.raw`z|utc|gmt|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?|[a-z_]+/[a-z_/+-]+|${Object.keys(ZONE_ABBREVIATIONS).join('|')}`;

/** A zone written inside a date/time value: an ISO offset (east positive), an abbreviation, or a name. */
function zoneInValue(word: string): TimeZone {
  const offset = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(word);
  if (offset) {
    const seconds = Number(offset[2]) * 3600 + Number(offset[3] ?? 0) * 60 + Number(offset[4] ?? 0);
    return fixedOffsetZone(offset[1] === '-' ? -seconds : seconds);
  }
  const abbreviation = ZONE_ABBREVIATIONS[word.toLowerCase()];
  if (abbreviation !== undefined) return fixedOffsetZone(abbreviation);
  const zone = resolveTimeZone(word);
  if (!zone) throw new SqlError(SQLSTATE.invalidParameterValue, `time zone "${word}" not recognized`);
  return zone;
}
const DATETIME = new RegExp(`^(?:${DATE_PART})(?:(?:[ t]+|(?=\\d))(?:${TIME_PART}))?\\s*(${ZONE_PART})?(?:\\s+(bc|ad))?$`, 'i');

/** Converts fractional-second digits to microseconds, rounding half up at the 7th digit. */
function fractionToMicros(digits: string | undefined): number {
  if (!digits) return 0;
  const padded = (digits + '0000000').slice(0, 7);
  return Math.round(Number(padded) / 10);
}

function parseDateTime(text: string, typeName: string, opts: DateTimeInputOptions): ParsedDateTime {
  const s = text.trim();
  const lower = s.toLowerCase();
  switch (lower) {
    case 'infinity':
    case '+infinity':
      return { special: 'infinity', days: 0, timeOfDay: 0, hasTime: false };
    case '-infinity':
      return { special: '-infinity', days: 0, timeOfDay: 0, hasTime: false };
    case 'epoch':
      return { days: 0, timeOfDay: 0, hasTime: true, zone: resolveTimeZone('UTC') };
    case 'now': {
      // the statement's instant, as wall-clock time in the session's zone
      const { days, timeOfDay } = splitTimestamp(utcToLocal(opts.now(), opts.zone));
      return { days, timeOfDay, hasTime: true, zone: opts.zone };
    }
    case 'today':
    case 'tomorrow':
    case 'yesterday': {
      const { days } = splitTimestamp(utcToLocal(opts.now(), opts.zone));
      return { days: days + (lower === 'tomorrow' ? 1 : lower === 'yesterday' ? -1 : 0), timeOfDay: 0, hasTime: false };
    }
  }
  const m = DATETIME.exec(s);
  // a bare two-digit number is taken for a field PostgreSQL cannot place (out of range); six
  // digits are YYMMDD, which may be out of range too; other bare numbers are incomplete dates
  if (!m && /^\d{2}$/.test(s)) throw fieldOverflow(text);
  if (!m && /^\d{6}$/.test(s)) {
    const yy = Number(s.slice(0, 2));
    return parseDateTime(`${yy < 70 ? 2000 + yy : 1900 + yy}-${s.slice(2, 4)}-${s.slice(4, 6)}`, typeName, opts);
  }
  if (!m) return parseFreeDateTime(s, text, typeName);
  let year = Number(m[1] ?? m[4]);
  const month = Number(m[2] ?? m[5]);
  const day = Number(m[3] ?? m[6]);
  const bc = m[12]?.toLowerCase() === 'bc';
  if (bc) {
    if (year === 0) throw fieldOverflow(text);
    year = 1 - year;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw fieldOverflow(text);
  const hasTime = m[7] !== undefined;
  let timeOfDay = 0;
  if (hasTime) {
    const h = Number(m[7]);
    const mi = Number(m[8]);
    const sec = Number(m[9] ?? 0);
    const micros = fractionToMicros(m[10]);
    if (h > 24 || mi > 59 || sec > 60 || (h === 24 && (mi > 0 || sec > 0 || micros > 0))) throw fieldOverflow(text);
    timeOfDay = h * USECS_PER_HOUR + mi * USECS_PER_MINUTE + sec * USECS_PER_SEC + micros;
  }
  const zone = m[11] === undefined ? undefined : zoneInValue(m[11]);
  return { days: daysFromCivil(year, month, day), timeOfDay, zone, hasTime };
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = /^(sun|mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur)(day)?$/;

function monthNumber(word: string): number | undefined {
  const i = FULL_MONTHS.indexOf(word);
  if (i >= 0) return i + 1;
  const j = MONTH_NAMES.indexOf(word === 'sept' ? 'sep' : word);
  return j >= 0 ? j + 1 : undefined;
}

/**
 * The other spellings PostgreSQL reads (DateStyle MDY): 2024/01/05, 01/05/2024, 05.01.2024,
 * 5-Jan-2024, Jan 5 2024, January 5, 2024, Tue, 05 Mar 2024 14:07:09 GMT, 10:00 PM, ... BC.
 */
function parseFreeDateTime(s: string, text: string, typeName: string): ParsedDateTime {
  const bad = () => syntaxError(typeName, text);
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let time: { h: number; mi: number; sec: number; micros: number } | undefined;
  let meridian: 'am' | 'pm' | undefined;
  let bc = false;
  let zone: TimeZone | undefined;
  const setDate = (y: number, mo: number, d: number) => {
    if (year !== undefined || month !== undefined || day !== undefined) throw bad();
    [year, month, day] = [y, mo, d];
  };
  for (const raw of s.toLowerCase().split(/[\s,]+/).filter(Boolean)) {
    let tok = raw;
    const timeMatch = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?(z|[+-]\d{1,2}(?::?\d{2})?)?$/.exec(tok);
    if (timeMatch) {
      if (time) throw bad();
      time = { h: Number(timeMatch[1]), mi: Number(timeMatch[2]), sec: Number(timeMatch[3] ?? 0), micros: fractionToMicros(timeMatch[4]) };
      tok = timeMatch[5] ?? '';
      if (tok === '') continue;
    }
    let numeric: RegExpExecArray | null;
    if (tok === 'am' || tok === 'pm' || tok === 'a.m.' || tok === 'p.m.') meridian = tok[0] === 'a' ? 'am' : 'pm';
    else if (tok === 'bc' || tok === 'ad') bc = tok === 'bc';
    else if (WEEKDAYS.test(tok)) continue;
    else if (monthNumber(tok) !== undefined) {
      if (month !== undefined) throw bad();
      month = monthNumber(tok);
    } else if ((numeric = /^(\d+)[-/.](\d+)[-/.](\d+)$/.exec(tok))) {
      const [a, b, c] = [numeric[1]!, numeric[2]!, numeric[3]!];
      if (a.length >= 3) setDate(Number(a), Number(b), Number(c));
      else setDate(Number(c), Number(a), Number(b));
    } else if ((numeric = /^(\d{1,2})-([a-z]+)-(\d+)$/.exec(tok)) && monthNumber(numeric[2]!) !== undefined) {
      setDate(Number(numeric[3]), monthNumber(numeric[2]!)!, Number(numeric[1]));
    } else if (/^\d+$/.test(tok)) {
      const n = Number(tok);
      if (tok.length >= 3 || n > 31 || (day !== undefined && year === undefined)) {
        if (year !== undefined) throw bad();
        year = n;
      } else if (day === undefined) day = n;
      else throw bad();
    } else if (/^(z|utc|gmt|[+-]\d{1,2}(?::?\d{2})?)$/.test(tok) || tok in ZONE_ABBREVIATIONS || tok.includes('/')) {
      zone = zoneInValue(raw);
    } else throw bad();
  }
  if (year === undefined || month === undefined || day === undefined) throw bad();
  if (bc) {
    if (year === 0) throw fieldOverflow(text);
    year = 1 - year;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw fieldOverflow(text);
  let timeOfDay = 0;
  if (time) {
    let h = time.h;
    if (meridian) {
      if (h < 1 || h > 12) throw fieldOverflow(text);
      h = (h % 12) + (meridian === 'pm' ? 12 : 0);
    }
    if (h > 24 || time.mi > 59 || time.sec > 60) throw fieldOverflow(text);
    timeOfDay = h * USECS_PER_HOUR + time.mi * USECS_PER_MINUTE + time.sec * USECS_PER_SEC + time.micros;
  } else if (meridian) throw bad();
  return { days: daysFromCivil(year, month, day), timeOfDay, zone, hasTime: time !== undefined };
}

export interface DateTimeInputOptions {
  /** The session's zone, for timestamptz text without an explicit zone. */
  zone: TimeZone;
  /** The current transaction time in microseconds, for 'now', 'today'... */
  now: () => number;
}

export function parseDate(text: string, opts: DateTimeInputOptions): number {
  const p = parseDateTime(text, 'date', opts);
  if (p.special) return p.special === 'infinity' ? Infinity : -Infinity;
  if (!dateInRange(p.days)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, `date out of range: "${text}"`);
  return p.days;
}

export function parseTimestamp(text: string, opts: DateTimeInputOptions): number {
  const p = parseDateTime(text, 'timestamp', opts);
  if (p.special) return p.special === 'infinity' ? Infinity : -Infinity;
  const ts = p.days * USECS_PER_DAY + p.timeOfDay;
  if (!timestampInRange(ts)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
  return ts;
}

export function parseTimestamptz(text: string, opts: DateTimeInputOptions): number {
  const p = parseDateTime(text, 'timestamp with time zone', opts);
  if (p.special) return p.special === 'infinity' ? Infinity : -Infinity;
  const local = p.days * USECS_PER_DAY + p.timeOfDay;
  const ts = localToUtc(local, p.zone ?? opts.zone);
  if (!timestampInRange(ts)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
  return ts;
}

// ---- interval input ---------------------------------------------------------------------------

type Unit = 'micro' | 'milli' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year' | 'decade' | 'century' | 'millennium';

const UNITS = new Map<string, Unit>();
for (const [unit, names] of Object.entries({
  micro: ['microsecond', 'microseconds', 'us', 'usec', 'usecs', 'useconds', 'microsecon'],
  milli: ['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'mseconds', 'millisecon'],
  second: ['second', 'seconds', 's', 'sec', 'secs'],
  minute: ['minute', 'minutes', 'm', 'min', 'mins'],
  hour: ['hour', 'hours', 'h', 'hr', 'hrs'],
  day: ['day', 'days', 'd'],
  week: ['week', 'weeks', 'w'],
  month: ['month', 'months', 'mon', 'mons'],
  year: ['year', 'years', 'y', 'yr', 'yrs'],
  decade: ['decade', 'decades', 'dec', 'decs'],
  century: ['century', 'centuries', 'c', 'cent'],
  millennium: ['millennium', 'millennia', 'mil', 'mils', 'millenniums'],
} as Record<Unit, string[]>)) {
  for (const n of names) UNITS.set(n, unit as Unit);
}

/** Accumulates interval fields, spilling fractions downwards as PostgreSQL does (month = 30 days). */
class IntervalBuilder {
  months = 0;
  days = 0;
  micros = 0;

  add(unit: Unit, value: number): void {
    switch (unit) {
      case 'micro':
        this.micros += value;
        return;
      case 'milli':
        this.micros += value * 1000;
        return;
      case 'second':
        this.micros += value * USECS_PER_SEC;
        return;
      case 'minute':
        this.micros += value * USECS_PER_MINUTE;
        return;
      case 'hour':
        this.micros += value * USECS_PER_HOUR;
        return;
      case 'day':
        this.addDays(value);
        return;
      case 'week':
        this.addDays(value * 7);
        return;
      case 'month':
        this.addMonths(value);
        return;
      case 'year':
        this.addMonths(value * 12);
        return;
      case 'decade':
        this.addMonths(value * 120);
        return;
      case 'century':
        this.addMonths(value * 1200);
        return;
      case 'millennium':
        this.addMonths(value * 12000);
        return;
    }
  }

  private addDays(value: number): void {
    const whole = Math.trunc(value);
    this.days += whole;
    this.micros += (value - whole) * USECS_PER_DAY;
  }

  private addMonths(value: number): void {
    const whole = Math.trunc(value);
    this.months += whole;
    this.addDays((value - whole) * 30);
  }

  build(negate: boolean): Interval {
    const s = negate ? -1 : 1;
    return new Interval(s * this.months || 0, s * this.days || 0, s * Math.round(this.micros) || 0);
  }
}

const ISO_INTERVAL = /^(-)?P(?:(-?[\d.]+)Y)?(?:(-?[\d.]+)M)?(?:(-?[\d.]+)W)?(?:(-?[\d.]+)D)?(?:T(?:(-?[\d.]+)H)?(?:(-?[\d.]+)M)?(?:(-?[\d.]+)S)?)?$/i;
const CLOCK = /^([+-])?(\d+):(\d+)(?::(\d+(?:\.\d*)?))?$/;

// INTERVAL's field-range typmod, as PostgreSQL encodes it: (range mask << 16) | precision.
const RANGE = { month: 1 << 1, year: 1 << 2, day: 1 << 3, hour: 1 << 10, minute: 1 << 11, second: 1 << 12 };
const FULL_RANGE = 0x7fff;

function rangeOf(typmod: number): number {
  return typmod < 0 ? FULL_RANGE : (typmod >> 16) & 0x7fff;
}

/** The unit of a bare number in an INTERVAL with a field range: the range's last field. */
function bareNumberUnit(typmod: number): Unit {
  const range = rangeOf(typmod);
  if (range === FULL_RANGE || range & RANGE.second) return 'second';
  if (range & RANGE.minute) return 'minute';
  if (range & RANGE.hour) return 'hour';
  if (range & RANGE.day) return 'day';
  if (range & RANGE.month) return 'month';
  if (range & RANGE.year) return 'year';
  return 'second';
}

/** Drops the fields below an INTERVAL's field range and rounds seconds to its precision. */
export function applyIntervalTypmod(iv: Interval, typmod: number): Interval {
  if (typmod < 0) return iv;
  const range = rangeOf(typmod);
  const precision = typmod & 0xffff;
  const truncTime = (unit: number) => Math.trunc(iv.micros / unit) * unit;
  if (range === RANGE.year) return new Interval(Math.trunc(iv.months / 12) * 12, 0, 0);
  if (range === RANGE.month || range === (RANGE.year | RANGE.month)) return new Interval(iv.months, 0, 0);
  if (range === RANGE.day) return new Interval(iv.months, iv.days, 0);
  if (!(range & RANGE.minute) && !(range & RANGE.second) && range & RANGE.hour) return new Interval(iv.months, iv.days, truncTime(USECS_PER_HOUR));
  if (!(range & RANGE.second) && range & RANGE.minute) return new Interval(iv.months, iv.days, truncTime(USECS_PER_MINUTE));
  if (precision < 6) {
    const unit = 10 ** (6 - precision);
    return new Interval(iv.months, iv.days, Math.round(iv.micros / unit) * unit || 0);
  }
  return iv;
}

export function parseInterval(text: string, typmod = -1): Interval {
  const bad = () => syntaxError('interval', text);
  const s = text.trim();
  if (s === '') throw bad();
  const iso = ISO_INTERVAL.exec(s);
  if (iso && s.length > 1) {
    const b = new IntervalBuilder();
    const units: Unit[] = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
    units.forEach((u, i) => {
      const v = iso[i + 2];
      if (v !== undefined) b.add(u, Number(v));
    });
    return applyIntervalTypmod(b.build(iso[1] === '-'), typmod);
  }
  const tokens = s
    .toLowerCase()
    .replace(/^@\s*/, '')
    .split(/\s+/);
  const b = new IntervalBuilder();
  let ago = false;
  let sawField = false;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === 'ago' && i === tokens.length - 1 && sawField) {
      ago = true;
      continue;
    }
    const yearMonth = /^([+-])?(\d+)-(\d+)$/.exec(tok);
    if (yearMonth) {
      // SQL standard year-month literal: '1-2' is 1 year 2 months
      const sign = yearMonth[1] === '-' ? -1 : 1;
      b.add('year', sign * Number(yearMonth[2]));
      b.add('month', sign * Number(yearMonth[3]));
      sawField = true;
      continue;
    }
    const clock = CLOCK.exec(tok);
    if (clock) {
      const sign = clock[1] === '-' ? -1 : 1;
      const a = Number(clock[2]);
      const c = Number(clock[3]);
      if (clock[4] !== undefined) {
        if (c > 59 || Number(clock[4]) >= 60) throw fieldOverflow(text);
        b.add('hour', sign * a);
        b.add('minute', sign * c);
        b.add('second', sign * Number(clock[4]));
      } else {
        if (c > 59) throw fieldOverflow(text);
        b.add('hour', sign * a);
        b.add('minute', sign * c);
      }
      sawField = true;
      continue;
    }
    // a number glued to its unit ("5min") or followed by it ("5 min"); a lone number is seconds
    // numbers in interval input have no exponent: '1e3' is a syntax error, as in PostgreSQL
    const glued = /^([+-]?(?:\d+\.?\d*|\.\d+))([a-z]+)$/.exec(tok);
    let numText: string;
    let unitText: string | undefined;
    if (glued) {
      numText = glued[1]!;
      unitText = glued[2];
    } else if (/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(tok)) {
      numText = tok;
      const next = tokens[i + 1];
      if (next !== undefined && UNITS.has(next)) {
        unitText = next;
        i++;
      } else if (next !== undefined && CLOCK.test(next) && !next.startsWith('-') && !next.startsWith('+')) {
        unitText = 'day'; // "1 12:00:00" is a day count followed by a time
      }
    } else {
      throw bad();
    }
    const value = Number(numText);
    if (!Number.isFinite(value)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'interval field value out of range: "' + text + '"');
    const unit = unitText === undefined ? bareNumberUnit(typmod) : UNITS.get(unitText);
    if (!unit) throw bad();
    b.add(unit, value);
    sawField = true;
  }
  if (!sawField) throw bad();
  const iv = applyIntervalTypmod(b.build(ago), typmod);
  if (Math.abs(iv.months) > 2147483647 || Math.abs(iv.days) > 2147483647 || !Number.isSafeInteger(iv.micros)) {
    throw new SqlError(SQLSTATE.datetimeFieldOverflow, `interval field value out of range: "${text}"`);
  }
  return iv;
}
