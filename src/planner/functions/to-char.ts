/**
 * to_char(): PostgreSQL's formatting of timestamps, dates, intervals and numbers by template
 * (YYYY-MM-DD HH24:MI:SS, FMMonth, 9G999D99, ...). The common template patterns are covered;
 * unknown letters are copied as they are, as PostgreSQL does.
 */
import { Decimal } from 'decimal.js';
import { Interval, T, type SqlType, type Value } from '../../types/types.js';
import { USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC, civilFromDays, daysFromCivil, sessionZone } from '../../types/datetime.js';
import { formatOffset } from '../../types/datetime-text.js';
import { numericFromInteger } from '../../types/numeric.js';
import type { EvalEnv } from '../expr-ir.js';
import { fieldsOf } from './datetime-fields.js';
import { register } from './registry.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

interface DateFields {
  year: number; // astronomical
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  days: number; // since epoch (for weekday, day of year, Julian day)
  offset: number | null; // seconds east, for timestamptz
  zoneName: string;
  interval?: Interval;
}

/** datetime-fields' split of a local timestamp, with its minute's micros parted into seconds and micros. */
function fieldsOfLocal(local: number, offset: number | null, zoneName: string): DateFields {
  const f = fieldsOf(local);
  return { ...f, second: Math.floor(f.micros / USECS_PER_SEC), micros: f.micros % USECS_PER_SEC, offset, zoneName };
}

function fieldsOfInterval(iv: Interval): DateFields {
  const t = Math.abs(iv.micros);
  return {
    year: Math.trunc(iv.months / 12),
    month: iv.months % 12,
    day: iv.days,
    days: iv.days,
    hour: Math.trunc(t / USECS_PER_HOUR) * Math.sign(iv.micros || 1),
    minute: Math.floor((t % USECS_PER_HOUR) / USECS_PER_MINUTE),
    second: Math.floor((t % USECS_PER_MINUTE) / USECS_PER_SEC),
    micros: t % USECS_PER_SEC,
    offset: null,
    zoneName: '',
    interval: iv,
  };
}

const isoDow = (days: number) => ((((days + 3) % 7) + 7) % 7) + 1;

function isoYearWeek(days: number): { isoYear: number; week: number; dayOfIsoYear: number } {
  const thursday = days + (4 - isoDow(days));
  const isoYear = civilFromDays(thursday).year;
  const jan4 = daysFromCivil(isoYear, 1, 4);
  const firstMonday = jan4 - (isoDow(jan4) - 1);
  return { isoYear, week: Math.floor((thursday - daysFromCivil(isoYear, 1, 1)) / 7) + 1, dayOfIsoYear: days - firstMonday + 1 };
}

function ordinal(n: number): string {
  const a = Math.abs(n) % 100;
  if (a >= 11 && a <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][Math.abs(n) % 10] ?? 'th';
}

type DatePattern = [name: string, render: (f: DateFields, fm: boolean) => string, numeric: boolean];
const num = (n: number, width: number, fm: boolean) => (fm ? String(n) : (n < 0 ? '-' + String(-n).padStart(width, '0') : String(n).padStart(width, '0')));
const displayYear = (f: DateFields) => (f.interval ? f.year : f.year > 0 ? f.year : 1 - f.year);
const hour12 = (h: number) => (h % 12 === 0 ? 12 : h % 12);

// Longest names first, so that e.g. HH24 wins over HH and MONTH over MON.
const DATE_PATTERNS: DatePattern[] = (
  [
    ['Y,YYY', (f: DateFields) => { const y = displayYear(f); return `${Math.floor(y / 1000)},${String(y % 1000).padStart(3, '0')}`; }, true],
    ['HH24', (f, fm) => num(f.hour, 2, fm), true],
    ['HH12', (f, fm) => num(hour12(f.hour), 2, fm), true],
    ['IYYY', (f, fm) => num(isoYearWeek(f.days).isoYear, 4, fm), true],
    ['YYYY', (f, fm) => num(displayYear(f), 4, fm), true],
    ['SSSSS', (f) => String(f.hour * 3600 + f.minute * 60 + f.second), true],
    ['SSSS', (f) => String(f.hour * 3600 + f.minute * 60 + f.second), true],
    ['MONTH', (f, fm) => (fm ? MONTHS[f.month - 1]! : MONTHS[f.month - 1]!.padEnd(9)).toUpperCase(), false],
    ['Month', (f, fm) => (fm ? MONTHS[f.month - 1]! : MONTHS[f.month - 1]!.padEnd(9)), false],
    ['month', (f, fm) => (fm ? MONTHS[f.month - 1]! : MONTHS[f.month - 1]!.padEnd(9)).toLowerCase(), false],
    ['A.M.', (f) => (f.hour < 12 ? 'A.M.' : 'P.M.'), false],
    ['P.M.', (f) => (f.hour < 12 ? 'A.M.' : 'P.M.'), false],
    ['a.m.', (f) => (f.hour < 12 ? 'a.m.' : 'p.m.'), false],
    ['p.m.', (f) => (f.hour < 12 ? 'a.m.' : 'p.m.'), false],
    ['B.C.', (f) => (f.year <= 0 ? 'B.C.' : 'A.D.'), false],
    ['A.D.', (f) => (f.year <= 0 ? 'B.C.' : 'A.D.'), false],
    ['b.c.', (f) => (f.year <= 0 ? 'b.c.' : 'a.d.'), false],
    ['a.d.', (f) => (f.year <= 0 ? 'b.c.' : 'a.d.'), false],
    ['DAY', (f, fm) => (fm ? DAYS[isoDow(f.days) % 7]! : DAYS[isoDow(f.days) % 7]!.padEnd(9)).toUpperCase(), false],
    ['Day', (f, fm) => (fm ? DAYS[isoDow(f.days) % 7]! : DAYS[isoDow(f.days) % 7]!.padEnd(9)), false],
    ['day', (f, fm) => (fm ? DAYS[isoDow(f.days) % 7]! : DAYS[isoDow(f.days) % 7]!.padEnd(9)).toLowerCase(), false],
    ['IDDD', (f, fm) => num(isoYearWeek(f.days).dayOfIsoYear, 3, fm), true],
    ['YYY', (f, fm) => num(displayYear(f) % 1000, 3, fm), true],
    ['IYY', (f, fm) => num(isoYearWeek(f.days).isoYear % 1000, 3, fm), true],
    ['MON', (f) => MONTHS[f.month - 1]!.slice(0, 3).toUpperCase(), false],
    ['Mon', (f) => MONTHS[f.month - 1]!.slice(0, 3), false],
    ['mon', (f) => MONTHS[f.month - 1]!.slice(0, 3).toLowerCase(), false],
    ['DDD', (f, fm) => num(f.interval ? f.day : f.days - daysFromCivil(f.year, 1, 1) + 1, 3, fm), true],
    ['DY', (f) => DAYS[isoDow(f.days) % 7]!.slice(0, 3).toUpperCase(), false],
    ['Dy', (f) => DAYS[isoDow(f.days) % 7]!.slice(0, 3), false],
    ['dy', (f) => DAYS[isoDow(f.days) % 7]!.slice(0, 3).toLowerCase(), false],
    ['TZH', (f) => (f.offset === null ? '' : (f.offset < 0 ? '-' : '+') + String(Math.floor(Math.abs(f.offset) / 3600)).padStart(2, '0')), false],
    ['TZM', (f) => (f.offset === null ? '' : String(Math.floor((Math.abs(f.offset) % 3600) / 60)).padStart(2, '0')), false],
    ['HH', (f, fm) => num(hour12(f.hour), 2, fm), true],
    ['MI', (f, fm) => num(f.minute, 2, fm), true],
    ['SS', (f, fm) => num(f.second, 2, fm), true],
    ['MS', (f, fm) => num(Math.floor(f.micros / 1000), 3, fm), true],
    ['US', (f, fm) => num(f.micros, 6, fm), true],
    ['AM', (f) => (f.hour < 12 ? 'AM' : 'PM'), false],
    ['PM', (f) => (f.hour < 12 ? 'AM' : 'PM'), false],
    ['am', (f) => (f.hour < 12 ? 'am' : 'pm'), false],
    ['pm', (f) => (f.hour < 12 ? 'am' : 'pm'), false],
    ['BC', (f) => (f.year <= 0 ? 'BC' : 'AD'), false],
    ['AD', (f) => (f.year <= 0 ? 'BC' : 'AD'), false],
    ['bc', (f) => (f.year <= 0 ? 'bc' : 'ad'), false],
    ['ad', (f) => (f.year <= 0 ? 'bc' : 'ad'), false],
    ['YY', (f, fm) => num(displayYear(f) % 100, 2, fm), true],
    ['IY', (f, fm) => num(isoYearWeek(f.days).isoYear % 100, 2, fm), true],
    ['MM', (f, fm) => num(f.month, 2, fm), true],
    ['DD', (f, fm) => num(f.day, 2, fm), true],
    ['ID', (f) => String(isoDow(f.days)), true],
    ['WW', (f, fm) => num(Math.floor((f.days - daysFromCivil(f.year, 1, 1)) / 7) + 1, 2, fm), true],
    ['IW', (f, fm) => num(isoYearWeek(f.days).week, 2, fm), true],
    ['CC', (f, fm) => num(f.year > 0 ? Math.floor((f.year + 99) / 100) : -Math.floor((99 - (f.year - 1)) / 100), 2, fm), true],
    ['RM', (f, fm) => (fm ? ROMAN[f.month - 1]! : ROMAN[f.month - 1]!.padEnd(4)), false],
    ['rm', (f, fm) => (fm ? ROMAN[f.month - 1]! : ROMAN[f.month - 1]!.padEnd(4)).toLowerCase(), false],
    ['TZ', (f) => (f.offset === null ? '' : f.zoneName.toUpperCase()), false],
    ['tz', (f) => (f.offset === null ? '' : f.zoneName.toLowerCase()), false],
    ['OF', (f) => (f.offset === null ? '' : formatOffset(f.offset)), false],
    ['Y', (f) => String(displayYear(f) % 10), true],
    ['I', (f) => String(isoYearWeek(f.days).isoYear % 10), true],
    ['Q', (f) => String(Math.floor((f.month - 1) / 3) + 1), true],
    ['D', (f) => String((isoDow(f.days) % 7) + 1), true],
    ['W', (f) => String(Math.floor((f.day - 1) / 7) + 1), true],
    ['J', (f) => String(f.days + 2440588), true],
  ] as DatePattern[]
);

function formatDateTemplate(f: DateFields, template: string): string {
  let out = '';
  for (let i = 0; i < template.length; ) {
    if (template[i] === '"') {
      const end = template.indexOf('"', i + 1);
      out += template.slice(i + 1, end < 0 ? undefined : end).replace(/\\"/g, '"');
      i = end < 0 ? template.length : end + 1;
      continue;
    }
    if (template[i] === '\\' && i + 1 < template.length) {
      out += template[i + 1];
      i += 2;
      continue;
    }
    let fm = false;
    let j = i;
    if (template.startsWith('FM', j) || template.startsWith('fm', j)) {
      fm = true;
      j += 2;
    }
    const match = DATE_PATTERNS.find(([name]) => template.startsWith(name, j));
    if (!match) {
      out += template[i];
      i++;
      continue;
    }
    const [name, render, numeric] = match;
    let text = render(f, fm);
    j += name.length;
    const suffix = template.slice(j, j + 2);
    if (numeric && (suffix === 'TH' || suffix === 'th')) {
      const th = ordinal(Number(text));
      text += suffix === 'TH' ? th.toUpperCase() : th;
      j += 2;
    }
    out += text;
    i = j;
  }
  return out;
}

// ---- numbers ----------------------------------------------------------------------------------

/**
 * A float shows at most its type's reliable digits (15 for double precision, 6 for real), as
 * PostgreSQL's float8_to_char: fraction positions beyond them are dropped from the template.
 */
function floatTokens(tokens: string[], value: Decimal, digits: number | undefined): string[] {
  if (digits === undefined || !value.isFinite()) return tokens;
  const intLength = value.abs().toFixed(0, Decimal.ROUND_HALF_EVEN).length;
  let keep = intLength >= digits ? 0 : digits - intLength;
  const point = tokens.findIndex((t) => t === '.' || t === 'D');
  return tokens.filter((t, i) => i <= point || point < 0 || (t !== '9' && t !== '0') || keep-- > 0);
}

/** One output character of a number template; blanks are padding that FM removes. */
interface Cell {
  ch: string;
  blank?: boolean;
}

const NUMBER_TOKENS = /FM|fm|MI|mi|PL|pl|SG|sg|[90.D,GS]|./gs;

/**
 * to_char for numbers: 9 (digit or blank), 0 (digit or zero), . D , G, S MI PL SG (signs), FM
 * (no padding, no trailing fraction zeros). Without an explicit sign, one position before the
 * first digit holds '-' or a blank. Too many digits turn every digit position into '#'.
 */
function formatNumberTemplate(value: Decimal, template: string, float?: { digits: number; negativeZero: boolean }): string {
  const allTokens = floatTokens(template.match(NUMBER_TOKENS) ?? [], value, float?.digits);
  const fm = allTokens.some((t) => t.toUpperCase() === 'FM');
  const point = allTokens.findIndex((t) => t === '.' || t === 'D');
  // NaN takes the integer digit positions as the letters N a N, and drops the fraction altogether
  const tokens = value.isNaN() && point >= 0 ? allTokens.slice(0, point) : allTokens;
  const pointAt = tokens.findIndex((t) => t === '.' || t === 'D');
  const isDigit = (t: string) => t === '9' || t === '0';
  const intTokens = pointAt < 0 ? tokens : tokens.slice(0, pointAt);
  const intDigits = intTokens.filter(isDigit).length;
  const fracDigits = pointAt < 0 ? 0 : tokens.slice(pointAt + 1).filter(isDigit).length;
  const explicitSign = tokens.some((t) => ['S', 'MI', 'PL', 'SG'].includes(t.toUpperCase()));
  const [whole, frac = ''] = value.isNaN() ? ['NaN'] : (value.abs().toFixed(fracDigits, float ? Decimal.ROUND_HALF_EVEN : Decimal.ROUND_HALF_UP).split('.') as [string, string?]);
  const significant = whole.replace(/^0+/, '');
  // a numeric that rounds to zero loses its sign; a float keeps it, as C's printf writes -0
  const negative = float
    ? value.isNegative() || float.negativeZero
    : value.isNegative() && (significant !== '' || /[1-9]/.test(frac));
  const overflow = significant.length > intDigits;
  const firstZero = intTokens.indexOf('0');

  const cells: Cell[] = [];
  let intPos = 0;
  let fracPos = 0;
  let printed = false;
  let floatingSignAt = -1; // where an S before the digits puts its sign
  tokens.forEach((token, i) => {
    const upper = token.toUpperCase();
    if (upper === 'FM') return;
    if (isDigit(token) && (pointAt < 0 || i < pointAt)) {
      const firstSignificant = intDigits - significant.length;
      if (overflow) cells.push({ ch: '#' });
      else if (intPos >= firstSignificant) cells.push({ ch: significant[intPos - firstSignificant]! });
      else if ((firstZero >= 0 && i >= firstZero) || (intPos === intDigits - 1 && fracDigits === 0)) cells.push({ ch: '0' });
      else cells.push({ ch: ' ', blank: true });
      printed ||= !cells.at(-1)!.blank;
      intPos++;
    } else if (isDigit(token)) {
      cells.push({ ch: overflow ? '#' : frac[fracPos]! });
      fracPos++;
    } else if (token === '.' || token === 'D') {
      cells.push({ ch: '.' });
    } else if (token === ',' || token === 'G') {
      cells.push(printed ? { ch: ',' } : { ch: ' ', blank: true });
    } else if (upper === 'S') {
      if (intPos === 0 && fracPos === 0) floatingSignAt = cells.length;
      else cells.push({ ch: negative ? '-' : '+' });
    } else if (upper === 'MI') {
      cells.push(negative ? { ch: '-' } : { ch: ' ', blank: true });
    } else if (upper === 'PL') {
      cells.push(negative ? { ch: ' ', blank: true } : { ch: '+' });
    } else if (upper === 'SG') {
      cells.push({ ch: negative ? '-' : '+' });
    } else {
      cells.push({ ch: token });
    }
  });

  const firstPrinted = cells.findIndex((c, i) => !c.blank && i >= Math.max(floatingSignAt, 0));
  const signAt = firstPrinted < 0 ? cells.length : firstPrinted;
  if (floatingSignAt >= 0) cells.splice(signAt, 0, { ch: negative ? '-' : '+' });
  else if (!explicitSign) cells.splice(signAt, 0, negative ? { ch: '-' } : { ch: ' ', blank: true });

  if (fm && !overflow && fracDigits > 0) {
    // FM drops trailing zeros that stand in 9 positions of the fraction
    const fracTokens = tokens.slice(pointAt + 1).filter(isDigit);
    let drop = 0;
    for (let i = fracDigits - 1; i >= 0 && fracTokens[i] === '9' && frac[i] === '0'; i--) drop++;
    let lastFrac = cells.length - 1;
    while (drop > 0 && lastFrac >= 0) {
      if (/[0-9]/.test(cells[lastFrac]!.ch) && cells.slice(0, lastFrac).some((c) => c.ch === '.')) {
        cells.splice(lastFrac, 1);
        drop--;
      }
      lastFrac--;
    }
  }
  let out = cells
    .filter((c) => !(fm && c.blank))
    .map((c) => c.ch)
    .join('');
  if (fm && pointAt >= 0 && fracDigits === 0) out = out.replace(/\.$/, '');
  return out;
}

/**
 * A float's exact binary value (to 40 digits), formatted with the float rules of to_char; ties
 * round to even, as C's printf rounds the exact value.
 */
function formatFloat(n: number, template: string, digits: number): string {
  const value = Number.isFinite(n) ? new Decimal(n.toPrecision(40)) : new Decimal(n);
  return formatNumberTemplate(value, template, { digits, negativeZero: Object.is(n, -0) });
}

function toCharTimestamp(type: SqlType) {
  return (args: Value[], env: EvalEnv): Value => {
    const [v, template] = args as [number, string];
    if (!Number.isFinite(v)) return null;
    if (type === T.timestamptz) {
      const zone = sessionZone(env.setting('timezone'));
      const offset = zone.offsetAt(v);
      const name = env.setting('timezone') ?? 'UTC';
      const abbrev = /^[A-Za-z]+\//.test(name) ? zoneAbbreviation(v, name) : name;
      return formatDateTemplate(fieldsOfLocal(v + offset * USECS_PER_SEC, offset, abbrev), template);
    }
    return formatDateTemplate(fieldsOfLocal(v, null, ''), template);
  };
}

/** A named zone's abbreviation at an instant (EST, CEST...), as Intl knows it. */
function zoneAbbreviation(utcMicros: number, zone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(utcMicros / 1000));
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
  } catch {
    return zone;
  }
}

register(
  { name: 'to_char', args: [T.timestamp, T.text], returns: T.text, impl: toCharTimestamp(T.timestamp) },
  { name: 'to_char', args: [T.timestamptz, T.text], returns: T.text, volatile: true, impl: toCharTimestamp(T.timestamptz) },
  { name: 'to_char', args: [T.interval, T.text], returns: T.text, impl: ([iv, t]) => formatDateTemplate(fieldsOfInterval(iv as Interval), t as string) },
  { name: 'to_char', args: [T.numeric, T.text], returns: T.text, impl: ([n, t]) => formatNumberTemplate(n as Decimal, t as string) },
  { name: 'to_char', args: [T.int4, T.text], returns: T.text, impl: ([n, t]) => formatNumberTemplate(numericFromInteger(n as number), t as string) },
  { name: 'to_char', args: [T.int8, T.text], returns: T.text, impl: ([n, t]) => formatNumberTemplate(numericFromInteger(n as bigint), t as string) },
  { name: 'to_char', args: [T.float8, T.text], returns: T.text, impl: ([n, t]) => formatFloat(n as number, t as string, 15) },
  { name: 'to_char', args: [T.float4, T.text], returns: T.text, impl: ([n, t]) => formatFloat(n as number, t as string, 6) },
);
