/**
 * The wire protocol byte by byte against the real server: the startup sequence, the fields of
 * representative replies, the extended protocol's state rules, and malformed input, after each of
 * which the server must still serve a new client.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from 'pg-protocol';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { RawClient, type Message } from './raw-client.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
});
after(async () => {
  await eddy.stop();
});

const names = (ms: Message[]) => ms.map((m) => m.name);

/** Runs one simple query on a fresh connection and returns its replies up to ReadyForQuery. */
async function simpleQuery(sql: string): Promise<Message[]> {
  const c = await RawClient.started(eddy.port);
  c.send(serialize.query(sql));
  const replies = await c.until((m) => m.name === 'readyForQuery');
  c.send(serialize.end());
  return replies;
}

/** The server is still healthy: a new client can connect and query. */
async function assertServerAnswers(): Promise<void> {
  const replies = await simpleQuery('SELECT 1');
  assert.deepEqual(names(replies), ['rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
}

/** Decodes an ErrorResponse/NoticeResponse body into its one-letter fields. */
function errorFieldsOf(raw: Buffer): Record<string, string> {
  const at = raw.indexOf(Buffer.from('E', 'latin1'));
  const length = raw.readInt32BE(at + 1);
  const body = raw.subarray(at + 5, at + 1 + length);
  const fields: Record<string, string> = {};
  let i = 0;
  while (body[i] !== 0) {
    const code = String.fromCharCode(body[i]!);
    const end = body.indexOf(0, i + 1);
    fields[code] = body.toString('utf8', i + 1, end);
    i = end + 1;
  }
  return fields;
}

test('startup: AuthenticationOk, ParameterStatus, BackendKeyData, ReadyForQuery idle', async () => {
  const c = await RawClient.connect(eddy.port);
  c.startParsing();
  c.send(serialize.startup({ user: 'eddy', database: 'eddy', application_name: 'raw-test' }));
  const replies = await c.until((m) => m.name === 'readyForQuery');
  // AuthenticationOk is exactly 'R', length 8, code 0.
  assert.equal(Buffer.concat(c.raw).subarray(0, 9).toString('hex'), '520000000800000000');
  const kinds = names(replies);
  assert.equal(kinds[0], 'authenticationOk');
  assert.equal(kinds.at(-2), 'backendKeyData');
  assert.equal(kinds.at(-1), 'readyForQuery');
  const statuses = new Map(replies.filter((m) => m.name === 'parameterStatus').map((m) => [m.parameterName, m.parameterValue]));
  assert.match(String(statuses.get('server_version')), /^\d+/);
  assert.equal(statuses.get('client_encoding'), 'UTF8');
  assert.equal(replies.at(-1)!.status, 'I');
  const key = replies.find((m) => m.name === 'backendKeyData')!;
  assert.equal(typeof key.processID, 'number');
  c.send(serialize.end());
  await c.waitForClose();
});

test('SELECT 1: RowDescription fields, DataRow bytes, CommandComplete tag', async () => {
  const c = await RawClient.started(eddy.port);
  c.raw.length = 0;
  c.send(serialize.query('SELECT 1'));
  const replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
  const [field] = replies[0]!.fields as Record<string, unknown>[];
  assert.deepEqual(
    { name: field!.name, tableID: field!.tableID, columnID: field!.columnID, dataTypeID: field!.dataTypeID, dataTypeSize: field!.dataTypeSize, dataTypeModifier: field!.dataTypeModifier, format: field!.format },
    { name: '?column?', tableID: 0, columnID: 0, dataTypeID: 23, dataTypeSize: 4, dataTypeModifier: -1, format: 'text' },
  );
  const bytes = Buffer.concat(c.raw);
  // DataRow: 'D', length 11, one column, length 1, '1'.
  const dataRowAt = bytes.indexOf(Buffer.from('440000000b', 'hex'));
  assert.equal(bytes.subarray(dataRowAt, dataRowAt + 12).toString('hex'), '440000000b00010000000131');
  assert.equal(replies[2]!.text, 'SELECT 1');
  assert.equal(replies[3]!.status, 'I');
  c.send(serialize.end());
});

test('ErrorResponse carries S, V, C, M and P; the connection goes on', async () => {
  const c = await RawClient.started(eddy.port);
  c.raw.length = 0;
  c.send(serialize.query('SELEC 1'));
  const replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['error', 'readyForQuery']);
  const fields = errorFieldsOf(Buffer.concat(c.raw));
  assert.equal(fields.S, 'ERROR');
  assert.equal(fields.V, 'ERROR');
  assert.equal(fields.C, '42601');
  assert.match(fields.M!, /syntax error/);
  assert.equal(fields.P, '1');
  c.send(serialize.query('SELECT 2'));
  const again = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(again), ['rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
  c.send(serialize.end());
});

test('simple query: the statements after an error do not run; empty query', async () => {
  const replies = await simpleQuery('SELECT 1; SELECT 1/0; SELECT 3');
  assert.deepEqual(names(replies), ['rowDescription', 'dataRow', 'commandComplete', 'error', 'readyForQuery']);
  assert.equal(replies[3]!.code, '22012');
  // A position in a later statement counts from the start of the whole query string.
  const located = await simpleQuery('SELECT 1;  SELECT nope_col');
  const error = located.find((m) => m.name === 'error')!;
  assert.equal(error.code, '42703');
  assert.equal(error.position, String('SELECT 1;  SELECT '.length + 1));
  assert.deepEqual(names(await simpleQuery('')), ['emptyQuery', 'readyForQuery']);
  assert.deepEqual(names(await simpleQuery(' ; ')), ['emptyQuery', 'readyForQuery']);
});

test('extended protocol: Parse, Describe, Bind, Execute, Sync with parameter and row descriptions', async () => {
  const c = await RawClient.started(eddy.port);
  c.send(
    Buffer.concat([
      serialize.parse({ name: 's1', text: 'SELECT $1::int + 1', types: [] }),
      serialize.describe({ type: 'S', name: 's1' }),
      serialize.bind({ statement: 's1', values: ['41'] }),
      serialize.describe({ type: 'P', name: '' }),
      serialize.execute({}),
      serialize.sync(),
    ]),
  );
  const replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), [
    'parseComplete',
    'parameterDescription',
    'rowDescription',
    'bindComplete',
    'rowDescription',
    'dataRow',
    'commandComplete',
    'readyForQuery',
  ]);
  assert.deepEqual(replies[1]!.dataTypeIDs, [23]);
  assert.deepEqual(replies[5]!.fields, ['42']);
  c.send(serialize.end());
});

test('binary parameters and binary results: exact bytes', async () => {
  const c = await RawClient.started(eddy.port);
  c.raw.length = 0;
  const param = Buffer.alloc(4);
  param.writeInt32BE(41);
  c.send(
    Buffer.concat([
      serialize.parse({ text: 'SELECT $1::int + 1', types: [23] }),
      // pg-protocol sends Buffer values with format 1; `binary` asks for binary results.
      serialize.bind({ values: [param], binary: true }),
      serialize.describe({ type: 'P', name: '' }),
      serialize.execute({}),
      serialize.sync(),
    ]),
  );
  const replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['parseComplete', 'bindComplete', 'rowDescription', 'dataRow', 'commandComplete', 'readyForQuery']);
  assert.equal(((replies[2]!.fields as Record<string, unknown>[])[0]!).format, 'binary');
  const bytes = Buffer.concat(c.raw);
  // DataRow: one column of 4 bytes holding 42.
  const at = bytes.indexOf(Buffer.from('440000000e0001', 'hex'));
  assert.equal(bytes.subarray(at, at + 15).toString('hex'), '440000000e0001' + '00000004' + '0000002a');
  c.send(serialize.end());
});

test('Execute with a row limit suspends the portal and resumes it', async () => {
  const c = await RawClient.started(eddy.port);
  c.send(
    Buffer.concat([
      serialize.parse({ text: 'SELECT x FROM (VALUES (1), (2), (3)) AS v(x)' }),
      serialize.bind({}),
      serialize.execute({ rows: 2 }),
      serialize.execute({ rows: 2 }),
      serialize.sync(),
    ]),
  );
  const replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), [
    'parseComplete',
    'bindComplete',
    'dataRow',
    'dataRow',
    'portalSuspended',
    'dataRow',
    'commandComplete',
    'readyForQuery',
  ]);
  assert.deepEqual(replies.filter((m) => m.name === 'dataRow').map((m) => (m.fields as string[])[0]), ['1', '2', '3']);
  // As in PostgreSQL, the tag counts the rows of the last Execute only.
  assert.equal(replies[6]!.text, 'SELECT 1');
  // Sync ended the implicit transaction, and with it the unnamed portal.
  c.send(Buffer.concat([serialize.execute({}), serialize.sync()]));
  const gone = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(gone), ['error', 'readyForQuery']);
  assert.equal(gone[0]!.code, '34000');
  c.send(serialize.end());
});

test('extended protocol errors: skip until Sync, 26000, 34000, 42P05, several commands in one Parse', async () => {
  const c = await RawClient.started(eddy.port);
  // Everything after the failing Bind up to Sync is discarded: no BindComplete, no rows.
  c.send(
    Buffer.concat([
      serialize.bind({ statement: 'nope' }),
      serialize.parse({ text: 'SELECT 1' }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.sync(),
    ]),
  );
  let replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['error', 'readyForQuery']);
  assert.equal(replies[0]!.code, '26000');

  // Even a simple Query is skipped while waiting for Sync.
  c.send(Buffer.concat([serialize.execute({ portal: 'nope' }), serialize.query('SELECT 1'), serialize.sync()]));
  replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['error', 'readyForQuery']);
  assert.equal(replies[0]!.code, '34000');

  c.send(
    Buffer.concat([
      serialize.parse({ name: 'dup', text: 'SELECT 1' }),
      serialize.sync(),
      serialize.parse({ name: 'dup', text: 'SELECT 2' }),
      serialize.sync(),
    ]),
  );
  await c.until((m) => m.name === 'readyForQuery');
  replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['error', 'readyForQuery']);
  assert.equal(replies[0]!.code, '42P05');

  c.send(Buffer.concat([serialize.parse({ text: 'SELECT 1; SELECT 2' }), serialize.sync()]));
  replies = await c.until((m) => m.name === 'readyForQuery');
  assert.equal(replies[0]!.code, '42601');
  assert.match(String(replies[0]!.message), /cannot insert multiple commands into a prepared statement/);

  // The unnamed statement may be re-parsed freely, and Close of something unknown is fine.
  c.send(
    Buffer.concat([
      serialize.parse({ text: 'SELECT 1' }),
      serialize.parse({ text: 'SELECT 2' }),
      serialize.close({ type: 'S', name: 'never-existed' }),
      serialize.close({ type: 'S', name: 'dup' }),
      serialize.bind({ statement: 'dup' }),
      serialize.sync(),
    ]),
  );
  replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['parseComplete', 'parseComplete', 'closeComplete', 'closeComplete', 'error', 'readyForQuery']);
  assert.equal(replies[4]!.code, '26000');
  c.send(serialize.end());
});

test('an error is sent at once, before any Sync: a client that sent Parse and Flush hears of it (asyncpg prepares so)', async () => {
  const c = await RawClient.started(eddy.port);
  c.send(Buffer.concat([serialize.parse({ name: 'bad', text: 'SELECT * FROM no_such_table' }), serialize.describe({ type: 'S', name: 'bad' }), serialize.flush()]));
  const replies = await c.until((m) => m.name === 'error');
  assert.equal(replies.at(-1)!.code, '42P01');
  c.send(serialize.sync());
  assert.deepEqual(names(await c.until((m) => m.name === 'readyForQuery')), ['readyForQuery']);
  c.send(serialize.end());
});

test('ReadyForQuery reports the transaction status: idle, in a block, failed', async () => {
  const c = await RawClient.started(eddy.port);
  const statusAfter = async (sql: string) => {
    c.send(serialize.query(sql));
    const replies = await c.until((m) => m.name === 'readyForQuery');
    return replies.at(-1)!.status;
  };
  assert.equal(await statusAfter('BEGIN'), 'T');
  assert.equal(await statusAfter('SELECT 1'), 'T');
  assert.equal(await statusAfter('SELECT 1/0'), 'E');
  assert.equal(await statusAfter('ROLLBACK'), 'I');
  c.send(serialize.end());
});

test('inside a transaction block a named portal outlives Sync and resumes', async () => {
  const c = await RawClient.started(eddy.port);
  c.send(serialize.query('BEGIN'));
  await c.until((m) => m.name === 'readyForQuery');
  c.send(
    Buffer.concat([
      serialize.parse({ name: 'three', text: 'SELECT x FROM (VALUES (1), (2), (3)) AS v(x)' }),
      serialize.bind({ statement: 'three', portal: 'p' }),
      serialize.execute({ portal: 'p', rows: 1 }),
      serialize.sync(),
    ]),
  );
  let replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['parseComplete', 'bindComplete', 'dataRow', 'portalSuspended', 'readyForQuery']);
  assert.equal(replies.at(-1)!.status, 'T');
  c.send(Buffer.concat([serialize.execute({ portal: 'p' }), serialize.sync()]));
  replies = await c.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(names(replies), ['dataRow', 'dataRow', 'commandComplete', 'readyForQuery']);
  assert.deepEqual(replies.slice(0, 2).map((m) => (m.fields as string[])[0]), ['2', '3']);
  c.send(serialize.query('COMMIT'));
  assert.equal((await c.until((m) => m.name === 'readyForQuery')).at(-1)!.status, 'I');
  c.send(serialize.end());
});

test('NoticeResponse precedes the statement\'s CommandComplete', async () => {
  const replies = await simpleQuery('DROP TABLE IF EXISTS no_such_table_here');
  assert.deepEqual(names(replies), ['notice', 'commandComplete', 'readyForQuery']);
  assert.equal(replies[0]!.severity, 'NOTICE');
  assert.equal(replies[0]!.code, '00000');
  assert.match(String(replies[0]!.message), /no_such_table_here/);
});

test('SSLRequest is answered N and the startup goes on in plain text', async () => {
  const c = await RawClient.connect(eddy.port);
  c.send(serialize.requestSsl());
  assert.equal((await c.takeRawBytes(1)).toString('latin1'), 'N');
  c.startParsing();
  c.send(serialize.startup({ user: 'eddy', database: 'eddy' }));
  await c.until((m) => m.name === 'readyForQuery');
  c.send(serialize.query('SELECT 1'));
  const replies = await c.until((m) => m.name === 'readyForQuery');
  assert.equal((replies[1]!.fields as string[])[0], '1');
  c.send(serialize.end());
});

/** A bare startup packet asking for protocol major.minor. */
function startupPacket(major: number, minor: number): Buffer {
  const packet = Buffer.alloc(8);
  packet.writeInt32BE(8, 0);
  packet.writeInt32BE((major << 16) | minor, 4);
  return packet;
}

test('protocol 2.0 is refused in its own format, 4.0 with FATAL 0A000', async () => {
  const v2 = await RawClient.connect(eddy.port);
  v2.send(startupPacket(2, 0));
  await v2.waitForClose();
  // PostgreSQL 15's exact reply to a protocol 2 client.
  assert.equal(Buffer.concat(v2.raw).toString('latin1'), 'EFATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0\n\0');

  const v4 = await RawClient.connect(eddy.port);
  v4.startParsing();
  v4.send(startupPacket(4, 0));
  const replies = await v4.until((m) => m.name === 'error');
  assert.equal(replies[0]!.severity, 'FATAL');
  assert.equal(replies[0]!.code, '0A000');
  assert.equal(replies[0]!.message, 'unsupported frontend protocol 4.0: server supports 3.0 to 3.0');
  await v4.waitForClose();
  await assertServerAnswers();
});

test('an error in a startup packet that would be an ERROR later is FATAL before startup completes', async () => {
  // Protocol 3.0 with a parameter list whose value never ends: the body does not parse.
  const body = Buffer.from('user\0eddy', 'latin1');
  const packet = Buffer.concat([startupPacket(3, 0), body]);
  packet.writeInt32BE(packet.length, 0);
  const c = await RawClient.connect(eddy.port);
  c.startParsing();
  c.send(packet);
  const replies = await c.until((m) => m.name === 'error');
  assert.equal(replies[0]!.severity, 'FATAL');
  assert.equal(replies[0]!.code, '08P01');
  await c.waitForClose();
  await assertServerAnswers();
});

/** Sends `bytes` on a started connection and expects a FATAL 08P01 and the connection closed. */
async function expectFatalProtocolViolation(bytes: Buffer): Promise<void> {
  const c = await RawClient.started(eddy.port);
  c.send(bytes);
  const replies = await c.until((m) => m.name === 'error');
  assert.equal(replies.at(-1)!.severity, 'FATAL');
  assert.equal(replies.at(-1)!.code, '08P01');
  await c.waitForClose();
}

test('malformed input ends only that connection: bad lengths, unknown type, junk', async () => {
  const logged = () => eddy.logLines.filter((l) => /closing connection: 08P01/.test(l)).length;
  const loggedBefore = logged();
  // 'Q' claiming a length of 2 (less than its own 4 bytes).
  await expectFatalProtocolViolation(Buffer.from('5100000002', 'hex'));
  // A negative length.
  await expectFatalProtocolViolation(Buffer.from('51ffffff00', 'hex'));
  // A length over the limit for non-COPY messages.
  await expectFatalProtocolViolation(Buffer.from('517fffffff', 'hex'));
  // A type byte no client sends.
  await expectFatalProtocolViolation(Buffer.from('7a00000004', 'hex'));
  // 5 MB of junk after a good startup.
  const junk = Buffer.alloc(5 << 20);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) & 0xff;
  await expectFatalProtocolViolation(junk);
  // One log line per broken connection, not one per junk byte.
  assert.equal(logged() - loggedBefore, 5);
  await assertServerAnswers();
});

test('junk before startup and clients that vanish mid-message do not hurt the server', async () => {
  const junk = await RawClient.connect(eddy.port);
  junk.startParsing();
  junk.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  await junk.waitForClose();

  // A query message cut short, then the client disappears.
  const truncated = await RawClient.started(eddy.port);
  truncated.send(serialize.query('SELECT 1').subarray(0, 7));
  truncated.end();
  await truncated.waitForClose();

  // A startup packet cut short.
  const early = await RawClient.connect(eddy.port);
  early.send(serialize.startup({ user: 'eddy' }).subarray(0, 10));
  early.destroy();

  // A client that resets the connection in the middle of a pipeline.
  const reset = await RawClient.started(eddy.port);
  reset.send(Buffer.concat([serialize.parse({ text: 'SELECT 1' }), serialize.bind({}), serialize.execute({})]));
  reset.destroy();

  await assertServerAnswers();
});

test('a CancelRequest with an unknown key is ignored and its connection closed', async () => {
  const c = await RawClient.connect(eddy.port);
  c.startParsing();
  c.send(serialize.cancel(12345, 67890));
  await c.waitForClose();
  assert.deepEqual(names(c.messages), []);
  await assertServerAnswers();
});
