/**
 * Broker loss mid-stream, on a broker of this test's own (the shared one stays up for the other
 * tests): a producer writes a steady stream, the broker stops under it for EDDY_BROKER_OUTAGE_S
 * seconds (10 in npm test; `npm run soak` sets 60), and starts again with its data. Meanwhile
 * SHOW SOURCES says `stalled: <why>`; afterwards the source resumes by itself, and its view ends
 * equal to what was produced (count, distinct count and sum: nothing lost, nothing doubled) and
 * to a clean replay of the topic by a source created afterwards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';
import { createTopic, startPrivateKafka, uniqueTopic, type PrivateKafka } from '../support/kafka.js';

const OUTAGE_MS = Number(process.env.EDDY_BROKER_OUTAGE_S ?? 10) * 1000;
const PARTITIONS = 2;
const BATCH = 50;
const BATCH_EVERY_MS = 50;

let kafka: PrivateKafka;
let eddy: EddyHandle;
// Bounded, so that a broker that will not start on a busy machine fails the test instead of hanging it.
before(
  async () => {
    kafka = await startPrivateKafka();
    eddy = await startEddy();
  },
  { timeout: 200_000 },
);
after(
  async () => {
    await eddy?.stop();
    await kafka?.destroy();
  },
  { timeout: 120_000 },
);

/**
 * Writes batches of consecutive integers (0, 1, 2, ...) until paused. Pausing waits for the batch
 * in flight, so `produced` is exactly what the broker acknowledged: the test stops the broker
 * only between sends, and every acknowledged message must reach the view exactly once.
 */
class SteadyProducer {
  produced = 0;
  private producer: Producer | null = null;
  private loop: Promise<void> | null = null;
  private running = false;

  constructor(private readonly topic: string) {}

  async resume(): Promise<void> {
    const kafkajs = new Kafka({ clientId: 'eddy-test-steady-producer', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
    this.producer = kafkajs.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await this.producer.connect();
    this.running = true;
    this.loop = this.run(this.producer);
  }

  private async run(producer: Producer): Promise<void> {
    while (this.running) {
      const from = this.produced;
      const messages = Array.from({ length: BATCH }, (_, i) => ({ value: String(from + i), partition: (from + i) % PARTITIONS }));
      await producer.send({ topic: this.topic, acks: -1, messages });
      this.produced += BATCH;
      await new Promise((r) => setTimeout(r, BATCH_EVERY_MS));
    }
  }

  async pause(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.producer?.disconnect();
    this.producer = null;
  }

  /** Sum of 0 .. produced-1. */
  get total(): number {
    return (this.produced * (this.produced - 1)) / 2;
  }
}

type Totals = { n: number; distinct_n: number; total: number };

async function totals(client: pg.Client, view: string): Promise<Totals | undefined> {
  const { rows } = await client.query(`SELECT n::int AS n, distinct_n::int AS distinct_n, total::float8 AS total FROM ${view}`);
  return rows[0] as Totals | undefined;
}

const sourceStatus = async (client: pg.Client, name: string): Promise<string | undefined> =>
  (await client.query('SHOW SOURCES')).rows.find((r) => r.name === name)?.status;

async function createCountingSource(client: pg.Client, name: string, topic: string): Promise<void> {
  await client.query(`CREATE SOURCE ${name} FROM KAFKA (BROKER '${kafka.brokers}', TOPIC '${topic}', START OFFSET EARLIEST)
    KEY FORMAT IGNORE VALUE FORMAT TEXT AS v integer TABLE TYPE APPEND`);
  await client.query(`CREATE MATERIALIZED VIEW ${name}_totals AS SELECT count(*) AS n, count(DISTINCT v) AS distinct_n, sum(v) AS total FROM ${name}`);
}

test(`a source whose broker stops for ${OUTAGE_MS / 1000} s mid-stream says stalled, resumes by itself, and its view equals a clean replay`, { timeout: OUTAGE_MS + 300_000 }, async () => {
  const topic = uniqueTopic('outage');
  await createTopic(topic, PARTITIONS, kafka);
  const client = await eddy.client();
  await createCountingSource(client, 'steady', topic);
  const describe = async () =>
    `SHOW SOURCES: ${await sourceStatus(client, 'steady')}; view: ${JSON.stringify(await totals(client, 'steady_totals'))}\n` +
    eddy.logLines.filter((l) => l.includes('source steady')).slice(-15).join('\n');

  const producer = new SteadyProducer(topic);
  await producer.resume();
  await waitFor(async () => producer.produced >= 1000 && ((await totals(client, 'steady_totals'))?.n ?? 0) > 0, { timeoutMs: 60_000, message: 'the stream to flow', describe });
  await producer.pause();
  const producedBefore = producer.produced;
  const readBefore = (await totals(client, 'steady_totals'))?.n ?? 0;
  const stopping = Date.now();
  await kafka.stop();
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
  await kafka.start();
  const started = Date.now();
  await waitFor(async () => (await sourceStatus(client, 'steady')) === 'running', { timeoutMs: 120_000, message: 'the source to run again', describe });
  const resumed = Date.now();
  await producer.resume();
  await waitFor(async () => producer.produced >= producedBefore + 1000, { timeoutMs: 60_000, message: 'more messages after the broker came back' });
  await producer.pause();
  const lastProduced = Date.now();
  const expected: Totals = { n: producer.produced, distinct_n: producer.produced, total: producer.total };
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
