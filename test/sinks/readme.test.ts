/**
 * README.md's "Writing to Kafka" example runs as written (against the tests' broker and registry,
 * with topic names made unique), and its sinks write what it says.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniqueTopic } from '../support/kafka.js';
import { sinkHarness, texts, waitFor, type SinkHarness } from './sink-harness.js';

const README = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'README.md');

let h: SinkHarness;
before(async () => {
  h = await sinkHarness();
});
after(async () => {
  await h?.close();
});

test('the README\'s "Writing to Kafka" example runs', { timeout: 60_000 }, async () => {
  const section = readFileSync(README, 'utf8').split('### Writing to Kafka')[1]!;
  const example = /```sql\n([\s\S]*?)```/.exec(section)![1]!;
  const suffix = uniqueTopic('readme');
  const sql = example
    .replaceAll("'127.0.0.1:9092'", `'${h.kafka.brokers}'`)
    .replaceAll("'http://127.0.0.1:8081'", `'${h.kafka.registryUrl}'`)
    .replace(/TOPIC '([^']+)'/g, (_, topic: string) => `TOPIC '${topic}-${suffix}'`);
  for (const statement of sql.split(/;\s*(?:--[^\n]*)?\n/).map((s) => s.trim()).filter((s) => s !== '')) await h.client.query(statement);

  const prices = await h.exactly(`prices-${suffix}`, 2);
  assert.deepEqual(
    texts(prices).map(([k, v]) => [k, JSON.parse(v!).price]).sort(),
    [['AAPL', '199.50'], ['TSLA', '735.00']],
  );
  await waitFor(async () => (await h.rows(`SELECT messages FROM eddy_sinks WHERE name = 'ticker_out'`))[0]?.[0] !== '0', { message: 'the ticker sink writing' });
  const [tick] = await h.first(`ticks-${suffix}`, 1);
  assert.deepEqual(Object.keys(JSON.parse(tick!.value!.toString())), ['tick', 'timestamp']);
});
