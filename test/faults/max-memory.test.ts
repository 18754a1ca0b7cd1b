/**
 * --max-memory: runaway queries (a cross join materializing billions of rows, an aggregate
 * collecting tens of millions of values) fail with 53200 instead of killing the process. The real
 * `eddy` process runs with Node's heap capped at 512 MB, so without the guard each of them would
 * end it ("JavaScript heap out of memory"); with --max-memory 200MB the statement fails, the
 * same and other sessions go on, and the shared views are untouched.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { connect, kill, launch, residentMiB, runToExit, type ServerProcess } from '../support/eddy-process.js';

const NODE_HEAP_MB = 512;
const LIMIT = '200MB';

let dir: string;
let server: ServerProcess;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-maxmem-'));
  server = await launch(join(dir, 'data'), ['--max-memory', LIMIT], { nodeFlags: [`--max-old-space-size=${NODE_HEAP_MB}`] });
});
after(async () => {
  if (server) await kill(server);
  rmSync(dir, { recursive: true, force: true });
});

const RUNAWAY = [
  ['a cross join of two 100,000-row series', 'SELECT * FROM generate_series(1, 100000) a, generate_series(1, 100000) b'],
  ['string_agg over 50 million values', "SELECT length(string_agg(x::text, ',')) FROM generate_series(1, 50000000) x"],
  ['array_agg over 50 million values', 'SELECT cardinality(array_agg(x)) FROM generate_series(1, 50000000) x'],
] as const;

const one = async (c: pg.Client) => (await c.query('SELECT 1 AS one')).rows;

test(`runaway queries fail with 53200 under --max-memory ${LIMIT}; the process, its sessions and views carry on`, { timeout: 300_000 }, async () => {
  const c = await connect(server);
  const other = await connect(server);
  await c.query('CREATE TABLE kept (n int)');
  await c.query('INSERT INTO kept SELECT * FROM generate_series(1, 1000)');
  await c.query('CREATE MATERIALIZED VIEW kept_total AS SELECT count(*)::int AS n, sum(n)::int AS total FROM kept');
  const pid = server.child.pid!;
  const rssAtStart = residentMiB(pid);

  for (const [what, sql] of RUNAWAY) {
    const started = Date.now();
    const error = await c.query(sql).then(
      () => assert.fail(`${what} was expected to fail`),
      (err: unknown) => err as { code?: string; message: string },
    );
    const elapsed = Date.now() - started;
    assert.equal(error.code, '53200', `${what}: ${error.message}`);
    assert.match(error.message, /^out of memory: .* exceeds --max-memory \(200 MB\)/);
    assert.equal(server.child.exitCode, null, 'the process is still running');
    const rssAfter = residentMiB(pid);
    assert.deepEqual(await one(c), [{ one: 1 }], 'the same session answers');
    assert.deepEqual(await one(other), [{ one: 1 }], 'another session answers');
    const normal = await c.query('SELECT count(*)::int AS n FROM generate_series(1, 300) a, generate_series(1, 300) b');
    assert.deepEqual(normal.rows, [{ n: 90_000 }], 'a normal query works');
    console.log(`# ${what}: 53200 after ${elapsed} ms ("${error.message}"); RSS ${rssAtStart.toFixed(0)} MiB at start, ${rssAfter.toFixed(0)} MiB after`);
  }

  assert.deepEqual((await other.query('SELECT * FROM kept_total')).rows, [{ n: 1000, total: 500_500 }]);
  await other.query('INSERT INTO kept VALUES (1001)');
  assert.deepEqual((await c.query('SELECT * FROM kept_total')).rows, [{ n: 1001, total: 501_501 }]);
  await c.end();
  await other.end();
});

test('--max-memory is refused at start when it is not a size or Node could run out of heap first', async () => {
  const bad = await runToExit(join(dir, 'refused'), ['--max-memory', '200']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid --max-memory "200": give a size such as 512MB/);
  const tooBig = await runToExit(join(dir, 'refused'), ['--max-memory', '1GB'], { nodeFlags: [`--max-old-space-size=${NODE_HEAP_MB}`] });
  assert.equal(tooBig.code, 2);
  assert.match(tooBig.stderr, /--max-memory 1024 MB is more than 75% of Node's heap limit .*NODE_OPTIONS=--max-old-space-size=1366/);
});
