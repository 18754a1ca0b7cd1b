/**
 * SUBSCRIBE over what Kafka feeds: a STREAM source's aggregate, followed by COPY while messages
 * are produced to the real broker, sees every change, and the sum of its diffs is the view.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { produce } from '../support/kafka.js';
import { sourceHarness, waitFor, type SourceHarness } from '../kafka/source-harness.js';
import { copyStream } from './copy-stream.js';

let h: SourceHarness;
before(async () => {
  h = await sourceHarness();
});
after(async () => {
  await h?.close();
});

test('COPY (SUBSCRIBE a view over a Kafka source) follows the messages as they arrive', { timeout: 60_000 }, async () => {
  const topic = await h.topic('subscribe-src');
  await h.client.query(`CREATE SOURCE trades FROM KAFKA (${h.from(topic)}, START OFFSET EARLIEST)
    KEY FORMAT TEXT AS symbol VALUE FORMAT JSON (qty int) TABLE TYPE APPEND`);
  await h.client.query('CREATE MATERIALIZED VIEW volume AS SELECT symbol, sum(qty) AS qty FROM trades GROUP BY symbol');
  const reader = await h.eddy.client();
  const copy = copyStream(reader, 'COPY (SUBSCRIBE volume WITH (SNAPSHOT = false, PROGRESS)) TO STDOUT');
  await waitFor(() => copy.textRows().length > 0, { message: 'the first progress row' });
  const expected = new Map<string, number>();
  for (let i = 0; i < 50; i++) {
    const symbol = ['AAPL', 'TSLA', 'MSFT'][i % 3]!;
    await produce(topic, [{ key: symbol, value: JSON.stringify({ qty: i }) }], h.kafka);
    expected.set(symbol, (expected.get(symbol) ?? 0) + i);
  }
  const summed = () => {
    const state = new Map<string, number>();
    for (const [, progressed, diff, symbol, qty] of copy.textRows()) {
      if (progressed === 't') continue;
      const key = `${symbol}=${qty}`;
      state.set(key, (state.get(key) ?? 0) + Number(diff));
    }
    return [...state].filter(([, n]) => n !== 0).map(([k, n]) => `${k} x${n}`).sort();
  };
  const want = [...expected].map(([s, q]) => `${s}=${q} x1`).sort();
  await waitFor(() => JSON.stringify(summed()) === JSON.stringify(want), { message: `the subscription summing to ${want}`, timeoutMs: 30_000 });
  assert.deepEqual(summed(), want);
  await reader.end();
});
