/**
 * Casts between SQL types: which casts exist and in which context they may be applied
 * (PostgreSQL's pg_cast: implicit < assignment < explicit), and the conversions themselves,
 * with PostgreSQL's rounding and range rules.
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { Interval, Json, SqlArray, T, type SqlType, type Value } from './types.js';
import { applyNumericTypmod, numericFromFloat, numericFromInteger } from './numeric.js';
import { USECS_PER_DAY, checkDate, checkTimestamp, localToUtc, sessionZone, utcToLocal } from './datetime.js';
import { applyCharLength, formatValue, parseValue } from './text-io.js';
import { applyIntervalTypmod } from './datetime-text.js';
import { formatJsonb, jsonWithText } from './json-text.js';
import { rint } from './rint.js';
import { decimalToFloat4 } from './float4.js';

export type CoercionContext = 'implicit' | 'assignment' | 'explicit';

/** What a conversion may need from the session. */
export interface CastEnv {
  setting(name: string): string | undefined;
  now: number;
}

/** Converts a non-null value; `typmod` is the target's (-1 for none). */
export type CastFn = (value: Value, typmod: number, env: CastEnv) => Value;

interface CastDef {
  context: CoercionContext;
  convert: CastFn;
}

const RANK: Record<CoercionContext, number> = { implicit: 0, assignment: 1, explicit: 2 };

const casts = new Map<string, CastDef>();
const key = (from: SqlType, to: SqlType) => `${from.oid}>${to.oid}`;

function def(from: SqlType[], to: SqlType, context: CoercionContext, convert: CastFn): void {
  for (const f of from) casts.set(key(f, to), { context, convert });
}

const timeZoneOf = (env: CastEnv) => sessionZone(env.setting('timezone'));

// ---- numbers ----------------------------------------------------------------------------------

function outOfRange(typeName: 'smallint' | 'integer' | 'bigint'): SqlError {
  return new SqlError(SQLSTATE.numericValueOutOfRange, `${typeName} out of range`);
}

// Integers have no -0, which rounding a negative float to zero produces in JS.
function toSmallInt(n: number): number {
  if (!(n >= -32768 && n <= 32767)) throw outOfRange('smallint');
  return n === 0 ? 0 : n;
}

function toInteger(n: number): number {
  if (!(n >= -2147483648 && n <= 2147483647)) throw outOfRange('integer');
  return n === 0 ? 0 : n;
}

function toBigInt(n: bigint): bigint {
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw outOfRange('bigint');
  return n;
}

function floatToBigInt(f: number): bigint {
  const r = rint(f);
  // float8 range check as PostgreSQL: the rounded value must lie in [-2^63, 2^63)
  if (!Number.isFinite(r) || r < -9223372036854775808 || r >= 9223372036854775808) throw outOfRange('bigint');
  return BigInt(r);
}

/** numeric → integer rounds half away from zero; NaN and infinities have no integer. */
function numericToBigInt(d: Decimal, typeName: 'smallint' | 'integer' | 'bigint'): bigint {
  if (!d.isFinite()) {
    throw new SqlError(SQLSTATE.featureNotSupported, `cannot convert ${d.isNaN() ? 'NaN' : 'infinity'} to ${typeName}`);
  }
  return BigInt(d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

function checkFloat4(f: number, source: number): number {
  if (!Number.isFinite(f) && Number.isFinite(source)) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'value out of range: overflow');
  if (f === 0 && source !== 0) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'value out of range: underflow');
  return f;
}

const INTS = [T.int2, T.int4, T.int8];

def([T.int4, T.int8], T.int2, 'assignment', (v) => toSmallInt(Number(v)));
def([T.int2], T.int4, 'implicit', (v) => v);
def([T.int8], T.int4, 'assignment', (v) => toInteger(Number(v)));
def([T.int2, T.int4], T.int8, 'implicit', (v) => BigInt(v as number));
def([T.float4, T.float8], T.int2, 'assignment', (v) => toSmallInt(rint(v as number)));
def([T.float4, T.float8], T.int4, 'assignment', (v) => toInteger(rint(v as number)));
def([T.float4, T.float8], T.int8, 'assignment', (v) => floatToBigInt(v as number));
def([T.numeric], T.int2, 'assignment', (v) => toSmallInt(Number(numericToBigInt(v as Decimal, 'smallint'))));
def([T.numeric], T.int4, 'assignment', (v) => toInteger(Number(numericToBigInt(v as Decimal, 'integer'))));
def([T.numeric], T.int8, 'assignment', (v) => toBigInt(numericToBigInt(v as Decimal, 'bigint')));
def(INTS, T.float4, 'implicit', (v) => Math.fround(Number(v)));
def(INTS, T.float8, 'implicit', (v) => Number(v));
def([T.float8], T.float4, 'assignment', (v) => checkFloat4(Math.fround(v as number), v as number));
def([T.float4], T.float8, 'implicit', (v) => v);
def([T.numeric], T.float4, 'implicit', (v) => checkFloat4(decimalToFloat4(v as Decimal), (v as Decimal).toNumber()));
def([T.numeric], T.float8, 'implicit', (v) => {
  const n = (v as Decimal).toNumber();
  if (!Number.isFinite(n) && (v as Decimal).isFinite()) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'value out of range: overflow');
  return n;
});
def(INTS, T.numeric, 'implicit', (v, typmod) => applyNumericTypmod(numericFromInteger(v as number | bigint), typmod));
def([T.float4], T.numeric, 'assignment', (v, typmod) => applyNumericTypmod(numericFromFloat(v as number, 6), typmod));
def([T.float8], T.numeric, 'assignment', (v, typmod) => applyNumericTypmod(numericFromFloat(v as number, 15), typmod));
def([T.numeric], T.numeric, 'implicit', (v, typmod) => applyNumericTypmod(v as Decimal, typmod));
def([T.int2, T.int4], T.oid, 'implicit', (v) => ((v as number) < 0 ? (v as number) + 4294967296 : v));
def([T.int8], T.oid, 'implicit', (v) => {
  if ((v as bigint) < 0n || (v as bigint) > 4294967295n) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'OID out of range');
  return Number(v);
});
def([T.oid], T.int4, 'assignment', (v) => ((v as number) > 2147483647 ? (v as number) - 4294967296 : v));
def([T.oid], T.int8, 'assignment', (v) => BigInt(v as number));
def([T.int4], T.bool, 'explicit', (v) => v !== 0);
def([T.bool], T.int4, 'explicit', (v) => (v ? 1 : 0));

// ---- strings ----------------------------------------------------------------------------------

const STRINGS = [T.text, T.varchar, T.bpchar, T.name, T.char];
const isString = (t: SqlType) => STRINGS.some((s) => s.oid === t.oid);
/** char(n) → other strings drops the padding, as PostgreSQL's rtrim1 cast does. */
const stripPadding = (v: Value) => (v as string).replace(/ +$/, '');

for (const from of STRINGS) {
  for (const to of STRINGS) {
    if (from === to && to !== T.varchar && to !== T.bpchar) continue;
    const fromPadded = from === T.bpchar;
    // "char" converts to and from the other strings on assignment only, but to text implicitly
    // ("char" = varchar compares as text: SQLAlchemy's relkind = ANY(ARRAY['r'::VARCHAR]))
    const context = (to === T.char || from === T.char) && !(from === T.char && to === T.text) ? 'assignment' : 'implicit';
    def([from], to, context, (v, typmod) => {
      const s = fromPadded && to !== T.bpchar ? stripPadding(v) : (v as string);
      if (to === T.varchar || to === T.bpchar) return applyCharLength(to, s, typmod, true);
      if (to === T.name) return parseValue(T.name, s);
      if (to === T.char) return s.slice(0, 1);
      return s;
    });
  }
}

// ---- date and time ----------------------------------------------------------------------------

/** Rounds a timestamp to timestamp(p)'s precision. */
function roundTimestamp(ts: number, typmod: number): number {
  if (typmod < 0 || typmod >= 6 || !Number.isFinite(ts)) return ts;
  const unit = 10 ** (6 - typmod);
  return Math.round(ts / unit) * unit;
}

def([T.date], T.timestamp, 'implicit', (v) => checkTimestamp((v as number) * USECS_PER_DAY));
def([T.date], T.timestamptz, 'implicit', (v, _t, env) => checkTimestamp(localToUtc((v as number) * USECS_PER_DAY, timeZoneOf(env))));
def([T.timestamp], T.timestamptz, 'implicit', (v, typmod, env) => roundTimestamp(checkTimestamp(localToUtc(v as number, timeZoneOf(env))), typmod));
def([T.timestamptz], T.timestamp, 'assignment', (v, typmod, env) => roundTimestamp(checkTimestamp(utcToLocal(v as number, timeZoneOf(env))), typmod));
def([T.timestamp], T.timestamp, 'implicit', (v, typmod) => roundTimestamp(v as number, typmod));
def([T.timestamptz], T.timestamptz, 'implicit', (v, typmod) => roundTimestamp(v as number, typmod));
def([T.interval], T.interval, 'implicit', (v, typmod) => applyIntervalTypmod(v as Interval, typmod));
def([T.timestamp], T.date, 'assignment', (v) => checkDate(Math.floor((v as number) / USECS_PER_DAY)));
def([T.timestamptz], T.date, 'assignment', (v, _t, env) => checkDate(Math.floor(utcToLocal(v as number, timeZoneOf(env)) / USECS_PER_DAY)));

// ---- json -------------------------------------------------------------------------------------

def([T.json], T.jsonb, 'explicit', (v) => new Json((v as Json).value));
// json keeps its text, and a jsonb's text is its canonical form
def([T.jsonb], T.json, 'explicit', (v) => jsonWithText((v as Json).value, formatJsonb((v as Json).value)));

function jsonbScalar(v: Value, target: SqlType, want: 'number' | 'boolean'): unknown {
  const doc = (v as Json).value;
  const kind =
    doc === null ? 'null' : Array.isArray(doc) ? 'array' : doc instanceof Decimal || typeof doc === 'number' ? 'number' : typeof doc === 'object' ? 'object' : typeof doc;
  if (kind !== want) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `cannot cast jsonb ${kind === 'null' ? 'null' : kind} to type ${target.name}`);
  }
  return doc;
}

const jsonbNumber = (v: Value, target: SqlType): Decimal => {
  const n = jsonbScalar(v, target, 'number') as number | Decimal;
  return typeof n === 'number' ? numericFromFloat(n, 17) : n;
};
def([T.jsonb], T.bool, 'explicit', (v) => jsonbScalar(v, T.bool, 'boolean') as boolean);
def([T.jsonb], T.numeric, 'explicit', (v, typmod) => applyNumericTypmod(jsonbNumber(v, T.numeric), typmod));
def([T.jsonb], T.int2, 'explicit', (v, t, env) => castValue(jsonbNumber(v, T.int2), T.numeric, T.int2, t, env));
def([T.jsonb], T.int4, 'explicit', (v, t, env) => castValue(jsonbNumber(v, T.int4), T.numeric, T.int4, t, env));
def([T.jsonb], T.int8, 'explicit', (v, t, env) => castValue(jsonbNumber(v, T.int8), T.numeric, T.int8, t, env));
def([T.jsonb], T.float4, 'explicit', (v, t, env) => castValue(jsonbNumber(v, T.float4), T.numeric, T.float4, t, env));
def([T.jsonb], T.float8, 'explicit', (v, t, env) => castValue(jsonbNumber(v, T.float8), T.numeric, T.float8, t, env));

// ---- the I/O conversion casts: anything to and from the string types -------------------------------

function toText(from: SqlType, to: SqlType, v: Value, env: CastEnv): string {
  // bool's casts to text, varchar and char spell the word out; other targets (name) use its output t/f
  if (from === T.bool && to !== T.name) return v ? 'true' : 'false';
  return formatValue(from, v, { timeZone: env.setting('timezone') });
}

/** The context of the cast from one type to another, undefined when there is none. */
function castContext(from: SqlType, to: SqlType): CoercionContext | undefined {
  if (from.oid === to.oid) return 'implicit';
  // an array casts to another array as its elements do (PostgreSQL's array_map coercion); an
  // int2vector or oidvector is such an array (subscripted from 0), but no array casts to one
  if (from.element && to.element) return to.vector ? undefined : castContext(from.element, to.element);
  const found = casts.get(key(from, to));
  if (found) return found.context;
  if (isString(to) && from !== T.unknown) return 'assignment';
  if (isString(from) && to !== T.unknown) return 'explicit';
  return undefined;
}

/** Whether `from` converts to `to` in `context` (or a more permissive one). */
export function canCast(from: SqlType, to: SqlType, context: CoercionContext): boolean {
  const c = castContext(from, to);
  return c !== undefined && RANK[c] <= RANK[context];
}

/** The conversion from one type to another, or undefined when there is no cast. */
export function castFunction(from: SqlType, to: SqlType): CastFn | undefined {
  if (from.element && to.element) return to.vector ? undefined : arrayCast(from.element, to.element);
  const found = casts.get(key(from, to));
  if (found) return found.convert;
  if (from.oid === to.oid) return (v) => v;
  if (isString(to)) {
    return (v, typmod, env) => {
      const text = toText(from, to, v, env);
      return to === T.text ? text : castValue(text, T.text, to, typmod, env);
    };
  }
  if (isString(from)) {
    return (v, typmod, env) => {
      // I/O conversion reads the string as its output function writes it: char(n) keeps its padding
      const text = v as string;
      const parsed = parseValue(to, text, -1, { timeZone: env.setting('timezone'), now: env.now });
      return typmod >= 0 ? castValue(parsed, to, to, typmod, env) : parsed;
    };
  }
  return undefined;
}

/** Casts each element (the typmod is the elements'); undefined when the elements do not cast. */
function arrayCast(from: SqlType, to: SqlType): CastFn | undefined {
  const element = castFunction(from, to);
  if (!element) return undefined;
  if (from.oid === to.oid && !casts.has(key(from, to))) return (v) => v;
  return (v, typmod, env) => {
    const a = v as SqlArray;
    return new SqlArray(a.elements.map((e) => (e === null ? null : element(e, typmod, env))), a.lower);
  };
}

/** Casts whose result depends on the session's TimeZone cannot be folded ahead of the session. */
export function castIsImmutable(from: SqlType, to: SqlType): boolean {
  // an array cast is as immutable as its elements' cast (or text I/O of its elements)
  if (from.element || to.element) return castIsImmutable(from.element ?? from, to.element ?? to);
  const zoned = (t: SqlType) => t.oid === T.timestamptz.oid;
  if (zoned(to)) return from.oid === T.timestamptz.oid;
  if (zoned(from)) return false;
  // text input of 'now', 'today'... depends on the clock
  if (from.oid === T.unknown.oid || from.category === 'S') return to.category !== 'D';
  return true;
}

/** 42846 (PostgreSQL's cannot_coerce): there is no cast at all from one type to the other. */
export function cannotCast(from: SqlType, to: SqlType, position?: number): SqlError {
  return new SqlError('42846', `cannot cast type ${from.name} to ${to.name}`, { position });
}

/** Casts a value (NULL stays NULL); throws 42846 when there is no cast at all. */
export function castValue(value: Value, from: SqlType, to: SqlType, typmod: number, env: CastEnv): Value {
  if (value === null) return null;
  const fn = castFunction(from, to);
  if (!fn) throw cannotCast(from, to);
  return fn(value, typmod, env);
}
