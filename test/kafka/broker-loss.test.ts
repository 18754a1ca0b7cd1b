/**
 * Broker loss, on a broker of this test's own (the shared one stays up for the other tests): the
 * broker stops while a source reads it, comes back with its data, and the source resumes from its
 * next unapplied offset: every message exactly once. A server started while the broker is down
 * starts anyway and catches up once the broker is back; one started while the schema registry is
 * down waits for it (an Avro source's columns come from there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, type EddyHandle } from '../support/eddy.js';
import { createTopic, produce, schemaRegistry, uniqueTopic } from '../support/kafka.js';
import { privateKafkaAndEddyPerFile } from '../support/fixtures.js';

const env = privateKafkaAndEddyPerFile();

const messages = (from: number, to: number, partitions: number) =>
  Array.from({ length: to - from }, (_, i) => ({ value: String(from + i), partition: (from + i) % partitions }));

async function counts(client: Awaited<ReturnType<EddyHandle['client']>>) {
  const { rows } = await client.query('SELECT count(*)::int AS n, count(DISTINCT v)::int AS distinct_n, sum(v)::int AS total FROM lossy');
  return rows[0] as { n: number; distinct_n: number; total: number };
}

/** For a wait that gives up: the source's row, its counts and what the server logged about it. */
const lossyState = (client: Awaited<ReturnType<EddyHandle['client']>>) => async () =>
  `SHOW SOURCES: ${JSON.stringify((await client.query('SHOW SOURCES')).rows.find((r) => r.name === 'lossy'))}; counts: ${JSON.stringify(await counts(client))}\n` +
  env.eddy.logLines.filter((l) => l.includes('source lossy')).slice(-15).join('\n');

test('a source survives its broker going away and coming back: no message lost or repeated', { timeout: 240_000 }, async () => {
  const topic = uniqueTopic('loss');
  await createTopic(topic, 2, env.kafka);
  let client = await env.eddy.client();
  await client.query(`CREATE SOURCE lossy FROM KAFKA (BROKER '${env.kafka.brokers}', TOPIC '${topic}', START OFFSET EARLIEST)
    KEY FORMAT IGNORE VALUE FORMAT TEXT AS v integer TABLE TYPE APPEND`);
  await produce(topic, messages(0, 100, 2), env.kafka);
  await waitFor(async () => (await counts(client)).n === 100, { timeoutMs: 30_000, message: 'the first 100 messages', describe: lossyState(client) });

  await env.kafka.stop();
  await waitFor(async () => (await client.query('SHOW SOURCES')).rows.some((r) => r.name === 'lossy' && /^stalled: ./.test(r.status)), {
    timeoutMs: 60_000,
    message: 'SHOW SOURCES to report the lost broker', describe: lossyState(client),
  });
  await env.kafka.start();
  await produce(topic, messages(100, 200, 2), env.kafka);
  await waitFor(async () => (await counts(client)).n >= 200, { timeoutMs: 90_000, message: 'all 200 messages after the broker came back', describe: lossyState(client) });
  const expectedTotal = (199 * 200) / 2;
  assert.deepEqual(await counts(client), { n: 200, distinct_n: 200, total: expectedTotal });
  await waitFor(async () => (await client.query('SHOW SOURCES')).rows.some((r) => r.name === 'lossy' && r.status === 'running'), {
    message: 'the source to be running again', describe: lossyState(client),
  });

  // A restart while the broker is down: the server starts, the source waits for the broker.
  await env.kafka.stop();
  await env.eddy.restart();
  client = await env.eddy.client();
  const during = (await client.query('SHOW SOURCES')).rows.find((r) => r.name === 'lossy');
  assert.ok(during, 'the source is back in the catalog');
  await env.kafka.start();
  await produce(topic, messages(200, 210, 2), env.kafka);
  await waitFor(async () => (await counts(client)).n >= 210, { timeoutMs: 90_000, message: 'all 210 messages after restart and broker return', describe: lossyState(client) });
  assert.deepEqual(await counts(client), { n: 210, distinct_n: 210, total: (209 * 210) / 2 });
});

test('a restart while the schema registry is down waits for it, then serves the Avro source as before', { timeout: 240_000 }, async () => {
  const topic = uniqueTopic('loss-avro');
  await createTopic(topic, 1, env.kafka);
  const registry = schemaRegistry(env.kafka);
  const schema = { type: 'record', name: 'Trade', fields: [{ name: 'symbol', type: 'string' }, { name: 'qty', type: 'int' }] };
  const { id } = await registry.register({ type: 'AVRO' as never, schema: JSON.stringify(schema) } as never, { subject: `${topic}-value` });
  let client = await env.eddy.client();
  await client.query(`CREATE SOURCE avro_trades FROM KAFKA (BROKER '${env.kafka.brokers}', TOPIC '${topic}', SCHEMA REGISTRY '${env.kafka.registryUrl}', START OFFSET EARLIEST)
    KEY FORMAT IGNORE VALUE FORMAT AVRO INCLUDE NONE TABLE TYPE APPEND`);
  await produce(topic, [{ value: await registry.encode(id, { symbol: 'AAPL', qty: 3 }) }], env.kafka);
  const rows = async () => (await client.query({ text: 'SELECT symbol, qty FROM avro_trades', rowMode: 'array' })).rows;
  await waitFor(async () => (await rows()).length === 1, { timeoutMs: 30_000, message: 'the Avro message' });

  await env.kafka.stop(); // the registry with it
  const restarting = env.eddy.restart();
  // The restart is waiting for the registry (it says so in the log) before the registry is back.
  await waitFor(() => env.eddy.logLines.some((l) => /source avro_trades: schema registry .* retrying$/.test(l)), {
    timeoutMs: 60_000,
    message: 'the restart to wait for the registry',
  });
  await env.kafka.start();
  await restarting;
  client = await env.eddy.client();
  // The restart waits for sources to catch up only so long (CATCH_UP_WAIT_MS); a broker that has
  // just come back can take longer to serve the consumer group again (CI once read no row yet).
  await waitFor(async () => (await rows()).length > 0, { timeoutMs: 90_000, message: 'the Avro row after the restart' });
  assert.deepEqual(await rows(), [['AAPL', 3]]);
});
