/**
 * The differential test of expressions: each `SELECT expr` runs through Eddy's binder, compiler
 * and text output and through a real PostgreSQL 15; both must give the same text and result type
 * OID, or fail with the same SQLSTATE.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOracle, type Oracle } from './pg-oracle.js';
import { evalSql } from './eval.js';

let oracle: Oracle;
before(async () => {
  oracle = await startOracle();
});
after(async () => {
  await oracle?.close();
});

const groups: Record<string, string[]> = {
  literals: [
    '1', '-1', '2147483647', '2147483648', '-2147483648', '9223372036854775807', '9223372036854775808', '1.5', '-0.0', '1e3', '1.5e-3',
    "'abc'", "''", 'true', 'false', 'NULL', "'1'::int", "int '7'", "date '2024-02-29'", "timestamp '2024-01-02 03:04:05.5'",
    "interval '1 day 2 hours'", "'x'::text", "'12.340'::numeric", "'1e400'::float8", "'abc'::int", "'2024-13-01'::date", "'3.5'::int",
    "'   42   '::int", "'tru'::boolean", "'\\x0a0b'::bytea", "'{\"b\":1,\"a\":[1,2,{\"c\":null}]}'::jsonb", "'{\"b\":1,\"a\":2}'::json",
  ],
  arithmetic: [
    '1 + 2', '7 - 10', '6 * 7', '7 / 2', '-7 / 2', '7 % 3', '-7 % 3', '7.0 / 2', '1 / 3.0', '2.50 * 1.2', '1.50 + 1', '10.0 / 4',
    '1 / 0', '1.0 / 0', '1 % 0', '1::float8 / 0', '0.0::float8 / 0', '2147483647 + 1', '-2147483648 - 1', '2147483647 * 2',
    '(-2147483648) / (-1)', '32767::smallint + 1::smallint', '9223372036854775807 + 1', '9223372036854775807::int8 * 2',
    '1 + 1::bigint', '1::smallint + 1', '1 + 1.5', '1 + 1.5::float8', '1.5::float4 + 1', '1.5::float4 * 2::float4', '2 ^ 10', '2.0 ^ 0.5',
    '1e308::float8 * 10', '0.1::float8 + 0.2', '1::float8 / 3', '100::float4 / 3', '10 / 3.0 * 3', '1.000 / 3', '123456789 * 1000',
    '- 5', '+ 5', '-(1.5)', '|/ 16', '@ -5', '5 & 3', '5 | 3', '5 # 3', '~5', '1 << 4', '-16 >> 2', "'5' + 3", "3 + '5'", '1 + NULL',
    '1 + true', "'a' + 1", '2.5::numeric % 1', '-2.5 % 1',
  ],
  logic: [
    'true AND NULL', 'false AND NULL', 'true OR NULL', 'false OR NULL', 'NOT NULL::boolean', 'NOT true', 'NULL IS NULL', '1 IS NOT NULL',
    'NULL::int IS DISTINCT FROM 1', 'NULL IS NOT DISTINCT FROM NULL', '1 IS DISTINCT FROM 1.0', 'true IS TRUE', 'NULL::bool IS NOT TRUE',
    'false IS FALSE', 'NULL::bool IS UNKNOWN', 'true IS NOT UNKNOWN', '1 = 1', '1 < 2', "'a' < 'b'", "'B' < 'a'", '1 <> 1.0', '2 >= 2.5',
    '1 IN (1, 2)', '3 IN (1, 2)', '3 IN (1, NULL)', '1 NOT IN (2, NULL)', '1 NOT IN (1, NULL)', "'a' IN ('a', 'b')", '1 IN (1.0, 2)',
    '5 BETWEEN 1 AND 10', '5 NOT BETWEEN 6 AND 10', '5 BETWEEN SYMMETRIC 10 AND 1', '1 AND true', "'t' AND true", '1 = ANY(ARRAY[1,2])',
    '3 = ANY(ARRAY[1,2])', '3 > ALL(ARRAY[1,2])', 'NOT (1 = 2)', '1 < NULL', 'NULL = NULL', 'NULL || NULL', 'abs(NULL)', 'length(NULL)', "'a' < NULL", "date '2024-01-01' < timestamp '2024-01-01 00:00:01'",
    '(1, 2) = (1, 2)', '(1, 2) <> (1, 3)', '(1, 2) < (1, 3)', '(1, 2) < (1, 2)', '(1, 2) <= (1, 2)', '(2, 0) > (1, 9)', '(1, NULL) < (2, 0)',
    '(NULL, 1) < (2, 0)', '(1, NULL) = (1, 2)', "(1, 'a') = (1, 'a')", 'ROW(1, 2) = ROW(1, 2)', '(1, 2) IN ((1, 2), (3, 4))', '(1, 2) NOT IN ((1, 2))',
    '(1, 2, 3) >= (1, 2, 4)', '(1, 2) = (1, 2, 3)',
  ],
  conditionals: [
    "CASE WHEN 1 > 2 THEN 'x' ELSE 'y' END", "CASE WHEN 1 < 2 THEN 1 ELSE 2.5 END", 'CASE 2 WHEN 1 THEN 10 WHEN 2 THEN 20 END',
    'CASE 3 WHEN 1 THEN 10 END', "CASE WHEN NULL THEN 1 ELSE 0 END", "CASE WHEN true THEN 'a' END", 'CASE WHEN 1 THEN 1 END',
    "CASE WHEN true THEN 1 ELSE 'x' END", "CASE WHEN true THEN 1 ELSE true END", 'CASE WHEN false THEN 1/0 ELSE 1 END', 'CASE WHEN false THEN 99999999999::int ELSE 0 END',
    'coalesce(NULL, 2, 3)', 'coalesce(NULL, NULL)', "coalesce(NULL, 'a')", 'coalesce(1, 2.5)', 'coalesce(1::smallint, 100000)',
    "coalesce(1, 'x')", 'nullif(1, 1)', 'nullif(1, 2)', 'nullif(1, 1.0)', "nullif('a', 'b')", 'greatest(1, 2.5, NULL)', 'least(3, 1, 2)',
    "greatest('a', 'b')", 'greatest(NULL::int, NULL)', "least(date '2024-01-01', timestamp '2023-06-01 10:00')",
  ],
  casts: [
    // "char" reaches text implicitly, the other strings on assignment only (SQLAlchemy compares relkind with varchar)
    "'r'::\"char\" = 'r'::varchar", "'r'::\"char\" = ANY (ARRAY['r'::varchar, 'p'::varchar])", "'t'::\"char\" <> 't'::varchar",
    "'r'::\"char\" = 'r'::text", "'r'::\"char\" = 'r'::bpchar",
    '1.5::int', '2.5::int', '-2.5::int', '1.5::float8::int', '2.5::float8::int', '3.5::float8::int', '-2.5::float8::int', '2147483648::int',
    "'2147483648'::bigint::int", '1e10::float8::int', "'NaN'::float8::int", "'NaN'::numeric::int", '12.345::numeric(4,2)', '123.45::numeric(4,2)',
    '0.005::numeric(3,2)', "'abc'::varchar(2)", "'ab'::char(4)", "'ab  '::char(4)::text", "('ab'::char(4) || 'c')", '1::bool', '0::bool',
    'true::int', '5::text', '5.10::text', 'true::text', "1.5::float8::text", "1e20::float8::numeric", "0.1::float4::float8", "0.1::float8::float4",
    "1e39::float8::float4", "123.456::float8::numeric", "(1/3.0)::float8", "'2024-01-02 03:04:05'::timestamp::date", "date '2024-01-02'::timestamp",
    "date '2024-01-02'::timestamptz", "'2024-01-02 03:04:05+02'::timestamptz::timestamp", "'2024-01-02 03:04:05+02'::timestamptz::date",
    "interval '1 day'::text", "'1 day'::interval", "'{\"a\": 1}'::jsonb::text", "'{\"a\": 1}'::json::jsonb", "'5'::jsonb::int",
    "'5.7'::jsonb::int", "'\"x\"'::jsonb::int", "'true'::jsonb::bool", "'12'::jsonb::numeric", "true::varchar", "12::oid", "-1::oid",
    "1::numeric(3,1)", "99.95::numeric(3,1)", "'abc'::bytea::text", "1::interval", "'x'::name", "CAST(3.7 AS integer)",
    "CAST('2024-01-01' AS date)", "3.7::smallint", "70000::smallint", "'1.5e3'::numeric", "'0.1'::float4", "(0.1::float4 * 3)",
  ],
  strings: [
    "length('héllo')", "char_length('abc')", "octet_length('é')", "lower('ABC')", "upper('abc')", "substr('hello', 2, 3)", "substr('hello', 0, 2)",
    "substr('hello', 3)", "substring('hello' from 2 for 3)", "substring('hello' from 3)", "substring('hello' for 2)", "substr('x', 1, -1)",
    "position('l' in 'hello')", "strpos('hello', 'z')", "replace('aXbXc', 'X', '--')", "trim('  a  ')", "trim(both 'x' from 'xxaxx')",
    "trim(leading from '  a  ')", "trim(trailing 'x' from 'xxaxx')", "ltrim('  a')", "rtrim('a  ')", "btrim('xyaxy', 'xy')", "lpad('5', 3, '0')",
    "lpad('hello', 3)", "rpad('ab', 5, 'xy')", "rpad('ab', 4)", "concat('a', 1, NULL, true, 2.50)", "concat_ws('-', 'a', NULL, 'b', 3)",
    "concat_ws(NULL, 'a')", "'a' || 'b'", "'a' || 1", "1 || 'a'", "'a' || NULL", "'x' || 1.50 || true", "left('hello', 2)", "left('hello', -2)",
    "right('hello', 2)", "right('hello', -2)", "repeat('ab', 3)", "repeat('ab', -1)", "reverse('abc')", "split_part('a,b,c', ',', 2)",
    "split_part('a,b,c', ',', 5)", "split_part('a,b,c', ',', -1)", "starts_with('hello', 'he')", "initcap('hello wORLD-foo bar')",
    "md5('abc')", "ascii('A')", "chr(65)", "translate('hello', 'el', 'ip')", "quote_ident('Foo')", "quote_literal('it''s')", "to_hex(255)",
    "'abc' LIKE 'a%'", "'abc' LIKE 'a_c'", "'abc' LIKE 'A%'", "'abc' ILIKE 'A%'", "'abc' NOT LIKE 'a%'", "'a%c' LIKE 'a\\%c'",
    "'a%c' LIKE 'a!%c' ESCAPE '!'", "'abc' LIKE 'abc\\'", "'ab' NOT ILIKE 'AB'", "'a.c' LIKE 'a.c'", "'abc' ~ 'b+'", "'abc' ~* 'B'",
    "'abc' !~ 'z'", "regexp_replace('hello world', 'o', '0')", "regexp_replace('hello world', 'o', '0', 'g')",
    "regexp_replace('abc', '(b)', '[\\1]')",
    "'abc123' ~ '^[[:alpha:]]+[[:digit:]]+$'", "'ab cd' ~ '[[:space:]]'", "'555-1234' ~ '^[0-9]{3}\\-[0-9]{4}$'", "'the cat' ~ '\\ycat\\y'",
    "'concat' ~ '\\ycat\\y'", "regexp_replace('a.b.c', '\\.', '-', 'g')", "'x]' ~ '[]x]+'", "'A1' ~ '^[[:upper:][:digit:]]+$'",
    "regexp_replace('hello world', '\\mw', 'W')", "'a\"b' ~ 'a\\\"b'", "'abc' < 'abd'", "'abc' = 'abc '", "'abc'::char(5) = 'abc'", "length('abc'::char(5))",
    "upper(NULL)", "length(1234)", "lower(12)",
    "format('%s-%s', 'a', 1)", "format('%I.%L', 'My Table', 'it''s')", "format('%2$s %1$s', 'a', 'b')", "format('[%5s|%-5s]', 'ab', 'cd')",
    "format('%s %L', NULL, NULL)", "format('100%%')", "format('%s', true)", "quote_nullable(NULL)", "encode('\\x00ff41'::bytea, 'hex')",
    "encode('hello'::bytea, 'base64')", "encode('a\\000b'::bytea, 'escape')", "decode('00ff41', 'hex')", "decode('aGVsbG8=', 'base64')",
    "convert_from('\\x68c3a9'::bytea, 'UTF8')", "convert_to('hé', 'UTF8')", "get_byte('\\x0102'::bytea, 1)", "sha256('abc'::bytea)",
    "overlay('Txxxxas' placing 'hom' from 2 for 4)", "overlay('abc' placing 'X' from 2)", "num_nulls(1, NULL, 'a', NULL)", "num_nonnulls(1, NULL)",
    "length('\\x0102'::bytea)", "md5('\\x00'::bytea)",
    "'abc' SIMILAR TO 'a%'", "'abc' SIMILAR TO '(a|b)%'", "'abc' SIMILAR TO 'a_'", "'a.c' SIMILAR TO 'a.c'", "'abc' SIMILAR TO 'a.c'",
    "'abc' NOT SIMILAR TO '%c'", "'a%' SIMILAR TO 'a!%' ESCAPE '!'", "substring('foobar' from 'o.b')", "substring('foobar' from 'o(.)b')",
    "substring('foobar' from 'z')", "substring('foobar' similar '%#\"o_b#\"%' escape '#')",
  ],
  math: [
    'abs(-5)', 'abs(-5.5)', 'abs(-2147483648)', 'abs(-1.5::float8)', 'ceil(1.2)', 'ceil(-1.2)', 'ceiling(1.2::float8)', 'floor(-1.5)',
    'floor(1.5::float8)', 'round(2.5)', 'round(-2.5)', 'round(2.5::float8)', 'round(3.5::float8)', 'round(5)', 'round(1.2345, 2)',
    'round(1234.5, -2)', 'round(1.5::float8)', 'trunc(1.99)', 'trunc(-1.99, 1)', 'trunc(1.99::float8)', 'sqrt(16)', 'sqrt(2)',
    'sqrt(2::numeric)', 'sqrt(-1)', 'sqrt(100.0)', 'power(2, 10)', 'power(2.0, 10)', 'power(2, -1)', 'power(0, -1)', 'power(-8, 1.0/3)',
    'exp(1)', 'exp(1.0)', 'ln(10)', 'ln(10.0)', 'ln(0)', 'ln(-1)', 'log(100)', 'log(100.0)', 'log(2, 8)', 'log10(1000)', 'mod(10, 3)',
    'mod(-10, 3)', 'mod(10.5, 3)', 'mod(10, 0)', "'NaN'::numeric % 0", "'Infinity'::numeric % 2", "5 % 'Infinity'::numeric",
    "div('Infinity'::numeric, 2)", "div(5, 'Infinity'::numeric)", "'NaN'::numeric / 0", "1::numeric / 'Infinity'", "'Infinity'::numeric / 0", 'ceil(-0.25)', 'div(10.5, 3)', 'sign(-3)', 'sign(0.0)', 'sign(2.5::float8)', 'pi()', 'degrees(pi())',
    'radians(180)', 'sin(0)', 'cos(0)', 'atan2(1, 1)', 'gcd(12, 18)', 'exp(1000)', '2.0 ^ 3', '(-2) ^ 2', 'random() < 1',
  ],
  datetime: [
    "date '2024-01-31' + 1", "date '2024-03-01' - 1", "date '2024-03-01' - date '2024-01-01'", "1 + date '2024-01-01'",
    "date '2024-01-31' + interval '1 month'", "date '2024-01-01' - interval '1 day'", "timestamp '2024-01-31 10:00' + interval '1 month'",
    "timestamp '2024-02-29 10:00' + interval '1 year'", "timestamp '2024-01-01 00:00' - interval '1 hour 30 minutes'",
    "timestamp '2024-01-03 12:00' - timestamp '2024-01-01 00:00'", "timestamp '2024-01-01' - timestamp '2024-01-03 12:00'",
    "timestamptz '2024-01-01 00:00+00' + interval '1 day'", "timestamptz '2024-03-01 00:00+00' - timestamptz '2024-01-01 00:00+00'",
    "interval '1 day' + interval '3 hours'", "interval '1 day' - interval '3 hours'", "- interval '1 day'", "interval '1 hour' * 2.5",
    "interval '1 month' * 1.5", "interval '1 day' / 4", "interval '1 day' / 0", "3 * interval '1 minute'", "interval '1 year 2 mons' * 0.3",
    "date_trunc('month', timestamp '2024-05-17 13:14:15')", "date_trunc('year', timestamp '2024-05-17 13:14:15')",
    "date_trunc('hour', timestamp '2024-05-17 13:14:15.5')", "date_trunc('week', timestamp '2024-05-17 13:14:15')",
    "date_trunc('quarter', timestamp '2024-05-17')", "date_trunc('day', timestamptz '2024-05-17 13:14:15+00')",
    "date_trunc('second', timestamp '2024-05-17 13:14:15.75')", "date_trunc('decade', timestamp '2024-05-17')", "date_trunc('century', timestamp '2024-05-17')",
    "date_trunc('hour', interval '1 day 5 hours 30 minutes')", "date_trunc('bogus', timestamp '2024-05-17')",
    "extract(year from timestamp '2024-05-17 13:14:15.5')", "extract(month from date '2024-05-17')", "extract(second from timestamp '2024-05-17 13:14:15.5')",
    "extract(epoch from timestamp '2024-05-17 13:14:15.5')", "extract(epoch from date '2024-05-17')", "extract(dow from date '2024-05-19')",
    "extract(isodow from date '2024-05-19')", "extract(doy from date '2024-05-17')", "extract(week from date '2024-01-01')", "extract(quarter from date '2024-05-17')",
    "extract(milliseconds from timestamp '2024-05-17 13:14:15.5')", "extract(microseconds from timestamp '2024-05-17 13:14:15.5')",
    "extract(hour from interval '1 day 5 hours')", "extract(epoch from interval '1 day 5 hours')", "extract(epoch from interval '1 year')",
    "extract(day from interval '40 days')", "extract(century from date '2024-05-17')", "extract(timezone from timestamptz '2024-05-17 00:00+00')",
    "extract(hour from date '2024-05-17')", "date_part('year', timestamp '2024-05-17')", "date_part('epoch', timestamp '2024-05-17 00:00:00.25')",
    "date_part('day', date '2024-05-17')", "date_bin(interval '15 minutes', timestamp '2024-05-17 13:14:15', timestamp '2024-01-01')",
    "date_bin(interval '1 hour', timestamptz '2024-05-17 13:14:15+00', timestamptz '2024-01-01 00:30+00')",
    "date_bin(interval '1 month', timestamp '2024-05-17', timestamp '2024-01-01')",
    "age(timestamp '2024-05-17', timestamp '2023-01-20 10:00')", "age(timestamp '2023-01-20', timestamp '2024-05-17 10:00')",
    "make_date(2024, 2, 29)", "make_date(2023, 2, 29)", "make_timestamp(2024, 1, 2, 3, 4, 5.5)", "to_timestamp(0)", "to_timestamp(1700000000.5)",
    "timestamp '2024-05-17 10:00' AT TIME ZONE 'UTC'", "timestamptz '2024-05-17 10:00+00' AT TIME ZONE 'America/New_York'",
    "timestamptz '2024-05-17 10:00+00' AT TIME ZONE 'Asia/Kolkata'", "justify_hours(interval '50 hours')", "justify_days(interval '35 days')", "make_interval(1, 2, 3, 4, 5, 6, 7.5)", "make_interval()", "make_interval(1)",
    "make_interval(0, 0, 0, 0, 0, 0, 0)", "make_interval(0, 0, 0, 0, 0, 0, 1.0000005)",
    "isfinite(date 'infinity')", "timestamp 'infinity' > timestamp '2024-01-01'", "date '2024-01-01' = timestamp '2024-01-01'",
    "timestamp '2024-01-01 10:00' = timestamptz '2024-01-01 10:00+00'", "interval '1 day' = interval '24 hours'", "interval '1 month' > interval '29 days'",
    "'2024-01-01'::date + '1 day'::interval", "interval '1' day", "interval '2' hour", "interval '3' year", "interval '1 day 3 hours' day",
    "interval '1-2' year to month", "interval '1 day 3:04:05' hour to minute", "interval '1.25' second", "interval '90' minute",
    "interval '1 day 5 hours'::interval hour", "interval '1.123456789 seconds'", "interval '1 year 5 days' month", "timestamp '294276-12-31 23:59:59' + interval '1 day'", "date '2024-01-01' + 2147483647",
  ],
  to_char: [
    "to_char(5, '999')", "to_char(-5, '999')", "to_char(0.5, '999.99')", "to_char(0.5, '990.99')", "to_char(3.14159, 'FM999.99')",
    "to_char(3.1, 'FM999.99')", "to_char(1234, '9,999')", "to_char(12345, '999')", "to_char(-0.5, 'FM990.00')", "to_char(5, 'FM000')",
    "to_char(1234.5, '9G999D9')", "to_char(5, 'S999')", "to_char(-5, '999S')", "to_char(3, 'FM9.')", "to_char(123.456::float8, '999.9')",
    "to_char(-123, 'FM9999')", "to_char(0, '999')", "to_char(0, 'FM999')", "to_char(5, 'MI999')", "to_char(-5, 'FM999MI')",
    "to_char(1234567::bigint, '9,999,999')", "to_char(-0.0::float8, '0000.0')", "to_char(-0.0::float8, '9.9')",
    "to_char('NaN'::numeric, '999D99')", "to_char('NaN'::float8, '0000.0')", "to_char('NaN'::numeric, 'FM9999')", "to_char('NaN'::float8, '9G999')",
    "to_char('Infinity'::float8, '999D99')", "to_char('-Infinity'::float8, '999')", "to_char(1e150::float8, '999D99')",
    "to_char(123456789012.345::float8, '999999999999D99999')", "to_char(1234567.891::float8, '9999999D0000000000')",
    "to_char(0.1::float8, '9D99999999999999999')", "to_char(1.5::real, '9D9999999')", "to_char(12345.5::real, '99999D99')", "to_char(2.5::float8, '9')", "to_char(-0.25, '9G999')", "to_char(-0.25::float8, '9G999')", "to_char(12.5, '00000.000')", "to_char(-12.5, '99999.999')",
    "to_char(timestamp '2024-03-05 14:07:09.123456', 'YYYY-MM-DD HH24:MI:SS.MS US')", "to_char(timestamp '2024-03-05 14:07:09', 'Day Mon FMDay FMMonth DDth')",
    "to_char(timestamp '2024-03-05 14:07:09', 'Q IW WW D J am HH12 TZ')", "to_char(timestamptz '2024-03-05 14:07:09+00', 'YYYY TZ OF TZH:TZM')",
    "to_char(interval '1 day 3 hours', 'HH24:MI DD')", "to_char(date '2024-12-30', 'IYYY-IW-ID')", "to_char(timestamp '2024-01-01 00:00', 'HH12:MI AM')",
    "to_char(timestamp '2024-07-04 12:30', 'FMDD/FMMM/YYYY \"at\" HH24\"h\"')", "to_char(timestamp '2024-07-04', 'MONTH month Mon DY dy RM')",
    "to_char(date '2024-07-04', 'YYYY-MM-DD')", "to_char(timestamp '2024-07-04', 'DDD CC Y,YYY YY')",
    "to_timestamp('2024-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS')", "to_date('05 Mar 2024', 'DD Mon YYYY')",
    "to_timestamp('2024/3/5 2:07 PM', 'YYYY/MM/DD HH:MI AM')", "to_date('20240305', 'YYYYMMDD')", "to_timestamp('5.3.2024 14:07:09.123', 'DD.MM.YYYY HH24:MI:SS.MS')",
    "to_date('2024-13-05', 'YYYY-MM-DD')", "to_date('x', 'YYYY')", "to_number('1,234.5', '9G999D9')", "to_number('-12.3', '99D9')",
    "to_timestamp('2024 March', 'YYYY Month')", "to_date('March 5, 2024', 'Month DD, YYYY')", "to_number('12,345', '99,999')",
    "to_timestamp('13:00 PM', 'HH:MI AM')",
  ],
  arrays: [
    'ARRAY[1,2,3]', 'ARRAY[1,NULL,3]', "ARRAY['a','b']", 'ARRAY[1.5, 2]', 'ARRAY[]::int[]', 'ARRAY[]', "ARRAY['1','2']::int[]",
    "'{1,2,3}'::int[]", "'{a,\"b c\",NULL}'::text[]", '(ARRAY[10,20,30])[2]', '(ARRAY[10,20,30])[0]', '(ARRAY[10,20,30])[4]',
    '(ARRAY[10,20,30])[NULL]', '(ARRAY[10,20,30])[2:3]', '(ARRAY[10,20,30])[:2]', '(ARRAY[10,20,30])[2:]', '(ARRAY[10,20,30])[5:9]',
    '(ARRAY[10,20,30])[0:1]', "('[0:2]={1,2,3}'::int[])[0]", "('[0:2]={1,2,3}'::int[])[0:1]",
    "3 = ANY('{1,2}')", "'a' = ANY('{a,b}')", "'c' <> ALL('{a,b}')", "2 > ANY('{1,5}'::int[])", "2 > ALL('{1,5}'::int[])",
    "NULL::int = ANY('{}'::int[])", "NULL::int = ALL('{}'::int[])", "1 = ANY('{2,NULL}'::int[])", '1 = ANY(NULL::int[])',
    "1 = ANY('{1,NULL}'::int[])", "1 <> ALL('{2,NULL}'::int[])", "1 = SOME('{3,1}'::int[])", "1.5 = ANY('{1,2}'::int[])", "1 = ANY('{1.0,2}'::numeric[])",
    'array_length(ARRAY[1,2,3], 1)', 'array_length(ARRAY[1,2,3], 2)', "array_length('{}'::int[], 1)", 'cardinality(ARRAY[1,2])', "cardinality('{}'::int[])",
    "array_lower('[3:4]={1,2}'::int[], 1)", "array_upper('[3:4]={1,2}'::int[], 1)", 'array_ndims(ARRAY[1])', "array_ndims('{}'::int[])",
    'array_dims(ARRAY[1,2])', "array_dims('[3:4]={1,2}'::int[])", "array_position(ARRAY['a','b','c'], 'b')", 'array_position(ARRAY[1,NULL], NULL)',
    'array_position(ARRAY[1,2,1], 1, 2)', 'array_positions(ARRAY[1,2,1], 1)', 'array_remove(ARRAY[1,2,1,NULL], 1)', 'array_remove(ARRAY[1,NULL], NULL)',
    'array_replace(ARRAY[1,2], 2, 5)', 'array_cat(ARRAY[1], ARRAY[2,3])', 'array_cat(NULL, ARRAY[2])', 'array_cat(ARRAY[1], NULL)',
    'array_append(ARRAY[1], 2)', 'array_append(NULL, 2)', 'array_prepend(0, ARRAY[1,2])', "array_prepend(0, '[5:6]={1,2}'::int[])",
    'ARRAY[1] || ARRAY[2]', 'ARRAY[1] || 2', '0 || ARRAY[1]', "ARRAY[1,2] || '{3,4}'", "ARRAY['a'] || 'b'::text", "'x' || ARRAY['y']",
    'ARRAY[1] || 2.5', 'ARRAY[1.5] || 2', 'ARRAY[1,2] @> ARRAY[1]', 'ARRAY[1] <@ ARRAY[1,2]', 'ARRAY[1,NULL] @> ARRAY[NULL::int]',
    'ARRAY[1,2] && ARRAY[2,3]', 'ARRAY[1] && ARRAY[3]', "'{}'::int[] <@ ARRAY[1]", "string_to_array('a,b,,c', ',')", "string_to_array('abc', NULL)",
    "string_to_array('abc', '')", "string_to_array('', ',')", "string_to_array('a,x,b', ',', 'x')", "string_to_array(NULL, ',')",
    "array_to_string(ARRAY[1,NULL,3], ',')", "array_to_string(ARRAY[1,NULL,3], ',', '*')", "array_to_string(ARRAY['2024-01-01'::date], ';')",
    'ARRAY[1,2] = ARRAY[1,2]', 'ARRAY[1,2] < ARRAY[1,3]', 'ARRAY[1] <> ARRAY[1,2]', 'ARRAY[1,2]::text', "array_length('{1,2}', 1)", "cardinality('{1}')", "'a' || 1", '1 || \'a\'',
  ],
  json: [
    "'{\"a\":1,\"b\":\"x\"}'::jsonb -> 'a'", "'{\"a\":1,\"b\":\"x\"}'::jsonb ->> 'b'", "'{\"a\":1}'::jsonb -> 'z'", "'[1,2,3]'::jsonb -> 1",
    "'[1,2,3]'::jsonb -> -1", "'[1,2,3]'::jsonb ->> 5", "'{\"a\":{\"b\":[10,20]}}'::jsonb #> '{a,b,1}'", "'{\"a\":{\"b\":[10,20]}}'::jsonb #>> '{a,b}'",
    "'{\"a\":null}'::jsonb ->> 'a'", "'{\"a\":null}'::jsonb -> 'a'", "jsonb_typeof('[1]'::jsonb)", "jsonb_typeof('1.5'::jsonb)", "jsonb_typeof('null')",
    "to_jsonb(1)", "to_jsonb('x'::text)", "to_jsonb(1.50)", "to_jsonb(true)", "to_jsonb(timestamp '2024-01-02 03:04:05')", "to_jsonb(NULL::int)",
    "jsonb_build_object('b', 1, 'a', 'x', 'c', NULL)", "jsonb_build_array(1, 'a', NULL, 2.5)", "'{\"a\":1}'::jsonb @> '{\"a\":1}'",
    "'{\"a\":1,\"b\":2}'::jsonb @> '{\"b\":3}'", "'{\"a\":1}'::jsonb ? 'a'", "'[\"a\",\"b\"]'::jsonb ? 'b'", "'{\"a\":1}'::jsonb || '{\"b\":2}'",
    "'\"str\"'::jsonb -> 0", "'\"str\"'::jsonb ->> -1", "'\"str\"'::json -> 0", "'5'::jsonb -> 1",
    "'{\"a\": [1,  2], \"b\": {\"c\" : 1.50}}'::json -> 'a'", "'{\"a\": [1,  2], \"b\": {\"c\" : 1.50}}'::json -> 'b'",
    "'{\"a\": [1,  2]}'::json ->> 'a'", "'{\"a\": {\"b\":  [ 3 ]}}'::json #> '{a,b}'", "'{\"a\": [1,  2]}'::jsonb -> 'a'",
    "'{\"a\":1}'::json -> 'a'", "'{\"a\":\"x\"}'::json ->> 'a'", "jsonb_array_length('[1,2,3]')", "'{\"a\":1.0}'::jsonb = '{\"a\":1}'::jsonb",
    "'{\"a\":[1,2]}'::jsonb -> 'a' -> 0", "jsonb_extract_path_text('{\"a\":{\"b\":\"c\"}}', 'a', 'b')", "'not json'::jsonb",
    "json_build_object('a',1,'b','x','c',null,'d',json_build_array(1,'y',2.50))", "json_build_array()", "json_build_object()", "jsonb_build_object()",
    "to_json('x'::text)", "to_json(1.50)", "to_json(timestamp '2024-01-01 10:00')", "json_build_object('a', '{\"z\": 1}'::json, 'b', '{\"z\": 1}'::jsonb)",
    "json_build_array(true, 1 = 2)", "json_build_object(null, 1)", "jsonb_build_object('a', 1, null, 2)", "jsonb_build_object('a')",
    "'{\"a\":1,\"b\":2}'::jsonb - 'a'", "'[1,2,3]'::jsonb - 1", "'[\"a\",\"b\"]'::jsonb - 'a'", "'5'::jsonb - 'a'",
    "jsonb_strip_nulls('{\"a\":null,\"b\":[null,{\"c\":null}]}')", "jsonb_pretty('{\"a\":[1,{\"b\":2}],\"c\":{},\"d\":[]}')",
    "jsonb_set('{\"a\":{\"b\":1}}', '{a,b}', '5')", "jsonb_set('{\"a\":1}', '{c}', '5')", "jsonb_set('{\"a\":1}', '{c}', '5', false)",
    "jsonb_set('[1,2]', '{5}', '9')", "jsonb_set('[1,2]', '{-9}', '9')", "jsonb_set('[1,2]', '{0}', '9')",
  ],
  system: [
    "current_schema()", "current_setting('TimeZone')", "current_setting('nope')", "current_setting('nope', true)",
    "pg_backend_pid() > 0", "1 = 1 AND version() LIKE 'PostgreSQL 15%'",
  ],
  errors: [
    "foo(1)", "length(1, 2, 3)", "'abc' - 1", "1::nonexistent", "NOT 1", "1 AND 2", "CASE WHEN 1 THEN 1 END", "date '2024-01-01' + 1.5",
    "'1' + '2'", "NULL + NULL", "- NULL", "'a'::int + 'b'", "true + 1", "interval '1 day' + 1", "1 || 2", "-'abc'", "'x' = 1", "substr(1)",
    "'abc'::int", "1 + 'x'", "(1 + 2) * true", "coalesce(1, true)", "CASE WHEN true THEN 1 ELSE 'x' END", "'2024-13-01'::date",
    "99999999999::int", "substr('x', 1, -1)", "1/0", "nullif(1, true)", "1 IN (true)", "greatest(1, 'x'::text)", "x + 1",
    "1 BETWEEN 'a' AND 2", "NOT 'x'::text", "'x' LIKE 1", "round(1.5, 'a')", "date '2024-01-01' - true", "interval 'x'",
    "timestamp '2024-01-01 25:00'", "'{bad'::jsonb", "'1.5'::bigint", "'abc'::bytea::int",
  ],
};

for (const [group, exprs] of Object.entries(groups)) {
  test(`expressions: ${group}`, async () => {
    const failures: string[] = [];
    for (const expr of exprs) {
      const sql = `SELECT ${expr}`;
      const expected = await oracle.value(sql);
      const actual = evalSql(sql);
      const same = expected.ok
        ? actual.ok && actual.text === expected.text && actual.typeOid === expected.typeOid
        : !actual.ok && actual.code === expected.code;
      if (!same) failures.push(`${sql}\n    postgres: ${JSON.stringify(expected)}\n    eddy:     ${JSON.stringify(actual)}`);
    }
    assert.equal(failures.length, 0, `${failures.length} of ${exprs.length} differ:\n  ${failures.join('\n  ')}`);
  });
}

test('errors carry the SQLSTATE, message and position PostgreSQL gives', async () => {
  const failures: string[] = [];
  for (const expr of groups.errors!) {
    const sql = `SELECT ${expr}`;
    const expected = await oracle.value(sql);
    const actual = evalSql(sql);
    assert.ok(!expected.ok, sql);
    const pick = (r: typeof actual | typeof expected) => (r.ok ? r : { code: r.code, message: r.message, position: r.position });
    if (JSON.stringify(pick(actual)) !== JSON.stringify(pick(expected))) {
      failures.push(`${sql}\n    postgres: ${JSON.stringify(pick(expected))}\n    eddy:     ${JSON.stringify(pick(actual))}`);
    }
  }
  assert.equal(failures.length, 0, failures.join('\n  '));
});

const zoned = [
  "timestamptz '2024-03-09 12:00:00+00'", "timestamptz '2024-03-09 12:00:00+00' + interval '1 day'", "timestamptz '2024-03-09 12:00:00+00' + interval '24 hours'",
  "date_trunc('day', timestamptz '2024-03-10 12:00:00+00')", "date_trunc('month', timestamptz '2024-11-03 12:00:00+00')",
  "extract(hour from timestamptz '2024-07-01 12:00:00+00')", "extract(timezone from timestamptz '2024-07-01 12:00:00+00')",
  "timestamptz '2024-07-01 02:00:00+00'::date", "timestamptz '2024-07-01 12:00:00+00'::timestamp", "timestamp '2024-07-01 12:00:00'::timestamptz",
  "date '2024-07-01'::timestamptz", "'2024-07-01 12:00'::timestamptz", "timestamptz '2024-07-01 12:00:00+00'::text",
  "to_jsonb(timestamptz '2024-07-01 12:00:00+00')", "timestamp '2024-07-01 12:00' AT TIME ZONE 'Europe/Paris'",
  "age(timestamptz '2024-07-01 00:00+00', timestamptz '2024-01-01 00:00+00')", "to_timestamp(1700000000)",
];

test('expressions that depend on the session time zone', async () => {
  const failures: string[] = [];
  try {
    for (const zone of ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', '5', '-3', '+05:30']) {
      await oracle.value(`SELECT set_config('TimeZone', $1, false)`, [zone]);
      for (const expr of zoned) {
        const sql = `SELECT ${expr}`;
        const expected = await oracle.value(sql);
        const actual = evalSql(sql, { settings: { timezone: zone } });
        const same = expected.ok ? actual.ok && actual.text === expected.text && actual.typeOid === expected.typeOid : !actual.ok && actual.code === expected.code;
        if (!same) failures.push(`[${zone}] ${sql}\n    postgres: ${JSON.stringify(expected)}\n    eddy:     ${JSON.stringify(actual)}`);
      }
    }
  } finally {
    await oracle.value(`SELECT set_config('TimeZone', 'UTC', false)`);
  }
  assert.equal(failures.length, 0, failures.join('\n  '));
});

test('constant folding gives the same results as evaluation, and keeps what may never run', () => {
  for (const exprs of Object.values(groups)) {
    for (const expr of exprs) {
      const plain = evalSql(`SELECT ${expr}`);
      if (expr.includes('random()')) continue;
      assert.deepEqual(evalSql(`SELECT ${expr}`, { fold: true }), plain, expr);
    }
  }
});

// Every type cast to every type: PostgreSQL's cast table, its rounding and range rules.
const castSamples = [
  'true', '7::smallint', '-5', '9000000000::bigint', '1.5::real', '2.5::double precision', '123.456::numeric', "'42'::text", "' 7 '::varchar",
  "'t '::char(3)", "'nm'::name", "'\\x3132'::bytea", "date '2024-01-02'", "timestamp '2024-01-02 03:04:05.5'", "timestamptz '2024-01-02 03:04:05+00'",
  "interval '1 day 02:00'", "'{\"a\": 1}'::json", "'5'::jsonb", '12::oid',
];
const castTargets = [
  'boolean', 'smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric', 'numeric(4,1)', 'text', 'varchar(2)', 'char(2)', 'name',
  'bytea', 'date', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'oid',
];

test('casts between all types', async () => {
  const failures: string[] = [];
  for (const sample of castSamples) {
    for (const target of castTargets) {
      const sql = `SELECT (${sample})::${target}`;
      const expected = await oracle.value(sql);
      const actual = evalSql(sql);
      const same = expected.ok ? actual.ok && actual.text === expected.text && actual.typeOid === expected.typeOid : !actual.ok && actual.code === expected.code;
      if (!same) failures.push(`${sql}\n    postgres: ${JSON.stringify(expected)}\n    eddy:     ${JSON.stringify(actual)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} casts differ:\n  ${failures.join('\n  ')}`);
});

test('multidimensional arrays are refused with 0A000 naming the construct, never answered', () => {
  for (const expr of ['ARRAY[[1,2],[3,4]]', '(ARRAY[1,2])[1][1]', 'ARRAY[ARRAY[1]]']) {
    const r = evalSql(`SELECT ${expr}`);
    assert.ok(!r.ok && r.code === '0A000' && /multidimensional arrays/.test(r.message), `${expr}: ${JSON.stringify(r)}`);
  }
});
