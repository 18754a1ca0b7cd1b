/**
 * The text representation of every SQL type, exactly as PostgreSQL 15 writes and reads it: what
 * the wire protocol sends in text format, what casts to and from text do, what COPY uses.
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { Interval, Json, SqlArray, T, type SqlType, type Value } from './types.js';
import { formatArrayText, parseArrayText } from './array-text.js';
import { applyNumericTypmod, formatNumeric, parseNumericText } from './numeric.js';
import { sessionZone } from './datetime.js';
import { decimalToFloat4, nextFloat4 } from './float4.js';
import {
  formatDate,
  formatInterval,
  formatTimestamp,
  formatTimestamptz,
  parseDate,
  parseInterval,
  parseTimestamp,
  parseTimestamptz,
} from './datetime-text.js';
import { formatJsonValue, formatJsonb, jsonWithText, parseJsonText } from './json-text.js';

export interface TextIoSettings {
  /** The session's TimeZone setting (default UTC). */
  timeZone?: string;
  /** The statement's timestamp in microseconds, for 'now'/'today' input (default: the clock). */
  now?: number;
}

// ---- output -----------------------------------------------------------------------------------

/**
 * A float as PostgreSQL 15 prints it (extra_float_digits = 1): the shortest digits that read back
 * to the same value, in exponent form when the decimal exponent is < -4 or >= `maxFixedExponent`
 * (15 for double precision, 6 for real), like printf's %g.
 */
function formatFloat(value: number, shortestExponential: string, maxFixedExponent: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, expText] = shortestExponential.split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= maxFixedExponent) {
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let text: string;
  if (exp < 0) text = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) text = digits + '0'.repeat(exp + 1 - digits.length);
  else text = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return negative ? `-${text}` : text;
}

function formatFloat8(value: number): string {
  return formatFloat(value, value.toExponential(), 15);
}

export function formatFloat4(input: number): string {
  // a real computed in double precision (a decoder, an aggregate) prints as the real it stores
  const value = Math.fround(input);
  if (!Number.isFinite(value) || value === 0) return formatFloat(value, '', 6);
  // PostgreSQL's shortest-digits search (Ryu) does not take a decimal lying exactly halfway
  // to a neighbouring float, although reading it back would round to this one
  const halfways = [(value + nextFloat4(value, 1)) / 2, (value + nextFloat4(value, -1)) / 2];
  for (let digits = 1; digits < 9; digits++) {
    const candidate = value.toExponential(digits - 1);
    const n = Number(candidate);
    if (Math.fround(n) === value && !halfways.includes(n)) return formatFloat(value, candidate, 6);
  }
  return formatFloat(value, value.toExponential(8), 6);
}

export function formatBytea(bytes: Uint8Array): string {
  return '\\x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** PostgreSQL's text output of a non-null value of the given type. */
export function formatValue(type: SqlType, value: Value, settings?: { timeZone?: string }): string {
  if (value === null) throw new Error('formatValue called with SQL NULL');
  const element = type.element;
  // int2vectorout, oidvectorout: '1 2' (a vector holds no NULLs)
  if (element && type.vector) return (value as SqlArray).elements.map((e) => formatValue(element, e!, settings)).join(' ');
  if (element) return formatArrayText(value as SqlArray, (e) => formatValue(element, e, settings));
  switch (type.oid) {
    case T.bool.oid:
      return value ? 't' : 'f';
    case T.float8.oid:
      return formatFloat8(value as number);
    case T.float4.oid:
      return formatFloat4(value as number);
    case T.numeric.oid:
      return formatNumeric(value as Decimal);
    case T.bytea.oid:
      return formatBytea(value as Uint8Array);
    case T.date.oid:
      return formatDate(value as number);
    case T.timestamp.oid:
      return formatTimestamp(value as number);
    case T.timestamptz.oid:
      return formatTimestamptz(value as number, sessionZone(settings?.timeZone));
    case T.interval.oid:
      return formatInterval(value as Interval);
    case T.jsonb.oid:
      return formatJsonb((value as Json).value);
    case T.json.oid:
      return formatJsonValue(value as Json);
    default:
      return String(value);
  }
}

// ---- input ------------------------------------------------------------------------------------

function invalidSyntax(typeName: string, text: string): SqlError {
  return new SqlError(SQLSTATE.invalidTextRepresentation, `invalid input syntax for type ${typeName}: "${text}"`);
}

function outOfRange(typeName: string, text: string): SqlError {
  return new SqlError(SQLSTATE.numericValueOutOfRange, `value "${text}" is out of range for type ${typeName}`);
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

function parseInteger(text: string, typeName: string, min: number, max: number): number {
  if (!INTEGER_TEXT.test(text)) throw invalidSyntax(typeName, text);
  const n = Number(text.trim());
  if (n < min || n > max) throw outOfRange(typeName, text);
  return n;
}

function parseInt8(text: string): bigint {
  if (!INTEGER_TEXT.test(text)) throw invalidSyntax('bigint', text);
  const n = BigInt(text.trim());
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw outOfRange('bigint', text);
  return n;
}

function parseOid(text: string): number {
  if (!INTEGER_TEXT.test(text)) throw invalidSyntax('oid', text);
  const n = Number(text.trim());
  if (n < -2147483648 || n > 4294967295) throw outOfRange('oid', text);
  return n < 0 ? n + 4294967296 : n;
}

const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const FLOAT_SPECIALS = new Map<string, number>([
  ['nan', NaN],
  ['+nan', NaN],
  ['-nan', NaN],
  ['infinity', Infinity],
  ['+infinity', Infinity],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-infinity', -Infinity],
  ['-inf', -Infinity],
]);

function parseFloat(text: string, typeName: 'real' | 'double precision'): number {
  const s = text.trim();
  const special = FLOAT_SPECIALS.get(s.toLowerCase());
  if (special !== undefined) return special;
  if (!FLOAT_TEXT.test(s)) throw invalidSyntax(typeName, text);
  let n = Number(s);
  if (typeName === 'real') n = Number.isFinite(n) ? decimalToFloat4(new Decimal(s)) : Math.fround(n);
  // strtod's ERANGE: overflow to infinity, or underflow of a non-zero literal to zero
  const nonZeroLiteral = /[1-9]/.test(s.replace(/e.*$/i, ''));
  if (!Number.isFinite(n) || (n === 0 && nonZeroLiteral)) {
    throw new SqlError(SQLSTATE.numericValueOutOfRange, `"${text}" is out of range for type ${typeName}`);
  }
  return n;
}

const BOOL_WORDS: [string, boolean, number][] = [
  // word, value, shortest accepted prefix (PostgreSQL's parse_bool)
  ['true', true, 1],
  ['false', false, 1],
  ['yes', true, 1],
  ['no', false, 1],
  ['on', true, 2],
  ['off', false, 2],
  ['1', true, 1],
  ['0', false, 1],
];

function parseBool(text: string): boolean {
  const s = text.trim().toLowerCase();
  for (const [word, value, minLength] of BOOL_WORDS) {
    if (s.length >= minLength && word.startsWith(s)) return value;
  }
  throw invalidSyntax('boolean', text);
}

function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x')) {
    const hex = text.slice(2).replace(/\s+/g, '');
    const bad = /[^0-9a-fA-F]/.exec(hex);
    if (bad) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid hexadecimal digit: "${bad[0]}"`);
    if (hex.length % 2 !== 0) throw new SqlError(SQLSTATE.invalidParameterValue, 'invalid hexadecimal data: odd number of digits');
    return Buffer.from(hex, 'hex');
  }
  // escape format: \\ is a backslash, \ooo an octal byte, anything else literal (as UTF-8)
  const out: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === '\\') {
      if (text[i + 1] === '\\') {
        out.push(0x5c);
        i += 2;
      } else if (/^[0-3][0-7]{2}$/.test(text.slice(i + 1, i + 4))) {
        out.push(parseInt(text.slice(i + 1, i + 4), 8));
        i += 4;
      } else {
        throw new SqlError(SQLSTATE.invalidTextRepresentation, 'invalid input syntax for type bytea');
      }
    } else {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
    }
  }
  return Uint8Array.from(out);
}

/** Applies varchar(n)/char(n) to input: too long is an error unless only spaces are cut. */
export function applyCharLength(type: SqlType, text: string, typmod: number, explicit: boolean): string {
  if (typmod < 4) return text;
  const limit = typmod - 4;
  const chars = [...text];
  let result = text;
  if (chars.length > limit) {
    const kept = chars.slice(0, limit).join('');
    if (!explicit && chars.slice(limit).some((c) => c !== ' ')) {
      const name = type.oid === T.bpchar.oid ? 'character' : 'character varying';
      throw new SqlError(SQLSTATE.stringDataRightTruncation, `value too long for type ${name}(${limit})`);
    }
    result = kept;
  }
  if (type.oid === T.bpchar.oid && chars.length < limit) result += ' '.repeat(limit - chars.length);
  return result;
}

/** name is at most 63 bytes, cut at a character boundary. */
function truncateName(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= 63) return text;
  let cut = 63;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut).toString('utf8');
}

/** PostgreSQL's text input of the given type (typmod as PostgreSQL encodes it, -1 for none). */
export function parseValue(type: SqlType, text: string, typmod = -1, settings?: TextIoSettings): Value {
  const dt = () => ({ zone: sessionZone(settings?.timeZone), now: () => settings?.now ?? Date.now() * 1000 });
  const element = type.element;
  // int2vectorin, oidvectorin: elements separated by white space, subscripted from 0
  if (element && type.vector) return new SqlArray(text.split(/\s+/).filter((e) => e !== '').map((e) => parseValue(element, e)), 0);
  // an array's typmod is its elements' (varchar(3)[])
  if (element) return parseArrayText(text, (e) => parseValue(element, e, typmod, settings));
  switch (type.oid) {
    case T.bool.oid:
      return parseBool(text);
    case T.int2.oid:
      return parseInteger(text, 'smallint', -32768, 32767);
    case T.int4.oid:
      return parseInteger(text, 'integer', -2147483648, 2147483647);
    case T.int8.oid:
      return parseInt8(text);
    case T.oid.oid:
      return parseOid(text);
    case T.float4.oid:
      return parseFloat(text, 'real');
    case T.float8.oid:
      return parseFloat(text, 'double precision');
    case T.numeric.oid: {
      const d = parseNumericText(text);
      if (d === null) throw invalidSyntax('numeric', text);
      return applyNumericTypmod(d, typmod);
    }
    case T.text.oid:
    case T.unknown.oid:
      return text;
    case T.varchar.oid:
    case T.bpchar.oid:
      return applyCharLength(type, text, typmod, false);
    case T.name.oid:
      return truncateName(text);
    case T.char.oid:
      return text.slice(0, 1);
    case T.bytea.oid:
      return parseBytea(text);
    case T.date.oid:
      return parseDate(text, dt());
    case T.timestamp.oid:
      return parseTimestamp(text, dt());
    case T.timestamptz.oid:
      return parseTimestamptz(text, dt());
    case T.interval.oid:
      return parseInterval(text, typmod);
    case T.json.oid:
      return jsonWithText(parseJsonText(text, 'json'), text);
    case T.jsonb.oid:
      return new Json(parseJsonText(text, 'jsonb'));
    default:
      throw new SqlError(SQLSTATE.featureNotSupported, `text input of type ${type.name} is not supported`);
  }
}
