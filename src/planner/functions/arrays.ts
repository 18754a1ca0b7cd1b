/**
 * Array functions and operators over one-dimensional arrays (SqlArray): the ARRAY[...]
 * constructor, subscripts and slices, op ANY/ALL (array) (= < ... are comparison.ts's), array_length and friends, ||, @>, <@,
 * &&, string_to_array and array_to_string, unnest and generate_subscripts, with PostgreSQL's NULL and lower-bound rules.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { SqlArray, T, arrayTypeOf, type SqlType, type Value } from '../../types/types.js';
import { compareValues, valuesEqual } from '../../types/compare.js';
import { formatValue } from '../../types/text-io.js';
import { ANYARRAY, ANYELEMENT, fn, register, srf, type FunctionDef, type Impl } from './registry.js';

const int = T.int4;
const text = T.text;
const BOOL = T.bool;
const INT_ARRAY = arrayTypeOf(T.int4)!;
const TEXT_ARRAY = arrayTypeOf(T.text)!;
/** The array type of a polymorphic result: an int2vector's or oidvector's is int2[] or oid[], as in PostgreSQL. */
const sameArray = (types: SqlType[]) => {
  const array = types.find((t) => t.element)!;
  return array.vector ? arrayTypeOf(array.element!)! : array;
};

/** ARRAY[e1, e2, ...] (elements already coerced to one type; NULL elements stay). */
export const arrayConstructor: Impl = (args) => new SqlArray(args);

/** a[i]: the element at subscript i, NULL outside the array. */
export function subscript(a: SqlArray, i: number): Value {
  return a.elements[i - a.lower] ?? null;
}

/** a[lo:hi] (either bound may be omitted): the elements in range, renumbered from 1. */
export function slice(a: SqlArray, lo: number | undefined, hi: number | undefined): SqlArray {
  const from = Math.max(lo ?? a.lower, a.lower) - a.lower;
  const to = Math.min(hi ?? a.lower + a.elements.length - 1, a.lower + a.elements.length - 1) - a.lower;
  return new SqlArray(to < from ? [] : a.elements.slice(from, to + 1));
}

/**
 * x op ANY/ALL (array) given op's implementation: ANY is true when some comparison is, ALL
 * false when some comparison is; otherwise a NULL comparison (or NULL x) makes the result NULL.
 * An empty array gives false for ANY and true for ALL, even for a NULL x.
 */
export function anyAll(op: Impl, all: boolean): Impl {
  return ([x, array], env) => {
    if (array === null) return null;
    let sawNull = false;
    for (const e of (array as SqlArray).elements) {
      const r = x === null || e === null ? null : op([x, e], env);
      if (r === null) sawNull = true;
      else if (r !== all) return !all;
    }
    return sawNull ? null : all;
  };
}

const upper = (a: SqlArray) => a.lower + a.elements.length - 1;
/** The value of array_length/array_lower/array_upper for dimension `dim`: only dimension 1 exists. */
const ofDimension = (a: SqlArray, dim: number, v: () => number) => (dim === 1 && a.elements.length > 0 ? v() : null);

/** Non-null elements of `a` each equal to some element of `b` (NULLs never match, as array_contain_compare). */
function contains(b: SqlArray, a: SqlArray): boolean {
  return a.elements.every((x) => x !== null && b.elements.some((y) => y !== null && compareValues(x, y) === 0));
}

const overlaps = (a: SqlArray, b: SqlArray) => a.elements.some((x) => x !== null && b.elements.some((y) => y !== null && compareValues(x, y) === 0));

function cat(a: Value, b: Value): Value {
  if (a === null) return b;
  if (b === null) return a;
  const x = a as SqlArray;
  const y = b as SqlArray;
  if (x.elements.length === 0) return y;
  if (y.elements.length === 0) return x;
  return new SqlArray([...x.elements, ...y.elements], x.lower);
}

function append(a: Value, e: Value): Value {
  if (a === null) return new SqlArray([e]);
  const x = a as SqlArray;
  return new SqlArray([...x.elements, e], x.elements.length === 0 ? 1 : x.lower);
}

function prepend(e: Value, a: Value): Value {
  if (a === null) return new SqlArray([e]);
  const x = a as SqlArray;
  return new SqlArray([e, ...x.elements], x.elements.length === 0 ? 1 : x.lower);
}

/** array_position(a, e [, start]): the first subscript from start whose element IS NOT DISTINCT FROM e. */
function position([a, e, start]: Value[]): Value {
  if (a === null) return null;
  const x = a as SqlArray;
  if (start === null) throw new SqlError(SQLSTATE.nullValueNotAllowed, 'initial position must not be null');
  const from = start === undefined ? x.lower : (start as number);
  for (let i = Math.max(from, x.lower); i <= upper(x); i++) if (valuesEqual(x.elements[i - x.lower]!, e!)) return i;
  return null;
}

function positions(a: Value, e: Value): Value {
  if (a === null) return null;
  const x = a as SqlArray;
  const found: number[] = [];
  x.elements.forEach((v, i) => {
    if (valuesEqual(v, e)) found.push(i + x.lower);
  });
  return new SqlArray(found);
}

function remove(a: Value, e: Value): Value {
  if (a === null) return null;
  const x = a as SqlArray;
  return new SqlArray(x.elements.filter((v) => !valuesEqual(v, e)), x.lower);
}

function replace(a: Value, from: Value, to: Value): Value {
  if (a === null) return null;
  const x = a as SqlArray;
  return new SqlArray(x.elements.map((v) => (valuesEqual(v, from) ? to : v)), x.lower);
}

/** string_to_array(s, delimiter [, null_string]): a NULL delimiter splits into characters, '' keeps s whole. */
function stringToArray([s, delimiter, nullString]: Value[]): Value {
  if (s === null) return null;
  const str = s as string;
  if (str === '') return new SqlArray([]);
  const parts = delimiter === null ? Array.from(str) : delimiter === '' ? [str] : str.split(delimiter as string);
  return new SqlArray(parts.map((p) => (nullString !== undefined && nullString !== null && p === nullString ? null : p)));
}

/** array_to_string(a, delimiter [, null_string]): NULL elements are skipped unless null_string is given. */
function arrayToString(element: SqlType): Impl {
  return ([a, delimiter, nullString], env) => {
    if (a === null || delimiter === null) return null;
    const zone = { timeZone: env.setting('timezone') };
    const parts: string[] = [];
    for (const e of (a as SqlArray).elements) {
      if (e !== null) parts.push(formatValue(element, e, zone));
      else if (nullString !== undefined && nullString !== null) parts.push(nullString as string);
    }
    return parts.join(delimiter as string);
  };
}

/** generate_subscripts: the subscripts of dimension `dim` (only 1 has any), highest first when reversed. */
function subscripts(a: SqlArray, dim: number, reverse: boolean): Value[][] {
  if (dim !== 1) return [];
  const all = a.elements.map((_, i) => [a.lower + i]);
  return reverse ? all.reverse() : all;
}

const elementOf = (types: SqlType[]) => sameArray(types).element!;
const nonStrict = { strict: false } as const;

const defs: FunctionDef[] = [
  fn('array_length', [ANYARRAY, int], int, (a: SqlArray, d: number) => ofDimension(a, d, () => a.elements.length)),
  fn('array_lower', [ANYARRAY, int], int, (a: SqlArray, d: number) => ofDimension(a, d, () => a.lower)),
  fn('array_upper', [ANYARRAY, int], int, (a: SqlArray, d: number) => ofDimension(a, d, () => upper(a))),
  fn('cardinality', [ANYARRAY], int, (a: SqlArray) => a.elements.length),
  fn('array_ndims', [ANYARRAY], int, (a: SqlArray) => (a.elements.length === 0 ? null : 1)),
  fn('array_dims', [ANYARRAY], text, (a: SqlArray) => (a.elements.length === 0 ? null : `[${a.lower}:${upper(a)}]`)),
  fn('@>', [ANYARRAY, ANYARRAY], BOOL, (a: SqlArray, b: SqlArray) => contains(a, b)),
  fn('<@', [ANYARRAY, ANYARRAY], BOOL, (a: SqlArray, b: SqlArray) => contains(b, a)),
  fn('&&', [ANYARRAY, ANYARRAY], BOOL, overlaps),
  { name: 'array_cat', args: [ANYARRAY, ANYARRAY], returns: sameArray, impl: ([a, b]) => cat(a!, b!), ...nonStrict },
  { name: '||', args: [ANYARRAY, ANYARRAY], returns: sameArray, impl: ([a, b]) => cat(a!, b!), ...nonStrict },
  { name: 'array_append', args: [ANYARRAY, ANYELEMENT], returns: sameArray, impl: ([a, e]) => append(a!, e!), ...nonStrict },
  { name: '||', args: [ANYARRAY, ANYELEMENT], returns: sameArray, impl: ([a, e]) => append(a!, e!), ...nonStrict },
  { name: 'array_prepend', args: [ANYELEMENT, ANYARRAY], returns: sameArray, impl: ([e, a]) => prepend(e!, a!), ...nonStrict },
  { name: '||', args: [ANYELEMENT, ANYARRAY], returns: sameArray, impl: ([e, a]) => prepend(e!, a!), ...nonStrict },
  { name: 'array_position', args: [ANYARRAY, ANYELEMENT], returns: int, impl: position, ...nonStrict },
  { name: 'array_position', args: [ANYARRAY, ANYELEMENT, int], returns: int, impl: position, ...nonStrict },
  { name: 'array_positions', args: [ANYARRAY, ANYELEMENT], returns: INT_ARRAY, impl: ([a, e]) => positions(a!, e!), ...nonStrict },
  { name: 'array_remove', args: [ANYARRAY, ANYELEMENT], returns: sameArray, impl: ([a, e]) => remove(a!, e!), ...nonStrict },
  { name: 'array_replace', args: [ANYARRAY, ANYELEMENT, ANYELEMENT], returns: sameArray, impl: ([a, f, t]) => replace(a!, f!, t!), ...nonStrict },
  { name: 'string_to_array', args: [text, text], returns: TEXT_ARRAY, impl: stringToArray, ...nonStrict },
  { name: 'string_to_array', args: [text, text, text], returns: TEXT_ARRAY, impl: stringToArray, ...nonStrict },
  { name: 'array_to_string', args: [ANYARRAY, text], returns: text, specialize: (types) => arrayToString(elementOf(types)), ...nonStrict },
  { name: 'array_to_string', args: [ANYARRAY, text, text], returns: text, specialize: (types) => arrayToString(elementOf(types)), ...nonStrict },
  srf('unnest', [ANYARRAY], (types) => [{ type: elementOf(types) }], (a: [SqlArray]) => a[0].elements.map((e) => [e])),
  srf('generate_subscripts', [ANYARRAY, int], [{ type: int }], ([a, d]: [SqlArray, number]) => subscripts(a, d, false)),
  srf('generate_subscripts', [ANYARRAY, int, BOOL], [{ type: int }], ([a, d, reverse]: [SqlArray, number, boolean]) => subscripts(a, d, reverse)),
];

register(...defs);
