/**
 * bench/index-join.ts in a tiny size, so that it keeps running: both plans are printed (the hash
 * join over the unindexed copy, the index join over the primary key) with their time per query,
 * then the heap two materialized views add (a join's own copy, a join reading the index).
 * No time is asserted (figures belong to the bench, not to a test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the index join bench times the hash join and the index join, prints both plans and the views\' memory', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/index-join.ts', '300', '5'], { cwd: ROOT, timeout: 120_000 });
  assert.match(stdout, /-> Inner Join ON cust = id[^]*-> Read customers_plain/, stdout);
  assert.match(stdout, /-> Inner Index Join ON cust = id[^]*Index Probe using customers_pkey on customers \(id = cust\) per outer row/, stdout);
  for (const label of ['hash join \\(before, no index\\)', 'index join \\(customers_pkey\\)']) {
    assert.match(stdout, new RegExp(`${label}\\s+300 customers\\s+\\d+\\.\\d{3} ms/query`), stdout);
  }
  for (const label of ['view, own hash copy', 'view, reading the index']) {
    assert.match(stdout, new RegExp(`${label}\\s+300 customers\\s+-?\\d+\\.\\d MiB heap added`), stdout);
  }
});
