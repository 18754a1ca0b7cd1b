/**
 * PostgreSQL 15's comments on the built-in types Eddy has (obj_description(oid, 'pg_type')), which
 * pg_description lists: DBeaver's data type list and psql's \dT show them.
 */
export const TYPE_DESCRIPTIONS: readonly (readonly [oid: number, description: string])[] = [
  [16, "boolean, 'true'/'false'"], // bool
  [17, 'variable-length string, binary values escaped'], // bytea
  [18, 'single character'], // char
  [19, '63-byte type for storing system identifiers'], // name
  [20, '~18 digit integer, 8-byte storage'], // int8
  [21, '-32 thousand to 32 thousand, 2-byte storage'], // int2
  [22, 'array of int2, used in system tables'], // int2vector
  [23, '-2 billion to 2 billion integer, 4-byte storage'], // int4
  [25, 'variable-length string, no limit specified'], // text
  [26, 'object identifier(oid), maximum 4 billion'], // oid
  [30, 'array of oids, used in system tables'], // oidvector
  [114, 'JSON stored as text'], // json
  [700, 'single-precision floating point number, 4-byte storage'], // float4
  [701, 'double-precision floating point number, 8-byte storage'], // float8
  [705, 'pseudo-type representing an undetermined type'], // unknown
  [1042, 'char(length), blank-padded string, fixed storage length'], // bpchar
  [1043, 'varchar(length), non-blank-padded string, variable storage length'], // varchar
  [1082, 'date'], // date
  [1114, 'date and time'], // timestamp
  [1184, 'date and time with time zone'], // timestamptz
  [1186, '@ <number> <units>, time interval'], // interval
  [1700, 'numeric(precision, decimal), arbitrary precision number'], // numeric
  [2275, 'C-style string'], // cstring
  [2276, 'pseudo-type representing any type'], // any
  [2277, 'pseudo-type representing a polymorphic array type'], // anyarray
  [2283, 'pseudo-type representing a polymorphic base type'], // anyelement
  [2776, 'pseudo-type representing a polymorphic base type that is not an array'], // anynonarray
  [3802, 'Binary JSON'], // jsonb
];
