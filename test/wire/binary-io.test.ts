/**
 * Binary send/recv formats. The expected bytes were produced by PostgreSQL 15's own *_send
 * functions (e.g. `SELECT numeric_send(-12345.678)`), so these tests pin Eddy to PostgreSQL's
 * layouts, not to its own output.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { decodeBinary, encodeBinary } from '../../src/types/binary-io.js';
import { Interval, Json, T, type SqlType, type Value } from '../../src/types/types.js';
import { SqlError } from '../../src/errors.js';
import { formatNumeric, withScale } from '../../src/types/numeric.js';

const hex = (s: string) => Buffer.from(s, 'hex');

/** [type, value, PostgreSQL's bytes for it] */
const reference: [SqlType, Value, string][] = [
  [T.bool, true, '01'],
  [T.bool, false, '00'],
  [T.int2, -2, 'fffe'],
  [T.int4, 305419896, '12345678'],
  [T.int8, -2n, 'fffffffffffffffe'],
  [T.oid, 4294967295, 'ffffffff'],
  [T.float4, 1.5, '3fc00000'],
  [T.float8, 1.5, '3ff8000000000000'],
  [T.numeric, new Decimal(0), '0000000000000000'],
  // 0.00 and 1.50 keep their display scale (dscale 2) as PostgreSQL's numeric does.
  [T.numeric, withScale(new Decimal(0), 2), '0000000000000002'],
  [T.numeric, withScale(new Decimal('1.5'), 2), '000200000000000200011388'],
  [T.numeric, new Decimal('1.5'), '000200000000000100011388'],
  [T.numeric, new Decimal('-12345.678'), '0003000140000003000109291a7c'],
  [T.numeric, new Decimal('0.001'), '0001ffff00000003000a'],
  [T.numeric, new Decimal(100000000), '00010002000000000001'],
  [T.numeric, new Decimal(NaN), '00000000c0000000'],
  [T.numeric, new Decimal(Infinity), '00000000d0000000'],
  [T.numeric, new Decimal(-Infinity), '00000000f0000000'],
  [T.text, 'héllo', '68c3a96c6c6f'],
  [T.varchar, 'ab', '6162'],
  [T.name, 'pg', '7067'],
  [T.bytea, Buffer.from([0, 255, 10]), '00ff0a'],
  // 2024-02-29 is day 19782 since 1970 and 8825 (0x2279) since 2000.
  [T.date, 19782, '00002279'],
  [T.date, Infinity, '7fffffff'],
  // '2024-02-29 12:34:56.789012'
  [T.timestamp, Date.UTC(2024, 1, 29, 12, 34, 56, 789) * 1000 + 12, '0002b58341728614'],
  [T.timestamptz, -Infinity, '8000000000000000'],
  // '1 year 2 mons 3 days 04:05:06.5'
  [T.interval, new Interval(14, 3, 14_706_500_000), '000000036c9361a0000000030000000e'],
  [T.jsonb, new Json({ a: [1, 2] }), '017b2261223a205b312c20325d7d'],
];

test('encodeBinary writes PostgreSQL send-format bytes', () => {
  for (const [type, value, bytes] of reference) {
    assert.equal(encodeBinary(type, value).toString('hex'), bytes, `${type.typname} ${String(value)}`);
  }
});

test('decodeBinary reads PostgreSQL send-format bytes back to the same value', () => {
  for (const [type, value, bytes] of reference) {
    const decoded = decodeBinary(type, hex(bytes));
    if (value instanceof Decimal) {
      assert.ok(decoded instanceof Decimal, type.typname);
      assert.equal(formatNumeric(decoded), formatNumeric(value), bytes);
    } else if (value instanceof Uint8Array) {
      assert.deepEqual(Buffer.from(decoded as Uint8Array), Buffer.from(value));
    } else {
      assert.deepEqual(decoded, value, `${type.typname} ${bytes}`);
    }
  }
});

test('numeric round-trips awkward magnitudes and scales', () => {
  for (const s of ['0.0001', '-0.00010001', '9999.9999', '10000', '123456789012345678901234567890.123456789', '-1e-20', '7e+30']) {
    const d = new Decimal(s);
    const back = decodeBinary(T.numeric, encodeBinary(T.numeric, d)) as Decimal;
    assert.ok(back.equals(d), `${s} came back as ${back}`);
    assert.equal(formatNumeric(back), formatNumeric(d));
    assert.equal(encodeBinary(T.numeric, d).readInt16BE(6), d.decimalPlaces(), `dscale of ${s}`);
  }
});

test('json is sent as its text, jsonb with a version byte', () => {
  assert.equal(encodeBinary(T.json, new Json({ k: 'v' })).toString('utf8'), '{"k":"v"}');
  assert.deepEqual(decodeBinary(T.json, Buffer.from('[1, null]')), new Json([1, null]));
});

test('malformed binary input is a 22P03 SqlError, not a crash', () => {
  const bad: [SqlType, string][] = [
    [T.int4, '0001'],
    [T.int8, '00'],
    [T.bool, ''],
    [T.numeric, '0001'],
    [T.numeric, '0001000000000000ffff'],
    [T.numeric, '0000000012340000'],
    [T.jsonb, '027b7d'],
    [T.interval, '00'],
  ];
  for (const [type, bytes] of bad) {
    assert.throws(
      () => decodeBinary(type, hex(bytes)),
      (err: unknown) => err instanceof SqlError && err.code === '22P03',
      `${type.typname} ${bytes}`,
    );
  }
  assert.throws(() => decodeBinary(T.text, hex('ff')), (err: unknown) => err instanceof SqlError && err.code === '22021');
});
