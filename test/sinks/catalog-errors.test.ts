/**
 * CREATE SINK's errors, with their SQLSTATEs and positions, and sinks in the catalog: SHOW SINKS,
 * eddy_sinks, SHOW CREATE SINK, DROP SINK, DROP of a relation a sink reads, and pg_catalog
 * (which does not list sinks).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sinkHarness, waitFor, type SinkHarness } from './sink-harness.js';

let h: SinkHarness;
before(async () => {
  h = await sinkHarness();
  await h.client.query('CREATE TABLE items (id integer PRIMARY KEY, name text, price numeric)');
});
after(async () => {
  await h?.close();
});

test('a format naming an unknown column is 42703, INT over text 42804, both at the column', async () => {
  const topic = h.sinkTopic('errors');
  const unknown = `CREATE SINK e1 FROM items INTO KAFKA (${h.into(topic)}) KEY FORMAT INT (nope) VALUE FORMAT JSON ENVELOPE UPSERT`;
  let err = await h.sqlError(unknown);
  assert.equal(err.code, '42703');
  assert.match(err.message, /column "nope" named in KEY FORMAT does not exist/);
  assert.equal(Number(err.position), unknown.indexOf('nope') + 1);
  err = await h.sqlError(`CREATE SINK e1 FROM items INTO KAFKA (${h.into(topic)}) KEY FORMAT JSON (id) VALUE FORMAT JSON (id, missing) ENVELOPE UPSERT`);
  assert.equal(err.code, '42703');
  const overText = `CREATE SINK e1 FROM items INTO KAFKA (${h.into(topic)}) KEY FORMAT INT (name) VALUE FORMAT JSON ENVELOPE UPSERT`;
  err = await h.sqlError(overText);
  assert.equal(err.code, '42804');
  assert.equal(Number(err.position), overText.indexOf('name)') + 1);
  err = await h.sqlError(`CREATE SINK e1 FROM items INTO KAFKA (${h.into(topic)}) KEY FORMAT BYTES (id) ENVELOPE UPSERT`);
  assert.equal(err.code, '42804');
});

test('APPEND over an input that retracts rows is refused, naming UPSERT; UPSERT needs a key', async () => {
  let err = await h.sqlError(`CREATE SINK e2 FROM items INTO KAFKA (${h.into(h.sinkTopic('append'))})`);
  assert.equal(err.code, '0A000');
  assert.match(`${err.message} ${err.hint}`, /UPSERT/);
  err = await h.sqlError(`CREATE SINK e2 FROM (SELECT name, count(*) FROM items GROUP BY name) INTO KAFKA (${h.into(h.sinkTopic('append'))}) ENVELOPE APPEND`);
  assert.equal(err.code, '0A000');
  err = await h.sqlError(`CREATE SINK e2 FROM items INTO KAFKA (${h.into(h.sinkTopic('upsert'))}) ENVELOPE UPSERT`);
  assert.equal(err.code, '42601');
  assert.match(err.message, /UPSERT needs a KEY FORMAT/);
  err = await h.sqlError(`CREATE SINK e2 FROM items INTO KAFKA (${h.into(h.sinkTopic('x'))}) KEY FORMAT IGNORE VALUE FORMAT IGNORE`);
  assert.equal(err.code, '42601');
  err = await h.sqlError(`CREATE SINK e2 FROM items INTO KAFKA (${h.into(h.sinkTopic('x'))}) ENVELOPE SOMETIMES`);
  assert.equal(err.code, '42601');
  err = await h.sqlError(`CREATE SINK e2 FROM nowhere INTO KAFKA (${h.into(h.sinkTopic('x'))}) KEY FORMAT JSON (id) ENVELOPE UPSERT`);
  assert.equal(err.code, '42P01');
  err = await h.sqlError(`CREATE SINK e2 FROM items INTO KAFKA (${h.into(h.sinkTopic('x'))}) KEY FORMAT JSON (id) VALUE FORMAT AVRO ENVELOPE UPSERT`);
  assert.equal(err.code, '22023');
  assert.match(err.message, /AVRO needs a schema registry/);
});

test('an unreachable broker or schema registry fails CREATE SINK within seconds, naming it', async () => {
  let started = Date.now();
  let err = await h.sqlError(`CREATE SINK e3 FROM items INTO KAFKA (BROKER '127.0.0.1:1', TOPIC 'nowhere') KEY FORMAT JSON (id) ENVELOPE UPSERT`);
  assert.equal(err.code, '08006');
  assert.match(err.message, /Kafka broker 127\.0\.0\.1:1/);
  assert.ok(Date.now() - started < 10_000, `failed after ${Date.now() - started} ms`);
  started = Date.now();
  err = await h.sqlError(`CREATE SINK e3 FROM items INTO KAFKA (${h.into(h.sinkTopic('registry'))}, SCHEMA REGISTRY 'http://127.0.0.1:1')
    KEY FORMAT JSON (id) VALUE FORMAT AVRO ENVELOPE UPSERT`);
  assert.equal(err.code, '08006');
  assert.match(err.message, /schema registry at http:\/\/127\.0\.0\.1:1/);
  assert.ok(Date.now() - started < 10_000, `failed after ${Date.now() - started} ms`);
  assert.equal((await h.rows(`SELECT name FROM eddy_sinks WHERE name = 'e3'`)).length, 0, 'nothing left behind');
});

test('SHOW SINKS, eddy_sinks and SHOW CREATE SINK; pg_catalog does not list sinks; names are shared with relations', async () => {
  const topic = h.sinkTopic('shown');
  await h.client.query(`INSERT INTO items VALUES (1, 'pen', 1.5)`);
  await h.client.query(`CREATE SINK shown FROM items INTO KAFKA (${h.into(topic)}) KEY FORMAT JSON (id) VALUE FORMAT JSON (name, price) ENVELOPE UPSERT`);
  await waitFor(async () => (await h.rows(`SELECT status, messages FROM eddy_sinks WHERE name = 'shown'`))[0]?.join() === 'running,1', {
    message: 'the sink running with one message written',
  });
  const [row] = (await h.client.query('SHOW SINKS')).rows.filter((r) => r.name === 'shown');
  assert.equal(row.input, 'items');
  assert.equal(row.topic, topic);
  assert.equal(row.key_format, 'JSON (id)');
  assert.equal(row.value_format, 'JSON (name, price)');
  assert.equal(row.envelope, 'UPSERT');
  assert.ok(row.last_write instanceof Date);
  assert.equal(row.lag, '0');
  const [create] = (await h.client.query('SHOW CREATE SINK shown')).rows;
  assert.match(create.create_sql, /^CREATE SINK shown FROM items INTO KAFKA \(.*'transactional\.id' = 'eddy-sink-shown-[0-9a-f]+'\)/);
  assert.equal((await h.rows(`SELECT count(*) FROM pg_class WHERE relname = 'shown'`))[0]![0], '0');
  let err = await h.sqlError('CREATE TABLE shown (a int)');
  assert.equal(err.code, '42P07');
  err = await h.sqlError(`CREATE SINK shown FROM items INTO KAFKA (${h.into(topic)}) KEY FORMAT JSON (id) ENVELOPE UPSERT`);
  assert.equal(err.code, '42P07');
  await h.client.query(`CREATE SINK IF NOT EXISTS shown FROM items INTO KAFKA (${h.into(topic)}) KEY FORMAT JSON (id) ENVELOPE UPSERT`);
  err = await h.sqlError('SHOW CREATE SINK items');
  assert.equal(err.code, '42809');
});

test('dropping a relation a sink reads needs CASCADE, which drops the sink; DROP SINK [IF EXISTS]', async () => {
  await h.client.query('CREATE TABLE feed (id integer PRIMARY KEY, v text)');
  await h.client.query(`CREATE MATERIALIZED VIEW feed_view AS SELECT id, upper(v) AS v FROM feed`);
  await h.client.query(`CREATE SINK feed_out FROM (SELECT * FROM feed_view WHERE id > 0) INTO KAFKA (${h.into(h.sinkTopic('feed'))}) KEY FORMAT JSON (id) ENVELOPE UPSERT`);
  const err = await h.sqlError('DROP MATERIALIZED VIEW feed_view');
  assert.equal(err.code, '2BP01');
  assert.match(err.detail ?? '', /sink feed_out depends on materialized view feed_view/);
  await h.client.query('DROP MATERIALIZED VIEW feed_view CASCADE');
  assert.equal((await h.rows(`SELECT name FROM eddy_sinks WHERE name = 'feed_out'`)).length, 0);

  await h.client.query(`CREATE SINK feed_out2 FROM feed INTO KAFKA (${h.into(h.sinkTopic('feed2'))}) KEY FORMAT JSON (id) ENVELOPE UPSERT`);
  await h.client.query('DROP SINK feed_out2');
  assert.equal((await h.client.query('SHOW SINKS')).rows.filter((r) => r.name === 'feed_out2').length, 0);
  await h.client.query('DROP SINK IF EXISTS feed_out2');
  assert.equal((await h.sqlError('DROP SINK feed_out2')).code, '42P01');
  assert.equal((await h.sqlError('DROP SINK feed')).code, '42P01');
  await h.client.query('DROP TABLE feed'); // nothing reads it any more
});
