/**
 * CREATE SINK's formats and envelopes against the real broker and registry: a real kafkajs
 * consumer (read_committed) checks the bytes of every message; Avro is decoded through the
 * registry with the Confluent client.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Partitioners } from 'kafkajs';
import { produce, schemaRegistry } from '../support/kafka.js';
import { sinkHarness, texts, waitFor, type SinkHarness } from './sink-harness.js';

let h: SinkHarness;
before(async () => {
  h = await sinkHarness();
});
after(async () => {
  await h?.close();
});

test('JSON APPEND maps every type as the contract says (numeric a string, timestamps ISO 8601, jsonb embedded, NULL null)', async () => {
  const source = await h.topic('json-types');
  await h.client.query(`CREATE SOURCE typed FROM KAFKA (${h.from(source)}, START OFFSET EARLIEST)
    KEY FORMAT IGNORE
    VALUE FORMAT JSON (i integer, big bigint, d double precision, n numeric, t text, b boolean, ts timestamp, tz timestamptz, day date, j jsonb, raw bytea)
    INCLUDE NONE TABLE TYPE APPEND`);
  const topic = h.sinkTopic('json-types');
  await h.client.query(`CREATE SINK typed_out FROM typed INTO KAFKA (${h.into(topic)})`);
  await produce(
    source,
    [
      {
        value: JSON.stringify({ i: 1, big: '9007199254740993', d: 1.5, n: '12.340', t: 'a "quoted"\nline', b: true, ts: '2024-01-02 03:04:05.5', tz: '2024-01-02 03:04:05+02', day: '2024-02-29', j: { k: [1, 'x'] }, raw: '\\x00ff' }),
      },
      { value: JSON.stringify({ i: null, d: 'NaN' }) },
    ],
    h.kafka,
  );
  const messages = await h.exactly(topic, 2);
  assert.deepEqual(texts(messages), [
    [
      null,
      '{"i":1,"big":9007199254740993,"d":1.5,"n":"12.340","t":"a \\"quoted\\"\\nline","b":true,"ts":"2024-01-02T03:04:05.5","tz":"2024-01-02T01:04:05+00:00","day":"2024-02-29","j":{"k": [1, "x"]},"raw":"\\\\x00ff"}',
    ],
    [null, '{"i":null,"big":null,"d":"NaN","n":null,"t":null,"b":null,"ts":null,"tz":null,"day":null,"j":null,"raw":null}'],
  ]);
});

test('single-column formats write the bytes of Kafka\'s Java serializers; UPSERT writes changes and tombstones', async () => {
  await h.client.query('CREATE TABLE nums (id integer PRIMARY KEY, big bigint, d double precision, t text, raw bytea)');
  await h.client.query(`INSERT INTO nums VALUES (1, -2, 0.25, 'one', '\\x0102'), (2, 4294967296, -1, 'two', '\\x')`);
  const topics = { int: h.sinkTopic('int'), bigint: h.sinkTopic('bigint'), double: h.sinkTopic('double'), bytes: h.sinkTopic('bytes') };
  await h.client.query(`CREATE SINK nums_int FROM nums INTO KAFKA (${h.into(topics.int)}) KEY FORMAT INT (id) VALUE FORMAT TEXT (t) ENVELOPE UPSERT`);
  await h.client.query(`CREATE SINK nums_bigint FROM nums INTO KAFKA (${h.into(topics.bigint)}) KEY FORMAT BIGINT (big) VALUE FORMAT TEXT (d) ENVELOPE UPSERT`);
  await h.client.query(`CREATE SINK nums_double FROM nums INTO KAFKA (${h.into(topics.double)}) KEY FORMAT DOUBLE PRECISION (d) VALUE FORMAT JSON (id) ENVELOPE UPSERT`);
  await h.client.query(`CREATE SINK nums_bytes FROM nums INTO KAFKA (${h.into(topics.bytes)}) KEY FORMAT TEXT (id) VALUE FORMAT BYTES (raw) ENVELOPE UPSERT`);
  const int4 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString('hex');
  const first = await h.exactly(topics.int, 2);
  assert.deepEqual(first.map((m) => [m.key!.toString('hex'), m.value!.toString()]).sort(), [[int4(1), 'one'], [int4(2), 'two']]);
  const big = await h.exactly(topics.bigint, 2);
  assert.deepEqual(big.map((m) => [m.key!.toString('hex'), m.value!.toString()]).sort(), [['00000001' + '00000000', '-1'], ['fffffffffffffffe', '0.25']]);
  const dbl = await h.exactly(topics.double, 2);
  const doubleBytes = (x: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(x);
    return b.toString('hex');
  };
  assert.deepEqual(dbl.map((m) => [m.key!.toString('hex'), m.value!.toString()]).sort(), [[doubleBytes(-1), '{"id":2}'], [doubleBytes(0.25), '{"id":1}']].sort());
  const bytes = await h.exactly(topics.bytes, 2);
  assert.deepEqual(bytes.map((m) => [m.key!.toString(), m.value!.toString('hex')]).sort(), [['1', '0102'], ['2', '']]);

  // An update is a message for its key, an unchanged key none, a delete a tombstone.
  await h.client.query(`UPDATE nums SET t = 'uno' WHERE id = 1`);
  await h.client.query(`UPDATE nums SET big = big WHERE id = 2`);
  await h.client.query('DELETE FROM nums WHERE id = 2');
  const after = await h.exactly(topics.int, 4);
  assert.deepEqual(after.slice(2).map((m) => [m.key!.toString('hex'), m.value?.toString() ?? null]), [[int4(1), 'uno'], [int4(2), null]]);
});

test('the key decides the partition with the Java client\'s default partitioner (murmur2)', async () => {
  await h.client.query('CREATE TABLE spread (k text PRIMARY KEY, v integer)');
  const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
  await h.client.query(`INSERT INTO spread VALUES ${keys.map((k, i) => `('${k}', ${i})`).join(', ')}`);
  const topic = h.sinkTopic('partitions');
  await h.client.query(`CREATE SINK spread_out FROM spread INTO KAFKA (${h.into(topic, ', PARTITIONS 4, REPLICATION FACTOR 1')})
    KEY FORMAT TEXT (k) VALUE FORMAT JSON ENVELOPE UPSERT`);
  const messages = await h.exactly(topic, 20);
  const javaPartition = Partitioners.DefaultPartitioner();
  const partitionMetadata = [0, 1, 2, 3].map((partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const seen = new Set<number>();
  for (const m of messages) {
    seen.add(m.partition);
    assert.equal(m.partition, javaPartition({ topic, partitionMetadata, message: { key: m.key, value: null } }), `partition of ${m.key}`);
  }
  assert.equal(seen.size, 4, 'twenty keys spread over all four partitions');
});

test('DEBEZIUM writes {"before", "after"}: an insert, an update of a key as one message, a delete', async () => {
  await h.client.query('CREATE TABLE accounts (id integer PRIMARY KEY, balance numeric(10,2))');
  await h.client.query('INSERT INTO accounts VALUES (1, 10)');
  const topic = h.sinkTopic('debezium');
  await h.client.query(`CREATE SINK accounts_cdc FROM accounts INTO KAFKA (${h.into(topic)}) KEY FORMAT JSON (id) VALUE FORMAT JSON ENVELOPE DEBEZIUM`);
  await h.exactly(topic, 1);
  await h.client.query('UPDATE accounts SET balance = 12.5 WHERE id = 1');
  await h.client.query('DELETE FROM accounts WHERE id = 1');
  const messages = await h.exactly(topic, 3);
  assert.deepEqual(texts(messages), [
    ['{"id":1}', '{"before":null,"after":{"id":1,"balance":"10.00"}}'],
    ['{"id":1}', '{"before":{"id":1,"balance":"10.00"},"after":{"id":1,"balance":"12.50"}}'],
    ['{"id":1}', '{"before":{"id":1,"balance":"12.50"},"after":null}'],
  ]);
});

test('AVRO registers a generated record schema under <topic>-key / -value and writes the Confluent wire format', async () => {
  await h.client.query('CREATE TABLE trades (id integer PRIMARY KEY, symbol text, price numeric(8,3), qty bigint, at timestamptz, ok boolean, note text)');
  await h.client.query(`INSERT INTO trades VALUES (7, 'IBM', 123.456, 9000000000, '2024-01-02 03:04:05.123456+00', true, NULL)`);
  const topic = h.sinkTopic('avro');
  await h.client.query(`CREATE SINK trades_avro FROM trades
    INTO KAFKA (${h.into(topic)}, SCHEMA REGISTRY '${h.kafka.registryUrl}')
    KEY FORMAT AVRO (id) VALUE FORMAT AVRO ENVELOPE UPSERT`);
  const [message] = await h.exactly(topic, 1);
  assert.equal(message!.value![0], 0, 'magic byte');
  const registry = schemaRegistry(h.kafka);
  const valueId = await registry.getLatestSchemaId(`${topic}-value`);
  assert.equal(message!.value!.readUInt32BE(1), valueId, 'the schema id of <topic>-value');
  const keyId = await registry.getLatestSchemaId(`${topic}-key`);
  assert.equal(message!.key!.readUInt32BE(1), keyId, 'the schema id of <topic>-key');
  assert.deepEqual({ ...(await registry.decode(message!.key!)) }, { id: 7 });
  const value = await registry.decode(message!.value!);
  assert.equal(value.id, 7);
  assert.equal(value.symbol, 'IBM');
  assert.equal(value.qty, 9000000000);
  assert.equal(value.ok, true);
  assert.equal(value.note, null);
  // Logical types (the registry client reads them as their underlying types).
  assert.equal(Buffer.from(value.price).toString('hex'), '01e240', 'decimal(8,3) 123.456 as the unscaled 123456');
  assert.equal(value.at, 1704164645123456, 'timestamp-micros');
  const written = (await (await fetch(`${h.kafka.registryUrl}/schemas/ids/${valueId}`)).json()) as { schema: string };
  const fields = Object.fromEntries((JSON.parse(written.schema).fields as { name: string; type: unknown }[]).map((f) => [f.name, f.type]));
  assert.deepEqual(fields.price, ['null', { type: 'bytes', logicalType: 'decimal', precision: 8, scale: 3 }]);
  assert.deepEqual(fields.at, ['null', { type: 'long', logicalType: 'timestamp-micros' }]);
  assert.deepEqual(fields.id, 'int', 'a primary key column is NOT NULL: no union');
});

test('AVRO SUBJECT names the subject; a value the schema cannot hold goes to eddy_sink_errors and the sink goes on', async () => {
  await h.client.query('CREATE TABLE amounts (id integer PRIMARY KEY, amount numeric)');
  const topic = h.sinkTopic('avro-subject');
  const subject = `${topic}-custom`;
  await h.client.query(`CREATE SINK amounts_avro FROM amounts
    INTO KAFKA (${h.into(topic)}, SCHEMA REGISTRY '${h.kafka.registryUrl}')
    KEY FORMAT JSON (id) VALUE FORMAT AVRO SUBJECT '${subject}' ENVELOPE UPSERT`);
  await h.client.query(`INSERT INTO amounts VALUES (1, 1.5), (2, 1e40), (3, NULL)`);
  const registry = schemaRegistry(h.kafka);
  const id = await registry.getLatestSchemaId(subject);
  const messages = await h.exactly(topic, 2);
  const decoded = await Promise.all(messages.map(async (m) => [m.key!.toString(), m.value!.readUInt32BE(1), await registry.decode(m.value!)]));
  assert.deepEqual(decoded.map(([k, sid]) => [k, sid]).sort(), [['{"id":1}', id], ['{"id":3}', id]]);
  const errors = await h.rows(`SELECT sink, "row", error FROM eddy_sink_errors WHERE sink = 'amounts_avro'`);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]![1], '{"id":2,"amount":"10000000000000000000000000000000000000000"}');
  assert.match(errors[0]![2]!, /does not fit Avro decimal\(39, 10\)/);
});

test('a NULL key under UPSERT goes to eddy_sink_errors with its row; the other rows are written', async () => {
  await h.client.query('CREATE TABLE maybe (k text, v integer)');
  const topic = h.sinkTopic('null-key');
  await h.client.query(`CREATE SINK maybe_out FROM maybe INTO KAFKA (${h.into(topic)}) KEY FORMAT TEXT (k) VALUE FORMAT JSON (v) ENVELOPE UPSERT`);
  await h.client.query(`INSERT INTO maybe VALUES ('a', 1), (NULL, 2), ('b', 3)`);
  const messages = await h.exactly(topic, 2);
  assert.deepEqual(texts(messages).sort(), [['a', '{"v":1}'], ['b', '{"v":3}']]);
  await waitFor(async () => (await h.rows(`SELECT "row", error FROM eddy_sink_errors WHERE sink = 'maybe_out'`)).length === 1, { message: 'the rejected row' });
  const [[row, error]] = (await h.rows(`SELECT "row", error FROM eddy_sink_errors WHERE sink = 'maybe_out'`)) as [string, string][];
  assert.equal(row, '{"k":null,"v":2}');
  assert.match(error!, /key is NULL/);
});
