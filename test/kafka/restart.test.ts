/**
 * Restart: sources come back from the catalog with their resolved start offsets, are read again
 * from Kafka (before the server serves), and they and the views over them hold the same contents
 * as before, then continue.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { produce, schemaRegistry } from '../support/kafka.js';
import { sourceHarness, waitFor, type SourceHarness } from './source-harness.js';

let h: SourceHarness;
before(async () => {
  h = await sourceHarness();
});
after(async () => {
  await h?.close();
});

const QUERIES = [
  'SELECT kafkapartition, kafkaoffset, symbol, qty FROM trades',
  'SELECT symbol, n, total, latest FROM per_symbol',
  'SELECT symbol, qty FROM last_two',
  'SELECT n FROM stream_count',
  'SHOW SOURCES',
];

async function snapshot(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const q of QUERIES) {
    const rows = (await h.rows(q)).map((r) => JSON.stringify(q === 'SHOW SOURCES' ? r.slice(0, 4) : r)).sort();
    out.set(q, rows.join('\n'));
  }
  return out;
}

test('after a restart sources and views have the same contents and keep following the topic', async () => {
  const topic = await h.topic('restart', 2);
  const from = `${h.from(topic)}, START OFFSET LATEST`;
  await produce(topic, [{ key: 'X', value: '{"qty": 1000}' }], h.kafka); // before the sources: LATEST skips it
  await h.client.query(`CREATE SOURCE trades FROM KAFKA (${from}) KEY FORMAT TEXT AS symbol VALUE FORMAT JSON (qty integer) TABLE TYPE APPEND`);
  await h.client.query(`CREATE SOURCE trade_stream FROM KAFKA (${h.from(topic)}) KEY FORMAT IGNORE VALUE FORMAT JSON (qty integer)`);
  await h.client.query(`CREATE SOURCE trade_ring FROM KAFKA (${h.from(topic)}, PARTITIONS (0)) KEY FORMAT TEXT AS symbol VALUE FORMAT JSON (qty integer) TABLE TYPE RING 2`);
  await h.client.query(`CREATE MATERIALIZED VIEW per_symbol AS SELECT symbol, count(*) AS n, sum(qty) AS total, last(qty) AS latest FROM trades GROUP BY symbol`);
  await h.client.query(`CREATE MATERIALIZED VIEW last_two AS SELECT symbol, qty FROM trade_ring`);
  await h.client.query(`CREATE MATERIALIZED VIEW stream_count AS SELECT count(*) AS n FROM trade_stream`);

  const batch1 = Array.from({ length: 40 }, (_, i) => ({ key: `S${i % 4}`, value: JSON.stringify({ qty: i }), partition: i % 2 }));
  await produce(topic, batch1, h.kafka);
  await h.waitRows('SELECT count(*), sum(qty) FROM trades', [['40', String((39 * 40) / 2)]]);
  await h.waitRows('SELECT n FROM stream_count', [['40']]);
  await h.waitRows('SELECT qty FROM last_two', [['36'], ['38']]);
  const before = await snapshot();

  await h.eddy.restart();
  h.client = await h.eddy.client();
  // The server serves once its sources have re-read their topics: the same contents at once.
  const afterRestart = await snapshot();
  for (const q of QUERIES) assert.equal(afterRestart.get(q), before.get(q), q);
  // The stored statement names the offsets resolved at CREATE (where LATEST was: after the first message).
  const [[, createSql]] = await h.rows('SHOW CREATE SOURCE trades');
  assert.match(createSql!, /START OFFSET \((0 = 1, 1 = 0|0 = 0, 1 = 1)\)/);

  await produce(topic, [{ key: 'S0', value: '{"qty": 100}', partition: 0 }, { key: 'S9', value: '{"qty": 7}', partition: 1 }], h.kafka);
  await h.waitRows('SELECT count(*), sum(qty) FROM trades', [['42', String((39 * 40) / 2 + 107)]]);
  await h.waitRows('SELECT n FROM stream_count', [['42']]);
  await h.waitRows('SELECT symbol, n, total, latest FROM per_symbol WHERE symbol IN (\'S0\', \'S9\')', [
    ['S0', '11', String([0, 4, 8, 12, 16, 20, 24, 28, 32, 36].reduce((a, b) => a + b) + 100), '100'],
    ['S9', '1', '7', '7'],
  ]);
  await h.waitRows('SELECT qty FROM last_two', [['38'], ['100']]);
});

test('a topic written in transactions: committed messages only, lag 0, and a restart that does not wait for markers', async () => {
  const topic = await h.topic('transactional');
  const producer = new Kafka({ brokers: [h.kafka.brokers], logLevel: logLevel.NOTHING }).producer({
    transactionalId: `${topic}-tx`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    for (const [values, commit] of [[['a', 'b'], true], [['aborted'], false], [['c'], true]] as const) {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: values.map((value) => ({ value })) });
      if (commit) await tx.commit();
      else await tx.abort();
    }
  } finally {
    await producer.disconnect();
  }
  await h.client.query(`CREATE SOURCE tx_source FROM KAFKA (${h.from(topic)}, START OFFSET EARLIEST) KEY FORMAT IGNORE TABLE TYPE APPEND`);
  await h.waitRows('SELECT kafkavalue FROM tx_source', [['a'], ['b'], ['c']]);
  // The log ends in a commit marker: the source's position moves past it.
  await waitFor(async () => (await h.rows('SHOW SOURCES')).find((r) => r[0] === 'tx_source')?.[7] === '0', { message: 'lag 0 on tx_source' });

  const started = Date.now();
  await h.eddy.restart();
  h.client = await h.eddy.client();
  assert.ok(Date.now() - started < 15_000, `restart took ${Date.now() - started} ms`);
  assert.deepEqual((await h.rows('SELECT kafkavalue FROM tx_source')).sort(), [['a'], ['b'], ['c']]);
});

test('an Avro source created at the latest schema version keeps that version, and its columns, across a restart', async () => {
  const topic = await h.topic('avro-pinned');
  const registry = schemaRegistry(h.kafka);
  const v1 = { type: 'record', name: 'Quote', fields: [{ name: 'symbol', type: 'string' }, { name: 'price', type: 'double' }] };
  const v2 = { ...v1, fields: [...v1.fields, { name: 'venue', type: 'string', default: 'X' }] };
  const register = async (schema: object) =>
    (await registry.register({ type: 'AVRO' as never, schema: JSON.stringify(schema) } as never, { subject: `${topic}-value` })).id;
  const id1 = await register(v1);
  await h.client.query(`CREATE SOURCE avro_quotes FROM KAFKA (${h.from(topic)}, SCHEMA REGISTRY '${h.kafka.registryUrl}', START OFFSET EARLIEST)
    KEY FORMAT IGNORE VALUE FORMAT AVRO INCLUDE NONE TABLE TYPE APPEND`);
  const [[, createSql]] = await h.rows('SHOW CREATE SOURCE avro_quotes');
  assert.match(createSql!, /VALUE FORMAT AVRO VERSION 1 INCLUDE NONE/);
  await produce(topic, [{ value: await registry.encode(id1, { symbol: 'AAPL', price: 133 }) }], h.kafka);
  await h.waitRows('SELECT * FROM avro_quotes', [['AAPL', '133']]);

  await register(v2); // the latest is now version 2, with a third field
  await h.eddy.restart();
  h.client = await h.eddy.client();
  assert.deepEqual((await h.rows('SHOW COLUMNS FROM avro_quotes')).map((r) => r[0]), ['symbol', 'price']);
  assert.deepEqual(await h.rows('SELECT * FROM avro_quotes'), [['AAPL', '133']]);
});
