/**
 * The type-fidelity table every driver reads: a column of every type Eddy has (arrays included),
 * with NULLs and edge values, created the same way in Eddy and in a real PostgreSQL. Each driver
 * reads both and compares the values it decoded, in its own language.
 */
export const FIDELITY_COLUMNS = [
  'id', 'b', 'i2', 'i4', 'i8', 'f4', 'f8', 'n', 'n2', 't', 'vc', 'bc', 'ch', 'nm', 'o', 'by', 'd', 'ts', 'tstz',
  'iv', 'js', 'jb', 'ai', 'at', 'an', 'ab', 'atz',
] as const;

export const FIDELITY_DDL = `CREATE TABLE fidelity (id int4, b bool, i2 int2, i4 int4, i8 int8, f4 real,
  f8 double precision, n numeric, n2 numeric(12,3), t text, vc varchar(10), bc char(4), ch "char", nm name, o oid,
  by bytea, d date, ts timestamp, tstz timestamptz, iv interval, js json, jb jsonb, ai int4[], at text[],
  an numeric[], ab bool[], atz timestamptz[])`;

// Row 1 holds the extremes and the infinities, row 2 the other end, row 3 NULLs, row 4 the odd ones.
export const FIDELITY_ROWS = `INSERT INTO fidelity VALUES
 (1, true, -32768, -2147483648, -9223372036854775808, 'NaN', 'Infinity', 'NaN', -123456789.125, '', '', 'a', 'x',
  'nm', 4294967295, '\\x00ff', 'infinity', '-infinity', 'infinity', '-178000000 years',
  '{"a":[1,2,{"b":null}],"z":"é"}', '{"z":1,"a":[true,null]}', '{1,NULL,-3}', '{"a b",NULL,"","\\"q\\""}',
  '{1.5,NaN,NULL}', '{}', '{"2024-02-29 12:00:00+00"}'),
 (2, false, 32767, 2147483647, 9223372036854775807, 3.4028235e38, -1.7976931348623157e308, 0.000000000000000000001,
  0, 'héllo ☃ 日本', 'abcdefghij', 'ab', '"', '', 0, '', '1999-12-31', '2000-01-01 00:00:00.000001',
  '1970-01-01 00:00:00+00', '1 year 2 mons 3 days 04:05:06.789', 'null', '[]', '{}', '{}', '{}', '{true,false,NULL}', '{}'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, true, 0, 0, 0, -0, 1e-300, 12345678901234567890.12345678901234567890, 1.5, E'tab\\there', 'x', '', 'A',
  'pg_catalog', 1, '\\xdeadbeef', '4713-01-01 BC', '0001-01-01 00:00:00', '2200-04-11 23:47:16.854775+05:30',
  '-1 days -00:00:00.000001', '{"n": 1e400}', '{"n": 12345678901234567890}', '{2147483647}', '{NULL}', '{-0.0}',
  '{NULL}', '{infinity,NULL}')`;

export const FIDELITY_ROW_COUNT = 4;
