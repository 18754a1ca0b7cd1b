/**
 * bench/compare.ts in a tiny size, Eddy and PostgreSQL only (the Deephaven and Flink installs are
 * large and stay out of npm test), so that its Eddy side keeps running. Its figures are printed,
 * not asserted; what is asserted is that each side produced them (every probe was seen, the
 * views counted every row: the bench throws otherwise).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the compare bench runs its Eddy and PostgreSQL sides and prints their figures', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/compare.ts', '5000', '1', 'eddy,postgres', '2000'], { cwd: ROOT, timeout: 180_000 });
  assert.match(stdout, /^eddy\s+[\d,]+\s+[\d,]+\s+\d+\.\d\d\s+\d+\s+\d+$/m, stdout);
  assert.match(stdout, /^deephaven\s+not run$/m, stdout);
  // At this size PostgreSQL may use less CPU than one clock tick: its rate is then 'unmeasured'.
  assert.match(stdout, /^postgres REFRESH MV\s+\d+\.\d\d\s+\d+\.\d{3}\s+\d+\.\d\d\s+([\d,]+|unmeasured)$/m, stdout);
  assert.match(stdout, /^eddy incremental MV\s+\d+\.\d\d\s+\d+\.\d{3}\s+\d+\.\d\d\s+[\d,]+$/m, stdout);
});
