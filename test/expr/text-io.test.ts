/**
 * Text input and output of every type against PostgreSQL 15: the same input text must come back
 * as the same output text, or fail with the same SQLSTATE.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlError } from '../../src/errors.js';
import { T, type SqlType } from '../../src/types/types.js';
import { formatValue, parseValue } from '../../src/types/text-io.js';
import { numericTypmod } from '../../src/types/numeric.js';
import { startOracle, type Oracle } from './pg-oracle.js';

let oracle: Oracle;
before(async () => {
  oracle = await startOracle();
});
after(async () => {
  await oracle?.close();
});

const cases: [sqlType: string, type: SqlType, typmod: number, inputs: string[]][] = [
  ['boolean', T.bool, -1, ['t', 'true', ' TRUE ', 'yes', 'on', 'of', 'off', 'o', '1', '0', 'n', 'f', 'fal', 'maybe', '']],
  ['smallint', T.int2, -1, ['0', '-32768', '32767', '32768', ' 12 ', '1.5', 'abc', '']],
  ['integer', T.int4, -1, ['42', '-2147483648', '2147483647', '2147483648', '+7', '  -3', '12a', '1e3']],
  ['bigint', T.int8, -1, ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '0012', 'x']],
  ['oid', T.oid, -1, ['0', '4294967295', '-1', '4294967296', 'x']],
  ['double precision', T.float8, -1, [
    '0', '-0', '1', '1.5', '0.1', '1e15', '1e16', '123456789012345.6', '1234567890123456', '0.0001', '0.00001', '1.234e-5',
    '3.141592653589793', '1e300', '1e400', '1e-400', '-1.5e-7', 'NaN', 'Infinity', '-inf', 'abc', '1e', '.5', '5.',
    '100', '1e5', '2.5e+20', '4.9e-324', '1.7976931348623157e308',
  ]],
  ['real', T.float4, -1, ['0', '1.5', '0.1', '1e6', '1e5', '123456', '1234567', '3.1415927', '1e39', '1e-50', '-0', 'nan', '16777217', '0.3333333333']],
  ['numeric', T.numeric, -1, ['0', '1.50', '-1.50', '0.000', '1e3', '1.5e-3', '-0.0', '12345678901234567890.123456789', 'NaN', 'Infinity', '-Infinity', 'abc', ' 3 ', '.5', '1.']],
  ['numeric(5,2)', T.numeric, numericTypmod(5, 2), ['1.234', '1.235', '-1.235', '999.994', '999.995', '1000', 'NaN']],
  ['numeric(3,0)', T.numeric, numericTypmod(3, 0), ['999.4', '999.5', '0.5', '-0.5']],
  ['text', T.text, -1, ['hello', '', ' with spaces ', 'üñí']],
  ['bytea', T.bytea, -1, ['\\x', '\\x0102ff', '\\xABcd', 'abc', 'a\\\\b', 'a\\001b', '\\x1', '\\xzz', 'bad\\q']],
  ['date', T.date, -1, [
    '2024-01-02', '1999-12-31', '2024-02-29', '2023-02-29', '2024-13-01', '0001-01-01 BC', '0044-03-15 BC', 'infinity', '-infinity',
    '20240102', '2024-01-02 10:11:12', 'garbage', '10000-01-01', 'epoch',
    '2024/01/05', '01/05/2024', '5-Jan-2024', 'Jan 5 2024', 'January 5, 2024', 'Jan 5 2024 BC', '2024.01.05', '05.01.2024', 'Feb 30 2024',
    'Tue, 05 Mar 2024', 'Jan Feb 2024', '5 5', '20', '9', '100', '2024', '123456', '240305', '12345abc',
  ]],
  ['timestamp', T.timestamp, -1, [
    '2024-01-02 03:04:05', '2024-01-02T03:04:05.123456', '2024-01-02 03:04:05.1234567', '2024-01-02 03:04:05.5', '2024-01-02',
    '2024-01-02 24:00:00', '2024-01-02 25:00:00', '2024-01-02 03:04:05+02', '2024-01-02 03:04:05Z', 'infinity', 'epoch', '1970-01-01 00:00:00.000001',
    '1969-12-31 23:59:59.999999', 'x',
    '5 Jan 2024 10:00 PM', '2024-03-05 2:07:09 pm', '2024-03-05 12:30 am', '2024-03-05 13:00 pm', 'Jan 5 2024 10:00:00.25',
  ]],
  ['timestamp with time zone', T.timestamptz, -1, [
    '2024-01-02 03:04:05', '2024-01-02 03:04:05+02', '2024-01-02 03:04:05-05:30', '2024-01-02T03:04:05Z', '2024-06-01 12:00:00 America/New_York',
    '2024-01-02 03:04:05.25 +01:00', '-infinity', '2024-01-02 03:04:05 UTC',
    'Tue, 05 Mar 2024 14:07:09 GMT', 'Mar 5 2024 14:07:09 +0530', '5 Mar 2024 2:07 pm America/New_York', '2024-01-02 03:04:05 EST',
    '2024-07-02 03:04:05 PDT', 'Jan 5 2024 10:00 CET', '2024-01-02 03:04 IST', '2024-01-02 03:04 JST', '2024-01-02 03:04 AEST', '2024-01-02 03:04 bst',
    '2024-01-02 03:04 Nowhere/Zone',
  ]],
  ['interval', T.interval, -1, [
    '1 year 2 mons 3 days 04:05:06.5', '5 minutes', '1 day', '-1 day', '1.5 days', '1.5 months', '1.5 years', '100 milliseconds', '1 week',
    '2 weeks 3 days', '04:05', '-04:05:06', '1 day -01:00:00', '-1 day 01:00:00', '@ 1 hour ago', '1 hour ago', 'P1Y2M3DT4H5M6S', 'PT0.5S',
    '0', '10', '3 days 4 hours', '-1 years -2 mons', '1 mon -1 days', 'garbage', '1 fortnight', '1 12:00:00', '36 hours', '1.5 weeks',
    '13 months', '-13 months', '1 microsecond', '999 us', '1 decade', '1 century', '1e3', '1.5e2 seconds',
  ]],
  ['json', T.json, -1, ['{"b": 1,  "a": 2}', ' [1, 2] ', '"\\u0000"', '{"a":']],
  ['jsonb', T.jsonb, -1, [
    '{"b": [1, 2], "a": 1}', '{"aa":1,"b":2,"a":3}', '{"a":1,"a":2}', '[1.50, 1e3, -0, 12345678901234567890]', '"x\\ny\\u0041"',
    'null', 'true', '{}', '[]', '{"a": {"c": null, "b": false}}', '{"a":', '[1,]', 'nul', '1.0e-2', '"é"', '"\\u00e9"', '"\\u0000"',
  ]],
];

for (const [sqlType, type, typmod, inputs] of cases) {
  test(`text I/O of ${sqlType}`, async () => {
    for (const input of inputs) {
      const expected = await oracle.value(`SELECT $1::${sqlType}`, [input]);
      let actual: { ok: true; text: string } | { ok: false; code: string; message: string };
      try {
        actual = { ok: true, text: formatValue(type, parseValue(type, input, typmod)) };
      } catch (err) {
        if (!(err instanceof SqlError)) throw err;
        actual = { ok: false, code: err.code, message: err.message };
      }
      if (expected.ok) {
        assert.deepEqual(actual, { ok: true, text: expected.text }, `${sqlType} input ${JSON.stringify(input)}`);
      } else {
        assert.deepEqual(actual.ok ? actual : { ok: false, code: actual.code }, { ok: false, code: expected.code }, `${sqlType} input ${JSON.stringify(input)}: PostgreSQL says ${expected.message}`);
      }
    }
  });
}

test('timestamptz input and output follow the session time zone', async () => {
  try {
    for (const zone of ['America/New_York', 'Asia/Kolkata', 'Europe/London', 'UTC']) {
      await oracle.value(`SELECT set_config('TimeZone', $1, false)`, [zone]);
      for (const input of ['2024-01-02 03:04:05+00', '2024-07-02 03:04:05+00', '2024-03-10 02:30:00', '1999-12-31 23:59:59.5']) {
        const expected = await oracle.value('SELECT $1::timestamptz', [input]);
        assert.ok(expected.ok);
        const actual = formatValue(T.timestamptz, parseValue(T.timestamptz, input, -1, { timeZone: zone }), { timeZone: zone });
        assert.equal(actual, expected.text, `${input} in ${zone}`);
      }
    }
  } finally {
    await oracle.value(`SELECT set_config('TimeZone', 'UTC', false)`);
  }
});

test('a real that was computed in double precision prints as the real it stores', () => {
  assert.equal(formatValue(T.float4, 0.1), '0.1');
  assert.equal(formatValue(T.float4, 1 / 3), '0.33333334');
});
