/**
 * PostgreSQL's binary send/recv formats for the types Eddy knows: what the wire puts in a
 * DataRow column or reads from a Bind parameter when the format code is 1.
 *
 * The layouts follow PostgreSQL's *_send / *_recv functions exactly, so drivers that ask for
 * binary results (pgjdbc, pgx, node-pg with `binary: true`) read the same bytes they would from
 * PostgreSQL.
 */
import { Decimal } from 'decimal.js';
import { SqlError } from '../errors.js';
import { USECS_PER_DAY } from './datetime.js';
import { formatJsonValue, formatJsonb, jsonWithText, parseJsonText } from './json-text.js';
import { NUMERIC_MAX_DISPLAY_SCALE, scaleOf, withScale } from './numeric.js';
import { Interval, Json, SqlArray, T, type SqlType, type Value } from './types.js';

/** PostgreSQL's SQLSTATE invalid_binary_representation. */
const INVALID_BINARY_REPRESENTATION = '22P03';

/** PostgreSQL counts dates and timestamps from 2000-01-01; Eddy from 1970-01-01. */
const PG_EPOCH_DAYS = 10957;
const PG_EPOCH_MICROS = BigInt(PG_EPOCH_DAYS * USECS_PER_DAY);

/** PostgreSQL stores ±infinity timestamps and dates as the extreme integers. */
const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;
const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;

/** numeric's sign word. */
const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;
const NUMERIC_PINF = 0xd000;
const NUMERIC_NINF = 0xf000;
/** numeric stores base-10000 digits: four decimal digits per int16. */
const DEC_DIGITS = 4;

const JSONB_VERSION = 1;

export function encodeBinary(type: SqlType, value: Value): Buffer {
  if (type.element) return encodeArray(type.element, value as SqlArray, type.vector);
  switch (type.oid) {
    case T.bool.oid:
      return Buffer.from([value ? 1 : 0]);
    case T.char.oid:
      return Buffer.from(String(value), 'latin1').subarray(0, 1);
    case T.int2.oid: {
      const b = Buffer.allocUnsafe(2);
      b.writeInt16BE(value as number);
      return b;
    }
    case T.int4.oid: {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(value as number);
      return b;
    }
    case T.oid.oid: {
      const b = Buffer.allocUnsafe(4);
      b.writeUInt32BE(value as number);
      return b;
    }
    case T.int8.oid: {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(BigInt(value as bigint | number));
      return b;
    }
    case T.float4.oid: {
      const b = Buffer.allocUnsafe(4);
      b.writeFloatBE(value as number);
      return b;
    }
    case T.float8.oid: {
      const b = Buffer.allocUnsafe(8);
      b.writeDoubleBE(value as number);
      return b;
    }
    case T.numeric.oid:
      return encodeNumeric(value as Decimal);
    case T.bytea.oid:
      return Buffer.from(value as Uint8Array);
    case T.date.oid: {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(dateToPg(value as number));
      return b;
    }
    case T.timestamp.oid:
    case T.timestamptz.oid: {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(timestampToPg(value as number));
      return b;
    }
    case T.interval.oid: {
      const iv = value as Interval;
      const b = Buffer.allocUnsafe(16);
      b.writeBigInt64BE(BigInt(iv.micros), 0);
      b.writeInt32BE(iv.days, 8);
      b.writeInt32BE(iv.months, 12);
      return b;
    }
    case T.json.oid:
      return Buffer.from(formatJsonValue(value as Json), 'utf8');
    case T.jsonb.oid:
      return Buffer.concat([Buffer.from([JSONB_VERSION]), Buffer.from(formatJsonb((value as Json).value), 'utf8')]);
    case T.text.oid:
    case T.varchar.oid:
    case T.bpchar.oid:
    case T.name.oid:
    case T.unknown.oid:
      return Buffer.from(value as string, 'utf8');
    default:
      throw new SqlError('0A000', `binary output of type ${type.name} is not supported`);
  }
}

export function decodeBinary(type: SqlType, bytes: Buffer): Value {
  if (type.element) return decodeArray(type.element, bytes);
  switch (type.oid) {
    case T.bool.oid:
      expectLength(type, bytes, 1);
      return bytes[0] !== 0;
    case T.char.oid:
      expectLength(type, bytes, 1);
      return bytes.toString('latin1');
    case T.int2.oid:
      expectLength(type, bytes, 2);
      return bytes.readInt16BE(0);
    case T.int4.oid:
      expectLength(type, bytes, 4);
      return bytes.readInt32BE(0);
    case T.oid.oid:
      expectLength(type, bytes, 4);
      return bytes.readUInt32BE(0);
    case T.int8.oid:
      expectLength(type, bytes, 8);
      return bytes.readBigInt64BE(0);
    case T.float4.oid:
      expectLength(type, bytes, 4);
      return bytes.readFloatBE(0);
    case T.float8.oid:
      expectLength(type, bytes, 8);
      return bytes.readDoubleBE(0);
    case T.numeric.oid:
      return decodeNumeric(bytes);
    case T.bytea.oid:
      return Buffer.from(bytes);
    case T.date.oid:
      expectLength(type, bytes, 4);
      return dateFromPg(bytes.readInt32BE(0));
    case T.timestamp.oid:
    case T.timestamptz.oid:
      expectLength(type, bytes, 8);
      return timestampFromPg(bytes.readBigInt64BE(0));
    case T.interval.oid:
      expectLength(type, bytes, 16);
      return new Interval(bytes.readInt32BE(12), bytes.readInt32BE(8), Number(bytes.readBigInt64BE(0)));
    case T.json.oid: {
      // json keeps its text as written (whitespace, key order, duplicate keys), as in PostgreSQL.
      const text = decodeUtf8(bytes);
      return jsonWithText(parseJsonText(text, 'json'), text);
    }
    case T.jsonb.oid:
      if (bytes.length < 1 || bytes[0] !== JSONB_VERSION) {
        throw invalid(`unsupported jsonb version number ${bytes.length ? bytes[0] : 'missing'}`);
      }
      return new Json(parseJsonText(decodeUtf8(bytes.subarray(1)), 'jsonb'));
    case T.text.oid:
    case T.varchar.oid:
    case T.bpchar.oid:
    case T.name.oid:
    case T.unknown.oid:
      return decodeUtf8(bytes);
    default:
      throw new SqlError('0A000', `binary input of type ${type.name} is not supported`);
  }
}

/**
 * array_send: int32 dimensions (0 for an empty array), int32 flags (1 when an element is NULL),
 * the element type's OID, per dimension its length and lower bound, then each element as an
 * int32 length (-1 for NULL) and the element's own binary form.
 */
function encodeArray(element: SqlType, array: SqlArray, vector = false): Buffer {
  const n = array.elements.length;
  // an empty int2vector or oidvector still has its one dimension (of length 0, from 0)
  const dimensions = n > 0 || vector ? 1 : 0;
  const header = Buffer.alloc(dimensions === 0 ? 12 : 20);
  header.writeInt32BE(dimensions, 0);
  header.writeInt32BE(array.elements.includes(null) ? 1 : 0, 4);
  header.writeUInt32BE(element.oid, 8);
  if (dimensions > 0) {
    header.writeInt32BE(n, 12);
    header.writeInt32BE(array.lower, 16);
  }
  const parts: Buffer[] = [header];
  for (const e of array.elements) {
    const length = Buffer.alloc(4);
    if (e === null) {
      length.writeInt32BE(-1);
      parts.push(length);
    } else {
      const bytes = encodeBinary(element, e);
      length.writeInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** array_recv for one dimension (or none); the element OID must be the array type's. */
function decodeArray(element: SqlType, bytes: Buffer): SqlArray {
  if (bytes.length < 12) throw invalid('insufficient data left in message');
  const ndim = bytes.readInt32BE(0);
  const flags = bytes.readInt32BE(4);
  const elementOid = bytes.readUInt32BE(8);
  if (ndim < 0 || ndim > 6) throw invalid(`invalid number of dimensions: ${ndim}`);
  if (flags !== 0 && flags !== 1) throw invalid('invalid array flags');
  if (elementOid !== element.oid) throw invalid('binary data has array element type ' + elementOid + ' instead of expected ' + element.oid);
  if (ndim === 0) return new SqlArray([]);
  if (ndim > 1) throw new SqlError('0A000', 'multidimensional arrays are not supported');
  if (bytes.length < 20) throw invalid('insufficient data left in message');
  const n = bytes.readInt32BE(12);
  const lower = bytes.readInt32BE(16);
  if (n < 0) throw invalid('array size exceeds the maximum allowed');
  const elements: Value[] = [];
  let at = 20;
  for (let i = 0; i < n; i++) {
    if (at + 4 > bytes.length) throw invalid('insufficient data left in message');
    const length = bytes.readInt32BE(at);
    at += 4;
    if (length === -1) {
      elements.push(null);
      continue;
    }
    if (length < 0 || at + length > bytes.length) throw invalid('insufficient data left in message');
    elements.push(decodeBinary(element, bytes.subarray(at, at + length)));
    at += length;
  }
  if (at !== bytes.length) throw invalid('incorrect binary data format in array element');
  return new SqlArray(elements, lower);
}

function invalid(message: string): SqlError {
  return new SqlError(INVALID_BINARY_REPRESENTATION, message);
}

function expectLength(type: SqlType, bytes: Buffer, length: number): void {
  if (bytes.length !== length) {
    throw invalid(`incorrect binary data format: ${type.name} needs ${length} bytes, got ${bytes.length}`);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new SqlError('22021', 'invalid byte sequence for encoding "UTF8"');
  }
}


function dateToPg(days: number): number {
  if (days === Infinity) return INT32_MAX;
  if (days === -Infinity) return INT32_MIN;
  return days - PG_EPOCH_DAYS;
}

function dateFromPg(days: number): number {
  if (days === INT32_MAX) return Infinity;
  if (days === INT32_MIN) return -Infinity;
  return days + PG_EPOCH_DAYS;
}

function timestampToPg(micros: number): bigint {
  if (micros === Infinity) return INT64_MAX;
  if (micros === -Infinity) return INT64_MIN;
  return BigInt(micros) - PG_EPOCH_MICROS;
}

function timestampFromPg(micros: bigint): number {
  if (micros === INT64_MAX) return Infinity;
  if (micros === INT64_MIN) return -Infinity;
  return Number(micros + PG_EPOCH_MICROS);
}

/**
 * numeric_send: int16 ndigits, int16 weight (of the first base-10000 digit), uint16 sign,
 * int16 dscale (decimal digits after the point), then the digits, without leading or trailing
 * zero digits.
 */
function encodeNumeric(d: Decimal): Buffer {
  if (d.isNaN()) return numericHeader(0, 0, NUMERIC_NAN, 0);
  if (!d.isFinite()) return numericHeader(0, 0, d.isNegative() ? NUMERIC_NINF : NUMERIC_PINF, 0);
  const dscale = scaleOf(d);
  const [intPart, fracPart = ''] = d.abs().toFixed().split('.');
  const intPadded = intPart.padStart(Math.ceil(intPart.length / DEC_DIGITS) * DEC_DIGITS, '0');
  const fracPadded = fracPart.padEnd(Math.ceil(fracPart.length / DEC_DIGITS) * DEC_DIGITS, '0');
  const all = intPadded + fracPadded;
  const digits: number[] = [];
  for (let i = 0; i < all.length; i += DEC_DIGITS) digits.push(Number(all.slice(i, i + DEC_DIGITS)));
  let weight = intPadded.length / DEC_DIGITS - 1;
  let first = 0;
  while (first < digits.length && digits[first] === 0) {
    first++;
    weight--;
  }
  let last = digits.length;
  while (last > first && digits[last - 1] === 0) last--;
  const kept = digits.slice(first, last);
  // PostgreSQL writes zero as no digits and weight 0.
  if (kept.length === 0) weight = 0;
  const sign = d.isNegative() && kept.length > 0 ? NUMERIC_NEG : NUMERIC_POS;
  const b = numericHeader(kept.length, weight, sign, dscale);
  kept.forEach((digit, i) => b.writeInt16BE(digit, 8 + 2 * i));
  return b;
}

function numericHeader(ndigits: number, weight: number, sign: number, dscale: number): Buffer {
  const b = Buffer.alloc(8 + 2 * ndigits);
  b.writeInt16BE(ndigits, 0);
  b.writeInt16BE(weight, 2);
  b.writeUInt16BE(sign, 4);
  b.writeInt16BE(dscale, 6);
  return b;
}

function decodeNumeric(bytes: Buffer): Decimal {
  if (bytes.length < 8) throw invalid('insufficient data for numeric');
  const ndigits = bytes.readInt16BE(0);
  const weight = bytes.readInt16BE(2);
  const sign = bytes.readUInt16BE(4);
  const dscale = bytes.readInt16BE(6);
  if (dscale < 0 || dscale > NUMERIC_MAX_DISPLAY_SCALE) throw invalid('invalid scale in external "numeric" value');
  if (ndigits < 0 || bytes.length !== 8 + 2 * ndigits) throw invalid('invalid length in external "numeric" value');
  switch (sign) {
    case NUMERIC_NAN:
      return new Decimal(NaN);
    case NUMERIC_PINF:
      return new Decimal(Infinity);
    case NUMERIC_NINF:
      return new Decimal(-Infinity);
    case NUMERIC_POS:
    case NUMERIC_NEG:
      break;
    default:
      throw invalid('invalid sign in external "numeric" value');
  }
  let text = '';
  for (let i = 0; i < ndigits; i++) {
    const digit = bytes.readInt16BE(8 + 2 * i);
    if (digit < 0 || digit >= 10000) throw invalid('invalid digit in external "numeric" value');
    text += String(digit).padStart(DEC_DIGITS, '0');
  }
  if (ndigits === 0) return withScale(new Decimal(0), dscale);
  // The decimal point sits after (weight + 1) base-10000 digits.
  const intDigits = (weight + 1) * DEC_DIGITS;
  if (intDigits <= 0) text = '0.' + '0'.repeat(-intDigits) + text;
  else if (intDigits >= text.length) text = text + '0'.repeat(intDigits - text.length);
  else text = text.slice(0, intDigits) + '.' + text.slice(intDigits);
  const value = new Decimal(text);
  return withScale(sign === NUMERIC_NEG ? value.negated() : value, dscale);
}
