/**
 * A crash is not a clean shutdown: the server process is killed with SIGKILL right after its
 * last acknowledged write, and started again on the same data dir. Every acknowledged write,
 * every table and view must be there, and the views must go on following new writes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type pg from 'pg';
import { diffRows, runQuery, type ResultSet } from '../differential/compare.js';
import { waitFor } from '../support/wait.js';
import { connect, kill, launch } from '../support/eddy-process.js';

const RELATIONS = ['events', 'totals', 'big_events'];
const ACROSS_CRASH = { expected: 'before the crash', actual: 'after the crash' };

async function snapshot(client: pg.Client): Promise<Map<string, ResultSet>> {
  const result = new Map<string, ResultSet>();
  for (const r of RELATIONS) result.set(r, await runQuery(client, `SELECT * FROM ${r}`));
  return result;
}

test('acknowledged writes, tables and views survive a SIGKILL of the server', { timeout: 5 * 60_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-crash-'));
  let server = await launch(dataDir);
  let client: pg.Client | undefined;
  try {
    client = await connect(server);
    await client.query('CREATE TABLE events (id integer PRIMARY KEY, kind text, amount double precision, at timestamp)');
    await client.query('CREATE MATERIALIZED VIEW totals AS SELECT kind, count(*) AS n, sum(amount) AS amount FROM events GROUP BY kind');
    await client.query('CREATE VIEW big_events AS SELECT id, kind FROM events WHERE amount > 50');
    for (let batch = 0; batch < 10; batch++) {
      const rows = Array.from({ length: 20 }, (_, i) => {
        const id = batch * 20 + i;
        return `(${id}, ${id % 7 === 0 ? 'NULL' : `'kind ${id % 5}'`}, ${(id * 37) % 100}.25, '2024-01-01 00:00:00'::timestamp + interval '${id} minutes')`;
      });
      await client.query(`INSERT INTO events VALUES ${rows.join(', ')}`);
    }
    await client.query(`UPDATE events SET amount = amount * 2 WHERE id % 3 = 0`);
    await client.query(`DELETE FROM events WHERE id % 11 = 0`);
    // The last write goes with its acknowledgement straight into the crash.
    await client.query(`INSERT INTO events VALUES (1000, 'last', 99.5, '2024-02-01 12:00:00')`);
    const before = await snapshot(client);
    assert.ok(before.get('events')!.rows.some((r) => r[0] === '1000'));

    await kill(server);
    await client.end().catch(() => {});
    client = undefined;
    server = await launch(dataDir);
    client = await connect(server);

    let lastDiff: string | null = null;
    const c = client;
    await waitFor(
      async () => {
        const after = await snapshot(c);
        const problems = RELATIONS.map((r) => diffRows(before.get(r)!, after.get(r)!, false, ACROSS_CRASH)).filter(Boolean);
        lastDiff = problems.length > 0 ? problems.join('\n') : null;
        return lastDiff === null;
      },
      { timeoutMs: 30_000, message: 'the restarted server to hold every acknowledged write' },
    ).catch(() => assert.fail(`after the crash:\n${lastDiff}`));

    // Still live: a new write reaches the view, which agrees with the same query run ad hoc.
    await c.query(`INSERT INTO events VALUES (1001, 'kind 1', 5, '2024-02-02 00:00:00')`);
    const adHoc = await runQuery(c, 'SELECT kind, count(*) AS n, sum(amount) AS amount FROM events GROUP BY kind');
    await waitFor(async () => diffRows(adHoc, await runQuery(c, 'SELECT * FROM totals'), false) === null, {
      timeoutMs: 10_000,
      message: 'the view to follow a write made after the crash',
    });
  } finally {
    await client?.end().catch(() => {});
    await kill(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
