/**
 * COPY framing on the wire against the real server: CopyInResponse / CopyData / CopyDone and
 * CopyFail for FROM STDIN.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from 'pg-protocol';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { RawClient, type Message } from './raw-client.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
  const c = await eddy.client();
  await c.query('CREATE TABLE copied (a integer, b text)');
  await c.end();
});
after(async () => {
  await eddy.stop();
});

const names = (ms: Message[]) => ms.map((m) => m.name);

test('COPY FROM STDIN: rows sent as CopyData arrive in the table', async () => {
  const c = await RawClient.started(eddy.port);
  c.send(serialize.query('COPY copied FROM STDIN'));
  const start = await c.until((m) => m.name === 'copyInResponse');
  assert.equal(start.at(-1)!.binary, false);
  assert.equal((start.at(-1)!.columnTypes as number[]).length, 2);
  // Rows split across CopyData messages anywhere, even inside a row.
  c.send(Buffer.concat([serialize.copyData(Buffer.from('1\tone\n2\t')), serialize.copyData(Buffer.from('two\n')), serialize.copyDone()]));
  const done = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(done), ['commandComplete', 'readyForQuery']);
  assert.equal(done[0]!.text, 'COPY 2');
  c.send(serialize.query('SELECT a, b FROM copied ORDER BY a'));
  const rows = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(rows.filter((m) => m.name === 'dataRow').map((m) => m.fields), [['1', 'one'], ['2', 'two']]);
  c.send(serialize.end());
});

test('CopyFail aborts the COPY with 57014 and keeps nothing', async () => {
  const c = await RawClient.started(eddy.port);
  c.send(serialize.query('COPY copied FROM STDIN'));
  await c.until((m) => m.name === 'copyInResponse');
  c.send(Buffer.concat([serialize.copyData(Buffer.from('3\tthree\n')), serialize.copyFail('client gave up')]));
  const replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['error', 'readyForQuery']);
  assert.equal(replies[0]!.code, '57014');
  assert.equal(replies[0]!.message, 'COPY from stdin failed: client gave up');
  c.send(serialize.query('SELECT count(*) FROM copied WHERE a = 3'));
  const count = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(count.find((m) => m.name === 'dataRow')!.fields, ['0']);
  c.send(serialize.end());
});
