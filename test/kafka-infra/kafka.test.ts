/**
 * The local Kafka tooling end to end: `kafka start|status|topic|stop` on a private instance
 * (its own ports and state dir, so stopping it never disturbs the shared broker other tests
 * use), messages through kafkajs, and Avro through the real Confluent registry client.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { consume, createTopic, ensureKafka, produce, schemaRegistry, uniqueTopic } from '../support/kafka.js';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const stateDir = mkdtempSync(join(tmpdir(), 'eddy-kafka-infra-'));
// Ports away from the shared 9092/8081 instance; the helpers read the same variables, and
// must not be sent to an outside Kafka that the caller named for the other tests.
delete process.env.EDDY_TEST_KAFKA_BROKERS;
delete process.env.EDDY_TEST_SCHEMA_REGISTRY_URL;
Object.assign(process.env, {
  KAFKA_PORT: '19092',
  KAFKA_CONTROLLER_PORT: '19093',
  SCHEMA_REGISTRY_PORT: '18081',
  EDDY_KAFKA_STATE_DIR: stateDir,
});

interface CliResult {
  code: number;
  output: string;
  seconds: number;
}

function kafkaCli(...args: string[]): Promise<CliResult> {
  const began = Date.now();
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/kafka/kafka.ts', ...args], { cwd: REPO_ROOT, env: process.env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, output: stdout + stderr, seconds: (Date.now() - began) / 1000 });
      });
  });
}

before(async () => {
  // A leftover instance from an interrupted run would make "start" measure nothing.
  await kafkaCli('stop');
});

after(async () => {
  await kafkaCli('stop');
  rmSync(stateDir, { recursive: true, force: true });
});

test('start brings up broker and registry, and is idempotent', async (t) => {
  const stopped = await kafkaCli('status');
  assert.equal(stopped.code, 1, stopped.output);
  assert.match(stopped.output, /kafka: stopped/);
  assert.match(stopped.output, /schema registry: stopped/);

  const first = await kafkaCli('start');
  assert.equal(first.code, 0, first.output);
  assert.match(first.output, /kafka: running on 127\.0\.0\.1:19092/);
  assert.match(first.output, /schema registry: running on http:\/\/127\.0\.0\.1:18081/);
  t.diagnostic(`start on a fresh state dir (format + JVM start): ${first.seconds.toFixed(1)} s`);

  const second = await kafkaCli('start');
  assert.equal(second.code, 0, second.output);
  assert.match(second.output, /kafka: already running/);
  assert.match(second.output, /schema registry: already running/);
  t.diagnostic(`start when already running: ${second.seconds.toFixed(1)} s`);

  const running = await kafkaCli('status');
  assert.equal(running.code, 0, running.output);
  assert.match(running.output, /kafka: running on 127\.0\.0\.1:19092 \(pid \d+\)/);

  // The helpers see the private instance through the same environment.
  assert.deepEqual(await ensureKafka(), { brokers: '127.0.0.1:19092', registryUrl: 'http://127.0.0.1:18081' });
});

test('topics are created with the asked partitions, through the CLI and the helper', async () => {
  const viaCli = uniqueTopic('infra-cli');
  const created = await kafkaCli('topic', viaCli, '2');
  assert.equal(created.code, 0, created.output);
  assert.match(created.output, /created with 2 partition/);
  const again = await kafkaCli('topic', viaCli, '2');
  assert.match(again.output, /already exists with 2 partition/);

  const viaHelper = uniqueTopic('infra-helper');
  await createTopic(viaHelper, 3);
  const admin = new Kafka({ brokers: ['127.0.0.1:19092'], logLevel: logLevel.ERROR }).admin();
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
  const topic = uniqueTopic('infra-messages');
  await createTopic(topic, 3);
  const sent = [0, 1, 2, 0, 1, 2].map((partition, i) => ({
    partition,
    key: `k${i}`,
    value: JSON.stringify({ i, partition }),
    headers: { source: `test-${i}` },
  }));
  await produce(topic, [...sent, { partition: 1, key: 'gone', value: null }]);

  const received = await consume(topic, sent.length + 1);
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
  await createTopic(topic, 1);
  const kafka = new Kafka({ brokers: ['127.0.0.1:19092'], logLevel: logLevel.NOTHING });
  // Sinks that must neither lose nor repeat messages rely on these transactions.
  const producer = kafka.producer({ transactionalId: uniqueTopic('infra-tx'), idempotent: true, maxInFlightRequests: 1 });
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
  const received = await consume(topic, 3);
  assert.deepEqual(received.map((m) => m.value?.toString()), ['kept-1', 'kept-2', 'kept-3']);
});

test('an Avro schema registers once, round-trips a record, and evolves only compatibly', async () => {
  const registry = schemaRegistry();
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
  assert.deepEqual({ ...(await schemaRegistry().decode(encoded)) }, record);

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

test('stop stops both and is idempotent', async () => {
  const first = await kafkaCli('stop');
  assert.equal(first.code, 0, first.output);
  assert.match(first.output, /kafka: stopped/);
  assert.match(first.output, /schema registry: stopped/);
  const second = await kafkaCli('stop');
  assert.equal(second.code, 0, second.output);
  assert.match(second.output, /kafka: was not running/);
  assert.match(second.output, /schema registry: was not running/);
  const status = await kafkaCli('status');
  assert.equal(status.code, 1);
  assert.match(status.output, /kafka: stopped/);
});
