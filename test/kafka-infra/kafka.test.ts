/**
 * The local Kafka tooling end to end: `kafka start|status|topic|stop` on a private instance
 * (startPrivateKafka: its own free ports and temp dir, so stopping it never disturbs the shared
 * broker other tests use), messages and transactions through kafkajs, Avro through the real
 * Confluent registry client, and data kept across a stop and start.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, test } from 'node:test';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { brokerAnswers } from '../../scripts/kafka/broker.js';
import { registryAnswers } from '../../scripts/kafka/registry.js';
import {
  consume,
  createTopic,
  ensureKafka,
  produce,
  schemaRegistry,
  startPrivateKafka,
  uniqueTopic,
  type PrivateKafka,
} from '../support/kafka.js';

let kafka: PrivateKafka;
// A topic with messages, read again after the instance is stopped and started.
const keptTopic = uniqueTopic('infra-kept');

after(async () => {
  await kafka?.destroy();
});

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

test('start brings up broker and registry, and is idempotent', async (t) => {
  let began = Date.now();
  kafka = await startPrivateKafka();
  t.diagnostic(`start on a fresh state dir (format + JVM start): ${((Date.now() - began) / 1000).toFixed(1)} s`);
  assert.ok(await brokerAnswers(kafka.brokers));
  assert.ok(await registryAnswers(kafka.registryUrl));

  began = Date.now();
  const second = await kafka.cli('start');
  t.diagnostic(`start when already running: ${((Date.now() - began) / 1000).toFixed(1)} s`);
  assert.equal(second.code, 0, second.output);
  assert.match(second.output, new RegExp(`kafka: already running on ${escaped(kafka.brokers)} \\(pid \\d+\\)`));
  assert.match(second.output, new RegExp(`schema registry: already running on ${escaped(kafka.registryUrl)}`));

  const status = await kafka.cli('status');
  assert.equal(status.code, 0, status.output);
  assert.match(status.output, new RegExp(`kafka: running on ${escaped(kafka.brokers)} \\(pid \\d+\\)`));
  assert.match(status.output, new RegExp(`schema registry: running on ${escaped(kafka.registryUrl)} \\(pid \\d+\\)`));
});

test('ensureKafka gives the shared instance, answering', async () => {
  const shared = await ensureKafka();
  assert.ok(await brokerAnswers(shared.brokers), shared.brokers);
  assert.ok(await registryAnswers(shared.registryUrl), shared.registryUrl);
  assert.notEqual(shared.brokers, kafka.brokers);
});

test('topics are created with the asked partitions, through the CLI and the helper', async () => {
  const viaCli = uniqueTopic('infra-cli');
  const created = await kafka.cli('topic', viaCli, '2');
  assert.equal(created.code, 0, created.output);
  assert.match(created.output, /created with 2 partition/);
  const again = await kafka.cli('topic', viaCli, '2');
  assert.match(again.output, /already exists with 2 partition/);
  assert.equal((await kafka.cli('topic', viaCli, 'two')).code, 1);

  const viaHelper = uniqueTopic('infra-helper');
  await createTopic(viaHelper, 3, kafka);
  const admin = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [viaHelper, viaCli] });
    const partitions = Object.fromEntries(metadata.topics.map((m) => [m.name, m.partitions.length]));
    assert.deepEqual(partitions, { [viaHelper]: 3, [viaCli]: 2 });
  } finally {
    await admin.disconnect();
  }
});

test('messages produced to three partitions come back with keys, values and headers', async () => {
  await createTopic(keptTopic, 3, kafka);
  const sent = [0, 1, 2, 0, 1, 2].map((partition, i) => ({
    partition,
    key: `k${i}`,
    value: JSON.stringify({ i, partition }),
    headers: { source: `test-${i}` },
  }));
  await produce(keptTopic, [...sent, { partition: 1, key: 'gone', value: null }], kafka);

  const received = await consume(keptTopic, sent.length + 1, { at: kafka });
  assert.equal(received.length, sent.length + 1);
  const summary = received
    .map((m) => ({
      partition: m.partition,
      key: m.key?.toString() ?? null,
      value: m.value?.toString() ?? null,
      headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, String(v)])),
    }))
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));
  const expected = [...sent, { partition: 1, key: 'gone', value: null, headers: {} }]
    .sort((a, b) => a.key.localeCompare(b.key));
  assert.deepEqual(summary, expected);
  // Within each partition, offsets count up from 0 in the order the messages were sent.
  for (const partition of [0, 1, 2]) {
    const offsets = received.filter((m) => m.partition === partition).map((m) => m.offset);
    assert.deepEqual(offsets, offsets.map((_, i) => String(i)));
  }
});

test('transactions commit and abort, and consumers read only what was committed', async () => {
  const topic = uniqueTopic('infra-transactions');
  await createTopic(topic, 1, kafka);
  const client = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
  // Sinks that must neither lose nor repeat messages rely on these transactions.
  const producer = client.producer({ transactionalId: uniqueTopic('infra-tx'), idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'kept-1' }, { value: 'kept-2' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'dropped' }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic, messages: [{ value: 'kept-3' }] });
    await last.commit();
  } finally {
    await producer.disconnect();
  }
  const received = await consume(topic, 3, { at: kafka });
  assert.deepEqual(received.map((m) => m.value?.toString()), ['kept-1', 'kept-2', 'kept-3']);
});

test('an Avro schema registers once, round-trips a record, and evolves only compatibly', async () => {
  const registry = schemaRegistry(kafka);
  const subject = uniqueTopic('infra-avro') + '-value';
  const v1 = {
    type: 'record',
    name: 'SharePrice',
    namespace: 'eddy.test',
    fields: [
      { name: 'symbol', type: 'string' },
      { name: 'price', type: 'double' },
    ],
  };
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject });
  // The same schema, laid out differently, is the same schema.
  const again = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1, null, 2) }, { subject });
  assert.equal(again.id, id);
  assert.equal(await registry.getLatestSchemaId(subject), id);
  assert.equal(await registry.getRegistryId(subject, 1), id);

  const record = { symbol: 'ACME', price: 12.5 };
  const encoded = await registry.encode(id, record);
  assert.equal(encoded[0], 0, 'Confluent wire format starts with magic byte 0');
  assert.equal(encoded.readInt32BE(1), id, 'then the schema id, big-endian');
  // A fresh client has no cache: it must fetch the writer's schema by id from the registry.
  assert.deepEqual({ ...(await schemaRegistry(kafka).decode(encoded)) }, record);

  // Adding a field without a default cannot read old data: BACKWARD (the default) refuses it.
  const incompatible = { ...v1, fields: [...v1.fields, { name: 'qty', type: 'int' }] };
  await assert.rejects(
    registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject }),
    /incompatible/i,
  );
  const compatible = { ...v1, fields: [...v1.fields, { name: 'qty', type: 'int', default: 0 }] };
  const v2 = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(compatible) }, { subject });
  assert.notEqual(v2.id, id);
  assert.equal(await registry.getLatestSchemaId(subject), v2.id);
  assert.equal(await registry.getRegistryId(subject, 1), id);
});

test('stop is idempotent, and a start afterwards has the same topics, messages and schemas', async (t) => {
  const first = await kafka.cli('stop');
  assert.equal(first.code, 0, first.output);
  assert.match(first.output, /kafka: stopped/);
  assert.match(first.output, /schema registry: stopped/);
  const second = await kafka.cli('stop');
  assert.equal(second.code, 0, second.output);
  assert.match(second.output, /kafka: was not running/);
  assert.match(second.output, /schema registry: was not running/);
  const status = await kafka.cli('status');
  assert.equal(status.code, 1);
  assert.match(status.output, /kafka: stopped/);
  assert.equal(await brokerAnswers(kafka.brokers), false);

  const began = Date.now();
  await kafka.start();
  t.diagnostic(`start on existing data: ${((Date.now() - began) / 1000).toFixed(1)} s`);
  const received = await consume(keptTopic, 7, { at: kafka });
  assert.equal(received.length, 7);
  // The instance's first schema, fetched by id by a client with an empty cache.
  const schema = (await schemaRegistry(kafka).getSchema(1)) as unknown as { name?: string };
  assert.equal(schema.name, 'eddy.test.SharePrice');
});

test('reset stops everything and deletes the data', async () => {
  const reset = await kafka.cli('reset');
  assert.equal(reset.code, 0, reset.output);
  assert.match(reset.output, /kafka: stopped/);
  assert.match(reset.output, /deleted topics, messages and schemas/);
  assert.deepEqual(readdirSync(kafka.stateDir), []);
  assert.equal(await brokerAnswers(kafka.brokers), false);
  assert.equal(await registryAnswers(kafka.registryUrl), false);
});
