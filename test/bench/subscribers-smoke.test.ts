/**
 * bench/subscribers.ts in a tiny size (2 s per phase, 5 subscribers, 1000 rows/s), so that it
 * keeps running. Its figures are printed, not asserted; what is asserted is that each
 * subscriber received every change exactly (the bench's own received/expected ratio).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the subscribers bench runs, prints its figures, and every subscriber got every change', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/subscribers.ts', '2', '5', '1000'], { cwd: ROOT, timeout: 120_000 });
  assert.match(stdout, /view alone:\s+\d+\.\d{3} CPU s\/s/, stdout);
  assert.match(stdout, /CPU with \/ without subscribers: \d+\.\d\d/, stdout);
  assert.match(stdout, /growth over the subscribed phase after its first sample: RSS -?\d+\.\d MiB/, stdout);
  assert.match(stdout, /rows received \/ expected: 1\.000/, stdout);
});
