/**
 * Shutting the listener down: connected clients are told why (FATAL 57P01), close() resolves
 * once they are gone, and the port stops accepting.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { serialize } from 'pg-protocol';
import { startEddy } from '../support/eddy.js';
import { RawClient } from './raw-client.js';

test('close() terminates idle and mid-pipeline connections and stops accepting', { timeout: 20_000 }, async () => {
  const eddy = await startEddy();
  const idle = await RawClient.started(eddy.port);
  const pipelining = await RawClient.started(eddy.port);
  // An extended-protocol batch without Sync leaves an open portal behind.
  pipelining.send(Buffer.concat([serialize.parse({ text: 'SELECT 1' }), serialize.bind({}), serialize.flush()]));
  await pipelining.until((m) => m.name === 'bindComplete');
  const port = eddy.port;

  await eddy.stop();

  for (const c of [idle, pipelining]) {
    const replies = await c.until((m) => m.name === 'error');
    const fatal = replies.at(-1)!;
    assert.equal(fatal.severity, 'FATAL');
    assert.equal(fatal.code, '57P01');
    await c.waitForClose();
  }
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
  assert.ok(refused, 'the port still accepts connections after close()');
});
