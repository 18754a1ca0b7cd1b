/**
 * What the wire does when the session misbehaves or must be interrupted. The real session cannot
 * produce a bug or a never-ending statement on demand, so a thin layer around it does, for one
 * marker statement each; every other statement reaches the real session unchanged.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { SQLSTATE, SqlError } from '../../src/errors.js';
import type { SqlSession } from '../../src/wire/session-api.js';
import { RawClient } from './raw-client.js';
import { startRealListener, type RealListener } from './real-listener.js';

const BUG_MARKER = 'SELECT 1 AS trigger_internal_bug';
const WAIT_MARKER = 'SELECT 1 AS wait_for_cancel';

/** Throws a TypeError (a bug, not a SqlError) for BUG_MARKER; waits for cancel() on WAIT_MARKER. */
function withFaults(session: SqlSession): SqlSession {
  let cancelWaiting: (() => void) | null = null;
  return {
    parameterStatuses: () => session.parameterStatuses(),
    parse: (sql) => session.parse(sql),
    parseSimple: (sql) => session.parseSimple(sql),
    prepare: (statement, types) => session.prepare(statement, types),
    async execute(prepared, params) {
      if (prepared.statement.sql === BUG_MARKER) {
        throw new TypeError("Cannot read properties of undefined (reading 'rows')");
      }
      if (prepared.statement.sql === WAIT_MARKER) {
        await new Promise<void>((resolve) => (cancelWaiting = resolve));
        throw new SqlError(SQLSTATE.queryCanceled, 'canceling statement due to user request');
      }
      return session.execute(prepared, params);
    },
    transactionStatus: () => session.transactionStatus(),
    onError: (err) => session.onError(err),
    takeParameterChanges: () => session.takeParameterChanges(),
    takeNotices: () => session.takeNotices(),
    cancel() {
      cancelWaiting?.();
      session.cancel();
    },
    close: () => session.close(),
  };
}

let server: RealListener;
before(async () => {
  server = await startRealListener({ wrapSession: withFaults });
});
after(async () => {
  await server.close();
});

test('a bug in the session is XX000 for the client, logged with its stack, and the connection goes on', async () => {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'eddy', database: 'eddy' });
  await c.connect();
  try {
    await assert.rejects(c.query(BUG_MARKER), (err: { code?: string; message: string }) => {
      assert.equal(err.code, 'XX000');
      assert.equal(err.message, "Cannot read properties of undefined (reading 'rows')");
      return true;
    });
    const logged = server.logLines.filter((l) => l.includes('internal error: TypeError'));
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /\n\s+at /, 'the log line carries the stack');
    assert.deepEqual((await c.query('SELECT 2 AS v')).rows, [{ v: 2 }]);
  } finally {
    await c.end();
  }
});

test('CancelRequest on another connection reaches the session with that pid and secret', async () => {
  const busy = await RawClient.connect(server.port);
  busy.startParsing();
  busy.send(serialize.startup({ user: 'eddy', database: 'eddy' }));
  const startup = await busy.until((m) => m.name === 'readyForQuery');
  const key = startup.find((m) => m.name === 'backendKeyData')!;
  const bystander = await RawClient.started(server.port);
  busy.send(serialize.query(WAIT_MARKER));

  // A wrong secret cancels nothing: the statement is still waiting afterwards.
  const wrong = await RawClient.connect(server.port);
  wrong.send(serialize.cancel(key.processID as number, (key.secretKey as number) ^ 1));
  await wrong.waitForClose();
  bystander.send(serialize.query('SELECT 1'));
  await bystander.until((m) => m.name === 'readyForQuery');
  assert.deepEqual(busy.messages, []);

  const cancel = await RawClient.connect(server.port);
  cancel.send(serialize.cancel(key.processID as number, key.secretKey as number));
  await cancel.waitForClose();
  const replies = await busy.until((m) => m.name === 'readyForQuery');
  assert.equal(replies[0]!.code, '57014');
  busy.send(serialize.query('SELECT 1'));
  const after = await busy.until((m) => m.name === 'readyForQuery');
  assert.deepEqual((after.find((m) => m.name === 'dataRow')!.fields as string[]), ['1']);
  busy.send(serialize.end());
  bystander.send(serialize.end());
});
