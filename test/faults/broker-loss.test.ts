/**
 * Broker loss mid-stream, on a broker of this test's own (the shared one stays up for the other
 * tests): a producer writes a steady stream, the broker stops under it for EDDY_BROKER_OUTAGE_S
 * seconds (10 in npm test; `npm run soak` sets 60), and starts again with its data. Meanwhile
 * SHOW SOURCES says `stalled: <why>`; afterwards the source resumes by itself, and its view ends
 * equal to what was produced (count, distinct count and sum: nothing lost, nothing doubled) and
 * to a clean replay of the topic by a source created afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { waitFor } from '../support/eddy.js';
import { createTopic, PacedProducer, uniqueTopic } from '../support/kafka.js';
import { privateKafkaAndEddyPerFile } from '../support/fixtures.js';

const OUTAGE_MS = Number(process.env.EDDY_BROKER_OUTAGE_S ?? 10) * 1000;
const PARTITIONS = 2;
const BATCH = 50;
const BATCH_EVERY_MS = 50;

const env = privateKafkaAndEddyPerFile();

type Totals = { n: number; distinct_n: number; total: number };

async function totals(client: pg.Client, view: string): Promise<Totals | undefined> {
  const { rows } = await client.query(`SELECT n::int AS n, distinct_n::int AS distinct_n, total::float8 AS total FROM ${view}`);
  return rows[0] as Totals | undefined;
}

const sourceStatus = async (client: pg.Client, name: string): Promise<string | undefined> =>
  (await client.query('SHOW SOURCES')).rows.find((r) => r.name === name)?.status;

async function createCountingSource(client: pg.Client, name: string, topic: string): Promise<void> {
  await client.query(`CREATE SOURCE ${name} FROM KAFKA (BROKER '${env.kafka.brokers}', TOPIC '${topic}', START OFFSET EARLIEST)
    KEY FORMAT IGNORE VALUE FORMAT TEXT AS v integer TABLE TYPE APPEND`);
  await client.query(`CREATE MATERIALIZED VIEW ${name}_totals AS SELECT count(*) AS n, count(DISTINCT v) AS distinct_n, sum(v) AS total FROM ${name}`);
}

test(`a source whose broker stops for ${OUTAGE_MS / 1000} s mid-stream says stalled, resumes by itself, and its view equals a clean replay`, { timeout: OUTAGE_MS + 300_000 }, async () => {
  const topic = uniqueTopic('outage');
  await createTopic(topic, PARTITIONS, env.kafka);
  const client = await env.eddy.client();
  await createCountingSource(client, 'steady', topic);
  const describe = async () =>
    `SHOW SOURCES: ${await sourceStatus(client, 'steady')}; view: ${JSON.stringify(await totals(client, 'steady_totals'))}\n` +
    env.eddy.logLines.filter((l) => l.includes('source steady')).slice(-15).join('\n');

  const producer = new PacedProducer({ topic, partitions: PARTITIONS, batch: BATCH, everyMs: BATCH_EVERY_MS }, env.kafka);
  await producer.resume();
  await waitFor(async () => producer.acked >= 1000 && ((await totals(client, 'steady_totals'))?.n ?? 0) > 0, { timeoutMs: 60_000, message: 'the stream to flow', describe });
  await producer.pause();
  const producedBefore = producer.acked;
  const readBefore = (await totals(client, 'steady_totals'))?.n ?? 0;
  const stopping = Date.now();
  await env.kafka.stop();
  const stopped = Date.now();

  // During the outage: stalled, with a reason, from the moment it is noticed until the broker is back.
  const statuses: string[] = [];
  let stalledAt: number | null = null;
  while (Date.now() - stopped < OUTAGE_MS || stalledAt === null) {
    const status = (await sourceStatus(client, 'steady')) ?? '(no row)';
    if (stalledAt === null && /^stalled: ./.test(status)) stalledAt = Date.now();
    if (stalledAt !== null) statuses.push(status);
    if (Date.now() - stopped > OUTAGE_MS + 60_000) assert.fail(`no stalled status within ${OUTAGE_MS / 1000 + 60} s of the broker stopping; last: ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(stalledAt - stopped <= OUTAGE_MS, `SHOW SOURCES said stalled ${stalledAt - stopped} ms after the broker stopped, after the ${OUTAGE_MS} ms outage`);
  const notStalled = statuses.filter((s) => !/^stalled: ./.test(s));
  assert.deepEqual(notStalled, [], 'the source stays stalled while the broker is away');
  const duringOutage = await totals(client, 'steady_totals');
  assert.ok(duringOutage && duringOutage.n <= producedBefore, 'no more rows than were produced');

  const starting = Date.now();
  await env.kafka.start();
  const started = Date.now();
  await waitFor(async () => (await sourceStatus(client, 'steady')) === 'running', { timeoutMs: 120_000, message: 'the source to run again', describe });
  const resumed = Date.now();
  await producer.resume();
  await waitFor(async () => producer.acked >= producedBefore + 1000, { timeoutMs: 60_000, message: 'more messages after the broker came back' });
  await producer.pause();
  const lastProduced = Date.now();
  const expected: Totals = { n: producer.acked, distinct_n: producer.acked, total: producer.idSum };
  await waitFor(async () => ((await totals(client, 'steady_totals'))?.n ?? 0) >= expected.n, { timeoutMs: 90_000, message: `all ${expected.n} messages`, describe });
  const caughtUp = Date.now();
  assert.deepEqual(await totals(client, 'steady_totals'), expected, 'every produced message exactly once');

  // A clean replay: a source created now reads the whole topic in one go.
  await createCountingSource(client, 'replay', topic);
  await waitFor(async () => ((await totals(client, 'replay_totals'))?.n ?? 0) >= expected.n, { timeoutMs: 90_000, message: 'the clean replay' });
  assert.deepEqual(await totals(client, 'replay_totals'), await totals(client, 'steady_totals'), 'the view equals a clean replay');

  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `# broker down ${seconds(starting - stopped)} (stopping took ${seconds(stopped - stopping)}, starting ${seconds(started - starting)}); ` +
      `SHOW SOURCES said stalled ${seconds(stalledAt - stopped)} after the broker stopped ("${statuses[0].slice(0, 100)}"); ` +
      `running again ${seconds(resumed - started)} after it was back; ${expected.n} messages (${producedBefore} before the stop, ` +
      `${readBefore} of them read when it stopped; ${expected.n - producedBefore} after), all in the view ${seconds(caughtUp - lastProduced)} after the last was produced; 0 lost, 0 doubled`,
  );
});
