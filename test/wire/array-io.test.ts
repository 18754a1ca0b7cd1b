/**
 * Array text and binary I/O. The expected texts and bytes are PostgreSQL 15's own (array_out,
 * `SELECT array_send('{1,2,NULL}'::int4[])`), so these pin Eddy to PostgreSQL, not to itself.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { decodeBinary, encodeBinary } from '../../src/types/binary-io.js';
import { formatValue, parseValue } from '../../src/types/text-io.js';
import { arrayTypeOf, Json, SqlArray, T, type SqlType, type Value } from '../../src/types/types.js';
import { compareValues, rowKey } from '../../src/types/compare.js';
import { withScale } from '../../src/types/numeric.js';
import { SqlError } from '../../src/errors.js';

const arr = (elem: SqlType) => arrayTypeOf(elem)!;

test('array types have PostgreSQL OIDs, names and element types', () => {
  const expected: [SqlType, number, string][] = [
    [T.bool, 1000, '_bool'], [T.bytea, 1001, '_bytea'], [T.int2, 1005, '_int2'], [T.int4, 1007, '_int4'],
    [T.text, 1009, '_text'], [T.varchar, 1015, '_varchar'], [T.int8, 1016, '_int8'], [T.float4, 1021, '_float4'],
    [T.float8, 1022, '_float8'], [T.timestamp, 1115, '_timestamp'], [T.date, 1182, '_date'], [T.timestamptz, 1185, '_timestamptz'],
    [T.interval, 1187, '_interval'], [T.numeric, 1231, '_numeric'], [T.jsonb, 3807, '_jsonb'],
  ];
  for (const [elem, oid, typname] of expected) {
    const a = arr(elem);
    assert.deepEqual([a.oid, a.typname, a.category, a.element], [oid, typname, 'A', elem]);
  }
  assert.equal(arrayTypeOf(T.unknown), undefined);
});

/** [type, value, PostgreSQL's text] */
const texts: [SqlType, SqlArray, string][] = [
  [arr(T.int4), new SqlArray([1, 2, null]), '{1,2,NULL}'],
  [arr(T.int4), new SqlArray([]), '{}'],
  [arr(T.int4), new SqlArray([1, 2], 0), '[0:1]={1,2}'],
  [arr(T.text), new SqlArray(['a', 'b c', '', 'NULL', null, 'q"', ' sp ', 'x\\y']), '{a,"b c","","NULL",NULL,"q\\""," sp ","x\\\\y"}'],
  [arr(T.bytea), new SqlArray([Buffer.from([1])]), '{"\\\\x01"}'],
  [arr(T.timestamp), new SqlArray([Date.UTC(2024, 0, 1, 10) * 1000]), '{"2024-01-01 10:00:00"}'],
  [arr(T.jsonb), new SqlArray([new Json({ a: 1 })]), '{"{\\"a\\": 1}"}'],
  [arr(T.numeric), new SqlArray([withScale(new Decimal('1.5'), 2)]), '{1.50}'],
  [arr(T.bool), new SqlArray([true, false]), '{t,f}'],
];

test('formatValue writes arrays as array_out does', () => {
  for (const [type, value, text] of texts) assert.equal(formatValue(type, value), text);
});

test('parseValue reads what array_out writes back to the same value', () => {
  for (const [type, value, text] of texts) {
    const parsed = parseValue(type, text);
    assert.equal(compareValues(parsed, value), 0, text);
    assert.equal(formatValue(type, parsed), text);
  }
});

test('array_in: white space, unquoted NULL, escapes, and malformed input as 22P02', () => {
  const text = arr(T.text);
  assert.equal(formatValue(text, parseValue(text, '  { a , "b" ,  un quoted  , null, \\NULL }  ')), '{a,b,"un quoted",NULL,"NULL"}');
  assert.equal(formatValue(arr(T.int4), parseValue(arr(T.int4), '{ 1 ,2}')), '{1,2}');
  for (const bad of ['', '1,2', '{1,2', '{1,,2}', '{1}x', '{"a}', '[1:3]={1,2}']) {
    assert.throws(() => parseValue(text, bad), (e) => e instanceof SqlError && e.code === '22P02', bad);
  }
  assert.throws(() => parseValue(arr(T.int4), '{1,x}'), (e) => e instanceof SqlError && e.code === '22P02');
  assert.throws(() => parseValue(arr(T.varchar), '{abcd}', 3 + 4), (e) => e instanceof SqlError && e.code === '22001');
});

/** [type, value, PostgreSQL's array_send bytes] */
const binaries: [SqlType, SqlArray, string][] = [
  [arr(T.int4), new SqlArray([1, 2, null]), '000000010000000100000017000000030000000100000004000000010000000400000002ffffffff'],
  [arr(T.int4), new SqlArray([]), '000000000000000000000017'],
  [arr(T.text), new SqlArray(['a', 'b c']), '0000000100000000000000190000000200000001000000016100000003622063'],
  [arr(T.int8), new SqlArray([1n, 2n], 0), '0000000100000000000000140000000200000000000000080000000000000001000000080000000000000002'],
  [arr(T.numeric), new SqlArray([new Decimal('1.5'), null]), '0000000100000001000006a400000002000000010000000c000200000000000100011388ffffffff'],
  [arr(T.date), new SqlArray([19723]), '00000001000000000000043a0000000100000001000000040000223e'],
  [arr(T.bool), new SqlArray([true, false]), '000000010000000000000010000000020000000100000001010000000100'],
];

test('encodeBinary writes array_send bytes; decodeBinary reads them back', () => {
  for (const [type, value, bytes] of binaries) {
    assert.equal(encodeBinary(type, value).toString('hex'), bytes, formatValue(type, value));
    const decoded: Value = decodeBinary(type, Buffer.from(bytes, 'hex'));
    assert.equal(compareValues(decoded, value), 0);
    assert.equal(formatValue(type, decoded), formatValue(type, value));
  }
});

test('array_recv rejects a wrong element type and truncated data with 22P03', () => {
  const int4s = Buffer.from(binaries[0]![2], 'hex');
  assert.throws(() => decodeBinary(arr(T.int8), int4s), (e) => e instanceof SqlError && e.code === '22P03');
  assert.throws(() => decodeBinary(arr(T.int4), int4s.subarray(0, int4s.length - 6)), (e) => e instanceof SqlError && e.code === '22P03');
});

test('arrays order as array_cmp: element-wise, NULL last, then shorter first; keys follow equality', () => {
  const a = (...xs: Value[]) => new SqlArray(xs);
  const sorted = [a(), a(1), a(1, 2), a(1, null), a(2)];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = 0; j < sorted.length; j++) {
      assert.equal(Math.sign(compareValues(sorted[i]!, sorted[j]!)), Math.sign(i - j), `${i} ${j}`);
    }
  }
  assert.equal(rowKey([a(new Decimal('1.0'))]), rowKey([a(new Decimal('1.00'))]));
  assert.notEqual(rowKey([a(1, 2)]), rowKey([a(12)]));
  assert.notEqual(rowKey([a('a,b')]), rowKey([a('a', 'b')]));
});
