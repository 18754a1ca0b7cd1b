/**
 * to_timestamp(text, template), to_date(text, template) and to_number(text, template): reading
 * values by to_char's template patterns. Like PostgreSQL, separators in the input need not match
 * the template's exactly, and numeric fields without FM read up to their usual width.
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { T } from '../../types/types.js';
import { USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC, checkTimestamp, daysFromCivil, daysInMonth, localToUtc, sessionZone } from '../../types/datetime.js';
import { parseNumericText, withScale } from '../../types/numeric.js';
import type { EvalEnv } from '../expr-ir.js';
import { register } from './registry.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  micros?: number;
  pm?: boolean;
  hour12?: boolean;
  bc?: boolean;
}

type Field = [pattern: string, kind: 'number' | 'month' | 'monthAbbrev' | 'day' | 'dayAbbrev' | 'meridian' | 'era', width: number, set: (p: Parsed, v: number) => void];

// Longest first, so that HH24 wins over HH and MONTH over MON.
const FIELDS: Field[] = [
  ['YYYY', 'number', 4, (p, v) => (p.year = v)],
  ['HH24', 'number', 2, (p, v) => (p.hour = v)],
  ['HH12', 'number', 2, (p, v) => ((p.hour = v), (p.hour12 = true))],
  ['MONTH', 'month', 9, (p, v) => (p.month = v)],
  ['DAY', 'day', 9, () => {}],
  ['A.M.', 'meridian', 4, (p, v) => (p.pm = v === 1)],
  ['P.M.', 'meridian', 4, (p, v) => (p.pm = v === 1)],
  ['YYY', 'number', 3, (p, v) => (p.year = 2000 + v)],
  ['MON', 'monthAbbrev', 3, (p, v) => (p.month = v)],
  ['DDD', 'number', 3, () => {}],
  ['HH', 'number', 2, (p, v) => ((p.hour = v), (p.hour12 = true))],
  ['MI', 'number', 2, (p, v) => (p.minute = v)],
  ['SS', 'number', 2, (p, v) => (p.second = v)],
  ['MS', 'number', 3, (p, v) => (p.micros = (p.micros ?? 0) + v * 1000)],
  ['US', 'number', 6, (p, v) => (p.micros = v)],
  ['AM', 'meridian', 2, (p, v) => (p.pm = v === 1)],
  ['PM', 'meridian', 2, (p, v) => (p.pm = v === 1)],
  ['BC', 'era', 2, (p, v) => (p.bc = v === 1)],
  ['AD', 'era', 2, (p, v) => (p.bc = v === 1)],
  ['YY', 'number', 2, (p, v) => (p.year = v < 70 ? 2000 + v : 1900 + v)],
  ['MM', 'number', 2, (p, v) => (p.month = v)],
  ['DD', 'number', 2, (p, v) => (p.day = v)],
  ['DY', 'dayAbbrev', 3, () => {}],
];

function invalidValue(value: string, pattern: string, detail: string): SqlError {
  return new SqlError(SQLSTATE.invalidDatetimeFormat, `invalid value "${value}" for "${pattern}"`, { detail });
}

function parseTemplate(input: string, template: string): Parsed {
  const p: Parsed = {};
  let pos = 0;
  const upper = template.toUpperCase();
  for (let i = 0; i < template.length; ) {
    let fm = false;
    if (upper.startsWith('FM', i)) {
      fm = true;
      i += 2;
    }
    const field = FIELDS.find(([name]) => upper.startsWith(name, i));
    if (!field) {
      // a separator or literal: skip it in the template, and one non-alphanumeric in the input
      if (template[i] === '"') {
        const end = template.indexOf('"', i + 1);
        const literal = template.slice(i + 1, end < 0 ? undefined : end);
        pos += literal.length;
        i = end < 0 ? template.length : end + 1;
        continue;
      }
      if (pos < input.length && /[^A-Za-z0-9]/.test(input[pos]!) && /[^A-Za-z0-9]/.test(template[i]!)) pos++;
      else if (/[A-Za-z0-9]/.test(template[i]!) && pos < input.length) pos++;
      i++;
      continue;
    }
    const [name, kind, width, set] = field;
    i += name.length;
    while (pos < input.length && input[pos] === ' ' && kind !== 'number') pos++;
    const rest = input.slice(pos);
    if (kind === 'number') {
      const lead = /^ */.exec(rest)![0].length;
      const m = (fm ? /^[+-]?\d+/ : new RegExp(`^[+-]?\\d{1,${width}}`)).exec(rest.slice(lead));
      if (!m) throw invalidValue(rest.slice(lead, lead + width), name, 'Value must be an integer.');
      set(p, Number(m[0]));
      pos += lead + m[0].length;
      continue;
    }
    const lower = rest.toLowerCase();
    const words: Record<string, string[]> = {
      month: MONTHS,
      monthAbbrev: MONTHS.map((m) => m.slice(0, 3)),
      day: DAYS,
      dayAbbrev: DAYS.map((d) => d.slice(0, 3)),
      meridian: name.includes('.') ? ['a.m.', 'p.m.'] : ['am', 'pm'],
      era: name.includes('.') ? ['a.d.', 'b.c.'] : ['ad', 'bc'],
    };
    const list = words[kind]!;
    const index = list.findIndex((w) => lower.startsWith(w));
    if (index < 0) throw invalidValue(rest.slice(0, width), name, `The given value did not match any of the allowed values for this field.`);
    set(p, kind === 'month' || kind === 'monthAbbrev' ? index + 1 : index);
    pos += list[index]!.length;
  }
  return p;
}

function toLocalMicros(p: Parsed, input: string): number {
  let year = p.year ?? 1;
  if (p.bc) year = 1 - year;
  const month = p.month ?? 1;
  const day = p.day ?? 1;
  let hour = p.hour ?? 0;
  if (p.hour12 || p.pm !== undefined) {
    if (hour < 1 || hour > 12) {
      throw new SqlError(SQLSTATE.invalidDatetimeFormat, `hour "${hour}" is invalid for the 12-hour clock`, { hint: 'Use the 24-hour clock, or give an hour between 1 and 12.' });
    }
    hour = (hour % 12) + (p.pm ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 24 || (p.minute ?? 0) > 59 || (p.second ?? 0) > 60) {
    throw new SqlError(SQLSTATE.datetimeFieldOverflow, `date/time field value out of range: "${input}"`);
  }
  return daysFromCivil(year, month, day) * USECS_PER_DAY + hour * USECS_PER_HOUR + (p.minute ?? 0) * USECS_PER_MINUTE + (p.second ?? 0) * USECS_PER_SEC + (p.micros ?? 0);
}

/** to_number: the digits, sign and decimal point of the input, where the template has room for them. */
function toNumber(input: string, template: string): Decimal {
  const hasPoint = /[.D]/i.test(template.replace(/"[^"]*"/g, ''));
  const negative = /-|\(.*\)/.test(input) || /MI|PR/i.test(template) && /-/.test(input);
  const cleaned = input.replace(hasPoint ? /[^0-9.]/g : /[^0-9]/g, '');
  const parsed = parseNumericText(cleaned === '' ? '0' : cleaned);
  if (!parsed) throw new SqlError(SQLSTATE.invalidTextRepresentation, `invalid input syntax for type numeric: "${input}"`);
  const fracDigits = (template.split(/[.D]/i)[1] ?? '').replace(/[^09]/g, '').length;
  const value = parsed.toDecimalPlaces(fracDigits, Decimal.ROUND_DOWN);
  return withScale(negative ? value.negated() : value, Math.min(fracDigits, Math.max(0, (cleaned.split('.')[1] ?? '').length)));
}

register(
  {
    name: 'to_timestamp',
    args: [T.text, T.text],
    returns: T.timestamptz,
    volatile: true,
    impl: ([s, t], env: EvalEnv) => checkTimestamp(localToUtc(toLocalMicros(parseTemplate(s as string, t as string), s as string), sessionZone(env.setting('timezone')))),
  },
  {
    name: 'to_date',
    args: [T.text, T.text],
    returns: T.date,
    impl: ([s, t]) => Math.floor(toLocalMicros(parseTemplate(s as string, t as string), s as string) / USECS_PER_DAY),
  },
  { name: 'to_number', args: [T.text, T.text], returns: T.numeric, impl: ([s, t]) => toNumber(s as string, t as string) },
);
