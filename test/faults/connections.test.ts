/**
 * Connection limits: max_connections (53300 "sorry, too many clients already" past it, as in
 * PostgreSQL), a client that connects and never sends anything is dropped at the startup timeout,
 * and connections still starting up (unauthenticated) are limited on their own, so a flood of
 * silent sockets cannot take the sessions of clients already served.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';
import { RawClient } from '../wire/raw-client.js';

async function connectTo(eddy: EddyHandle): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port: eddy.port, user: 'eddy', database: 'eddy' });
  c.on('error', () => {});
  await c.connect();
  return c;
}

async function refusal(eddy: EddyHandle): Promise<{ code?: string; message: string }> {
  try {
    const c = await connectTo(eddy);
    await c.end();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  assert.fail('expected the connection to be refused');
}

test('max_connections: sessions past it get 53300, a freed slot is usable again', async () => {
  const eddy = await startEddy({ server: { maxConnections: 3 } });
  try {
    const clients = [await connectTo(eddy), await connectTo(eddy), await connectTo(eddy)];
    assert.equal((await clients[0]!.query('SHOW max_connections')).rows[0].max_connections, '3');
    let refused = 0;
    for (let i = 0; i < 5; i++) {
      const err = await refusal(eddy);
      assert.equal(err.code, '53300');
      assert.equal(err.message, 'sorry, too many clients already');
      refused++;
    }
    // The sessions in use were not disturbed.
    for (const c of clients) assert.deepEqual((await c.query('SELECT 1 AS v')).rows, [{ v: 1 }]);
    await clients.pop()!.end();
    const again = await waitFor(() => connectTo(eddy), { message: 'a freed slot' });
    assert.deepEqual((await again.query('SELECT 2 AS v')).rows, [{ v: 2 }]);
    console.log(`# max_connections 3: 3 sessions served, ${refused} refused with 53300, 1 admitted once a slot was freed`);
    await Promise.all([...clients, again].map((c) => c.end()));
  } finally {
    await eddy.stop();
  }
});

test('the default max_connections is 100, as PostgreSQL', async () => {
  const eddy = await startEddy();
  try {
    const c = await eddy.client();
    assert.equal((await c.query('SHOW max_connections')).rows[0].max_connections, '100');
    assert.equal((await c.query('SHOW authentication_timeout')).rows[0].authentication_timeout, '1min');
  } finally {
    await eddy.stop();
  }
});

test('a client that connects and never sends anything is closed at the startup timeout', async () => {
  const eddy = await startEddy({ server: { startupTimeoutMs: 300 } });
  try {
    const started = Date.now();
    const silent = await RawClient.connect(eddy.port);
    // A client that sends half a startup packet and stalls is dropped the same way.
    const stalled = await RawClient.connect(eddy.port);
    stalled.send(Buffer.from([0, 0, 0, 40, 0, 3]));
    await silent.waitForClose();
    await stalled.waitForClose();
    const elapsed = Date.now() - started;
    console.log(`# silent and stalled clients closed after ${elapsed} ms (startup timeout 300 ms)`);
    assert.ok(elapsed >= 280, `not before the timeout: ${elapsed} ms`);
    assert.ok(eddy.logLines.some((l) => /startup not completed within 300 ms/.test(l)));
    assert.deepEqual((await (await eddy.client()).query('SELECT 1 AS v')).rows, [{ v: 1 }]);
  } finally {
    await eddy.stop();
  }
});

test('unauthenticated connections are limited: a flood of silent sockets is refused, sessions go on', async () => {
  const eddy = await startEddy({ server: { maxConnections: 4, startupTimeoutMs: 1000 } });
  try {
    const served = await connectTo(eddy);
    const silent = await Promise.all(Array.from({ length: 4 }, () => RawClient.connect(eddy.port)));
    // The next sockets are refused at once, before they send anything.
    let refused = 0;
    for (let i = 0; i < 20; i++) {
      const extra = await RawClient.connect(eddy.port);
      extra.startParsing();
      const [reply] = await extra.until((m) => m.name === 'error');
      assert.equal(reply!.code, '53300');
      assert.equal(reply!.severity, 'FATAL');
      await extra.waitForClose();
      refused++;
    }
    assert.deepEqual((await served.query('SELECT 1 AS v')).rows, [{ v: 1 }]);
    // Once the silent ones time out, clients get in again.
    await Promise.all(silent.map((s) => s.waitForClose()));
    const later = await waitFor(() => connectTo(eddy), { message: 'a client admitted after the silent ones timed out' });
    console.log(`# 4 silent sockets held the 4 startup slots; ${refused} more refused with 53300 at once; a session stayed usable`);
    await later.end();
    await served.end();
  } finally {
    await eddy.stop();
  }
});
