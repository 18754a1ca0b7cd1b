/**
 * What a subscription may hold on to: a reader that falls behind ends with 53200 at its queue's
 * bound (eddy.subscribe_buffer_rows) instead of growing the server's memory, the snapshot does
 * not count as falling behind, and a subscription whose client went away (ended, or vanished
 * mid-transaction) is removed at once, with what was built for it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Cursor from 'pg-cursor';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';
import { copyStream } from './copy-stream.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
  const c = await eddy.client();
  await c.query('CREATE TABLE feed (id int, payload text)');
  await c.query(`INSERT INTO feed SELECT i, 'seed' FROM generate_series(1, 200) AS i`);
  await c.end();
});
after(async () => {
  await eddy?.stop();
});

const flow = () => eddy.database.dataflow;

test('a cursor reader that falls behind its bound ends with 53200; others go on', async () => {
  const slow = await eddy.client();
  const other = await eddy.client();
  const writer = await eddy.client();
  await slow.query('SET eddy.subscribe_buffer_rows = 50');
  await slow.query('BEGIN');
  // 200 snapshot rows under a bound of 50: the snapshot is the relation, not lag.
  await slow.query('DECLARE s CURSOR FOR SUBSCRIBE feed');
  await other.query('BEGIN');
  await other.query('DECLARE o CURSOR FOR SUBSCRIBE feed WITH (SNAPSHOT = false)');
  const listeners = flow().cycleListenerCount;
  await writer.query(`INSERT INTO feed SELECT i, 'burst' FROM generate_series(1000, 1079) AS i`);
  await assert.rejects(slow.query('FETCH ALL s'), (err: Error & { code?: string }) => {
    assert.equal(err.code, '53200');
    assert.match(err.message, /fell too far behind/);
    return true;
  });
  assert.equal(flow().cycleListenerCount, listeners - 1, 'the ended subscription let go of the feed');
  const got = await other.query(`FETCH ALL o WITH (TIMEOUT = '1s')`);
  assert.equal(got.rows.length, 80, 'the other subscriber is unaffected');
  await slow.query('ROLLBACK');
  await other.query('COMMIT');
  await writer.query(`DELETE FROM feed WHERE payload = 'burst'`);
  await Promise.all([slow.end(), other.end(), writer.end()]);
});

test('a COPY reader that stops reading is bounded too: backpressure, then 53200', { timeout: 60_000 }, async () => {
  const slow = await eddy.client();
  const writer = await eddy.client();
  await slow.query('SET eddy.subscribe_buffer_rows = 2000');
  const copy = copyStream(slow, 'COPY (SUBSCRIBE feed WITH (SNAPSHOT = false)) TO STDOUT');
  await waitFor(() => flow().cycleListenerCount > 0, { message: 'subscribed' });
  copy.pause();
  // Far more than TCP's buffers hold: the server must stop sending and queue, up to the bound.
  const wide = 'x'.repeat(2000);
  for (let batch = 0; batch < 20 && !copy.error; batch++) {
    await writer.query(`INSERT INTO feed SELECT i, $1 FROM generate_series(1, 500) AS i`, [wide]);
  }
  copy.resume();
  await waitFor(() => copy.error, { message: 'the lagging COPY subscription ending', timeoutMs: 30_000 });
  assert.equal(copy.error!.code, '53200');
  const received = copy.textRows().length;
  assert.ok(received < 10_000, `the server did not deliver everything to a reader that had stopped (${received} of 10000)`);
  assert.equal((await slow.query('SELECT 1 AS ok')).rows[0].ok, 1, 'the connection is usable after the error');
  await writer.query(`DELETE FROM feed WHERE payload = $1`, [wide]);
  await Promise.all([slow.end(), writer.end()]);
});

test('subscriptions of clients that went away are removed at once, with their maintained queries', async () => {
  const listeners = flow().cycleListenerCount;
  const nodes = flow().nodeCount;
  // A cursor in an open transaction, and the client's socket destroyed without a goodbye.
  const vanishing = await eddy.client();
  await vanishing.query('BEGIN');
  await vanishing.query(`DECLARE v CURSOR FOR SUBSCRIBE (SELECT payload, count(*) FROM feed GROUP BY payload)`);
  // A bare SUBSCRIBE through pg-cursor, and a COPY, whose clients end normally mid-stream.
  const cursorClient = await eddy.client();
  const cursor = cursorClient.query(new Cursor('SUBSCRIBE (SELECT id FROM feed WHERE id > 100)'));
  assert.equal((await cursor.read(100)).length, 100);
  const copyClient = await eddy.client();
  const copy = copyStream(copyClient, 'COPY (SUBSCRIBE (SELECT max(id) FROM feed)) TO STDOUT');
  await copy.atLeast(1);
  assert.equal(flow().cycleListenerCount, listeners + 3);
  assert.ok(flow().nodeCount > nodes, 'the ad-hoc queries were built into the dataflow');
  (vanishing as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  await cursorClient.end();
  await copyClient.end();
  await waitFor(() => flow().cycleListenerCount === listeners && flow().nodeCount === nodes, {
    message: `subscriptions removed (listeners ${flow().cycleListenerCount}/${listeners}, nodes ${flow().nodeCount}/${nodes})`,
  });
});
