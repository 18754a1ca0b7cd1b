/**
 * PROGRESS tells "nothing changed" from "stalled": while the broker of a source feeding the
 * followed view is away, no idle progress row claims that time moved on; once the broker is back
 * and the source caught up, progress rows come again and the view's changes follow. On a broker of
 * this test's own, so the shared one stays up for the others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../support/eddy.js';
import { createTopic, produce, uniqueTopic } from '../support/kafka.js';
import { privateKafkaAndEddyPerFile } from '../support/fixtures.js';

const env = privateKafkaAndEddyPerFile();

test('no idle progress while a feeding source is stalled; it resumes with the source', { timeout: 240_000 }, async () => {
  const topic = uniqueTopic('stall');
  await createTopic(topic, 1, env.kafka);
  const c = await env.eddy.client();
  await c.query(`CREATE SOURCE feed FROM KAFKA (BROKER '${env.kafka.brokers}', TOPIC '${topic}', START OFFSET EARLIEST)
    KEY FORMAT IGNORE VALUE FORMAT TEXT AS v integer TABLE TYPE APPEND`);
  await c.query('CREATE MATERIALIZED VIEW feed_total AS SELECT sum(v) AS total FROM feed');
  await produce(topic, [{ value: '1' }], env.kafka);
  const reader = await env.eddy.client();
  await reader.query('BEGIN');
  await reader.query('DECLARE p CURSOR FOR SUBSCRIBE feed_total WITH (SNAPSHOT = false, PROGRESS)');
  const fetch = async (ms: number) => (await reader.query(`FETCH ALL p WITH (TIMEOUT = '${ms}ms')`)).rows;
  // Healthy and idle: progress rows keep coming.
  await waitFor(async () => (await fetch(1500)).some((r) => r._progressed), { message: 'idle progress while the source is healthy', timeoutMs: 20_000 });

  await env.kafka.stop();
  await waitFor(async () => (await c.query('SHOW SOURCES')).rows.some((r) => r.name === 'feed' && r.status !== 'running'), {
    timeoutMs: 60_000,
    message: 'the source to notice the broker is gone',
  });
  await fetch(0); // what was queued before the source noticed
  const whileStalled = [...(await fetch(2500)), ...(await fetch(1000))];
  assert.deepEqual(whileStalled, [], 'no progress is claimed while the source is stalled');

  await env.kafka.start();
  await produce(topic, [{ value: '41' }], env.kafka);
  const after: { _progressed: boolean; _diff: string | null; total: string | null }[] = [];
  await waitFor(async () => {
    after.push(...(await fetch(1000)));
    return after.some((r) => !r._progressed && r.total === '42') && after.at(-1)?._progressed;
  }, { timeoutMs: 90_000, message: 'the change and progress rows after the broker is back' });
  await reader.query('COMMIT');
});
