/** = <> < <= > >= for every type and arrays of them (anyarray), with PostgreSQL's btree ordering (compare.ts). */
import { T, type SqlType, type Value } from '../../types/types.js';
import { compareValues } from '../../types/compare.js';
import { ANYARRAY, register } from './registry.js';

const COMPARABLE: SqlType[] = [
  T.bool, T.int2, T.int4, T.int8, T.float4, T.float8, T.numeric, T.oid, T.text, T.name, T.char, T.bpchar,
  T.bytea, T.date, T.timestamp, T.timestamptz, T.interval, T.jsonb, ANYARRAY,
];

const OPERATORS: [string, (c: number) => boolean][] = [
  ['=', (c) => c === 0],
  ['<>', (c) => c !== 0],
  ['<', (c) => c < 0],
  ['<=', (c) => c <= 0],
  ['>', (c) => c > 0],
  ['>=', (c) => c >= 0],
];

/** char(n) compares without its padding. */
const unpad = (v: Value) => (v as string).replace(/ +$/, '');

for (const type of COMPARABLE) {
  const compare = type === T.bpchar ? (a: Value, b: Value) => compareValues(unpad(a), unpad(b)) : compareValues;
  for (const [op, test] of OPERATORS) {
    register({ name: op, args: [type, type], returns: T.bool, impl: ([a, b]) => test(compare(a!, b!)) });
  }
}
