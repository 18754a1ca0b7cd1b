/**
 * The AVRO format's decoder against the real schema registry (the test fixture server, reached
 * through @kafkajs/confluent-schema-registry as Eddy reaches it): schemas registered and
 * messages encoded by the registry client the way producers do, then columns and values checked.
 * The same decoder behind CREATE SOURCE over real Kafka is in avro-source.test.ts.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { before, test } from 'node:test';
import { Decimal } from 'decimal.js';
import { SqlError } from '../../src/errors.js';
import { createAvroDecoder } from '../../src/kafka/decode/avro.js';
import { REGISTRY_DEADLINE_MS } from '../../src/kafka/registry.js';
import { DecodeError } from '../../src/kafka/decode/index.js';
import type { AvroFieldMapping, AvroFormatSpec } from '../../src/kafka/source-spec.js';
import { numericTypmod } from '../../src/types/numeric.js';
import { formatValue } from '../../src/types/text-io.js';
import { Interval, Json, SqlArray, T, arrayTypeOf } from '../../src/types/types.js';
import { ensureKafka, kafkaEndpoints, schemaRegistry, uniqueTopic } from '../support/kafka.js';

before(async () => {
  await ensureKafka();
});

const registryUrl = () => kafkaEndpoints().registryUrl;

function format(version: number | null, mapping: AvroFieldMapping[] = [], mappingOnly = false): AvroFormatSpec {
  return { kind: 'avro', subject: null, version, mapping, mappingOnly };
}

async function register(subject: string, schema: object): Promise<number> {
  const { id } = await schemaRegistry().register({ type: 'AVRO' as never, schema: JSON.stringify(schema) } as never, { subject });
  return id;
}

/** A message in the wire format, encoded by the registry client with the schema of that id. */
const encode = (id: number, value: unknown) => schemaRegistry().encode(id, value);

async function decoderFor(subject: string, spec: AvroFormatSpec, role: 'key' | 'value' = 'value') {
  return createAvroDecoder(spec, { registryUrl: registryUrl(), subject, role });
}

/** Prepares then decodes one message, as the source runtime does with every batch. */
async function decodeOne(decoder: Awaited<ReturnType<typeof decoderFor>>, bytes: Uint8Array | null) {
  await decoder.prepare?.([bytes]);
  return decoder.decode(bytes);
}

function assertDecodeError(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DecodeError, `expected a DecodeError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

const EVERY_TYPE = {
  type: 'record',
  name: 'Everything',
  namespace: 'eddy.test',
  fields: [
    { name: 'Flag', type: 'boolean' },
    { name: 'small', type: 'int' },
    { name: 'big', type: 'long' },
    { name: 'f32', type: 'float' },
    { name: 'f64', type: 'double' },
    { name: 'label', type: 'string' },
    { name: 'raw', type: 'bytes' },
    { name: 'four', type: { type: 'fixed', name: 'Four', size: 4 } },
    { name: 'side', type: { type: 'enum', name: 'Side', symbols: ['BUY', 'SELL'] } },
    { name: 'maybe', type: ['null', 'string'], default: null },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'at_ms', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'at_us', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'local_ms', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'time_ms', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'time_us', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attrs', type: { type: 'map', values: 'long' } },
    { name: 'nested', type: { type: 'record', name: 'Nested', fields: [{ name: 'x', type: 'int' }, { name: 'when', type: { type: 'int', logicalType: 'date' } }] } },
    { name: 'either', type: ['int', 'string'] },
  ],
};

test('every Avro type maps to its SQL column type and value', async () => {
  const subject = uniqueTopic('avro-types') + '-value';
  const id = await register(subject, EVERY_TYPE);
  const decoder = await decoderFor(subject, format(null));
  const typeOf = Object.fromEntries(decoder.columns.map((c) => [c.name, [c.type, c.typmod]]));
  assert.deepEqual(Object.keys(typeOf), [
    'flag', 'small', 'big', 'f32', 'f64', 'label', 'raw', 'four', 'side', 'maybe', 'amount', 'day', 'at_ms', 'at_us',
    'local_ms', 'time_ms', 'time_us', 'id', 'tags', 'attrs', 'nested', 'either',
  ]);
  assert.deepEqual(typeOf, {
    flag: [T.bool, -1], small: [T.int4, -1], big: [T.int8, -1], f32: [T.float4, -1], f64: [T.float8, -1],
    label: [T.text, -1], raw: [T.bytea, -1], four: [T.bytea, -1], side: [T.text, -1], maybe: [T.text, -1],
    amount: [T.numeric, numericTypmod(10, 2)], day: [T.date, -1], at_ms: [T.timestamptz, -1], at_us: [T.timestamptz, -1],
    local_ms: [T.timestamp, -1], time_ms: [T.interval, -1], time_us: [T.interval, -1], id: [T.text, -1],
    tags: [arrayTypeOf(T.text), -1], attrs: [T.jsonb, -1], nested: [T.jsonb, -1], either: [T.jsonb, -1],
  });

  const atMs = Date.UTC(2024, 2, 1, 12, 30, 15, 250);
  // The producer's client knows no logical types: it writes their underlying values.
  const bytes = await encode(id, {
    Flag: true, small: -7, big: 2 ** 40 + 3, f32: 1.5, f64: -2.25, label: 'héllo', raw: Buffer.from([0, 255]),
    four: Buffer.from('abcd'), side: 'SELL', maybe: 'here', amount: Buffer.from([0xff, 0x85]) /* -123 → -1.23 */,
    day: 19783 /* 2024-03-01 */, at_ms: atMs, at_us: atMs * 1000 + 7, local_ms: atMs, time_ms: 3_723_004, time_us: 1_000_001,
    id: '0e1f4a5c-8d3b-4b1e-9a57-0c6a3e2f9d10', tags: ['a', 'b'], attrs: { k: 5 }, nested: { x: 1, when: 0 }, either: 'two',
  });
  const row = await decodeOne(decoder, bytes);
  const value = Object.fromEntries(decoder.columns.map((c, i) => [c.name, row[i]]));
  assert.equal(value.flag, true);
  assert.equal(value.small, -7);
  assert.equal(value.big, 2n ** 40n + 3n);
  assert.equal(value.f32, 1.5);
  assert.equal(value.f64, -2.25);
  assert.equal(value.label, 'héllo');
  assert.deepEqual([...(value.raw as Uint8Array)], [0, 255]);
  assert.equal(Buffer.from(value.four as Uint8Array).toString(), 'abcd');
  assert.equal(value.side, 'SELL');
  assert.equal(value.maybe, 'here');
  assert.equal(formatValue(T.numeric, value.amount!), '-1.23');
  assert.equal(formatValue(T.date, value.day!), '2024-03-01');
  assert.equal(value.at_ms, atMs * 1000);
  assert.equal(value.at_us, atMs * 1000 + 7);
  assert.equal(formatValue(T.timestamp, value.local_ms!), '2024-03-01 12:30:15.25');
  assert.deepEqual(value.time_ms, new Interval(0, 0, 3_723_004_000));
  assert.equal(formatValue(T.interval, value.time_ms!), '01:02:03.004');
  assert.deepEqual(value.time_us, new Interval(0, 0, 1_000_001));
  assert.equal(value.id, '0e1f4a5c-8d3b-4b1e-9a57-0c6a3e2f9d10');
  assert.deepEqual(value.tags, new SqlArray(['a', 'b']));
  assert.deepEqual(value.attrs, new Json({ k: 5 }));
  assert.deepEqual(value.nested, new Json({ x: 1, when: '1970-01-01' }));
  assert.deepEqual(value.either, new Json('two'));
});

test('Avro arrays of scalars are array columns (nullable items NULL elements, logical types typed); arrays of records or arrays stay jsonb', async () => {
  const subject = uniqueTopic('avro-arrays') + '-value';
  const id = await register(subject, {
    type: 'record',
    name: 'Arrays',
    fields: [
      { name: 'longs', type: { type: 'array', items: ['null', 'long'] } },
      { name: 'amounts', type: { type: 'array', items: { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 } } },
      { name: 'maybe', type: ['null', { type: 'array', items: 'string' }], default: null },
      { name: 'points', type: { type: 'array', items: { type: 'record', name: 'P', fields: [{ name: 'x', type: 'int' }] } } },
      { name: 'grid', type: { type: 'array', items: { type: 'array', items: 'int' } } },
    ],
  });
  const decoder = await decoderFor(subject, format(null));
  assert.deepEqual(
    decoder.columns.map((c) => [c.name, c.type.name, c.typmod]),
    [['longs', 'bigint[]', -1], ['amounts', 'numeric[]', numericTypmod(6, 2)], ['maybe', 'text[]', -1], ['points', 'jsonb', -1], ['grid', 'jsonb', -1]],
  );
  const bytes = await encode(id, { longs: [1, null, 2 ** 40], amounts: [Buffer.from([0x01, 0x00])], maybe: null, points: [{ x: 1 }], grid: [[1], []] });
  const [longs, amounts, maybe, points, grid] = await decodeOne(decoder, bytes);
  assert.deepEqual(longs, new SqlArray([1n, null, 2n ** 40n]));
  assert.equal(formatValue(arrayTypeOf(T.numeric)!, amounts!), '{2.56}');
  assert.equal(maybe, null);
  assert.deepEqual(points, new Json([{ x: 1 }]));
  assert.deepEqual(grid, new Json([[1], []]));
  const empty = await decodeOne(decoder, await encode(id, { longs: [], amounts: [], maybe: ['a'], points: [], grid: [] }));
  assert.deepEqual(empty.slice(0, 3), [new SqlArray([]), new SqlArray([]), new SqlArray(['a'])]);
});

test('longs keep every digit, nulls of optional fields are NULL, and a null message is all NULL', async () => {
  const subject = uniqueTopic('avro-long') + '-value';
  const schema = { type: 'record', name: 'L', fields: [{ name: 'n', type: 'long' }, { name: 'opt', type: ['null', 'long'], default: null }] };
  const id = await register(subject, schema);
  const decoder = await decoderFor(subject, format(1));
  // The producer's client refuses unsafe JS numbers, so the largest long is written by hand:
  // zigzag(2^63 - 1) is 2^64 - 2, as a varint 0xfe then eight 0xff and 0x01; then union branch 0.
  const header = Buffer.from([0, 0, 0, 0, 0]);
  header.writeInt32BE(id, 1);
  const max = Buffer.concat([header, Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00])]);
  assert.deepEqual(await decodeOne(decoder, max), [2n ** 63n - 1n, null]);
  assert.deepEqual(await decodeOne(decoder, await encode(id, { n: -5, opt: 9 })), [-5n, 9n]);
  assert.deepEqual(await decodeOne(decoder, null), [null, null]);
});

test('schema evolution: each message is read with its writer schema, resolved to the chosen version', async () => {
  const subject = uniqueTopic('avro-evolve') + '-value';
  const v1 = { type: 'record', name: 'Quote', namespace: 'eddy.test', fields: [{ name: 'symbol', type: 'string' }, { name: 'price', type: 'double' }] };
  const v2 = {
    ...v1,
    fields: [
      { name: 'symbol', type: 'string' },
      { name: 'price', type: 'double' },
      { name: 'qty', type: 'int', default: 0 },
      { name: 'venue', type: ['null', 'string'], default: null },
    ],
  };
  const id1 = await register(subject, v1);
  const id2 = await register(subject, v2);
  assert.notEqual(id1, id2);
  const fromV1 = await encode(id1, { symbol: 'AAPL', price: 133.5 });
  const fromV2 = await encode(id2, { symbol: 'TSLA', price: 735, qty: 10, venue: 'XNAS' });

  const asV1 = await decoderFor(subject, format(1));
  assert.deepEqual(asV1.columns.map((c) => c.name), ['symbol', 'price']);
  await asV1.prepare!([fromV1, fromV2]);
  assert.deepEqual(asV1.decode(fromV1), ['AAPL', 133.5]);
  assert.deepEqual(asV1.decode(fromV2), ['TSLA', 735], 'the newer fields are dropped');

  const asLatest = await decoderFor(subject, format(null));
  assert.equal(asV1.readerVersion, 1);
  assert.equal(asLatest.readerVersion, 2, 'the latest resolves to a version number a stored source can name');
  assert.deepEqual(asLatest.columns.map((c) => c.name), ['symbol', 'price', 'qty', 'venue']);
  await asLatest.prepare!([fromV1, fromV2]);
  assert.deepEqual(asLatest.decode(fromV2), ['TSLA', 735, 10, 'XNAS']);
  assert.deepEqual(asLatest.decode(fromV1), ['AAPL', 133.5, 0, null], 'the older message gets the defaults');

  // A schema from elsewhere that cannot be resolved to the reader is the message's error.
  const otherSubject = uniqueTopic('avro-other') + '-value';
  const otherId = await register(otherSubject, { type: 'record', name: 'Other', fields: [{ name: 'price', type: 'string' }] });
  const foreign = await encode(otherId, { price: 'high' });
  await asV1.prepare!([foreign]);
  assertDecodeError(() => asV1.decode(foreign), new RegExp(`schema id ${otherId} cannot be read as subject "${subject}" version 1`));
});

test('MAPPING renames fields in place and reads nested paths; MAPPING ONLY keeps just the mapped ones', async () => {
  const subject = uniqueTopic('avro-mapping') + '-value';
  const schema = {
    type: 'record',
    name: 'Order',
    fields: [
      { name: 'Symbol', type: 'string' },
      { name: 'LimitPrice', type: 'double' },
      { name: 'quote', type: ['null', { type: 'record', name: 'Quote', fields: [{ name: 'bid', type: 'double' }, { name: 'ask', type: 'double' }] }] },
    ],
  };
  const id = await register(subject, schema);
  const withQuote = await encode(id, { Symbol: 'AAPL', LimitPrice: 130, quote: { bid: 129.5, ask: 130.5 } });
  const withoutQuote = await encode(id, { Symbol: 'MSFT', LimitPrice: 250, quote: null });

  const renamed = await decoderFor(subject, format(null, [{ field: 'LimitPrice', column: 'Limit' }, { field: 'quote.ask', column: 'ask' }]));
  assert.deepEqual(renamed.columns.map((c) => c.name), ['symbol', 'Limit', 'quote', 'ask']);
  assert.equal(renamed.columns[3]!.type, T.float8);
  await renamed.prepare!([withQuote, withoutQuote]);
  assert.deepEqual(renamed.decode(withQuote), ['AAPL', 130, new Json({ bid: 129.5, ask: 130.5 }), 130.5]);
  assert.deepEqual(renamed.decode(withoutQuote), ['MSFT', 250, null, null]);

  const only = await decoderFor(subject, format(null, [{ field: 'quote.bid', column: 'bid' }, { field: 'Symbol', column: 'sym' }], true));
  assert.deepEqual(only.columns.map((c) => c.name), ['bid', 'sym']);
  await only.prepare!([withQuote]);
  assert.deepEqual(only.decode(withQuote), [129.5, 'AAPL']);

  await assert.rejects(decoderFor(subject, format(null, [{ field: 'symbol', column: 's' }])), (error: unknown) => {
    assert.ok(error instanceof SqlError);
    assert.equal(error.code, '42703');
    assert.match(error.message, new RegExp(`Avro field "symbol" does not exist in subject "${subject}" version 1$`));
    assert.match(error.extra.hint ?? '', /Symbol, LimitPrice, quote/);
    return true;
  });
  await assert.rejects(decoderFor(subject, format(null, [{ field: 'LimitPrice', column: 'symbol' }])), /column "symbol" specified more than once/);
});

test('a schema that is not a record is one column named after the role', async () => {
  const subject = uniqueTopic('avro-key') + '-key';
  // The registry client registers named schemas only; other producers register plain ones.
  const response = await fetch(`${registryUrl()}/subjects/${subject}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify('string') }),
  });
  const { id } = (await response.json()) as { id: number };
  const decoder = await decoderFor(subject, format(null), 'key');
  assert.deepEqual(decoder.columns, [{ name: 'kafkakey', type: T.text, typmod: -1 }]);
  assert.deepEqual(await decodeOne(decoder, await encode(id, 'AAPL')), ['AAPL']);
});

test('malformed messages are DecodeErrors that say what is wrong', async () => {
  const subject = uniqueTopic('avro-bad') + '-value';
  const id = await register(subject, { type: 'record', name: 'P', fields: [{ name: 'name', type: 'string' }, { name: 'n', type: 'int' }] });
  const decoder = await decoderFor(subject, format(null));
  const good = await encode(id, { name: 'abc', n: 1 });
  const unknownId = Buffer.from(good);
  unknownId.writeInt32BE(987_654_321, 1);
  // A message whose id names a JSON schema: the registry answers, but not with Avro.
  const response = await fetch(`${registryUrl()}/subjects/${subject}-json/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify({ type: 'object' }) }),
  });
  const jsonId = ((await response.json()) as { id: number }).id;
  const jsonSchemaMessage = Buffer.from(good);
  jsonSchemaMessage.writeInt32BE(jsonId, 1);
  const cases: [Uint8Array, RegExp][] = [
    [jsonSchemaMessage, new RegExp(`schema id ${jsonId} in the schema registry at .* is not an Avro schema`)],
    [Buffer.from([1, 2]), /5-byte header/],
    [Buffer.concat([Buffer.from([1]), good.subarray(1)]), /magic byte 0, this one starts with 1/],
    [unknownId, /schema id 987654321 is not in the schema registry/],
    [good.subarray(0, good.length - 2), /invalid Avro data for schema id \d+: truncated/],
    [Buffer.concat([good, Buffer.from([7])]), /invalid Avro data for schema id \d+: trailing data/],
  ];
  await decoder.prepare!(cases.map(([bytes]) => bytes));
  for (const [bytes, message] of cases) assertDecodeError(() => decoder.decode(bytes), message);
  assert.deepEqual(decoder.decode(good), ['abc', 1], 'the decoder still reads good messages');
});

test('CREATE-time errors name the registry, the subject and the version, and come within seconds', async () => {
  const subject = uniqueTopic('avro-missing') + '-value';
  await assert.rejects(decoderFor(subject, format(null)), (error: unknown) => {
    assert.ok(error instanceof SqlError);
    assert.equal(error.code, '42704');
    assert.match(error.message, new RegExp(`subject "${subject}" not found in the schema registry at ${registryUrl()}`));
    return true;
  });
  await register(subject, { type: 'record', name: 'M', fields: [{ name: 'a', type: 'int' }] });
  await assert.rejects(decoderFor(subject, format(3)), new RegExp(`subject "${subject}" version 3 not found`));

  const started = Date.now();
  const unreachable = 'http://127.0.0.1:1';
  await assert.rejects(createAvroDecoder(format(1), { registryUrl: unreachable, subject, role: 'value' }), (error: unknown) => {
    assert.ok(error instanceof SqlError);
    assert.equal(error.code, '08006');
    assert.match(error.message, /schema registry at http:\/\/127\.0\.0\.1:1 failed .*ECONNREFUSED/);
    return true;
  });
  assert.ok(Date.now() - started < 6000, 'an unreachable registry fails within seconds');
});

test('decimals on fixed, and values read through a decimal of another scale', async () => {
  const subject = uniqueTopic('avro-decimal') + '-value';
  const decimal = (scale: number) => ({ type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 18, scale });
  const id1 = await register(subject, { type: 'record', name: 'D', fields: [{ name: 'v', type: decimal(2) }] });
  const unscaled = Buffer.alloc(8);
  unscaled.writeBigInt64BE(-123456789n);
  const decoder = await decoderFor(subject, format(1));
  assert.deepEqual(decoder.columns, [{ name: 'v', type: T.numeric, typmod: numericTypmod(18, 2) }]);
  const [value] = await decodeOne(decoder, await encode(id1, { v: unscaled }));
  assert.ok(value instanceof Decimal);
  assert.equal(formatValue(T.numeric, value), '-1234567.89');

  // Version 2 keeps the bytes but reads them with scale 3: a version-1 message keeps its value.
  const id2 = await register(subject, { type: 'record', name: 'D', fields: [{ name: 'v', type: decimal(3) }] });
  const asV2 = await decoderFor(subject, format(2));
  assert.equal(asV2.columns[0]!.typmod, numericTypmod(18, 3));
  const fromV1 = await encode(id1, { v: unscaled });
  const fromV2 = await encode(id2, { v: unscaled });
  await asV2.prepare!([fromV1, fromV2]);
  assert.equal(formatValue(T.numeric, asV2.decode(fromV1)[0]!), '-1234567.890');
  assert.equal(formatValue(T.numeric, asV2.decode(fromV2)[0]!), '-123456.789');
});

test('fields added with defaults in a later version: an older message reads the defaults, logical types included', async () => {
  const subject = uniqueTopic('avro-defaults') + '-value';
  const v1 = { type: 'record', name: 'E', fields: [{ name: 'k', type: 'string' }] };
  const v2 = {
    ...v1,
    fields: [
      ...v1.fields,
      // Avro writes a bytes default as a string of code points: 0xfe 0x0c is -500, so -5.00.
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 }, default: '\u00fe\u000c' },
      { name: 'day', type: { type: 'int', logicalType: 'date' }, default: 10957 },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, default: 1500 },
      { name: 'time', type: { type: 'int', logicalType: 'time-millis' }, default: 61_000 },
      { name: 'count', type: 'long', default: 42 },
      { name: 'tags', type: { type: 'array', items: 'string' }, default: ['x'] },
    ],
  };
  const id1 = await register(subject, v1);
  await register(subject, v2);
  const decoder = await decoderFor(subject, format(2));
  const row = await decodeOne(decoder, await encode(id1, { k: 'old' }));
  assert.equal(row[0], 'old');
  assert.equal(formatValue(T.numeric, row[1]!), '-5.00');
  assert.equal(formatValue(T.date, row[2]!), '2000-01-01');
  assert.equal(row[3], 1_500_000);
  assert.equal(formatValue(T.interval, row[4]!), '00:01:01');
  assert.equal(row[5], 42n);
  assert.deepEqual(row[6], new SqlArray(['x']));
});

test('jsonb documents: floats as real digits, longs beyond doubles exact, recursive records, unions by branch', async () => {
  const subject = uniqueTopic('avro-json') + '-value';
  const node = {
    type: 'record',
    name: 'Node',
    fields: [
      { name: 'weight', type: 'float' },
      { name: 'next', type: ['null', 'Node'], default: null },
    ],
  };
  const id = await register(subject, {
    type: 'record',
    name: 'Doc',
    fields: [
      { name: 'chain', type: node },
      { name: 'mixed', type: { type: 'array', items: ['null', 'int', 'string', { type: 'map', values: 'bytes' }] } },
      { name: 'counts', type: { type: 'map', values: 'long' } },
    ],
  });
  const decoder = await decoderFor(subject, format(null));
  assert.deepEqual(decoder.columns.map((c) => c.type), [T.jsonb, T.jsonb, T.jsonb]);
  // The producer's client wraps no unions it can tell apart (its default), so values go as they are.
  const header = await encode(id, { chain: { weight: 1.1, next: { weight: 2.5, next: null } }, mixed: [null, 7, 'seven', { b: Buffer.from([1, 2]) }], counts: { n: 3 } });
  const [chain, mixed, counts] = await decodeOne(decoder, header);
  assert.deepEqual(chain, new Json({ weight: 1.1, next: { weight: 2.5, next: null } }));
  assert.deepEqual(mixed, new Json([null, 7, 'seven', { b: '\\x0102' }]));
  assert.deepEqual(counts, new Json({ n: 3 }));

  // A long beyond 2^53 inside a document stays exact: the map {"n": 2^60 + 1} written by hand.
  const body = Buffer.from(header.subarray(0, 5));
  const zigzag = (2n ** 60n + 1n) * 2n;
  const varint: number[] = [];
  for (let v = zigzag; ; v >>= 7n) {
    if (v < 0x80n) {
      varint.push(Number(v));
      break;
    }
    varint.push(Number(v & 0x7fn) | 0x80);
  }
  const message = Buffer.concat([
    body,
    Buffer.from([0x00 /* float 0 */, 0, 0, 0, 0x00 /* next: null */, 0x00 /* empty array */]),
    Buffer.from([0x02 /* one map entry */, 0x02, 0x6e /* "n" */, ...varint, 0x00]),
  ]);
  const [, , big] = await decodeOne(decoder, message);
  assert.ok(big instanceof Json);
  const n = (big.value as { n: unknown }).n;
  assert.ok(n instanceof Decimal);
  assert.equal(n.toFixed(), (2n ** 60n + 1n).toString());
});

test('a registry that accepts connections but never answers fails within the deadline', async () => {
  // A TCP server that accepts and stays silent: a hung registry, or one behind a stuck proxy.
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    const started = Date.now();
    await assert.rejects(createAvroDecoder(format(1), { registryUrl: url, subject: 'whatever-value', role: 'value' }), (error: unknown) => {
      assert.ok(error instanceof SqlError);
      assert.equal(error.code, '08006');
      assert.equal(error.message, `schema registry at ${url} did not answer within 5 s (looking up subject "whatever-value" version 1)`);
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= REGISTRY_DEADLINE_MS - 100 && elapsed < REGISTRY_DEADLINE_MS + 2000, `failed after ${elapsed} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('a field that gains a logical type in a later version reads older plain values through it', async () => {
  const subject = uniqueTopic('avro-gains-logical') + '-value';
  const v1 = { type: 'record', name: 'G', fields: [{ name: 'at', type: 'long' }, { name: 'day', type: 'int' }] };
  const v2 = {
    ...v1,
    fields: [
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
    ],
  };
  const id1 = await register(subject, v1);
  const id2 = await register(subject, v2);
  const fromV1 = await encode(id1, { at: 86_400_000, day: 1 });
  const fromV2 = await encode(id2, { at: 1000, day: 2 });

  const asV2 = await decoderFor(subject, format(2));
  assert.deepEqual(asV2.columns.map((c) => c.type), [T.timestamptz, T.date]);
  await asV2.prepare!([fromV1, fromV2]);
  assert.deepEqual(asV2.decode(fromV1), [86_400_000_000, 1]);
  assert.deepEqual(asV2.decode(fromV2), [1_000_000, 2]);

  // And the other way: read as version 1, the logical values are plain again.
  const asV1 = await decoderFor(subject, format(1));
  await asV1.prepare!([fromV2]);
  assert.deepEqual(asV1.decode(fromV2), [1000n, 2]);
});

test('optional logical fields: a union of null and a logical type is that SQL type, nullable', async () => {
  const subject = uniqueTopic('avro-optional-logical') + '-value';
  const id = await register(subject, {
    type: 'record',
    name: 'O',
    fields: [
      { name: 'at', type: ['null', { type: 'long', logicalType: 'timestamp-micros' }], default: null },
      { name: 'amount', type: [{ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 1 }, 'null'] },
    ],
  });
  const decoder = await decoderFor(subject, format(null));
  assert.deepEqual(decoder.columns.map((c) => [c.type, c.typmod]), [[T.timestamptz, -1], [T.numeric, numericTypmod(4, 1)]]);
  const [at, amount] = await decodeOne(decoder, await encode(id, { at: 5, amount: Buffer.from([0x7b]) }));
  assert.equal(at, 5);
  assert.equal(formatValue(T.numeric, amount!), '12.3');
  assert.deepEqual(await decodeOne(decoder, await encode(id, { at: null, amount: null })), [null, null]);
});
