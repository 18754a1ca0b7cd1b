/**
 * bench/window-insert.ts in a tiny size, so that it keeps running: every scenario prints its time
 * per insert, its ratio to the smallest partition and its from-scratch baseline. No time is
 * asserted (figures belong to the bench, not to a test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the window insert bench runs every scenario at two partition sizes and prints each figure', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/window-insert.ts', '200,400', '5'], { cwd: ROOT, timeout: 120_000 });
  for (const name of ['row_number, new latest row', 'lag \\+ lead, random position', 'sum ROWS 5 PRECEDING, random', 'running sum, new latest row']) {
    for (const n of [200, 400]) {
      assert.match(stdout, new RegExp(`${name}\\s+n=\\s+${n}\\s+\\d+\\.\\d µs/insert\\s+x\\d+\\.\\d\\d of n=200\\s+from scratch\\s+\\d+\\.\\d ms`), stdout);
    }
  }
});
