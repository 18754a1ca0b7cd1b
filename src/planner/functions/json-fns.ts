/** json/jsonb operators and functions: -> ->> #> #>> ? @>, jsonb_typeof, to_jsonb, jsonb_build_object... */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { Json, T, type SqlType, type Value } from '../../types/types.js';
import { castValue } from '../../types/casts.js';
import { compareJsonbKeys, formatJson, formatJsonValue, formatJsonb, jsonWithText, quoteJsonString } from '../../types/json-text.js';
import { compareValues } from '../../types/compare.js';
import { ANY, register, srf, type FunctionDef } from './registry.js';
import type { EvalEnv } from '../expr-ir.js';

type Doc = unknown;

function field(doc: Doc, key: string): Doc | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Decimal) return undefined;
  return Object.prototype.hasOwnProperty.call(doc, key) ? (doc as Record<string, Doc>)[key] : undefined;
}

/** An array element by index (negative from the end); jsonb holds a scalar as a one-element array. */
function element(doc: Doc, index: number, binary: boolean): Doc | undefined {
  if (binary && typeofJson(doc) !== 'object' && !Array.isArray(doc)) return index === 0 || index === -1 ? doc : undefined;
  if (!Array.isArray(doc)) return undefined;
  const i = index < 0 ? doc.length + index : index;
  return doc[i];
}

/** A path given as PostgreSQL's text[] literal ('{a,1,b}'), the only array Eddy reads. */
function parsePath(path: string): string[] {
  const s = path.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) {
    throw new SqlError(SQLSTATE.invalidTextRepresentation, `malformed array literal: "${path}"`);
  }
  const inner = s.slice(1, -1).trim();
  if (inner === '') return [];
  return inner.split(',').map((p) => p.trim().replace(/^"(.*)"$/, '$1'));
}

function walk(doc: Doc, path: string[]): Doc | undefined {
  let cur: Doc | undefined = doc;
  for (const step of path) {
    if (cur === undefined) return undefined;
    cur = Array.isArray(cur) ? (/^-?\d+$/.test(step) ? element(cur, Number(step), false) : undefined) : field(cur, step);
  }
  return cur;
}

/** ->> and #>>: a string's contents, null for JSON null, other values as json text. */
function asText(doc: Doc | undefined, binary: boolean): Value {
  if (doc === undefined || doc === null) return null;
  if (typeof doc === 'string') return doc;
  return binary ? formatJsonb(doc) : formatJson(doc);
}

const wrap = (doc: Doc | undefined): Value => (doc === undefined ? null : new Json(doc));

function typeofJson(doc: Doc): string {
  if (doc === null) return 'null';
  if (Array.isArray(doc)) return 'array';
  if (typeof doc === 'number' || doc instanceof Decimal || typeof doc === 'bigint') return 'number';
  if (typeof doc === 'object') return 'object';
  return typeof doc; // string, boolean
}

function contains(a: Doc, b: Doc): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return a.some((x) => !Array.isArray(x) && typeofJson(x) !== 'object' && contains(x, b));
    return b.every((y) => a.some((x) => contains(x, y)));
  }
  if (typeofJson(a) === 'object') {
    if (typeofJson(b) !== 'object') return false;
    return Object.keys(b as object).every((k) => {
      const v = field(a, k);
      return v !== undefined && contains(v, (b as Record<string, Doc>)[k]);
    });
  }
  if (typeofJson(a) !== typeofJson(b)) return false;
  return compareValues(new Json(a), new Json(b)) === 0;
}

/** A SQL value as a JSON document (to_jsonb). */
export function toDoc(type: SqlType, v: Value, env: EvalEnv): Doc {
  if (v === null) return null;
  switch (type.oid) {
    case T.bool.oid:
      return v;
    case T.int2.oid:
    case T.int4.oid:
    case T.oid.oid:
      return v;
    case T.int8.oid:
      return new Decimal((v as bigint).toString());
    case T.float4.oid:
    case T.float8.oid:
      return Number.isFinite(v as number) ? v : castValue(v, type, T.text, -1, env);
    case T.numeric.oid:
      return (v as Decimal).isFinite() ? v : castValue(v, type, T.text, -1, env);
    case T.json.oid:
    case T.jsonb.oid:
      return (v as Json).value;
    case T.timestamp.oid:
      // JSON uses ISO 8601: a T separator, and offsets always with minutes
      return (castValue(v, type, T.text, -1, env) as string).replace(' ', 'T');
    case T.timestamptz.oid:
      return (castValue(v, type, T.text, -1, env) as string).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
    default:
      return castValue(v, type, T.text, -1, env);
  }
}

/** A value's text inside json that PostgreSQL composes: json verbatim, jsonb canonical, others as JSON. */
export function jsonTextOf(type: SqlType, v: Value, env: EvalEnv): string {
  if (v === null) return 'null';
  if (type.oid === T.json.oid) return formatJsonValue(v as Json);
  if (type.oid === T.jsonb.oid) return formatJsonb((v as Json).value);
  return formatJson(toDoc(type, v, env));
}

/** A composed document: jsonb is canonical anyway; json keeps the text PostgreSQL's functions write. */
function composed(binary: boolean, doc: Doc, text: () => string): Json {
  return binary ? new Json(doc) : jsonWithText(doc, text());
}

const jsonTypes: [SqlType, boolean][] = [
  [T.jsonb, true],
  [T.json, false],
];
for (const [type, binary] of jsonTypes) {
  const prefix = binary ? 'jsonb' : 'json';
  register(
    { name: '->', args: [type, T.text], returns: type, impl: ([d, k]) => wrap(field((d as Json).value, k as string)) },
    { name: '->', args: [type, T.int4], returns: type, impl: ([d, i]) => wrap(element((d as Json).value, i as number, binary)) },
    { name: '->>', args: [type, T.text], returns: T.text, impl: ([d, k]) => asText(field((d as Json).value, k as string), binary) },
    { name: '->>', args: [type, T.int4], returns: T.text, impl: ([d, i]) => asText(element((d as Json).value, i as number, binary), binary) },
    { name: '#>', args: [type, T.text], returns: type, impl: ([d, p]) => wrap(walk((d as Json).value, parsePath(p as string))) },
    { name: '#>>', args: [type, T.text], returns: T.text, impl: ([d, p]) => asText(walk((d as Json).value, parsePath(p as string)), binary) },
    { name: `${prefix}_typeof`, args: [type], returns: T.text, impl: ([d]) => typeofJson((d as Json).value) },
    {
      name: `${prefix}_array_length`,
      args: [type],
      returns: T.int4,
      impl: ([d]) => {
        const doc = (d as Json).value;
        if (!Array.isArray(doc)) throw new SqlError(SQLSTATE.invalidParameterValue, `cannot get array length of a ${typeofJson(doc) === 'object' ? 'non-array' : 'scalar'}`);
        return doc.length;
      },
    },
    {
      name: `${prefix}_extract_path_text`,
      args: [type, T.text],
      variadic: true,
      returns: T.text,
      impl: ([d, ...path]) => asText(walk((d as Json).value, path as string[]), binary),
    },
    {
      name: `${prefix}_extract_path`,
      args: [type, T.text],
      variadic: true,
      returns: type,
      impl: ([d, ...path]) => wrap(walk((d as Json).value, path as string[])),
    },
    {
      name: `to_${prefix}`,
      args: [ANY],
      returns: type,
      specialize: (types) => (args, env) => composed(binary, toDoc(types[0]!, args[0]!, env), () => jsonTextOf(types[0]!, args[0]!, env)),
    },
    {
      name: `${prefix}_build_object`,
      args: [ANY],
      variadic: true,
      returns: type,
      strict: false,
      specialize: (types) => (args, env) => {
        if (args.length % 2 !== 0) {
          throw new SqlError(SQLSTATE.invalidParameterValue, 'argument list must have even number of elements', {
            hint: `The arguments of ${prefix}_build_object() must consist of alternating keys and values.`,
          });
        }
        const obj: Record<string, Doc> = {};
        const parts: string[] = [];
        for (let i = 0; i < args.length; i += 2) {
          if (args[i] === null) {
            throw binary
              ? new SqlError(SQLSTATE.invalidParameterValue, `argument ${i + 1}: key must not be null`)
              : new SqlError(SQLSTATE.invalidParameterValue, `argument ${i + 1} cannot be null`, { hint: 'Object keys should be text.' });
          }
          const k = castValue(args[i]!, types[i]!, T.text, -1, env) as string;
          Object.defineProperty(obj, k, { value: toDoc(types[i + 1]!, args[i + 1]!, env), enumerable: true, writable: true, configurable: true });
          if (!binary) parts.push(`${quoteJsonString(k)} : ${jsonTextOf(types[i + 1]!, args[i + 1]!, env)}`);
        }
        return composed(binary, obj, () => `{${parts.join(', ')}}`);
      },
    } satisfies FunctionDef,
    { name: `${prefix}_build_object`, args: [], returns: type, impl: () => composed(binary, {}, () => '{}') },
    {
      name: `${prefix}_build_array`,
      args: [ANY],
      variadic: true,
      returns: type,
      strict: false,
      specialize: (types) => (args, env) =>
        composed(
          binary,
          args.map((a, i) => toDoc(types[i]!, a, env)),
          () => `[${args.map((a, i) => jsonTextOf(types[i]!, a, env)).join(', ')}]`,
        ),
    } satisfies FunctionDef,
    { name: `${prefix}_build_array`, args: [], returns: type, impl: () => composed(binary, [], () => '[]') },
  );
}

function isObject(doc: Doc): doc is Record<string, Doc> {
  return typeofJson(doc) === 'object';
}

/** jsonb - key / - index: the document without that key (or array element, or string element). */
function without(doc: Doc, key: string | number): Doc {
  if (Array.isArray(doc)) {
    if (typeof key === 'string') return doc.filter((x) => x !== key);
    const i = key < 0 ? doc.length + key : key;
    return doc.filter((_, j) => j !== i);
  }
  if (isObject(doc) && typeof key === 'string') {
    const copy: Record<string, Doc> = {};
    for (const k of Object.keys(doc)) if (k !== key) Object.defineProperty(copy, k, { value: doc[k], enumerable: true, writable: true, configurable: true });
    return copy;
  }
  throw new SqlError(SQLSTATE.invalidParameterValue, typeof key === 'string' ? 'cannot delete from scalar' : 'cannot delete from object using integer index');
}

function stripNulls(doc: Doc): Doc {
  if (Array.isArray(doc)) return doc.map(stripNulls);
  if (!isObject(doc)) return doc;
  const out: Record<string, Doc> = {};
  for (const k of Object.keys(doc)) {
    if (doc[k] !== null) Object.defineProperty(out, k, { value: stripNulls(doc[k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** jsonb_set: replaces (or, with create, adds) the value at a path; a missing parent leaves the document as it is. */
function setPath(doc: Doc, path: string[], value: Doc, create: boolean): Doc {
  if (path.length === 0) return value;
  const [step, ...rest] = path as [string, ...string[]];
  if (Array.isArray(doc)) {
    if (!/^-?\d+$/.test(step)) throw new SqlError(SQLSTATE.invalidTextRepresentation, `path element at position 1 is not an integer: "${step}"`);
    const n = Number(step);
    const i = n < 0 ? doc.length + n : n;
    if (i >= 0 && i < doc.length) return doc.map((x, j) => (j === i ? setPath(x, rest, value, create) : x));
    if (!create || rest.length > 0) return doc;
    return i < 0 ? [value, ...doc] : [...doc, value];
  }
  if (isObject(doc)) {
    const present = Object.prototype.hasOwnProperty.call(doc, step);
    if (!present && (!create || rest.length > 0)) return doc;
    const copy: Record<string, Doc> = {};
    for (const k of Object.keys(doc)) Object.defineProperty(copy, k, { value: doc[k], enumerable: true, writable: true, configurable: true });
    Object.defineProperty(copy, step, { value: present ? setPath(doc[step], rest, value, create) : value, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  throw new SqlError(SQLSTATE.invalidParameterValue, 'cannot set path in scalar');
}

/** jsonb_pretty: four-space indentation, PostgreSQL's layout (an empty object opens and closes on two lines). */
function pretty(doc: Doc, indent = ''): string {
  const inner = indent + '    ';
  if (Array.isArray(doc)) {
    return doc.length === 0 ? '[\n' + indent + ']' : `[\n${doc.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (isObject(doc)) {
    const keys = Object.keys(doc).sort(compareJsonbKeys);
    if (keys.length === 0) return `{\n${indent}}`;
    return `{\n${keys.map((k) => `${inner}${quoteJsonString(k)}: ${pretty(doc[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return formatJsonb(doc);
}

register(
  { name: '-', args: [T.jsonb, T.text], returns: T.jsonb, impl: ([d, k]) => new Json(without((d as Json).value, k as string)) },
  { name: '-', args: [T.jsonb, T.int4], returns: T.jsonb, impl: ([d, i]) => new Json(without((d as Json).value, i as number)) },
  { name: 'jsonb_strip_nulls', args: [T.jsonb], returns: T.jsonb, impl: ([d]) => new Json(stripNulls((d as Json).value)) },
  { name: 'jsonb_pretty', args: [T.jsonb], returns: T.text, impl: ([d]) => pretty((d as Json).value) },
  {
    name: 'jsonb_set',
    args: [T.jsonb, T.text, T.jsonb],
    returns: T.jsonb,
    impl: ([d, p, v]) => new Json(setPath((d as Json).value, parsePath(p as string), (v as Json).value, true)),
  },
  {
    name: 'jsonb_set',
    args: [T.jsonb, T.text, T.jsonb, T.bool],
    returns: T.jsonb,
    impl: ([d, p, v, c]) => new Json(setPath((d as Json).value, parsePath(p as string), (v as Json).value, c as boolean)),
  },
  { name: '?', args: [T.jsonb, T.text], returns: T.bool, impl: ([d, k]) => {
    const doc = (d as Json).value;
    return Array.isArray(doc) ? doc.some((x) => x === k) : field(doc, k as string) !== undefined || doc === k;
  } },
  { name: '@>', args: [T.jsonb, T.jsonb], returns: T.bool, impl: ([a, b]) => contains((a as Json).value, (b as Json).value) },
  { name: '<@', args: [T.jsonb, T.jsonb], returns: T.bool, impl: ([a, b]) => contains((b as Json).value, (a as Json).value) },
  {
    name: '||',
    args: [T.jsonb, T.jsonb],
    returns: T.jsonb,
    impl: ([a, b]) => {
      const x = (a as Json).value;
      const y = (b as Json).value;
      if (typeofJson(x) === 'object' && typeofJson(y) === 'object') return new Json({ ...(x as object), ...(y as object) });
      const arr = (d: Doc) => (Array.isArray(d) ? d : [d]);
      return new Json([...arr(x), ...arr(y)]);
    },
  },
);

// ---- set-returning: jsonb_array_elements, jsonb_each, jsonb_object_keys ------------------------

/** A jsonb array's elements; 22023 for anything else, worded as PostgreSQL words it. */
function arrayElements(doc: Doc): Doc[] {
  if (Array.isArray(doc)) return doc;
  throw new SqlError(SQLSTATE.invalidParameterValue, `cannot extract elements from ${isObject(doc) ? 'an object' : 'a scalar'}`);
}

/** A jsonb object's fields in jsonb's key order; 22023 for anything else. */
function objectFields(doc: Doc, fn: string): [string, Doc][] {
  if (!isObject(doc)) {
    const what = fn === 'jsonb_object_keys' ? (Array.isArray(doc) ? 'an array' : 'a scalar') : 'a non-object';
    throw new SqlError(SQLSTATE.invalidParameterValue, `cannot call ${fn} on ${what}`);
  }
  return Object.keys(doc)
    .sort(compareJsonbKeys)
    .map((k) => [k, doc[k]]);
}

const jsonb = T.jsonb;
register(
  srf('jsonb_array_elements', [jsonb], [{ name: 'value', type: jsonb }], ([j]: [Json]) => arrayElements(j.value).map((d) => [new Json(d)])),
  srf('jsonb_array_elements_text', [jsonb], [{ name: 'value', type: T.text }], ([j]: [Json]) =>
    arrayElements(j.value).map((d) => [asText(d, true)]),
  ),
  srf('jsonb_each', [jsonb], [{ name: 'key', type: T.text }, { name: 'value', type: jsonb }], ([j]: [Json]) =>
    objectFields(j.value, 'jsonb_each').map(([k, d]) => [k, new Json(d)]),
  ),
  srf('jsonb_each_text', [jsonb], [{ name: 'key', type: T.text }, { name: 'value', type: T.text }], ([j]: [Json]) =>
    objectFields(j.value, 'jsonb_each_text').map(([k, d]) => [k, asText(d, true)]),
  ),
  srf('jsonb_object_keys', [jsonb], [{ type: T.text }], ([j]: [Json]) => objectFields(j.value, 'jsonb_object_keys').map(([k]) => [k])),
);
