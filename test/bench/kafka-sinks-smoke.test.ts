/**
 * bench/kafka-sinks.ts in a tiny size (2,000 rows sunk, 2 s of latency at 200 msg/s), so that it
 * keeps running. Its figures are printed, not asserted; what is asserted is that each phase
 * produced them (the bench throws when a sink fails or a message never arrives).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the kafka-sinks bench sinks its rows, times the bare producer and the pipeline, and prints them', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/kafka-sinks.ts', '2000', '2', '200'], { cwd: ROOT, timeout: 180_000 });
  assert.match(stdout, /^bare kafkajs producer \(the sink's 2,000 messages, \d+ B each\): [\d,]+ msg\/s$/m, stdout);
  assert.match(stdout, /^CREATE SINK \.\.\. JSON APPEND:\s+[\d,]+ msg\/s = \d+% of bare/m, stdout);
  assert.match(stdout, /^Kafka -> view -> Kafka at 200 msg\/s \(\d+ messages\): p50 \d+\.\d ms, p99 \d+\.\d ms;/m, stdout);
});
