/**
 * VALUE FORMAT AVRO end to end: schemas registered and messages encoded with the Confluent
 * registry client (as producers do), produced to the real broker, read by CREATE SOURCE through
 * Eddy's wire. Covers the seed's share_price_avro example, schema evolution (a newer writer read
 * as version 1 and as the latest), MAPPING and MAPPING ONLY, the default subjects for key and
 * value, malformed messages (skipped, counted, in eddy_source_errors) and an unreachable registry.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { typeByOid } from '../../src/types/types.js';
import { produce, schemaRegistry, uniqueTopic } from '../support/kafka.js';
import { startSchemaRegistryFixture } from '../support/schema-registry-fixture.js';
import { sourceHarness, waitFor, type SourceHarness } from './source-harness.js';

let h: SourceHarness;
before(async () => {
  h = await sourceHarness();
});
after(async () => {
  await h?.close();
});

async function register(subject: string, schema: object): Promise<number> {
  const { id } = await schemaRegistry().register({ type: 'AVRO' as never, schema: JSON.stringify(schema) } as never, { subject });
  return id;
}

const encode = (id: number, value: unknown) => schemaRegistry().encode(id, value);

/** The relation's columns as (name, type name), from the RowDescription of a zero-row SELECT. */
async function columnTypes(relation: string): Promise<[string, string][]> {
  const { fields } = await h.client.query(`SELECT * FROM ${relation} LIMIT 0`);
  return fields.map((f) => [f.name, typeByOid(f.dataTypeID)?.name ?? String(f.dataTypeID)]);
}

const SHARE_PRICE = {
  type: 'record',
  name: 'share_price_record',
  namespace: 'io.deephaven.examples',
  fields: [
    { name: 'Symbol', type: 'string' },
    { name: 'Side', type: 'string' },
    { name: 'Qty', type: 'int' },
    { name: 'Price', type: 'double' },
  ],
};

test("the seed's share_price_avro: VALUE FORMAT AVRO SUBJECT ... VERSION 1, key ignored, APPEND", async () => {
  const topic = await h.topic('share.price');
  const subject = uniqueTopic('share.price.record');
  const id = await register(subject, SHARE_PRICE);
  await h.client.query(
    `CREATE SOURCE share_price_avro FROM KAFKA (${h.from(topic)}, SCHEMA REGISTRY '${h.kafka.registryUrl}')
       KEY FORMAT IGNORE VALUE FORMAT AVRO SUBJECT '${subject}' VERSION 1 TABLE TYPE APPEND`,
  );
  const trades = [
    { Symbol: 'AAPL', Side: 'BUY', Qty: 100, Price: 133.25 },
    { Symbol: 'TSLA', Side: 'SELL', Qty: 5, Price: 735.5 },
    { Symbol: 'AAPL', Side: 'SELL', Qty: 40, Price: 134 },
  ];
  for (const trade of trades) await produce(topic, [{ key: trade.Symbol, value: await encode(id, trade) }], h.kafka);

  await h.waitRows(
    'SELECT symbol, side, qty, price FROM share_price_avro',
    trades.map((t) => [t.Symbol, t.Side, String(t.Qty), String(t.Price)]),
  );
  assert.deepEqual(await columnTypes('share_price_avro'), [
    ['kafkapartition', 'integer'], ['kafkaoffset', 'bigint'], ['kafkatimestamp', 'timestamp with time zone'],
    ['symbol', 'text'], ['side', 'text'], ['qty', 'integer'], ['price', 'double precision'],
  ]);
  // Field names fold like unquoted identifiers: the seed's capitalised names reach the columns.
  assert.deepEqual(await h.rows('SELECT Symbol, sum(Qty) FROM share_price_avro GROUP BY Symbol ORDER BY Symbol'), [['AAPL', '140'], ['TSLA', '5']]);
  await h.client.query('DROP SOURCE share_price_avro');
});

test('schema evolution: messages of version 1 and 2 read as version 1 and as the latest', async () => {
  const topic = await h.topic('quotes-evolving');
  const subject = `${topic}-value`; // the default subject of the value
  const v1 = { type: 'record', name: 'Quote', namespace: 'eddy.test', fields: [{ name: 'symbol', type: 'string' }, { name: 'price', type: 'double' }] };
  const v2 = { ...v1, fields: [...v1.fields, { name: 'qty', type: 'long', default: 0 }] };
  const id1 = await register(subject, v1);
  const id2 = await register(subject, v2);
  await produce(topic, [{ value: await encode(id1, { symbol: 'AAPL', price: 133.5 }) }, { value: await encode(id2, { symbol: 'TSLA', price: 735, qty: 10 }) }], h.kafka);

  const from = `${h.from(topic)}, START OFFSET EARLIEST, SCHEMA REGISTRY '${h.kafka.registryUrl}'`;
  await h.client.query(`CREATE SOURCE quotes_v1 FROM KAFKA (${from}) KEY FORMAT IGNORE VALUE FORMAT AVRO VERSION 1 INCLUDE NONE TABLE TYPE APPEND`);
  await h.client.query(`CREATE SOURCE quotes_latest FROM KAFKA (${from}) KEY FORMAT IGNORE VALUE FORMAT AVRO INCLUDE NONE TABLE TYPE APPEND`);
  await h.waitRows('SELECT * FROM quotes_v1', [['AAPL', '133.5'], ['TSLA', '735']]);
  await h.waitRows('SELECT * FROM quotes_latest', [['AAPL', '133.5', '0'], ['TSLA', '735', '10']]);
  assert.deepEqual(await columnTypes('quotes_latest'), [['symbol', 'text'], ['price', 'double precision'], ['qty', 'bigint']]);

  // Messages that arrive later, written with either version, keep being read the same way.
  await produce(topic, [{ value: await encode(id2, { symbol: 'MSFT', price: 250, qty: 3 }) }], h.kafka);
  await h.waitRows('SELECT * FROM quotes_v1', [['AAPL', '133.5'], ['TSLA', '735'], ['MSFT', '250']]);
  await h.waitRows('SELECT * FROM quotes_latest', [['AAPL', '133.5', '0'], ['TSLA', '735', '10'], ['MSFT', '250', '3']]);
  await h.client.query('DROP SOURCE quotes_v1');
  await h.client.query('DROP SOURCE quotes_latest');
});

test('MAPPING renames some fields and keeps the rest; MAPPING ONLY keeps just the mapped ones; KEY FORMAT AVRO', async () => {
  const topic = await h.topic('orders-avro');
  const order = {
    type: 'record',
    name: 'Order',
    fields: [
      { name: 'Id', type: 'string' },
      { name: 'Symbol', type: 'string' },
      { name: 'LimitPrice', type: 'double' },
      { name: 'Qty', type: 'int' },
    ],
  };
  const key = { type: 'record', name: 'OrderKey', fields: [{ name: 'Id', type: 'string' }] };
  const valueId = await register(`${topic}-value`, order);
  const keyId = await register(`${topic}-key`, key);
  await produce(topic, [
    { key: await encode(keyId, { Id: 'o1' }), value: await encode(valueId, { Id: 'o1', Symbol: 'AAPL', LimitPrice: 130.5, Qty: 9 }) },
    { key: await encode(keyId, { Id: 'o2' }), value: await encode(valueId, { Id: 'o2', Symbol: 'TSLA', LimitPrice: 735, Qty: 10 }) },
  ], h.kafka);
  const from = `${h.from(topic)}, START OFFSET EARLIEST, SCHEMA REGISTRY '${h.kafka.registryUrl}'`;

  await h.client.query(
    `CREATE SOURCE orders_mapped FROM KAFKA (${from})
       KEY FORMAT IGNORE VALUE FORMAT AVRO MAPPING ('LimitPrice' = "Limit", 'Qty' = quantity) INCLUDE NONE TABLE TYPE APPEND`,
  );
  assert.deepEqual((await columnTypes('orders_mapped')).map(([name]) => name), ['id', 'symbol', 'Limit', 'quantity']);
  await h.waitRows('SELECT id, symbol, "Limit", quantity FROM orders_mapped', [['o1', 'AAPL', '130.5', '9'], ['o2', 'TSLA', '735', '10']]);

  await h.client.query(
    `CREATE SOURCE orders_only FROM KAFKA (${from})
       KEY FORMAT AVRO VALUE FORMAT AVRO MAPPING ONLY ('Qty' = qty, 'Symbol' = sym) INCLUDE NONE TABLE TYPE APPEND`,
  );
  assert.deepEqual((await columnTypes('orders_only')).map(([name]) => name), ['id', 'qty', 'sym']);
  await h.waitRows('SELECT * FROM orders_only', [['o1', '9', 'AAPL'], ['o2', '10', 'TSLA']]);

  await assert.rejects(
    h.client.query(`CREATE SOURCE orders_bad FROM KAFKA (${from}) KEY FORMAT IGNORE VALUE FORMAT AVRO MAPPING ('qty' = q)`),
    (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, '42703');
      assert.match(error.message, /Avro field "qty" does not exist/);
      assert.match(error.hint ?? '', /Id, Symbol, LimitPrice, Qty/);
      return true;
    },
  );
  await h.client.query('DROP SOURCE orders_mapped');
  await h.client.query('DROP SOURCE orders_only');
});

test('malformed Avro messages are skipped, counted and kept in eddy_source_errors; the source goes on', async () => {
  const topic = await h.topic('avro-malformed');
  const id = await register(`${topic}-value`, { type: 'record', name: 'P', fields: [{ name: 'name', type: 'string' }, { name: 'n', type: 'int' }] });
  await h.client.query(
    `CREATE SOURCE avro_bad FROM KAFKA (${h.from(topic)}, SCHEMA REGISTRY '${h.kafka.registryUrl}')
       KEY FORMAT IGNORE VALUE FORMAT AVRO TABLE TYPE APPEND`,
  );
  const good = await encode(id, { name: 'ok', n: 1 });
  const unknownId = Buffer.from(good);
  unknownId.writeInt32BE(987_654_321, 1);
  await produce(topic, [
    { value: good },
    { value: 'plain text, no magic byte' },
    { value: good.subarray(0, good.length - 1) },
    { value: unknownId },
    { value: await encode(id, { name: 'still ok', n: 2 }) },
  ], h.kafka);

  await h.waitRows('SELECT name, n, kafkaoffset FROM avro_bad', [['ok', '1', '0'], ['still ok', '2', '4']]);
  await h.waitRows(`SELECT kafkaoffset, part FROM eddy_source_errors WHERE source = 'avro_bad'`, [['1', 'value'], ['2', 'value'], ['3', 'value']]);
  const errors = await h.rows(`SELECT kafkaoffset, error, raw FROM eddy_source_errors WHERE source = 'avro_bad' ORDER BY kafkaoffset`);
  assert.match(errors[0]![1]!, /magic byte 0/);
  assert.equal(errors[0]![2], '\\x' + Buffer.from('plain text, no magic byte').toString('hex'), 'the raw bytes are kept');
  assert.match(errors[1]![1]!, /invalid Avro data .*truncated/);
  assert.match(errors[2]![1]!, /schema id 987654321 is not in the schema registry/);
  const shown = (await h.client.query('SHOW SOURCES')).rows.find((r) => r.name === 'avro_bad');
  assert.equal(String(shown.decode_errors), '3');
  await h.client.query('DROP SOURCE avro_bad');
});

test('an unreachable registry or a missing subject fails CREATE SOURCE within seconds, naming it', async () => {
  const topic = await h.topic('avro-unreachable');
  const started = Date.now();
  await assert.rejects(
    h.client.query(`CREATE SOURCE avro_nowhere FROM KAFKA (${h.from(topic)}, SCHEMA REGISTRY 'http://127.0.0.1:1') VALUE FORMAT AVRO`),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, '08006');
      assert.match(error.message, /schema registry at http:\/\/127\.0\.0\.1:1/);
      return true;
    },
  );
  assert.ok(Date.now() - started < 8000, 'the failure comes within seconds');
  await assert.rejects(
    h.client.query(`CREATE SOURCE avro_nosubject FROM KAFKA (${h.from(topic)}, SCHEMA REGISTRY '${h.kafka.registryUrl}') KEY FORMAT IGNORE VALUE FORMAT AVRO`),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, '42704');
      assert.match(error.message, new RegExp(`subject "${topic}-value" not found`));
      return true;
    },
  );
  // Neither left a source behind.
  const names = (await h.client.query('SHOW SOURCES')).rows.map((r) => r.name);
  assert.ok(!names.includes('avro_nowhere') && !names.includes('avro_nosubject'));
});

test('after a restart an Avro source and a view over it come back with the same rows and keep reading', async () => {
  const topic = await h.topic('avro-restart');
  const id = await register(`${topic}-value`, SHARE_PRICE);
  await h.client.query(
    `CREATE SOURCE prices_kept FROM KAFKA (${h.from(topic)}, SCHEMA REGISTRY '${h.kafka.registryUrl}')
       KEY FORMAT IGNORE VALUE FORMAT AVRO TABLE TYPE APPEND`,
  );
  await h.client.query('CREATE MATERIALIZED VIEW shares_kept AS SELECT Symbol, sum(Qty) AS shares FROM prices_kept GROUP BY Symbol');
  await produce(topic, [
    { value: await encode(id, { Symbol: 'AAPL', Side: 'BUY', Qty: 4, Price: 130 }) },
    { value: await encode(id, { Symbol: 'AAPL', Side: 'BUY', Qty: 5, Price: 131 }) },
  ], h.kafka);
  await h.waitRows('SELECT symbol, shares FROM shares_kept', [['AAPL', '9']]);

  await h.eddy.restart();
  h.client = await h.eddy.client();
  await h.waitRows('SELECT symbol, qty, price FROM prices_kept', [['AAPL', '4', '130'], ['AAPL', '5', '131']]);
  await h.waitRows('SELECT symbol, shares FROM shares_kept', [['AAPL', '9']]);
  await produce(topic, [{ value: await encode(id, { Symbol: 'TSLA', Side: 'SELL', Qty: 10, Price: 735 }) }], h.kafka);
  await h.waitRows('SELECT symbol, shares FROM shares_kept', [['AAPL', '9'], ['TSLA', '10']]);
  await h.client.query('DROP SOURCE prices_kept CASCADE');
});

test('a registry that goes away while a new writer schema arrives holds the batch back until it returns, losing nothing', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'eddy-registry-'));
  const stateFile = join(stateDir, 'state.json');
  let fixture = await startSchemaRegistryFixture({ stateFile });
  const port = Number(new URL(fixture.url).port);
  try {
    const producerRegistry = new SchemaRegistry({ host: fixture.url });
    const topic = await h.topic('avro-registry-loss');
    const subject = `${topic}-value`;
    const registerHere = async (schema: object) =>
      (await producerRegistry.register({ type: 'AVRO' as never, schema: JSON.stringify(schema) } as never, { subject })).id;
    const v1 = { type: 'record', name: 'Tick', fields: [{ name: 'n', type: 'int' }] };
    const id1 = await registerHere(v1);
    await h.client.query(
      `CREATE SOURCE ticks_kept FROM KAFKA (${h.from(topic)}, SCHEMA REGISTRY '${fixture.url}')
         KEY FORMAT IGNORE VALUE FORMAT AVRO VERSION 1 INCLUDE OFFSET TABLE TYPE APPEND`,
    );
    await produce(topic, [{ value: await producerRegistry.encode(id1, { n: 1 }) }], h.kafka);
    await h.waitRows('SELECT n FROM ticks_kept', [['1']]);

    const id2 = await registerHere({ ...v1, fields: [...v1.fields, { name: 'note', type: 'string', default: '' }] });
    const message2 = await producerRegistry.encode(id2, { n: 2, note: 'newer' });
    const message3 = await producerRegistry.encode(id1, { n: 3 });
    await fixture.close();
    await produce(topic, [{ value: message2 }, { value: message3 }], h.kafka);
    // The batch was fetched (the source knows the topic's end) but is held back, not applied.
    await waitFor(async () => (await h.client.query('SHOW SOURCES')).rows.find((r) => r.name === 'ticks_kept')?.lag === '2', {
      message: 'the source to have fetched the two messages without applying them',
    });
    assert.deepEqual(await h.rows('SELECT n FROM ticks_kept'), [['1']], 'nothing of the held batch is applied');

    fixture = await startSchemaRegistryFixture({ port, stateFile });
    await h.waitRows('SELECT n, kafkaoffset FROM ticks_kept', [['1', '0'], ['2', '1'], ['3', '2']], 60_000);
    assert.deepEqual(await h.rows(`SELECT count(*) FROM eddy_source_errors WHERE source = 'ticks_kept'`), [['0']]);
    await h.client.query('DROP SOURCE ticks_kept');
  } finally {
    await fixture.close().catch(() => {});
    rmSync(stateDir, { recursive: true, force: true });
  }
});
