/**
 * The seed's two "write to Kafka" examples, as the last block of SQL.md writes them, character
 * for character but for the topic names (made unique, so that runs against one broker never
 * read each other's messages) and the broker (the tests' one). A real consumer checks the bytes
 * of both topics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Partitioners } from 'kafkajs';
import { uniqueTopic } from '../support/kafka.js';
import { sinkHarness, waitFor, type SinkHarness } from './sink-harness.js';

const SEED = `
CREATE SOURCE ticks FROM TIME TABLE (PERIOD '100 milliseconds');
CREATE SINK write_topic FROM (SELECT Tick AS X FROM ticks)
  INTO KAFKA (BROKER 'localhost:9092', TOPIC 'time-topic')
  KEY FORMAT BIGINT (X) VALUE FORMAT IGNORE;
CREATE SINK write_topic_group
  FROM (SELECT floor(random() * 5 + 1)::int AS X, Tick AS Y FROM ticks)
  INTO KAFKA (BROKER 'localhost:9092', TOPIC 'time-topic_group')
  KEY FORMAT JSON (X) VALUE FORMAT JSON (X, Y) ENVELOPE UPSERT;
`;

let h: SinkHarness;
before(async () => {
  h = await sinkHarness();
});
after(async () => {
  await h?.close();
});

test("the seed's produce examples run and write what they say", { timeout: 120_000 }, async () => {
  const topic = uniqueTopic('time-topic');
  const sql = SEED.replaceAll("'localhost:9092'", `'${h.kafka.brokers}'`)
    .replace("'time-topic'", `'${topic}'`)
    .replace("'time-topic_group'", `'${topic}_group'`);
  for (const statement of sql.split(';').filter((s) => s.trim() !== '')) await h.client.query(statement);
  await waitFor(async () => Number((await h.rows(`SELECT min(messages) FROM eddy_sinks`))[0]![0]) >= 20, {
    timeoutMs: 30_000,
    message: 'both sinks to write 20 messages',
  });

  // KEY FORMAT BIGINT (X), VALUE FORMAT IGNORE: the ticks 0, 1, 2, ... as 8 bytes big-endian, no value.
  const ticks = await h.first(topic, 20);
  ticks.forEach((m, i) => {
    assert.equal(m.key!.toString('hex'), BigInt(i).toString(16).padStart(16, '0'), `message ${i}`);
    assert.equal(m.value, null);
  });

  // UPSERT keyed by X in 1..5: each message is {"x": X} -> {"x": X, "y": tick}, a key's ticks
  // increasing (its row changes on every tick that drew it), partitioned by murmur2 of the key.
  const grouped = await h.first(`${topic}_group`, 20);
  const partitioner = Partitioners.DefaultPartitioner();
  const lastTick = new Map<number, number>();
  for (const m of grouped) {
    const key = JSON.parse(m.key!.toString()) as { x: number };
    const value = JSON.parse(m.value!.toString()) as { x: number; y: number };
    assert.deepEqual(Object.keys(key), ['x']);
    assert.ok(key.x >= 1 && key.x <= 5, `x = ${key.x}`);
    assert.equal(value.x, key.x);
    assert.ok(value.y > (lastTick.get(key.x) ?? -1), `key ${key.x}: tick ${value.y} after ${lastTick.get(key.x)}`);
    lastTick.set(key.x, value.y);
    assert.equal(m.partition, partitioner({ topic: `${topic}_group`, partitionMetadata: [{ partitionId: 0, leader: 0 }] as never, message: { key: m.key, value: null } }));
  }
  for (const name of ['write_topic', 'write_topic_group']) await h.client.query(`DROP SINK ${name}`);
});
