/**
 * The topic changes under a running source: partitions added after CREATE SOURCE are read (from
 * their start, nothing lost or repeated), and a topic deleted under a source puts it in a clear
 * `failed` state, keeping what it read (also when a reader's request had the broker create it
 * again, empty), and a busy topic is never taken for deleted because the source read on while it
 * probed the watermarks. 'metadata.max.age.ms' makes the source look again often.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';
import { createTopic, ensureKafka, PacedProducer, produce, uniqueTopic, type KafkaEndpoints } from '../support/kafka.js';

let eddy: EddyHandle;
let kafka: KafkaEndpoints;
let c: pg.Client;
before(async () => {
  kafka = await ensureKafka();
  eddy = await startEddy();
  c = await eddy.client();
});
after(async () => {
  await eddy?.stop();
});

async function withAdmin<T>(fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'eddy-test-admin', brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

const numbers = (from: number, to: number, partitions: number) =>
  Array.from({ length: to - from }, (_, i) => ({ value: String(from + i), partition: (from + i) % partitions }));

async function sourceRow(name: string) {
  return (await c.query('SHOW SOURCES')).rows.find((r) => r.name === name);
}

/** For a wait that gives up: the source's row and what the server logged about it. */
const sourceState = (name: string, counts: () => Promise<unknown>) => async () =>
  `SHOW SOURCES: ${JSON.stringify(await sourceRow(name))}; counts: ${JSON.stringify(await counts())}\n` +
  eddy.logLines.filter((l) => l.includes(`source ${name}`)).slice(-15).join('\n');

test('partitions added to a topic after CREATE SOURCE are read, every message once', { timeout: 120_000 }, async () => {
  const topic = uniqueTopic('grow');
  await createTopic(topic, 1, kafka);
  await c.query(`CREATE SOURCE grows FROM KAFKA (BROKER '${kafka.brokers}', TOPIC '${topic}', 'metadata.max.age.ms' = '300')
    KEY FORMAT IGNORE VALUE FORMAT TEXT AS v bigint TABLE TYPE APPEND`);
  await c.query('CREATE MATERIALIZED VIEW grown AS SELECT count(*) AS n, count(DISTINCT v) AS d, sum(v) AS s FROM grows');
  await produce(topic, numbers(0, 100, 1), kafka);
  const seen = async () => (await c.query('SELECT n::int, d::int, s::int FROM grown')).rows[0] as { n: number; d: number; s: number };
  await waitFor(async () => (await seen()).n === 100, { message: 'the first partition read', describe: sourceState('grows', seen) });
  await withAdmin((admin) => admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] }));
  // Produced as soon as the partitions exist: before the source notices them.
  await produce(topic, numbers(100, 1000, 4), kafka);
  await waitFor(async () => (await seen()).n >= 1000, { timeoutMs: 30_000, message: 'every partition read', describe: sourceState('grows', seen) });
  const total = await seen();
  assert.deepEqual(total, { n: 1000, d: 1000, s: (999 * 1000) / 2 });
  const row = await sourceRow('grows');
  assert.equal(row.status, 'running');
  assert.equal(String(row.lag), '0');
  console.log(`# topic grown from 1 to 4 partitions under a source: ${total.n} messages read, ${total.d} distinct, none lost or repeated`);
});

test('a topic deleted under a source fails it clearly; what it read stays', { timeout: 120_000 }, async () => {
  const topic = uniqueTopic('deleted');
  await createTopic(topic, 2, kafka);
  await c.query(`CREATE SOURCE doomed FROM KAFKA (BROKER '${kafka.brokers}', TOPIC '${topic}', 'metadata.max.age.ms' = '300')
    KEY FORMAT IGNORE VALUE FORMAT TEXT AS v bigint TABLE TYPE APPEND`);
  await produce(topic, numbers(0, 50, 2), kafka);
  await waitFor(async () => (await c.query('SELECT count(*)::int AS n FROM doomed')).rows[0].n === 50, { message: 'the messages read' });
  await withAdmin((admin) => admin.deleteTopics({ topics: [topic] }));
  const failed = await waitFor(async () => {
    const row = await sourceRow('doomed');
    return row?.status.startsWith('failed') ? row : null;
  }, { timeoutMs: 30_000, message: 'the source to fail' });
  // Gone, or created again empty by a reader's request (the broker creates topics automatically).
  assert.match(failed.status, new RegExp(`^failed: Kafka topic "${topic}" (no longer exists \\(deleted\\?\\): the source cannot read on|was deleted or created again: partition \\d ends at offset 0, before the 25 messages read); DROP SOURCE and create it again$`));
  assert.equal((await c.query('SELECT count(*)::int AS n FROM doomed')).rows[0].n, 50);
  console.log(`# topic deleted under a source: SHOW SOURCES says ${failed.status.slice(0, 60)}...; its 50 rows kept`);
  await c.query('DROP SOURCE doomed');
});

test('a source reading a busy topic while it checks the metadata often never takes the topic for deleted', { timeout: 180_000 }, async () => {
  const topic = uniqueTopic('busy-metadata');
  await createTopic(topic, 1, kafka);
  await c.query(`CREATE SOURCE busy FROM KAFKA (BROKER '${kafka.brokers}', TOPIC '${topic}', START OFFSET EARLIEST, 'metadata.max.age.ms' = '100')
    KEY FORMAT IGNORE VALUE FORMAT TEXT AS v integer TABLE TYPE STREAM`);
  await c.query('CREATE MATERIALIZED VIEW busy_count AS SELECT count(*)::int AS n FROM busy');
  // While the source reads on during each probe of the watermarks, its position passes the
  // watermark the probe fetched (the 200-session soak once failed its source so).
  const producer = new PacedProducer({ topic, partitions: 1, batch: 2_000, everyMs: 20 }, kafka);
  await producer.resume();
  const statuses = new Set<string>();
  const started = Date.now();
  while (Date.now() - started < 15_000) {
    statuses.add((await sourceRow('busy'))?.status);
    await new Promise((r) => setTimeout(r, 50));
  }
  await producer.pause();
  await waitFor(async () => (await c.query('SELECT n FROM busy_count')).rows[0].n >= producer.acked || /^failed/.test((await sourceRow('busy'))?.status), {
    timeoutMs: 60_000,
    message: 'the source to read every message',
  });
  assert.deepEqual([...statuses].filter((s) => !/^(running|starting)/.test(s)), [], 'the source never failed or stalled');
  assert.equal((await sourceRow('busy'))?.status, 'running');
  assert.deepEqual((await c.query('SELECT n FROM busy_count')).rows, [{ n: producer.acked }]);
});
