/**
 * + - * / % and unary minus for the integer, float and numeric types, with PostgreSQL's overflow
 * (22003) and division-by-zero (22012) errors. Integer division truncates toward zero.
 */
import type { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { T, type SqlType, type Value } from '../../types/types.js';
import { numericAdd, numericDiv, numericMod, numericMul, numericSub, withScale, scaleOf } from '../../types/numeric.js';
import { register, type FunctionDef } from './registry.js';

export function divisionByZero(): SqlError {
  return new SqlError(SQLSTATE.divisionByZero, 'division by zero');
}

const INT_LIMITS = [
  { type: T.int2, min: -32768, max: 32767, name: 'smallint' },
  { type: T.int4, min: -2147483648, max: 2147483647, name: 'integer' },
] as const;

function binary(name: string, type: SqlType, impl: (a: any, b: any) => Value, returns: SqlType = type): FunctionDef {
  return { name, args: [type, type], returns, impl: (args) => impl(args[0], args[1]) };
}

function unary(name: string, type: SqlType, impl: (a: any) => Value): FunctionDef {
  return { name, args: [type], returns: type, impl: (args) => impl(args[0]) };
}

// int2 and int4 live in JS numbers: every result below 2^53 is exact, so check the range after.
for (const { type, min, max, name } of INT_LIMITS) {
  const check = (n: number) => {
    if (n < min || n > max) throw new SqlError(SQLSTATE.numericValueOutOfRange, `${name} out of range`);
    return n === 0 ? 0 : n; // JS arithmetic makes -0 (0 * -5, -1 / 5), which integers do not have
  };
  register(
    binary('+', type, (a: number, b: number) => check(a + b)),
    binary('-', type, (a: number, b: number) => check(a - b)),
    binary('*', type, (a: number, b: number) => check(a * b)),
    binary('/', type, (a: number, b: number) => {
      if (b === 0) throw divisionByZero();
      return check(Math.trunc(a / b));
    }),
    binary('%', type, (a: number, b: number) => {
      if (b === 0) throw divisionByZero();
      return a % b || 0;
    }),
    unary('-', type, (a: number) => check(-a)),
    unary('+', type, (a: number) => a),
    binary('&', type, (a: number, b: number) => a & b),
    binary('|', type, (a: number, b: number) => a | b),
    binary('#', type, (a: number, b: number) => a ^ b),
    unary('~', type, (a: number) => ~a),
    { name: '<<', args: [type, T.int4], returns: type, impl: ([a, b]) => check(((a as number) << (b as number)) | 0) },
    { name: '>>', args: [type, T.int4], returns: type, impl: ([a, b]) => (a as number) >> (b as number) },
  );
}

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
function checkInt8(n: bigint): bigint {
  if (n < INT8_MIN || n > INT8_MAX) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'bigint out of range');
  return n;
}
register(
  binary('+', T.int8, (a: bigint, b: bigint) => checkInt8(a + b)),
  binary('-', T.int8, (a: bigint, b: bigint) => checkInt8(a - b)),
  binary('*', T.int8, (a: bigint, b: bigint) => checkInt8(a * b)),
  binary('/', T.int8, (a: bigint, b: bigint) => {
    if (b === 0n) throw divisionByZero();
    return checkInt8(a / b);
  }),
  binary('%', T.int8, (a: bigint, b: bigint) => {
    if (b === 0n) throw divisionByZero();
    return a % b;
  }),
  unary('-', T.int8, (a: bigint) => checkInt8(-a)),
  unary('+', T.int8, (a: bigint) => a),
  binary('&', T.int8, (a: bigint, b: bigint) => a & b),
  binary('|', T.int8, (a: bigint, b: bigint) => a | b),
  binary('#', T.int8, (a: bigint, b: bigint) => a ^ b),
  unary('~', T.int8, (a: bigint) => ~a),
  { name: '<<', args: [T.int8, T.int4], returns: T.int8, impl: ([a, b]) => BigInt.asIntN(64, (a as bigint) << BigInt(b as number)) },
  { name: '>>', args: [T.int8, T.int4], returns: T.int8, impl: ([a, b]) => (a as bigint) >> BigInt(b as number) },
);

/** PostgreSQL's float checks: an infinite result from finite inputs overflows, a zero from non-zero underflows. */
export function checkFloat(result: number, a: number, b: number, mayBeZero: boolean, float4 = false): number {
  const r = float4 ? Math.fround(result) : result;
  if (!Number.isFinite(r) && !Number.isNaN(r) && Number.isFinite(a) && Number.isFinite(b)) {
    throw new SqlError(SQLSTATE.numericValueOutOfRange, 'value out of range: overflow');
  }
  if (r === 0 && !mayBeZero) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'value out of range: underflow');
  return r;
}

for (const type of [T.float4, T.float8]) {
  const f4 = type === T.float4;
  register(
    binary('+', type, (a: number, b: number) => checkFloat(a + b, a, b, true, f4)),
    binary('-', type, (a: number, b: number) => checkFloat(a - b, a, b, true, f4)),
    binary('*', type, (a: number, b: number) => checkFloat(a * b, a, b, a === 0 || b === 0, f4)),
    binary('/', type, (a: number, b: number) => {
      if (b === 0 && !Number.isNaN(a)) throw divisionByZero();
      return checkFloat(a / b, a, b, a === 0 || !Number.isFinite(b), f4);
    }),
    unary('-', type, (a: number) => -a),
    unary('+', type, (a: number) => a),
  );
}

// float4 with float8 computes in float8 (PostgreSQL's float48pl and friends), which is also what
// a float4 combined with an integer resolves to
for (const [a, b] of [
  [T.float4, T.float8],
  [T.float8, T.float4],
] as const) {
  const mixed = (name: string, impl: (x: number, y: number) => number): FunctionDef => ({ name, args: [a, b], returns: T.float8, impl: ([x, y]) => impl(x as number, y as number) });
  register(
    mixed('+', (x, y) => checkFloat(x + y, x, y, true)),
    mixed('-', (x, y) => checkFloat(x - y, x, y, true)),
    mixed('*', (x, y) => checkFloat(x * y, x, y, x === 0 || y === 0)),
    mixed('/', (x, y) => {
      if (y === 0 && !Number.isNaN(x)) throw divisionByZero();
      return checkFloat(x / y, x, y, x === 0 || !Number.isFinite(y));
    }),
  );
}

register(
  binary('+', T.numeric, numericAdd),
  binary('-', T.numeric, numericSub),
  binary('*', T.numeric, numericMul),
  binary('/', T.numeric, numericDiv),
  binary('%', T.numeric, numericMod),
  unary('-', T.numeric, (a: Decimal) => withScale(a.negated(), scaleOf(a))),
  unary('+', T.numeric, (a: Decimal) => a),
);
