/**
 * Broker loss, on a broker of this test's own (the shared one stays up for the other tests): the
 * broker stops for more than 10 s while a sink writes, SHOW SINKS says the sink is stalled, and
 * once the broker is back the sink goes on: a read_committed consumer sees every change exactly
 * once, in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../support/eddy.js';
import { consume, uniqueTopic } from '../support/kafka.js';
import { privateKafkaAndEddyPerFile } from '../support/fixtures.js';

const env = privateKafkaAndEddyPerFile();

test('a sink survives its broker going away for over 10 s: every change exactly once', { timeout: 240_000 }, async () => {
  const topic = uniqueTopic('sink-loss');
  const client = await env.eddy.client();
  const sink = async () => (await client.query(`SHOW SINKS`)).rows.find((r) => r.name === 'loss_out');
  await client.query(`CREATE SOURCE loss_ticks FROM TIME TABLE (PERIOD '50 milliseconds')`);
  await client.query(`CREATE SINK loss_out FROM (SELECT tick FROM loss_ticks) INTO KAFKA (BROKER '${env.kafka.brokers}', TOPIC '${topic}')`);
  await waitFor(async () => Number((await sink())?.messages) > 10, { timeoutMs: 30_000, message: 'the sink writing' });

  const stoppedAt = Date.now();
  await env.kafka.stop();
  await waitFor(async () => /^stalled/.test((await sink())?.status ?? ''), { timeoutMs: 60_000, message: 'SHOW SINKS to report the lost broker' });
  await waitFor(() => Date.now() - stoppedAt >= 10_000, { timeoutMs: 20_000, intervalMs: 200, message: '10 s without the broker' });
  await env.kafka.start();
  await waitFor(async () => (await sink())?.status === 'running' && (await sink())?.lag === '0', {
    timeoutMs: 90_000,
    message: 'the sink running and caught up after the broker came back',
  });

  const ticks = Number((await client.query('SELECT max(tick) + 1 AS n FROM loss_ticks')).rows[0].n);
  const written = await consume(topic, ticks, { at: env.kafka, timeoutMs: 60_000 });
  const values = written.slice(0, ticks).map((m) => (JSON.parse(m.value!.toString()) as { tick: number }).tick);
  assert.deepEqual(values, Array.from({ length: ticks }, (_, i) => i), 'every tick once, in order');
});
