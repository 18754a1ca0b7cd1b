/**
 * Kafka sources against the real broker: partitions, every START OFFSET mode, metadata columns,
 * errors at CREATE, SHOW / DROP SOURCE and SHOW CREATE SOURCE.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { produce } from '../support/kafka.js';
import { sourceHarness, waitFor, type SourceHarness } from './source-harness.js';

let h: SourceHarness;
before(async () => {
  h = await sourceHarness();
});
after(async () => {
  await h?.close();
});

async function sqlError(sql: string): Promise<{ code: string; message: string; hint?: string; position?: string }> {
  const err = await h.client.query(sql).then(
    () => null,
    (e: unknown) => e as { code: string; message: string; hint?: string; position?: string },
  );
  assert.ok(err, `expected ${sql} to fail`);
  return err;
}

test('PARTITIONS reads only the named partitions; the default reads all', async () => {
  const topic = await h.topic('parts', 3);
  await h.client.query(`CREATE SOURCE parts_02 FROM KAFKA (${h.from(topic)}, PARTITIONS (0, 2)) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await h.client.query(`CREATE SOURCE parts_all FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  // Running as soon as it has joined, though nothing was produced yet; lag 0.
  await waitFor(async () => (await h.rows('SHOW SOURCES')).find((r) => r[0] === 'parts_all' && r[4] === 'running' && r[7] === '0'), {
    message: 'parts_all running on an idle topic',
  });
  await produce(topic, [0, 1, 2, 0, 1, 2].map((partition, i) => ({ partition, value: `m${i}` })), h.kafka);
  await h.waitRows('SELECT kafkapartition, kafkaoffset, kafkavalue FROM parts_all', [
    ['0', '0', 'm0'], ['1', '0', 'm1'], ['2', '0', 'm2'], ['0', '1', 'm3'], ['1', '1', 'm4'], ['2', '1', 'm5'],
  ]);
  await h.waitRows('SELECT kafkapartition, kafkavalue FROM parts_02', [['0', 'm0'], ['2', 'm2'], ['0', 'm3'], ['2', 'm5']]);
  const err = await sqlError(`CREATE SOURCE parts_bad FROM KAFKA (${h.from(topic)}, PARTITIONS (0, 7))`);
  assert.equal(err.code, '22023');
  assert.match(err.message, /has no partition 7/);
});

test('START OFFSET EARLIEST, LATEST, per partition, and COMMITTED (with its fallback to LATEST)', async () => {
  const topic = await h.topic('offsets', 2);
  await produce(topic, [0, 1, 0, 1].map((partition, i) => ({ partition, value: `old${i}` })), h.kafka);
  const group = `${topic}-group`;
  await h.client.query(`CREATE SOURCE from_earliest FROM KAFKA (${h.from(topic)}, START OFFSET EARLIEST) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await h.client.query(`CREATE SOURCE from_latest FROM KAFKA (${h.from(topic)}, START OFFSET LATEST) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await h.client.query(`CREATE SOURCE from_offsets FROM KAFKA (${h.from(topic)}, START OFFSET (0 = 1, 1 = 0)) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  // No committed offsets in this group yet: COMMITTED starts where LATEST does.
  await h.client.query(`CREATE SOURCE committed_1 FROM KAFKA (BROKER '${h.kafka.brokers}', TOPIC '${topic}', GROUP ID '${group}', START OFFSET COMMITTED)
    KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await produce(topic, [0, 1].map((partition, i) => ({ partition, value: `new${i}` })), h.kafka);

  const all = ['old0', 'old1', 'old2', 'old3', 'new0', 'new1'];
  await h.waitRows('SELECT kafkavalue FROM from_earliest', all.map((v) => [v]));
  await h.waitRows('SELECT kafkavalue FROM from_latest', [['new0'], ['new1']]);
  // partition 0 holds old0, old2; partition 1 old1, old3
  await h.waitRows('SELECT kafkavalue FROM from_offsets', [['old2'], ['old1'], ['old3'], ['new0'], ['new1']]);
  await h.waitRows('SELECT kafkavalue FROM committed_1', [['new0'], ['new1']]);

  // The group now holds committed_1's applied offsets (committed after applying, and at DROP);
  // a new source in the group resumes after them.
  await h.client.query('DROP SOURCE committed_1');
  await produce(topic, [0, 1].map((partition, i) => ({ partition, value: `later${i}` })), h.kafka);
  await h.client.query(`CREATE SOURCE committed_2 FROM KAFKA (BROKER '${h.kafka.brokers}', TOPIC '${topic}', GROUP ID '${group}', START OFFSET COMMITTED)
    KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await h.waitRows('SELECT kafkavalue FROM committed_2', [['later0'], ['later1']]);
  const [[, createSql]] = (await h.rows('SHOW CREATE SOURCE committed_2')) as [string, string][];
  assert.match(createSql!, /START OFFSET \(0 = 3, 1 = 3\)/, 'the stored statement names the resolved offsets');
});

test('metadata columns: partition, offset, timestamp, raw key and headers, renamed', async () => {
  const topic = await h.topic('meta', 2);
  await h.client.query(`CREATE SOURCE meta FROM KAFKA (${h.from(topic)})
    KEY FORMAT TEXT AS k VALUE FORMAT TEXT AS v
    INCLUDE PARTITION AS p, OFFSET AS "Off", TIMESTAMP AS ts, KEY AS raw_key, HEADERS
    TABLE TYPE APPEND`);
  await produce(topic, [{ partition: 1, key: 'k1', value: 'v1', timestamp: '1700000000123', headers: { trace: 'abc', n: '7' } }], h.kafka);
  await h.waitRows(`SELECT p, "Off", ts, raw_key, kafkaheaders, k, v FROM meta`, [
    ['1', '0', '2023-11-14 22:13:20.123+00', '\\x6b31', '{"n": "7", "trace": "abc"}', 'k1', 'v1'],
  ]);
  assert.deepEqual(
    (await h.rows('SHOW COLUMNS FROM meta')).map((r) => [r[0], r[2]]),
    [['p', 'integer'], ['Off', 'bigint'], ['ts', 'timestamp with time zone'], ['raw_key', 'bytea'], ['kafkaheaders', 'jsonb'], ['k', 'text'], ['v', 'text']],
  );
  // A message without key or headers: NULL key columns, an empty headers object.
  await produce(topic, [{ partition: 0, value: 'v2' }], h.kafka);
  await h.waitRows(`SELECT p, raw_key, kafkaheaders, k, v FROM meta WHERE v = 'v2'`, [['0', null, '{}', null, 'v2']]);
});

test('CREATE SOURCE refuses an unreachable broker within seconds, a missing topic, and bad definitions', async () => {
  const started = Date.now();
  const unreachable = await sqlError(`CREATE SOURCE nowhere FROM KAFKA (BROKER '127.0.0.1:1', TOPIC 't')`);
  assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
  assert.equal(unreachable.code, '08006');
  assert.match(unreachable.message, /could not reach Kafka broker 127\.0\.0\.1:1/);

  const missing = await sqlError(`CREATE SOURCE missing FROM KAFKA (${h.from('no-such-topic-' + Date.now())})`);
  assert.equal(missing.code, '42704');
  assert.match(missing.message, /Kafka topic "no-such-topic-\d+" does not exist on broker/);

  const topic = await h.topic('bad-defs');
  const property = await sqlError(`CREATE SOURCE p FROM KAFKA (${h.from(topic)}, 'no.such.property' = 'x')`);
  assert.equal(property.code, '22023');
  assert.match(property.message, /'no.such.property' is not supported/);
  const duplicate = await sqlError(`CREATE SOURCE d FROM KAFKA (${h.from(topic)}) VALUE FORMAT TEXT AS kafkaoffset`);
  assert.equal(duplicate.code, '42701');
  const avro = await sqlError(`CREATE SOURCE a FROM KAFKA (${h.from(topic)}) VALUE FORMAT AVRO`);
  assert.equal(avro.code, '22023');
  assert.match(avro.message, /needs a schema registry/);
  const syntax = await sqlError(`CREATE SOURCE s FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE VALUE FORMAT IGNORE`);
  assert.equal(syntax.code, '42601');
  assert.ok(Number(syntax.position) > 0);
  assert.equal((await h.rows('SHOW SOURCES')).filter((r) => ['nowhere', 'missing', 'p', 'd', 'a', 's'].includes(r[0]!)).length, 0);
});

test('IF NOT EXISTS, DROP SOURCE with dependents, CASCADE, IF EXISTS; a dropped source stops reading', async () => {
  const topic = await h.topic('drop');
  const group = `${topic}-g`;
  await h.client.query(`CREATE SOURCE dropme FROM KAFKA (BROKER '${h.kafka.brokers}', TOPIC '${topic}', GROUP ID '${group}') TABLE TYPE APPEND`);
  await h.client.query(`CREATE SOURCE IF NOT EXISTS dropme FROM KAFKA (${h.from(topic)})`);
  const dup = await sqlError(`CREATE SOURCE dropme FROM KAFKA (${h.from(topic)})`);
  assert.equal(dup.code, '42P07');
  await h.client.query('CREATE MATERIALIZED VIEW dropme_count AS SELECT count(*) AS n FROM dropme');
  await produce(topic, [{ value: 'x' }], h.kafka);
  await h.waitRows('SELECT n FROM dropme_count', [['1']]);

  const refused = await sqlError('DROP SOURCE dropme');
  assert.equal(refused.code, '2BP01');
  const wrongKind = await sqlError('DROP TABLE dropme');
  assert.equal(wrongKind.code, '42809');
  await h.client.query('DROP SOURCE dropme CASCADE');
  assert.equal((await h.rows('SHOW SOURCES')).filter((r) => r[0] === 'dropme').length, 0);
  assert.equal((await sqlError('SELECT * FROM dropme_count')).code, '42P01');
  await h.client.query('DROP SOURCE IF EXISTS dropme');
  assert.equal((await sqlError('DROP SOURCE dropme')).code, '42P01');

  // Its consumer has left: the group it used has no members any more.
  const admin = new Kafka({ brokers: [h.kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await waitFor(async () => (await admin.describeGroups([group])).groups[0]?.members.length === 0, { message: `group ${group} to be empty` });
  } finally {
    await admin.disconnect();
  }
});

test('sources that share a GROUP ID each read all of their partitions', async () => {
  const topic = await h.topic('shared-group', 2);
  const group = `${topic}-g`;
  const from = `BROKER '${h.kafka.brokers}', TOPIC '${topic}', GROUP ID '${group}'`;
  await h.client.query(`CREATE SOURCE shared_a FROM KAFKA (${from}) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await h.client.query(`CREATE SOURCE shared_b FROM KAFKA (${from}) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await produce(topic, [0, 1, 0, 1].map((partition, i) => ({ partition, value: `s${i}` })), h.kafka);
  const expected = [['s0'], ['s1'], ['s2'], ['s3']];
  await h.waitRows('SELECT kafkavalue FROM shared_a', expected, 30_000);
  await h.waitRows('SELECT kafkavalue FROM shared_b', expected, 30_000);
});

test(`a time table's START TIME is read in the session's time zone and stored as an instant`, async () => {
  await h.client.query(`SET TimeZone = 'Europe/Berlin'`);
  try {
    await h.client.query(`CREATE SOURCE berlin_ticks FROM TIME TABLE (PERIOD '1 hour', START TIME '2024-06-01 12:00:00')`);
  } finally {
    await h.client.query('RESET TimeZone');
  }
  const [[, createSql]] = await h.rows('SHOW CREATE SOURCE berlin_ticks');
  assert.match(createSql!, /START TIME '2024-06-01T10:00:00\.000000Z'/);
  await h.waitRows(`SELECT tick, timestamp FROM berlin_ticks WHERE tick = 0`, [['0', '2024-06-01 10:00:00+00']]);
  await h.client.query('DROP SOURCE berlin_ticks');
});

test('JSON (tags text[], scores int[]) reads JSON arrays and array literals into array columns, and views unnest and aggregate them', async () => {
  const topic = await h.topic('json-arrays', 1);
  await h.client.query(`CREATE SOURCE tagged FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE
    VALUE FORMAT JSON (id int, tags text[], scores int[]) TABLE TYPE APPEND`);
  await h.client.query(`CREATE MATERIALIZED VIEW tag_counts AS SELECT tag, count(*) AS n, array_agg(id ORDER BY id) AS ids FROM tagged, unnest(tags) AS tag GROUP BY tag`);
  await produce(topic, [
    { value: JSON.stringify({ id: 1, tags: ['a', 'b'], scores: [1, 2.5, null] }) },
    { value: JSON.stringify({ id: 2, tags: '{b,"c d"}', scores: [] }) },
    { value: JSON.stringify({ id: 3, tags: null }) },
    { value: JSON.stringify({ id: 4, tags: ['a', null] }) },
  ], h.kafka);
  await h.waitRows(`SELECT id, tags, scores, cardinality(tags) FROM tagged`, [
    ['1', '{a,b}', '{1,3,NULL}', '2'],
    ['2', '{b,"c d"}', '{}', '2'],
    ['3', null, null, null],
    ['4', '{a,NULL}', null, '2'],
  ]);
  await h.waitRows(`SELECT tag, n, ids FROM tag_counts`, [
    ['a', '2', '{1,4}'],
    ['b', '2', '{1,2}'],
    ['c d', '1', '{2}'],
    [null, '1', '{4}'],
  ]);
  assert.deepEqual((await h.rows('SHOW COLUMNS FROM tagged')).map((r) => [r[0], r[2]]).slice(-3), [['id', 'integer'], ['tags', 'text[]'], ['scores', 'integer[]']]);
});
