/**
 * SUBSCRIBE through each of its transports, with real clients: COPY (SUBSCRIBE ...) TO STDOUT in
 * text and binary (node pg + pg-copy-streams, and psql, whose Ctrl-C cancels it), DECLARE ...
 * CURSOR FOR SUBSCRIBE read by FETCH over the simple and the extended protocol, and a bare
 * SUBSCRIBE read in pieces by pg-cursor (Execute with a row limit).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import Cursor from 'pg-cursor';
import type pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';
import { binaryTuples, copyStream } from './copy-stream.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
  const c = await eddy.client();
  await c.query('CREATE TABLE items (id int PRIMARY KEY, name text, qty int)');
  await c.query(`INSERT INTO items VALUES (1, 'apple', 5), (2, 'pear', 7)`);
  await c.end();
});
after(async () => {
  await eddy?.stop();
});

/** Data rows (progress rows dropped) as [diff, ...columns] with _ts checked to never go back. */
function changes(rows: (string | null)[][], progress: boolean): (string | null)[][] {
  let last = 0n;
  const out: (string | null)[][] = [];
  for (const row of rows) {
    const ts = BigInt(row[0]!);
    assert.ok(ts >= last, `_ts went back: ${ts} after ${last}`);
    last = ts;
    if (progress && row[1] === 't') continue;
    out.push(row.slice(progress ? 2 : 1));
  }
  return out;
}

const sortRows = (rows: (string | null)[][]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** A reader with a SUBSCRIBE cursor over items open in its transaction block, and a writer. */
async function cursorOverItems(cursor: string, options: string): Promise<{ reader: pg.Client; writer: pg.Client }> {
  const [reader, writer] = [await eddy.client(), await eddy.client()];
  await reader.query('BEGIN');
  await reader.query(`DECLARE ${cursor} CURSOR FOR SUBSCRIBE items WITH (${options})`);
  return { reader, writer };
}

test('COPY (SUBSCRIBE t) TO STDOUT streams the snapshot, then each change as it commits', async () => {
  const reader = await eddy.client();
  const writer = await eddy.client();
  const listenersBefore = eddy.database.dataflow.cycleListenerCount;
  const copy = copyStream(reader, 'COPY (SUBSCRIBE items) TO STDOUT');
  await copy.atLeast(2, 'the snapshot');
  assert.deepEqual(sortRows(changes(copy.textRows(), false)), [['1', '1', 'apple', '5'], ['1', '2', 'pear', '7']]);
  await writer.query(`INSERT INTO items VALUES (3, 'plum', 1)`);
  await copy.atLeast(3, 'the insert');
  await writer.query(`UPDATE items SET qty = 6 WHERE id = 1`);
  await copy.atLeast(5, 'the update');
  assert.deepEqual(changes(copy.textRows(), false).slice(2, 3), [['1', '3', 'plum', '1']]);
  assert.deepEqual(sortRows(changes(copy.textRows(), false).slice(3)), [['-1', '1', 'apple', '5'], ['1', '1', 'apple', '6']]);
  assert.equal(eddy.database.dataflow.cycleListenerCount, listenersBefore + 1);
  // The reader goes away: its subscription must go at once.
  await reader.end();
  await waitFor(() => eddy.database.dataflow.cycleListenerCount === listenersBefore, { message: 'the subscription removed after disconnect' });
  await writer.query(`DELETE FROM items WHERE id = 3`);
  await writer.query(`UPDATE items SET qty = 5 WHERE id = 1`);
  await writer.end();
});

test('COPY (SUBSCRIBE (query)) TO STDOUT (FORMAT binary) sends PostgreSQL binary tuples', async () => {
  const reader = await eddy.client();
  const writer = await eddy.client();
  const copy = copyStream(reader, `COPY (SUBSCRIBE (SELECT count(*) AS n, sum(qty) AS total FROM items)) TO STDOUT (FORMAT binary)`, 'binary');
  await copy.atLeast(1, 'the snapshot');
  await writer.query(`INSERT INTO items VALUES (10, 'fig', 3)`);
  await copy.atLeast(3, 'the retraction and the new count');
  const { header, tuples } = binaryTuples(copy.chunks);
  assert.ok(header, 'the binary header comes first');
  const decoded = tuples.map(([ts, diff, n, total]) => [ts!.readBigInt64BE(), diff!.readBigInt64BE(), n!.readBigInt64BE(), total!.readBigInt64BE()]);
  assert.deepEqual(decoded.map((t) => t.slice(1)), [[1n, 2n, 12n], [-1n, 2n, 12n], [1n, 3n, 15n]]);
  assert.ok(decoded[0]![0]! > 1_600_000_000_000n && decoded[2]![0]! >= decoded[0]![0]!, '_ts is the cycle time in ms');
  await reader.end();
  await writer.query(`DELETE FROM items WHERE id = 10`);
  await writer.end();
});

test("psql streams COPY (SUBSCRIBE ...) and its Ctrl-C cancels it with 57014", { timeout: 30_000 }, async () => {
  const listenersBefore = eddy.database.dataflow.cycleListenerCount;
  const psql = spawn('psql', ['-h', '127.0.0.1', '-p', String(eddy.port), '-U', 'eddy', '-d', 'eddy', '-X', '-c', 'COPY (SUBSCRIBE items WITH (PROGRESS)) TO STDOUT'], {
    env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  psql.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  psql.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => psql.on('exit', (code) => resolve(code)));
  // psql buffers its stdout when it is a pipe: the rows are checked after it exits; that the
  // subscription is live is seen from the server's side.
  await waitFor(() => eddy.database.dataflow.cycleListenerCount > listenersBefore, { message: 'psql subscribed' });
  const writer = await eddy.client();
  await writer.query(`INSERT INTO items VALUES (20, 'kiwi', 2)`);
  psql.kill('SIGINT');
  const code = await exited;
  await writer.query(`DELETE FROM items WHERE id = 20`);
  await writer.end();
  assert.match(stderr, /canceling statement due to user request/);
  assert.notEqual(code, 0);
  const rows = stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.ok(rows.some((r) => r[1] === 'f' && r[3] === '20' && r[4] === 'kiwi'), `the insert streamed: ${stdout}`);
  assert.ok(rows.some((r) => r[1] === 't'), 'progress rows streamed');
  await waitFor(() => eddy.database.dataflow.cycleListenerCount === listenersBefore, { message: 'the cancelled subscription removed' });
});

test('DECLARE ... CURSOR FOR SUBSCRIBE, FETCH with a timeout, over the simple and the extended protocol', async () => {
  const { reader, writer } = await cursorOverItems('c', 'SNAPSHOT = false');
  const started = Date.now();
  const none = await reader.query(`FETCH ALL c WITH (TIMEOUT = '300ms')`);
  assert.deepEqual(none.rows, []);
  assert.ok(Date.now() - started >= 250, 'FETCH waited for its timeout');
  assert.deepEqual(none.fields.map((f) => f.name), ['_ts', '_diff', 'id', 'name', 'qty']);
  const fetching = reader.query({ name: 'fetch-c', text: `FETCH 10 c WITH (TIMEOUT = '10s')` });
  await writer.query(`INSERT INTO items VALUES (30, 'lime', 9), (31, 'date', 4)`);
  const got = await fetching;
  assert.deepEqual(sortRows(got.rows.map((r) => [String(r._diff), r.id, r.name, r.qty])), [['1', 30, 'lime', 9], ['1', 31, 'date', 4]]);
  assert.equal(got.command, 'FETCH');
  await writer.query(`DELETE FROM items WHERE id IN (30, 31)`);
  const one = await reader.query({ name: 'fetch-one', text: 'FETCH 1 FROM c' });
  assert.equal(one.rows.length, 1);
  const rest = await reader.query(`FETCH ALL c WITH (TIMEOUT = '1s')`);
  assert.equal(rest.rows.length, 1);
  assert.deepEqual([one.rows[0]._diff, rest.rows[0]._diff], ['-1', '-1']);
  await reader.query('CLOSE c');
  await assert.rejects(reader.query('FETCH 1 c'), { code: '34000' });
  await reader.query('ROLLBACK');
  await reader.end();
  await writer.end();
});

test('a FETCH without a timeout waits for a row: update cycles that change nothing it follows do not end it', async () => {
  const { reader, writer } = await cursorOverItems('w', 'SNAPSHOT = false');
  await writer.query('CREATE TABLE elsewhere (x int)');
  let settled = false;
  const fetching = reader.query('FETCH 1 w').finally(() => (settled = true));
  // each of these runs an update cycle in which items does not change
  await writer.query('INSERT INTO elsewhere VALUES (1)');
  await writer.query('CREATE TABLE elsewhere_too (y int)');
  await writer.query('SELECT count(*) FROM pg_class');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(settled, false, 'FETCH returned before a row of items changed');
  await writer.query(`INSERT INTO items VALUES (40, 'fig', 1)`);
  const got = await fetching;
  assert.deepEqual(got.rows.map((r) => [String(r._diff), r.id]), [['1', 40]]);
  await reader.query('ROLLBACK');
  await writer.query('DELETE FROM items WHERE id = 40');
  await writer.query('DROP TABLE elsewhere');
  await writer.query('DROP TABLE elsewhere_too');
  await reader.end();
  await writer.end();
});

test('a bare SUBSCRIBE read with pg-cursor (Execute with a row limit) keeps delivering', async () => {
  const reader = await eddy.client();
  const writer = await eddy.client();
  const cursor = reader.query(new Cursor('SUBSCRIBE (SELECT name FROM items WHERE qty > 4)'));
  const first = await cursor.read(2);
  assert.deepEqual(first.map((r) => r.name).sort(), ['apple', 'pear']);
  const next = cursor.read(1);
  await writer.query(`INSERT INTO items VALUES (40, 'melon', 8)`);
  assert.deepEqual((await next).map((r) => [r._diff, r.name]), [['1', 'melon']]);
  await writer.query(`DELETE FROM items WHERE id = 40`);
  assert.deepEqual((await cursor.read(1)).map((r) => [r._diff, r.name]), [['-1', 'melon']]);
  await cursor.close();
  await reader.end();
  await writer.end();
});

test('changes within one cycle are consolidated: an insert and a delete of a row in one commit print nothing', async () => {
  const { reader, writer } = await cursorOverItems('c', 'SNAPSHOT = false, PROGRESS');
  await writer.query('BEGIN');
  await writer.query(`INSERT INTO items VALUES (50, 'ghost', 1), (51, 'kept', 1)`);
  await writer.query('DELETE FROM items WHERE id = 50');
  await writer.query('COMMIT');
  const rows: any[] = [];
  await waitFor(async () => {
    rows.push(...(await reader.query(`FETCH ALL c WITH (TIMEOUT = '100ms')`)).rows);
    return rows.some((r) => r._progressed === true && rows.some((d) => d.name === 'kept'));
  }, { message: "the commit's cycle closing" });
  const data = rows.filter((r) => r._progressed === false);
  assert.deepEqual(data.map((r) => [r._diff, r.id]), [['1', 51]]);
  assert.ok(data.every((r) => r._ts === data[0]._ts), 'one cycle, one _ts');
  await reader.query('COMMIT');
  await writer.query('DELETE FROM items WHERE id = 51');
  await reader.end();
  await writer.end();
});

test('with PROGRESS an idle subscription still says that time moves on', async () => {
  const reader = await eddy.client();
  await reader.query('BEGIN');
  await reader.query('DECLARE p CURSOR FOR SUBSCRIBE items WITH (SNAPSHOT = false, PROGRESS = true)');
  const seen: bigint[] = [];
  await waitFor(async () => {
    for (const r of (await reader.query(`FETCH ALL p WITH (TIMEOUT = '1.5s')`)).rows) {
      assert.equal(r._progressed, true);
      assert.equal(r._diff, null);
      seen.push(BigInt(r._ts));
    }
    return seen.length >= 3;
  }, { message: 'three progress rows without any change', timeoutMs: 10_000 });
  assert.ok(seen.every((ts, i) => i === 0 || ts > seen[i - 1]!), `progress _ts rises: ${seen.join(', ')}`);
  await reader.end();
});

test('SUBSCRIBE errors: unknown relation 42P01, unknown option 42601, cursor outside a block 25P01', async () => {
  const c = await eddy.client();
  await assert.rejects(c.query('SUBSCRIBE nothing_here'), { code: '42P01' });
  await assert.rejects(c.query('SUBSCRIBE items WITH (SPEED = 2)'), { code: '42601' });
  await assert.rejects(c.query('SUBSCRIBE (SELECT nope FROM items)'), { code: '42703' });
  await assert.rejects(c.query('DECLARE c CURSOR FOR SUBSCRIBE items'), { code: '25P01' });
  await assert.rejects(c.query('FETCH 1 nowhere'), { code: '34000' });
  assert.equal((await c.query('SELECT 1 AS ok')).rows[0].ok, 1);
  await c.end();
});

test('dropping the relation ends its subscription with an error; the server goes on', async () => {
  const reader = await eddy.client();
  const writer = await eddy.client();
  await writer.query('CREATE TABLE doomed (x int)');
  await writer.query('INSERT INTO doomed VALUES (1)');
  const copy = copyStream(reader, 'COPY (SUBSCRIBE doomed) TO STDOUT');
  await copy.atLeast(1, 'the snapshot');
  await writer.query('DROP TABLE doomed');
  await waitFor(() => copy.error, { message: 'the subscription ending' });
  assert.equal(copy.error!.code, '42P01');
  assert.equal((await reader.query('SELECT 2 AS ok')).rows[0].ok, 2);
  await reader.end();
  await writer.end();
});
