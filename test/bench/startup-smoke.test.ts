/**
 * bench/startup.ts in a tiny size, so that it keeps running: it builds dist/, then starts the
 * compiled server (bin/eddy.js, what `npm start` runs) and the tsx one, empty and over a small
 * stored catalog, and each must answer its first SELECT 1. No time is asserted (figures belong
 * to the bench, not to a test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the startup bench builds, starts compiled and tsx servers over an empty and a stored catalog, and prints each figure', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/startup.ts', '1', '6'], { cwd: ROOT, timeout: 180_000 });
  for (const name of ['empty, compiled', 'empty, tsx', '6 objects, compiled', '6 objects, tsx']) {
    assert.match(stdout, new RegExp(`${name}\\s+median \\d+\\.\\d{3}`), stdout);
  }
  assert.match(stdout, /compiled \/ tsx, empty: \d+\.\d\d/, stdout);
});
