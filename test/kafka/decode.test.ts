/**
 * The Kafka message decoders on bytes built the way producers build them: UTF-8 text, Node's
 * own big-endian writers (the layout of Kafka's Short/Integer/Long/Float/DoubleSerializer), and
 * JSON documents.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from 'decimal.js';
import { SqlError } from '../../src/errors.js';
import { createDecoder, DecodeError, type JsonFieldColumn } from '../../src/kafka/decode/index.js';
import { numericTypmod } from '../../src/types/numeric.js';
import { formatValue } from '../../src/types/text-io.js';
import { Json, T, type SqlType, type Value } from '../../src/types/types.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const column = (name: string, type: SqlType, typmod = -1) => ({ name, type, typmod });

function assertDecodeError(run: () => unknown, message: RegExp, code?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DecodeError, `expected a DecodeError, got ${String(error)}`);
    assert.ok(error instanceof SqlError);
    assert.match(error.message, message);
    if (code !== undefined) assert.equal(error.code, code);
    return true;
  });
}

test('IGNORE reads nothing and produces no columns', () => {
  const decode = createDecoder({ kind: 'ignore' });
  assert.deepEqual(decode(utf8('anything')), []);
  assert.deepEqual(decode(null), []);
});

test('TEXT is the UTF-8 text; absent bytes are NULL', () => {
  const decode = createDecoder({ kind: 'text', column: column('KafkaValue', T.text) });
  assert.deepEqual(decode(utf8('héllo, ✓ 🙂')), ['héllo, ✓ 🙂']);
  assert.deepEqual(decode(utf8('')), ['']);
  assert.deepEqual(decode(null), [null]);
  // Decoding looks only at the view it is given, not the whole underlying buffer.
  const inside = Buffer.from('xxabcxx').subarray(2, 5);
  assert.deepEqual(decode(inside), ['abc']);
});

test('TEXT refuses bytes that are not UTF-8, and NUL, as PostgreSQL text does', () => {
  const decode = createDecoder({ kind: 'text', column: column('KafkaValue', T.text) });
  assertDecodeError(() => decode(Uint8Array.from([0x61, 0xff, 0x62])), /column "KafkaValue" \(text\): invalid byte sequence/, '22021');
  assertDecodeError(() => decode(Uint8Array.from([0x61, 0x00])), /0x00/, '22021');
});

test('TEXT AS col type parses the text with that type\'s input', () => {
  const price = createDecoder({ kind: 'text', column: column('Price', T.float8) });
  assert.deepEqual(price(utf8('12.25')), [12.25]);
  assert.deepEqual(price(utf8(' -1e3 ')), [-1000]);
  assertDecodeError(() => price(utf8('twelve')), /column "Price" \(double precision\): invalid input syntax for type double precision/, '22P02');

  const qty = createDecoder({ kind: 'text', column: column('Qty', T.int8) });
  assert.deepEqual(qty(utf8('9007199254740993')), [9007199254740993n]);
  assertDecodeError(() => qty(utf8('99999999999999999999')), /out of range/, '22003');

  const amount = createDecoder({ kind: 'text', column: column('Amount', T.numeric, numericTypmod(5, 2)) });
  const [value] = amount(utf8('123.456'));
  assert.ok(value instanceof Decimal);
  assert.equal(value.toFixed(), '123.46');

  const at = createDecoder({ kind: 'text', column: column('At', T.timestamptz) });
  assert.deepEqual(at(utf8('2024-01-02 03:04:05.5+01')), [Date.UTC(2024, 0, 2, 2, 4, 5, 500) * 1000]);
});

test('BYTES is a copy of the raw bytes', () => {
  const decode = createDecoder({ kind: 'bytes' });
  const source = Buffer.from([0, 1, 2, 255]);
  const [value] = decode(source);
  assert.ok(value instanceof Uint8Array);
  assert.deepEqual([...value], [0, 1, 2, 255]);
  source[0] = 9;
  assert.equal(value[0], 0, 'the value must not share memory with the message buffer');
  assert.deepEqual(decode(null), [null]);
});

test('binary numbers read the big-endian layouts of Kafka\'s serializers', () => {
  const cases: [Parameters<typeof createDecoder>[0] & { kind: 'binary-number' }, Buffer, Value][] = [];
  const add = (format: 'SMALLINT' | 'INT' | 'BIGINT' | 'REAL' | 'DOUBLE', bytes: Buffer, value: Value) =>
    cases.push([{ kind: 'binary-number', format }, bytes, value]);
  for (const n of [0, 1, -1, 12345, -32768, 32767]) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    add('SMALLINT', b, n);
  }
  for (const n of [0, -2, 2147483647, -2147483648, 305419896]) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    add('INT', b, n);
  }
  for (const n of [0n, -1n, 9223372036854775807n, -9223372036854775808n, 1234567890123n]) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    add('BIGINT', b, n);
  }
  for (const n of [0, -0, 1.5, -3.25, Infinity, 3.4028234663852886e38, Math.fround(0.1)]) {
    const b = Buffer.alloc(4);
    b.writeFloatBE(n);
    add('REAL', b, n);
  }
  for (const n of [0, 0.1, -1e-300, Number.MAX_VALUE, -Infinity]) {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(n);
    add('DOUBLE', b, n);
  }
  for (const [format, bytes, expected] of cases) {
    assert.deepEqual(createDecoder(format)(bytes), [expected], `${format.format} ${bytes.toString('hex')}`);
  }
  const nan = Buffer.alloc(8);
  nan.writeDoubleBE(NaN);
  assert.ok(Number.isNaN(createDecoder({ kind: 'binary-number', format: 'DOUBLE' })(nan)[0]));
  // An unaligned view into a larger buffer reads the same.
  const padded = Buffer.from([0xaa, 0x00, 0x00, 0x01, 0x00, 0xbb]).subarray(1, 5);
  assert.deepEqual(createDecoder({ kind: 'binary-number', format: 'INT' })(padded), [256]);
});

test('binary numbers of the wrong size are refused with both sizes named', () => {
  const decode = createDecoder({ kind: 'binary-number', format: 'BIGINT' });
  assertDecodeError(() => decode(Buffer.alloc(4)), /a BIGINT message must be 8 bytes, this one is 4/, '22P03');
  assertDecodeError(() => createDecoder({ kind: 'binary-number', format: 'SMALLINT' })(Buffer.alloc(0)), /must be 2 bytes, this one is 0/);
  assert.deepEqual(decode(null), [null]);
});

test('JSON AS col keeps the whole document as jsonb, numbers exact', () => {
  const decode = createDecoder({ kind: 'json-document' });
  const [doc] = decode(utf8('{"a": [1, 2.50, null], "big": 12345678901234567890, "s": "x"}'));
  assert.ok(doc instanceof Json);
  const value = doc.value as { a: unknown[]; big: unknown; s: string };
  assert.equal(value.a[0], 1);
  assert.ok(value.a[1] instanceof Decimal && value.a[1].toFixed(2) === '2.50');
  assert.equal(value.a[2], null);
  assert.ok(value.big instanceof Decimal && value.big.toFixed() === '12345678901234567890');
  assert.equal(value.s, 'x');
  // A document that is JSON null is a jsonb null, not SQL NULL; absent bytes are SQL NULL.
  assert.deepEqual(decode(utf8('null')), [new Json(null)]);
  assert.deepEqual(decode(null), [null]);
  assertDecodeError(() => decode(utf8('{"a": ')), /JSON message: invalid input syntax for type json/, '22P02');
});

const jsonColumn = (name: string, type: SqlType, path: string[], exactCase = false, typmod = -1): JsonFieldColumn => ({
  name, type, typmod, path, exactCase,
});

test('JSON columns read fields by name regardless of case unless quoted', () => {
  const decode = createDecoder({
    kind: 'json-columns',
    columns: [
      jsonColumn('symbol', T.text, ['symbol']),
      jsonColumn('price', T.float8, ['price']),
      jsonColumn('Qty', T.int4, ['Qty'], true),
    ],
  });
  assert.deepEqual(decode(utf8('{"Symbol": "ACME", "PRICE": 10.5, "Qty": 3, "other": true}')), ['ACME', 10.5, 3]);
  // The exact-case column does not match "qty"; missing fields are NULL.
  assert.deepEqual(decode(utf8('{"symbol": "X", "qty": 3}')), ['X', null, null]);
  // An exact match wins over other spellings.
  assert.deepEqual(decode(utf8('{"symbol": "exact", "SYMBOL": "other"}')), ['exact', null, null]);
  assertDecodeError(() => decode(utf8('{"Symbol": "a", "SYMBOL": "b"}')), /fields "Symbol" and "SYMBOL" both match "symbol"/);
  assert.deepEqual(decode(null), [null, null, null]);
});

test('JSON MAPPING paths reach into nested objects; a broken path is NULL', () => {
  const decode = createDecoder({
    kind: 'json-columns',
    columns: [
      jsonColumn('Symbol', T.text, ['instrument', 'symbol'], true),
      jsonColumn('Bid', T.numeric, ['quote', 'bid', 'price'], true),
    ],
  });
  const [symbol, bid] = decode(utf8('{"instrument": {"symbol": "ACME"}, "quote": {"bid": {"price": 1.10}}}'));
  assert.equal(symbol, 'ACME');
  assert.equal(formatValue(T.numeric, bid!), '1.10', 'numeric keeps the scale written in the JSON');
  assert.deepEqual(decode(utf8('{"instrument": "ACME", "quote": {"bid": [1]}}')), [null, null]);
});

test('JSON fields convert to the column types', () => {
  const columns = [
    jsonColumn('i', T.int4, ['i']),
    jsonColumn('b', T.int8, ['b']),
    jsonColumn('r', T.float4, ['r']),
    jsonColumn('n', T.numeric, ['n'], false, numericTypmod(6, 2)),
    jsonColumn('ok', T.bool, ['ok']),
    jsonColumn('t', T.text, ['t']),
    jsonColumn('at', T.timestamptz, ['at']),
    jsonColumn('d', T.date, ['d']),
    jsonColumn('j', T.jsonb, ['j']),
  ];
  const decode = createDecoder({ kind: 'json-columns', columns });
  const row = decode(utf8(JSON.stringify({
    i: 2.5, b: '12345678901234567', r: 0.1, n: 1234.567, ok: true, t: { z: 1, a: [true] },
    at: '2024-05-06T07:08:09Z', d: '2024-02-29', j: { k: null },
  })));
  assert.equal(row[0], 3, 'integer columns round half away from zero, as jsonb::int does');
  assert.equal(row[1], 12345678901234567n, 'quoted numbers are read with the type\'s text input');
  assert.equal(row[2], Math.fround(0.1));
  assert.equal(formatValue(T.numeric, row[3]!), '1234.57');
  assert.equal(row[4], true);
  assert.equal(row[5], '{"a": [true], "z": 1}', 'text columns take other JSON as its jsonb text');
  assert.equal(row[6], Date.UTC(2024, 4, 6, 7, 8, 9) * 1000);
  assert.equal(row[7], (Date.UTC(2024, 1, 29) / 86_400_000));
  assert.deepEqual(row[8], new Json({ k: null }));
  // JSON null: SQL NULL, except in json columns where it is the document null.
  assert.deepEqual(decode(utf8('{"i": null, "j": null}')), [null, null, null, null, null, null, null, null, new Json(null)]);
});

test('JSON fields that cannot be their column type name the column, the field and the problem', () => {
  const decode = createDecoder({
    kind: 'json-columns',
    columns: [jsonColumn('Qty', T.int4, ['order', 'qty'], true), jsonColumn('ok', T.bool, ['ok'])],
  });
  assertDecodeError(() => decode(utf8('{"order": {"qty": "many"}}')),
    /column "Qty" \(integer\) from field "order\.qty": invalid input syntax for type integer: "many"/, '22P02');
  assertDecodeError(() => decode(utf8('{"order": {"qty": 3000000000}}')), /out of range for type integer/, '22003');
  assertDecodeError(() => decode(utf8('{"order": {"qty": [1]}}')), /a JSON array cannot be read as integer/, '22023');
  assertDecodeError(() => decode(utf8('{"ok": 1}')), /column "ok" \(boolean\) from field "ok": a JSON number cannot be read as boolean/);
  assertDecodeError(() => decode(utf8('[1, 2]')), /expected a JSON object, got an array/);
  assertDecodeError(() => decode(utf8('"text"')), /expected a JSON object, got a scalar/);
  assertDecodeError(() => decode(Uint8Array.from([0x7b, 0xc3])), /JSON message: invalid byte sequence/);
});
