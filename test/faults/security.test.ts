/**
 * Security defaults: a non-loopback --host needs --password-file or an explicit --insecure;
 * read-only users (`user:password:readonly`) may SELECT, SHOW and SUBSCRIBE and get 42501 for DDL
 * and writes; passwords never reach the log, whatever clients send.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { kill, launch, runToExit, type ServerProcess } from '../support/eddy-process.js';
import { RawClient } from '../wire/raw-client.js';

const ADMIN_PASSWORD = 'adm1n-pa55-9f3c';
const VIEWER_PASSWORD = 'v1ewer:with:colons-77ad';

let dir: string;
let passwordFile: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-security-'));
  passwordFile = join(dir, 'passwords');
  writeFileSync(passwordFile, `# users\nadmin:${ADMIN_PASSWORD}\n\nviewer:${VIEWER_PASSWORD}:readonly\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('listening beyond loopback without --password-file is refused unless --insecure', async () => {
  for (const host of ['0.0.0.0', '::']) {
    const refused = await runToExit(join(dir, 'refused'), ['--host', host]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, new RegExp(`refusing to listen on ${host.replace(/[.]/g, '\\.')} without --password-file`));
    assert.match(refused.stderr, /--insecure/);
  }
  const insecure = await launch(join(dir, 'insecure'), ['--host', '0.0.0.0', '--insecure']);
  await kill(insecure);
  const withPasswords = await launch(join(dir, 'passwords-data'), ['--host', '0.0.0.0', '--password-file', passwordFile]);
  await kill(withPasswords);
  // Loopback needs neither.
  const local = await launch(join(dir, 'local'), ['--host', '127.0.0.1']);
  await kill(local);
});

async function connectAs(server: ServerProcess, user: string, password: string): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user, password, database: 'eddy' });
  c.on('error', () => {});
  await c.connect();
  return c;
}

test('read-only users read and subscribe, and get 42501 for DDL and writes; passwords never logged', { timeout: 60_000 }, async () => {
  const server = await launch(join(dir, 'readonly'), ['--password-file', passwordFile]);
  try {
    const admin = await connectAs(server, 'admin', ADMIN_PASSWORD);
    await admin.query('CREATE TABLE t (id int, v text)');
    await admin.query(`INSERT INTO t VALUES (1, 'a'), (2, 'b')`);
    await admin.query('CREATE MATERIALIZED VIEW n AS SELECT count(*) AS c FROM t');
    assert.equal((await admin.query('SHOW is_superuser')).rows[0].is_superuser, 'on');

    const viewer = await connectAs(server, 'viewer', VIEWER_PASSWORD);
    assert.equal((await viewer.query('SHOW is_superuser')).rows[0].is_superuser, 'off');
    assert.deepEqual((await viewer.query('SELECT id, v FROM t ORDER BY id')).rows, [{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    assert.equal((await viewer.query('SELECT c FROM n')).rows[0].c, '2');
    await viewer.query('SHOW TABLES');
    await viewer.query('EXPLAIN SELECT * FROM t');
    await viewer.query(`SET application_name = 'dashboard'`);
    await viewer.query('BEGIN');
    await viewer.query('DECLARE c CURSOR FOR SUBSCRIBE n');
    assert.equal((await viewer.query('FETCH ALL c')).rows.length, 1);
    await viewer.query('COMMIT');
    await viewer.query('COPY t TO STDOUT');

    const writes = [
      `INSERT INTO t VALUES (3, 'c')`,
      `UPDATE t SET v = 'z'`,
      'DELETE FROM t',
      'TRUNCATE t',
      'COPY t FROM STDIN',
      'CREATE TABLE u (x int)',
      'CREATE VIEW w AS SELECT 1',
      'CREATE MATERIALIZED VIEW m AS SELECT * FROM t',
      'DROP TABLE t',
      'DROP MATERIALIZED VIEW n',
      `CREATE SOURCE s FROM KAFKA (BROKER '127.0.0.1:9092', TOPIC 'never-created')`,
      `CREATE SOURCE clock FROM TIME TABLE (PERIOD '1 second')`,
      `CREATE SINK k FROM t INTO KAFKA (BROKER '127.0.0.1:9092', TOPIC 'never-created')`,
    ];
    for (const sql of writes) {
      await assert.rejects(viewer.query(sql), (err: { code?: string; message: string }) => {
        assert.equal(err.code, '42501', sql);
        assert.equal(err.message, 'permission denied: user "viewer" is read-only (it may SELECT, SHOW and SUBSCRIBE)');
        return true;
      });
    }
    // The extended protocol too, and inside a transaction block.
    await assert.rejects(viewer.query('INSERT INTO t VALUES ($1, $2)', [4, 'd']), { code: '42501' });
    assert.deepEqual((await admin.query('SELECT id, v FROM t ORDER BY id')).rows, [{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    console.log(`# read-only user: 10 kinds of read allowed, ${writes.length + 1} writes refused with 42501, table unchanged`);

    // As in PostgreSQL 15 (checked there with a non-superuser role), a user who is not a superuser
    // sees only its own role's sessions in full and may not cancel or terminate the others' (42501).
    const pidOf = (c: pg.Client) => (c as unknown as { processID: number }).processID;
    await admin.query(`SELECT 'admin was here'`);
    const seen = await viewer.query('SELECT pid, datname, usename, application_name, state, query FROM pg_stat_activity ORDER BY pid');
    const byPid = new Map(seen.rows.map((r) => [r.pid, r]));
    const withheld = { pid: pidOf(admin), datname: null, usename: 'admin', application_name: '', state: null, query: '<insufficient privilege>' };
    assert.deepEqual(byPid.get(pidOf(admin)), withheld);
    assert.equal(byPid.get(pidOf(viewer)).state, 'active');
    const adminSees = await admin.query('SELECT query FROM pg_stat_activity WHERE pid = $1', [pidOf(viewer)]);
    assert.match(adminSees.rows[0].query, /FROM pg_stat_activity ORDER BY pid/);
    await assert.rejects(viewer.query('SELECT pg_cancel_backend($1)', [pidOf(admin)]), { code: '42501', message: 'must be a superuser to cancel superuser query' });
    await assert.rejects(viewer.query('SELECT pg_terminate_backend($1)', [pidOf(admin)]), { code: '42501', message: 'must be a superuser to terminate superuser process' });
    assert.deepEqual((await admin.query('SELECT 1 AS alive')).rows, [{ alive: 1 }]);

    // Wrong passwords, a password in the startup packet, a cleartext password sent where SCRAM
    // was asked for, a password as SQL text: none of it may reach the log.
    await assert.rejects(connectAs(server, 'admin', VIEWER_PASSWORD), { code: '28P01' });
    await assert.rejects(connectAs(server, 'nobody', ADMIN_PASSWORD), { code: '28P01' });
    const raw = await RawClient.connect(server.port);
    raw.startParsing();
    raw.send(serialize.startup({ user: 'admin', database: 'eddy', password: ADMIN_PASSWORD, options: `-c password=${ADMIN_PASSWORD}` }));
    await raw.until((m) => m.name === 'authenticationSASL');
    raw.send(serialize.password(ADMIN_PASSWORD));
    await raw.waitForClose();
    await assert.rejects(viewer.query(`SELECT '${VIEWER_PASSWORD}'::int`), { code: '22P02' });
    await viewer.end();
    await admin.end();
    const logged = server.log.join('\n');
    for (const password of [ADMIN_PASSWORD, VIEWER_PASSWORD]) assert.ok(!logged.includes(password), `a password in the log:\n${logged}`);
    assert.match(logged, /closing connection: 08P01/, 'the bad password message was logged, without its contents');
    console.log(`# ${server.log.length} log lines, no password in them`);
  } finally {
    await kill(server);
  }
});
