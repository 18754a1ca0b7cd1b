/**
 * Avro → SQL: the column type of a (reader) Avro type and the function that turns a value avsc
 * decoded for it (built with AVRO_TYPE_OPTIONS) into that column's value.
 *
 *   boolean → boolean, int → integer, long → bigint, float → real, double → double precision,
 *   string and enum → text, bytes and fixed → bytea, a union of null and one type → that type
 *   (nullable), logical types → their SQL type (avro-types.ts), an array of any of those → an
 *   array of that type (a nullable item a NULL element); records, maps, other unions and arrays
 *   of them (or of arrays: one dimension only) → jsonb. Inside jsonb, a union's value is its branch's value (not Avro's JSON
 *   encoding's {"type": value}), bytes are '\x...' strings and logical values are written as
 *   to_jsonb writes their SQL type.
 */
import type avro from 'avsc';
import { Decimal } from 'decimal.js';
import { SQLSTATE } from '../../errors.js';
import { formatBytea, formatFloat4 } from '../../types/text-io.js';
import { Json, SqlArray, T, arrayTypeOf, type SqlType, type Value } from '../../types/types.js';
import { SqlLogicalType, type AvroType } from './avro-types.js';
import { DecodeError } from './decode-error.js';

export interface AvroReading {
  type: SqlType;
  typmod: number;
  read: (value: unknown) => Value;
}

type ToJson = (value: unknown) => unknown;

/** A wrapped union value ({branch: value}) as [branch name, value]. */
function branchOf(value: object): [string, unknown] {
  const name = Object.keys(value)[0]!;
  return [name, (value as Record<string, unknown>)[name]];
}

function copyBytes(bytes: unknown): Uint8Array {
  // A copy: avsc's bytes are views into the message, itself a slice of a whole fetch response.
  return Uint8Array.prototype.slice.call(bytes as Uint8Array);
}

function text(value: unknown): string {
  // PostgreSQL's text cannot hold NUL, which Avro strings may carry.
  if ((value as string).includes('\0')) {
    throw new DecodeError('invalid byte sequence for encoding "UTF8": 0x00', SQLSTATE.characterNotInRepertoire);
  }
  return value as string;
}

/** The non-null branch of a union of null and exactly one other type. */
function nullableBranch(union: avro.types.WrappedUnionType): AvroType | undefined {
  const types = union.types as AvroType[];
  if (types.length !== 2) return undefined;
  const nulls = types.filter((t) => t.typeName === 'null').length;
  return nulls === 1 ? types.find((t) => t.typeName !== 'null') : undefined;
}

const reading = (type: SqlType, read: (value: unknown) => Value, typmod = -1): AvroReading => ({ type, typmod, read });

/** The SQL column a field of this Avro type becomes. */
export function avroReading(type: AvroType): AvroReading {
  if (type instanceof SqlLogicalType) return reading(type.sqlType, (v) => v as Value, type.typmod);
  switch (type.typeName) {
    case 'boolean':
    case 'int':
    case 'float':
    case 'double':
    case 'abstract:long':
      return reading(SCALAR_TYPES[type.typeName]!, (v) => v as Value);
    case 'string': // uuid too: avsc reads it as its string
    case 'enum':
      return reading(T.text, text);
    case 'bytes':
    case 'fixed':
      return reading(T.bytea, copyBytes);
    case 'null':
      return reading(T.text, () => null);
    case 'array': {
      const item = avroReading((type as avro.types.ArrayType).itemsType as AvroType);
      const array = item.type.oid === T.jsonb.oid ? undefined : arrayTypeOf(item.type);
      if (array === undefined) break;
      return reading(array, (v) => new SqlArray((v as unknown[]).map(item.read)), item.typmod);
    }
    case 'union:wrapped': {
      const branch = nullableBranch(type as avro.types.WrappedUnionType);
      if (branch === undefined) break;
      const inner = avroReading(branch);
      const name = branch.branchName!;
      return { ...inner, read: (v) => (v === null ? null : inner.read((v as Record<string, unknown>)[name])) };
    }
  }
  const toJson = avroJson(type);
  return reading(T.jsonb, (v) => (v === null ? null : new Json(toJson(v))));
}

const SCALAR_TYPES: Record<string, SqlType> = {
  boolean: T.bool,
  int: T.int4,
  float: T.float4,
  double: T.float8,
  'abstract:long': T.int8,
};

/** A non-finite float in JSON is a string, as to_jsonb writes 'NaN'::float8. */
function jsonNumber(value: unknown): unknown {
  const n = value as number;
  return Number.isFinite(n) ? n : String(n);
}

/** A float as to_jsonb writes a real: its shortest float4 digits (1.1, not 1.100000023841858). */
function jsonFloat4(value: unknown): unknown {
  const n = value as number;
  return Number.isFinite(n) ? Number(formatFloat4(n)) : String(n);
}

/** The JSON document for a value of this Avro type (built once per type, used per message). */
function avroJson(type: AvroType): ToJson {
  return jsonOfType(type, new Map());
}

function jsonOfType(type: AvroType, named: Map<AvroType, ToJson>): ToJson {
  if (type instanceof SqlLogicalType) return (v) => type.jsonOf(v as Value);
  switch (type.typeName) {
    case 'null':
    case 'boolean':
    case 'int':
    case 'string':
    case 'enum':
      return (v) => v;
    case 'float':
      return jsonFloat4;
    case 'double':
      return jsonNumber;
    case 'abstract:long':
      // Exact numbers beyond a double's integers stay exact as Decimals.
      return (v) => (Number.isSafeInteger(Number(v)) ? Number(v) : new Decimal((v as bigint).toString()));
    case 'bytes':
    case 'fixed':
      return (v) => formatBytea(v as Uint8Array);
    case 'array': {
      const item = jsonOfType((type as avro.types.ArrayType).itemsType as AvroType, named);
      return (v) => (v as unknown[]).map(item);
    }
    case 'map': {
      const value = jsonOfType((type as avro.types.MapType).valuesType as AvroType, named);
      return (v) => Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, value(x)]));
    }
    case 'union:wrapped': {
      const branches = new Map<string, ToJson>();
      for (const branch of (type as avro.types.WrappedUnionType).types as AvroType[]) {
        branches.set(branch.branchName!, jsonOfType(branch, named));
      }
      return (v) => {
        if (v === null) return null;
        const [name, inner] = branchOf(v as object);
        return branches.get(name)!(inner);
      };
    }
    case 'record':
    case 'error': {
      // A recursive record refers to itself: look it up once it is being built.
      const known = named.get(type);
      if (known) return known;
      const fields: [string, ToJson][] = [];
      const toJson: ToJson = (v) => {
        const object: Record<string, unknown> = {};
        for (const [name, json] of fields) object[name] = json((v as Record<string, unknown>)[name]);
        return object;
      };
      named.set(type, toJson);
      for (const field of (type as avro.types.RecordType).fields) fields.push([field.name, jsonOfType(field.type as AvroType, named)]);
      return toJson;
    }
  }
  throw new Error(`no JSON form for Avro type ${type.typeName}`);
}
