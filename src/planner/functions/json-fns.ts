/** json/jsonb operators and functions: -> ->> #> #>> ? @>, jsonb_typeof, to_jsonb, jsonb_build_object... */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { Json, T, type SqlType, type Value } from '../../types/types.js';
import { castValue } from '../../types/casts.js';
import { formatJson, formatJsonValue, formatJsonb, jsonWithText, quoteJsonString } from '../../types/json-text.js';
import { compareValues } from '../../types/compare.js';
import { ANY, register, type FunctionDef } from './registry.js';
import type { EvalEnv } from '../expr-ir.js';

type Doc = unknown;

function field(doc: Doc, key: string): Doc | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Decimal) return undefined;
  return Object.prototype.hasOwnProperty.call(doc, key) ? (doc as Record<string, Doc>)[key] : undefined;
}

function element(doc: Doc, index: number): Doc | undefined {
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
    cur = Array.isArray(cur) ? (/^-?\d+$/.test(step) ? element(cur, Number(step)) : undefined) : field(cur, step);
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
function toDoc(type: SqlType, v: Value, env: EvalEnv): Doc {
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
function jsonTextOf(type: SqlType, v: Value, env: EvalEnv): string {
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
    { name: '->', args: [type, T.int4], returns: type, impl: ([d, i]) => wrap(element((d as Json).value, i as number)) },
    { name: '->>', args: [type, T.text], returns: T.text, impl: ([d, k]) => asText(field((d as Json).value, k as string), binary) },
    { name: '->>', args: [type, T.int4], returns: T.text, impl: ([d, i]) => asText(element((d as Json).value, i as number), binary) },
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

register(
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
