/**
 * The consume examples of the seed guide, written in Eddy SQL as SQL.md's "The seed's examples"
 * writes them, against the real broker, with the guide's messages. (Avro is tested with the Avro
 * decoder.) Each example gets its own topics; the sources are created before producing, since
 * the guide's sources start at LATEST.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { produce } from '../support/kafka.js';
import { sourceHarness, type SourceHarness } from './source-harness.js';

let h: SourceHarness;
before(async () => {
  h = await sourceHarness();
});
after(async () => {
  await h?.close();
});

test('append, ring and stream tables of one topic, key ignored, and last() over the stream', async () => {
  const topic = await h.topic('test.topic');
  await h.client.query(`CREATE SOURCE result_append FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await h.client.query(`CREATE SOURCE result_ring FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE TABLE TYPE RING 3`);
  await h.client.query(`CREATE SOURCE result_stream FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE`);
  await h.client.query(`CREATE MATERIALIZED VIEW last_stream AS SELECT last(KafkaValue) AS KafkaValue FROM result_stream`);
  const values = ['one', 'two', 'three', 'four', 'five'];
  // One message per send: each may land in its own cycle, as typed messages would.
  for (const value of values) await produce(topic, [{ value }], h.kafka);

  await h.waitRows('SELECT kafkavalue FROM result_append', values.map((v) => [v]));
  await h.waitRows('SELECT KafkaValue FROM result_ring', [['three'], ['four'], ['five']]);
  await h.waitRows('SELECT kafkavalue FROM last_stream', [['five']]);
  // A stream holds only the latest cycle's rows: some suffix of what was produced, never more.
  const stream = (await h.rows('SELECT kafkavalue FROM result_stream ORDER BY kafkaoffset')).map((r) => r[0]);
  assert.ok(stream.length <= values.length);
  assert.deepEqual(stream, values.slice(values.length - stream.length));
  // Offsets of a one-partition topic count from 0 in produce order.
  assert.deepEqual(await h.rows('SELECT kafkapartition, kafkaoffset, kafkavalue FROM result_append ORDER BY kafkaoffset'), values.map((v, i) => ['0', String(i), v]));
  assert.deepEqual(
    (await h.rows(`SHOW COLUMNS FROM result_append`)).map((r) => [r[0], r[2]]),
    [['kafkapartition', 'integer'], ['kafkaoffset', 'bigint'], ['kafkatimestamp', 'timestamp with time zone'], ['kafkavalue', 'text']],
  );
});

test('simple key and value: Symbol and Price from share.price', async () => {
  const topic = await h.topic('share.price');
  await h.client.query(`CREATE SOURCE share_price FROM KAFKA (${h.from(topic)})
    KEY FORMAT TEXT AS Symbol VALUE FORMAT TEXT AS Price TABLE TYPE APPEND`);
  const quotes = [['AAPL', '135.60'], ['AAPL', '135.99'], ['AAPL', '136.82']];
  await produce(topic, quotes.map(([key, value]) => ({ key, value })), h.kafka);
  await h.waitRows('SELECT Symbol, Price FROM share_price', quotes);
  assert.deepEqual((await h.rows('SHOW COLUMNS FROM share_price')).slice(3).map((r) => [r[0], r[2]]), [['symbol', 'text'], ['price', 'text']]);
});

test('key and partition ignored: only the value (as a double) with offset and timestamp', async () => {
  const topic = await h.topic('share.price');
  await h.client.query(`CREATE SOURCE share_price_values FROM KAFKA (${h.from(topic)})
    KEY FORMAT IGNORE VALUE FORMAT TEXT AS Price double precision INCLUDE OFFSET, TIMESTAMP TABLE TYPE APPEND`);
  await produce(topic, [{ key: 'AAPL', value: '135.60' }, { key: 'AAPL', value: '135.99' }, { key: 'AAPL', value: '136.82' }], h.kafka);
  await h.waitRows('SELECT Price FROM share_price_values', [['135.6'], ['135.99'], ['136.82']]);
  assert.deepEqual((await h.rows('SHOW COLUMNS FROM share_price_values')).map((r) => r[0]), ['kafkaoffset', 'kafkatimestamp', 'price']);
  assert.deepEqual(await h.rows('SELECT sum(Price)::numeric(10,2) FROM share_price_values'), [['408.41']]);
});

test('JSON with a mapping: orders', async () => {
  const topic = await h.topic('orders');
  await h.client.query(`CREATE SOURCE orders_json FROM KAFKA (${h.from(topic)})
    VALUE FORMAT JSON (Symbol text, Price double precision, Qty integer)
      MAPPING ('symbol' = Symbol, 'price' = Price, 'qty' = Qty)
    TABLE TYPE APPEND`);
  await produce(topic, [{ value: '{"symbol": "AAPL", "price": 135, "qty": 5}' }, { value: '{"symbol": "TSLA", "price": 730, "qty": 3}' }], h.kafka);
  await h.waitRows('SELECT Symbol, Price, Qty FROM orders_json', [['AAPL', '135', '5'], ['TSLA', '730', '3']]);
});

test('several operations: last price per symbol, orders joined to it, shares and notional per symbol', async () => {
  const quotesTopic = await h.topic('quotes');
  const ordersTopic = await h.topic('orders');
  await h.client.query(`CREATE SOURCE quotes FROM KAFKA (${h.from(quotesTopic)})
    KEY FORMAT TEXT AS Symbol VALUE FORMAT JSON (Price double precision)`);
  await h.client.query(`CREATE MATERIALIZED VIEW last_price AS SELECT DISTINCT ON (Symbol) Symbol, Price FROM quotes`);
  await h.client.query(`CREATE SOURCE orders FROM KAFKA (${h.from(ordersTopic)})
    KEY FORMAT IGNORE
    VALUE FORMAT JSON (Symbol text, Id text, LimitPrice double precision, Qty integer)`);
  await h.client.query(`CREATE MATERIALIZED VIEW orders_with_current_price AS
    SELECT o.*, p.Price AS LastPrice
    FROM (SELECT DISTINCT ON (Id) * FROM orders) o LEFT JOIN last_price p USING (Symbol)`);
  await h.client.query(`CREATE MATERIALIZED VIEW total_notional AS
    SELECT Symbol, sum(Qty) AS Shares, sum(Qty * LastPrice) AS Notional
    FROM orders_with_current_price GROUP BY Symbol`);

  await produce(
    quotesTopic,
    [['AAPL', 135], ['AAPL', 133], ['TSLA', 730], ['TSLA', 735]].map(([key, price]) => ({ key: String(key), value: JSON.stringify({ Price: price }) })),
    h.kafka,
  );
  await h.waitRows('SELECT Symbol, Price FROM last_price', [['AAPL', '133'], ['TSLA', '735']]);
  await produce(
    ordersTopic,
    [
      '{"Symbol": "AAPL", "Id":"o1", "LimitPrice": 136, "Qty": 7}',
      '{"Symbol": "AAPL", "Id":"o2", "LimitPrice": 132, "Qty": 2}',
      '{"Symbol": "TSLA", "Id":"o3", "LimitPrice": 725, "Qty": 1}',
      '{"Symbol": "TSLA", "Id":"o4", "LimitPrice": 730, "Qty": 9}',
    ].map((value) => ({ value })),
    h.kafka,
  );
  await h.waitRows('SELECT Symbol, Shares, Notional FROM total_notional', [['AAPL', '9', '1197'], ['TSLA', '10', '7350']]);
  const byName = new Map((await h.rows('SHOW SOURCES')).map((r) => [r[0], r]));
  assert.deepEqual(byName.get('quotes')?.slice(1, 8), ['kafka', quotesTopic, 'stream', 'running', '4', '0', '0']);
  assert.deepEqual(byName.get('orders')?.slice(1, 8), ['kafka', ordersTopic, 'stream', 'running', '4', '0', '0']);
});
