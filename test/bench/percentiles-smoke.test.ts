/**
 * bench/percentiles.ts in a tiny size, so that it keeps running: every scenario prints its time
 * per change, its ratio to the smallest group and its from-scratch baseline. No time is asserted
 * (figures belong to the bench, not to a test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the percentile bench runs every scenario at two group sizes and prints each figure', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/percentiles.ts', '200,400', '6'], { cwd: ROOT, timeout: 120_000 });
  for (const name of ['percentile_cont\\(0\\.5\\)', 'percentile_disc\\(ARRAY\\[\\.1,\\.5,\\.9\\]\\)', 'mode\\(\\)']) {
    for (const n of [200, 400]) {
      assert.match(stdout, new RegExp(`${name}\\s+n=\\s+${n}\\s+\\d+\\.\\d µs/change\\s+x\\d+\\.\\d\\d of n=200\\s+from scratch\\s+\\d+\\.\\d ms`), stdout);
    }
  }
});
