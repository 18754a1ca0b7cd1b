/**
 * Ordering, equality and hashing of SQL values as represented in types.ts.
 *
 * compareValues is PostgreSQL's default btree ordering for two non-null values of the same SQL
 * type; rowKey is a string that two rows share exactly when they are equal under SQL equality
 * (with NULL treated as equal to NULL, as GROUP BY and DISTINCT do), so Maps keyed by rowKey
 * implement grouping, joins and multisets.
 */
import { Decimal } from 'decimal.js';
import { USECS_PER_DAY } from './datetime.js';
import { formatNumeric } from './numeric.js';
import { Interval, Json, SqlArray, type Value } from './types.js';

const USECS_PER_MONTH = 30 * USECS_PER_DAY;

/** Code point order of two strings (PostgreSQL's "C" collation on UTF-8 text). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // UTF-16 code units sort surrogates (U+D800-DFFF) below U+E000-FFFF, but the code points
    // they encode are above U+FFFF: shift them past the BMP's top so the order is by code point.
    if (ca >= 0xd800 && cb >= 0xd800) {
      ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
      cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    }
    return ca < cb ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

function compareFloat(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0; // also -0 == 0
  // At least one NaN: NaN sorts above everything and equals itself.
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

function compareDecimal(a: Decimal, b: Decimal): number {
  const an = a.isNaN();
  const bn = b.isNaN();
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a.comparedTo(b);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** An interval's span in microseconds as PostgreSQL compares it (1 month = 30 days, 1 day = 24h). */
function intervalSpan(v: Interval): number | bigint {
  const span = v.months * USECS_PER_MONTH + v.days * USECS_PER_DAY + v.micros;
  if (Number.isSafeInteger(span)) return span;
  return BigInt(v.months) * BigInt(USECS_PER_MONTH) + BigInt(v.days) * BigInt(USECS_PER_DAY) + BigInt(v.micros);
}

function compareInterval(a: Interval, b: Interval): number {
  const x = intervalSpan(a);
  const y = intervalSpan(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** jsonb's type order: Object > Array > Boolean > Number > String > Null. */
function jsonRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case 'string':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'boolean':
      return 3;
    default:
      if (v instanceof Decimal) return 2;
      return Array.isArray(v) ? 4 : 5;
  }
}

/** jsonb stores object keys shorter first, then bytewise; comparisons walk keys in that order. */
function compareJsonKeys(a: string, b: string): number {
  return a.length !== b.length ? (a.length < b.length ? -1 : 1) : compareText(a, b);
}

function jsonNumber(v: unknown): Decimal {
  return v instanceof Decimal ? v : new Decimal(typeof v === 'bigint' ? v.toString() : (v as number));
}

function compareJsonValue(a: unknown, b: unknown): number {
  const ra = jsonRank(a);
  const rb = jsonRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return compareText(a as string, b as string);
    case 2:
      if (typeof a === 'number' && typeof b === 'number') return compareFloat(a, b);
      return compareDecimal(jsonNumber(a), jsonNumber(b));
    case 3:
      return a === b ? 0 : a ? 1 : -1;
    case 4: {
      const x = a as unknown[];
      const y = b as unknown[];
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      for (let i = 0; i < x.length; i++) {
        const c = compareJsonValue(x[i], y[i]);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const kx = Object.keys(x).sort(compareJsonKeys);
      const ky = Object.keys(y).sort(compareJsonKeys);
      if (kx.length !== ky.length) return kx.length < ky.length ? -1 : 1;
      // Pairs in storage order (shorter keys first): key 1, value 1, key 2, value 2, ...; the keys
      // themselves compare as text.
      for (let i = 0; i < kx.length; i++) {
        const c = compareText(kx[i], ky[i]) || compareJsonValue(x[kx[i]], y[ky[i]]);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

/**
 * jsonb stores a top-level scalar as a one-element "raw scalar" array and compares element counts
 * before types there, so a top-level empty array sorts below every scalar (PostgreSQL's documented
 * historical exception); otherwise top-level values follow the general order.
 */
function compareJsonDocuments(a: unknown, b: unknown): number {
  const aArray = Array.isArray(a);
  const bArray = Array.isArray(b);
  if (aArray !== bArray && jsonRank(aArray ? b : a) < 4) {
    const n = aArray ? (a as unknown[]).length : (b as unknown[]).length;
    if (n === 0) return aArray ? -1 : 1;
  }
  return compareJsonValue(a, b);
}

/**
 * Orders two non-null values of the same SQL type: negative, zero or positive. Numbers follow
 * float semantics (NaN above everything and equal to itself, -0 = 0), which also orders integers,
 * dates and timestamps (±Infinity included).
 */
export function compareValues(a: Value, b: Value): number {
  switch (typeof a) {
    case 'number':
      return compareFloat(a, b as number);
    case 'string':
      return compareText(a, b as string);
    case 'bigint':
      return a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0;
    case 'boolean':
      return a === b ? 0 : a ? 1 : -1;
  }
  if (a instanceof Decimal) return compareDecimal(a, b as Decimal);
  if (a instanceof Uint8Array) return compareBytes(a, b as Uint8Array);
  if (a instanceof Interval) return compareInterval(a, b as Interval);
  if (a instanceof Json) return compareJsonDocuments(a.value, (b as Json).value);
  if (a instanceof SqlArray) return compareArrays(a, b as SqlArray);
  throw new Error(`compareValues: unsupported value ${String(a)}`);
}

/**
 * PostgreSQL's array_cmp: element by element (NULL equal to NULL and above every value), then
 * the shorter array first, then the lower bound.
 */
function compareArrays(a: SqlArray, b: SqlArray): number {
  const x = a.elements;
  const y = b.elements;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const c = compareNullable(x[i]!, y[i]!, false);
    if (c !== 0) return c;
  }
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x.length === 0 || a.lower === b.lower ? 0 : a.lower < b.lower ? -1 : 1;
}

function compareBigint(a: Value, b: Value): number {
  return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
}

/**
 * compareValues specialized to the type of `sample` (all values of a column share it): skips
 * the type dispatch in hot sorted structures.
 */
export function comparatorFor(sample: Value): (a: Value, b: Value) => number {
  switch (typeof sample) {
    case 'number':
      return compareFloat as (a: Value, b: Value) => number;
    case 'string':
      return compareText as (a: Value, b: Value) => number;
    case 'bigint':
      return compareBigint;
    default:
      return compareValues;
  }
}

/** Orders values that may be NULL; NULLs go first or last as ORDER BY's NULLS FIRST/LAST says. */
export function compareNullable(a: Value, b: Value, nullsFirst: boolean): number {
  if (a === null) return b === null ? 0 : nullsFirst ? -1 : 1;
  if (b === null) return nullsFirst ? 1 : -1;
  return compareValues(a, b);
}

/** SQL equality of two non-null values of one type, except that NULL equals NULL (IS NOT DISTINCT FROM). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return compareValues(a, b) === 0;
}

/** Element-wise valuesEqual of two rows of the same shape. */
export function rowsEqual(a: readonly Value[], b: readonly Value[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
  return true;
}

/** Canonical JSON text: object keys sorted, numbers by value; equal jsonb documents give equal text. */
function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? '0' : String(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof Decimal) return v.toString();
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}

/**
 * Appends one value's key. Each value is a type tag plus a text that cannot contain the '|'
 * terminator, except variable-length text, which carries its length so the parse is unambiguous.
 */
function valueKey(v: Value): string {
  if (v === null) return 'N|';
  switch (typeof v) {
    case 'number':
      // String(-0) is "0" and String(NaN) is "NaN": exactly SQL's float equality for keys.
      return 'n' + v + '|';
    case 'string':
      return 's' + v.length + ':' + v + '|';
    case 'bigint':
      return 'b' + v + '|';
    case 'boolean':
      return v ? 'T|' : 'F|';
  }
  // decimal.js drops trailing zeros and prints -0 as "0", so 1.0 and 1.00 share a key.
  if (v instanceof Decimal) return 'd' + v.toString() + '|';
  if (v instanceof Uint8Array) return 'x' + v.length + ':' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1') + '|';
  if (v instanceof Interval) return 'i' + intervalSpan(v) + '|';
  if (v instanceof Json) {
    const text = canonicalJson(v.value);
    return 'j' + text.length + ':' + text + '|';
  }
  if (v instanceof SqlArray) return arrayKey(v, valueKey);
  throw new Error(`rowKey: unsupported value ${String(v)}`);
}

/** An array's key: its bounds, then its elements' keys (each self-delimiting), then a terminator. */
function arrayKey(a: SqlArray, elementKey: (v: Value) => string): string {
  let key = 'a' + (a.elements.length === 0 ? 0 : a.lower) + ',' + a.elements.length + ':';
  for (const e of a.elements) key += elementKey(e);
  return key + '|';
}

/**
 * A string that identifies a row (or a key tuple) up to SQL equality, NULL = NULL included:
 * injective on equality classes, so it can key Maps for grouping, joining and counting.
 */
export function rowKey(row: readonly Value[]): string {
  if (row.length === 1) return valueKey(row[0]);
  if (isPlainRow(row)) return JSON.stringify(row);
  let key = '';
  for (let i = 0; i < row.length; i++) key += valueKey(row[i]);
  return key;
}

/**
 * Rows of only NULLs, booleans, strings and finite numbers take JSON.stringify's native (and
 * flat, so cheaply hashed) serialization: injective on those, equal for -0 and 0, and always
 * starting with '[', which no tagged key does. Whether a value is plain depends only on its
 * equality class (NaN and infinities never are), so equal rows always get the same form.
 */
function isPlainRow(row: readonly Value[]): boolean {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v === null) continue;
    const t = typeof v;
    if (t === 'string' || t === 'boolean') continue;
    if (t === 'number' && Number.isFinite(v)) continue;
    return false;
  }
  return true;
}

/** The key of a single value, equal to rowKey([v]). */
export function singleKey(v: Value): string {
  return valueKey(v);
}

/**
 * A string that identifies a row exactly as clients see it: rowKey, except that values SQL calls
 * equal but prints differently (numeric 1.0 and 1.00, interval '1 mon' and '30 days', float -0
 * and 0) get different keys. Change batches and arrangements consolidate by it, so an update from
 * one of such a pair to the other is a change to show, not nothing; grouping and joining keep
 * rowKey's SQL equality.
 */
export function identityKey(row: readonly Value[]): string {
  if (!row.some(printsApart)) return rowKey(row);
  // '#' starts no rowKey, so these keys never meet one.
  let key = '#';
  for (const v of row) key += identityValueKey(v);
  return key;
}

function identityValueKey(v: Value): string {
  if (v instanceof Decimal) return 'D' + formatNumeric(v) + '|';
  if (v instanceof Interval) return 'I' + v.months + ',' + v.days + ',' + v.micros + '|';
  if (Object.is(v, -0)) return 'n-0|';
  if (v instanceof SqlArray) return arrayKey(v, identityValueKey);
  return valueKey(v);
}

/** Values whose equality class holds values printed differently. */
function printsApart(v: Value): boolean {
  return v instanceof Decimal || v instanceof Interval || Object.is(v, -0) || (v instanceof SqlArray && v.elements.some(printsApart));
}

/** Rows the same as clients see them (identityKey equality). */
export function sameRow(a: readonly Value[], b: readonly Value[]): boolean {
  return identityKey(a) === identityKey(b);
}
