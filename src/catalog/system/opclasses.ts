/**
 * Operator classes (pg_opclass) of btree and hash indexes over Eddy's types, with PostgreSQL 15's
 * OIDs, names and families, and the default class an index key gets (pg_index.indclass):
 * SQLAlchemy's get_indexes reads indclass and names the classes that are not the default.
 */
import { T, type SqlType } from '../../types/types.js';
import { ACCESS_METHOD } from './oids.js';

export interface OperatorClass {
  oid: number;
  method: keyof typeof ACCESS_METHOD;
  name: string;
  family: number;
  /** pg_opclass.opcintype: the type the class indexes (anyarray 2277 for array_ops). */
  inputType: number;
  isDefault: boolean;
  /** opckeytype: the type stored in the index when not the input's (name_ops stores cstring), else 0. */
  keyType: number;
}

const ANYARRAY_OID = 2277;
const CSTRING_OID = 2275;

const c = (oid: number, method: 'btree' | 'hash', name: string, family: number, inputType: number, isDefault = true, keyType = 0): OperatorClass =>
  ({ oid, method, name, family, inputType, isDefault, keyType });

/** PostgreSQL's classes for the types Eddy has, in oid order. */
export const OPERATOR_CLASSES: readonly OperatorClass[] = [
  c(1978, 'btree', 'int4_ops', 1976, T.int4.oid),
  c(1979, 'btree', 'int2_ops', 1976, T.int2.oid),
  c(1981, 'btree', 'oid_ops', 1989, T.oid.oid),
  c(3122, 'btree', 'date_ops', 434, T.date.oid),
  c(3123, 'btree', 'float8_ops', 1970, T.float8.oid),
  c(3124, 'btree', 'int8_ops', 1976, T.int8.oid),
  c(3125, 'btree', 'numeric_ops', 1988, T.numeric.oid),
  c(3126, 'btree', 'text_ops', 1994, T.text.oid),
  c(3127, 'btree', 'timestamptz_ops', 434, T.timestamptz.oid),
  c(3128, 'btree', 'timestamp_ops', 434, T.timestamp.oid),
  c(4217, 'btree', 'text_pattern_ops', 2095, T.text.oid, false),
  c(4218, 'btree', 'varchar_pattern_ops', 2095, T.text.oid, false),
  c(4219, 'btree', 'bpchar_pattern_ops', 2097, T.bpchar.oid, false),
  c(10000, 'btree', 'array_ops', 397, ANYARRAY_OID),
  c(10001, 'hash', 'array_ops', 627, ANYARRAY_OID),
  c(10003, 'btree', 'bool_ops', 424, T.bool.oid),
  c(10004, 'btree', 'bpchar_ops', 426, T.bpchar.oid),
  c(10005, 'hash', 'bpchar_ops', 427, T.bpchar.oid),
  c(10006, 'btree', 'bytea_ops', 428, T.bytea.oid),
  c(10007, 'btree', 'char_ops', 429, T.char.oid),
  c(10008, 'hash', 'char_ops', 431, T.char.oid),
  c(10011, 'hash', 'date_ops', 435, T.date.oid),
  c(10012, 'btree', 'float4_ops', 1970, T.float4.oid),
  c(10013, 'hash', 'float4_ops', 1971, T.float4.oid),
  c(10014, 'hash', 'float8_ops', 1971, T.float8.oid),
  c(10019, 'hash', 'int2_ops', 1977, T.int2.oid),
  c(10020, 'hash', 'int4_ops', 1977, T.int4.oid),
  c(10021, 'hash', 'int8_ops', 1977, T.int8.oid),
  c(10022, 'btree', 'interval_ops', 1982, T.interval.oid),
  c(10023, 'hash', 'interval_ops', 1983, T.interval.oid),
  c(10028, 'btree', 'name_ops', 1994, T.name.oid, true, CSTRING_OID),
  c(10029, 'hash', 'name_ops', 1995, T.name.oid),
  c(10030, 'hash', 'numeric_ops', 1998, T.numeric.oid),
  c(10031, 'hash', 'oid_ops', 1990, T.oid.oid),
  c(10032, 'btree', 'oidvector_ops', 1991, T.oidvector.oid),
  c(10033, 'hash', 'oidvector_ops', 1992, T.oidvector.oid),
  c(10037, 'hash', 'text_ops', 1995, T.text.oid),
  c(10040, 'hash', 'timestamptz_ops', 1999, T.timestamptz.oid),
  c(10044, 'btree', 'varchar_ops', 1994, T.text.oid, false),
  c(10045, 'hash', 'varchar_ops', 1995, T.text.oid, false),
  c(10046, 'hash', 'timestamp_ops', 2040, T.timestamp.oid),
  c(10048, 'hash', 'bool_ops', 2222, T.bool.oid),
  c(10049, 'hash', 'bytea_ops', 2223, T.bytea.oid),
  c(10056, 'hash', 'text_pattern_ops', 2229, T.text.oid, false),
  c(10057, 'hash', 'varchar_pattern_ops', 2229, T.text.oid, false),
  c(10058, 'hash', 'bpchar_pattern_ops', 2231, T.bpchar.oid, false),
  c(10088, 'btree', 'jsonb_ops', 4033, T.jsonb.oid),
  c(10089, 'hash', 'jsonb_ops', 4034, T.jsonb.oid),
];

/**
 * The class a key of this type gets when CREATE INDEX names none: the method's default for the
 * type, for varchar text's (varchar is binary-coercible to text), for arrays array_ops; 0 for
 * a type without one (json).
 */
export function defaultOperatorClass(method: 'btree' | 'hash', type: SqlType): number {
  const input = type.element && !type.vector ? ANYARRAY_OID : type.oid === T.varchar.oid ? T.text.oid : type.oid;
  return OPERATOR_CLASSES.find((o) => o.method === method && o.isDefault && o.inputType === input)?.oid ?? 0;
}
