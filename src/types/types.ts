/**
 * The SQL types Eddy knows, by PostgreSQL OID, and how their values live in JavaScript.
 *
 * Value representation (one convention for the whole engine; NULL is always `null`):
 *   bool                      boolean
 *   int2, int4, oid           number (always an integer)
 *   int8                      bigint
 *   float4, float8            number
 *   numeric                   Decimal (decimal.js), NaN allowed
 *   text, varchar, bpchar, name, char   string
 *   bytea                     Uint8Array (Buffer is fine)
 *   date                      number: days since 1970-01-01 (±Infinity for 'infinity')
 *   timestamp, timestamptz    number: microseconds since 1970-01-01 00:00:00 UTC (timestamp is
 *                             wall-clock time stored as if it were UTC); ±Infinity for infinity
 *   interval                  Interval { months, days, micros }
 *   json, jsonb               Json { value } where value is the parsed document (JSON null is
 *                             a JS null inside the wrapper, so it never looks like SQL NULL)
 *   unknown                   string (an untyped literal not yet resolved)
 *   arrays (_int4, _text ...) SqlArray { elements, lower }: one dimension, elements in the
 *                             element type's representation (NULL elements are null)
 */
import type { Decimal } from 'decimal.js';

export class Interval {
  constructor(readonly months: number, readonly days: number, readonly micros: number) {}
}

export class Json {
  constructor(readonly value: unknown) {}
}

/**
 * A one-dimensional array value. `lower` is the lower bound (1 unless written '[0:1]={...}');
 * an empty array has no elements and no dimensions.
 */
export class SqlArray {
  constructor(readonly elements: readonly Value[], readonly lower = 1) {}
}

export type Value = null | boolean | number | bigint | string | Decimal | Uint8Array | Interval | Json | SqlArray;

export interface SqlType {
  readonly oid: number;
  /** PostgreSQL's name as format_type prints it, e.g. 'integer', 'double precision'. */
  readonly name: string;
  /** pg_type.typname, e.g. 'int4'. */
  readonly typname: string;
  /** pg_type.typlen: bytes for fixed-size types, -1 for variable length. */
  readonly typlen: number;
  /** pg_type.typcategory: 'B' bool, 'N' numeric, 'S' string, 'D' datetime, 'T' timespan, 'U' user/json, 'X' unknown... */
  readonly category: string;
  /** The OID of the array type of this type (0 if none). */
  readonly arrayOid: number;
  /** An array type's element type (pg_type.typelem); absent for every other type. */
  readonly element?: SqlType;
  /**
   * int2vector and oidvector (pg_index.indkey, indclass ...): arrays of `element` subscripted from
   * 0 whose text form is the elements separated by spaces ('1 2'), as PostgreSQL's catalog has them.
   */
  readonly vector?: true;
}

function t(oid: number, typname: string, name: string, typlen: number, category: string, arrayOid: number): SqlType {
  return { oid, typname, name, typlen, category, arrayOid };
}

const int2: SqlType = t(21, 'int2', 'smallint', 2, 'N', 1005);
const oid: SqlType = t(26, 'oid', 'oid', 4, 'N', 1028);
const vectorOf = (vectorOid: number, typname: string, element: SqlType, arrayOid: number): SqlType =>
  ({ oid: vectorOid, typname, name: typname, typlen: -1, category: 'A', arrayOid, element, vector: true });

export const T = {
  bool: t(16, 'bool', 'boolean', 1, 'B', 1000),
  bytea: t(17, 'bytea', 'bytea', -1, 'U', 1001),
  char: t(18, 'char', '"char"', 1, 'Z', 1002),
  name: t(19, 'name', 'name', 64, 'S', 1003),
  int8: t(20, 'int8', 'bigint', 8, 'N', 1016),
  int2,
  int2vector: vectorOf(22, 'int2vector', int2, 1006),
  int4: t(23, 'int4', 'integer', 4, 'N', 1007),
  text: t(25, 'text', 'text', -1, 'S', 1009),
  oid,
  oidvector: vectorOf(30, 'oidvector', oid, 1013),
  json: t(114, 'json', 'json', -1, 'U', 199),
  float4: t(700, 'float4', 'real', 4, 'N', 1021),
  float8: t(701, 'float8', 'double precision', 8, 'N', 1022),
  unknown: t(705, 'unknown', 'unknown', -2, 'X', 0),
  bpchar: t(1042, 'bpchar', 'character', -1, 'S', 1014),
  varchar: t(1043, 'varchar', 'character varying', -1, 'S', 1015),
  date: t(1082, 'date', 'date', 4, 'D', 1182),
  timestamp: t(1114, 'timestamp', 'timestamp without time zone', 8, 'D', 1115),
  timestamptz: t(1184, 'timestamptz', 'timestamp with time zone', 8, 'D', 1185),
  interval: t(1186, 'interval', 'interval', 16, 'T', 1187),
  numeric: t(1700, 'numeric', 'numeric', -1, 'N', 1231),
  jsonb: t(3802, 'jsonb', 'jsonb', -1, 'U', 3807),
} as const;

/** The array type of each element type, PostgreSQL's `_int4` and the rest (one object per type). */
const arrayTypes = new Map<number, SqlType>(
  Object.values(T)
    .filter((elem) => elem.arrayOid !== 0)
    .map((elem): [number, SqlType] => [
      elem.oid,
      { oid: elem.arrayOid, typname: `_${elem.typname}`, name: `${elem.name}[]`, typlen: -1, category: 'A', arrayOid: 0, element: elem },
    ]),
);

/** Every array type, in the order of T. */
export const ARRAY_TYPES: readonly SqlType[] = [...arrayTypes.values()];

/** The array type whose elements are `elem`, or undefined when `elem` has none (unknown, arrays). */
export function arrayTypeOf(elem: SqlType): SqlType | undefined {
  return arrayTypes.get(elem.oid);
}

export function isArrayType(type: SqlType): boolean {
  return type.element !== undefined;
}

const byOid = new Map<number, SqlType>([...Object.values(T), ...ARRAY_TYPES].map((ty) => [ty.oid, ty]));

export function typeByOid(oid: number): SqlType | undefined {
  return byOid.get(oid);
}
