/**
 * Session state as drivers and BI tools use it, with two real sessions (node pg): SET and
 * set_config() change that session's current_setting() and pg_settings and no other session's;
 * RESET goes back to the startup value (startup-packet options included); SET LOCAL lasts until
 * the block ends; SHOW ALL lists name, setting and description; pg_stat_activity lists every
 * session; pg_cancel_backend and pg_terminate_backend reach another session. Column names and
 * types, and what PostgreSQL answers to the same steps, come from a real PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';
import { startPostgres, type PostgresHandle } from '../support/postgres.js';

let eddy: EddyHandle;
let postgres: PostgresHandle;
let a: pg.Client;
let b: pg.Client;
/** Connections to the real PostgreSQL, opened by tests and ended at the end. */
const pgClients: pg.Client[] = [];
before(async () => {
  [eddy, postgres] = await Promise.all([startEddy(), startPostgres()]);
  [a, b] = await Promise.all([eddy.client({ application_name: 'session-a' }), eddy.client({ application_name: 'session-b' })]);
});
after(async () => {
  await Promise.all(pgClients.map((c) => c.end().catch(() => {})));
  await eddy.stop();
  await postgres?.stop();
});

async function connectPostgres(config: pg.ClientConfig = {}): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: postgres.url, ...config });
  await c.connect();
  pgClients.push(c);
  return c;
}

const setting = async (c: pg.Client, name: string) => (await c.query('SELECT current_setting($1) AS v', [name])).rows[0];
const pgSetting = async (c: pg.Client, name: string) =>
  (await c.query('SELECT setting, source, reset_val FROM pg_settings WHERE name = $1', [name])).rows[0];
const shape = (r: pg.QueryResult) => r.fields.map((f) => [f.name, f.dataTypeID]);
/** node pg keeps the BackendKeyData pid it was sent. */
const backendPid = (c: pg.Client): number => (c as unknown as { processID: number }).processID;

test('SET changes current_setting() of its own session only', async () => {
  await a.query('SET extra_float_digits = 2');
  assert.deepEqual(await setting(a, 'application_name'), { v: 'session-a' });
  assert.deepEqual(await setting(a, 'extra_float_digits'), { v: '2' });
  assert.deepEqual(await setting(b, 'application_name'), { v: 'session-b' });
  assert.deepEqual(await setting(b, 'extra_float_digits'), { v: '1' });
});

test('set_config() in a SELECT sets as SET does and returns the new value (asyncpg turns jit off so)', async () => {
  const { rows } = await a.query("SELECT current_setting('jit') AS cur, set_config('jit', 'off', false) AS new, set_config('application_name', 'via-set-config', false) AS app");
  assert.deepEqual(rows, [{ cur: 'off', new: 'off', app: 'via-set-config' }]);
  assert.equal((await a.query('SHOW application_name')).rows[0].application_name, 'via-set-config');
  assert.deepEqual(await setting(b, 'application_name'), { v: 'session-b' });
  await assert.rejects(a.query("SELECT set_config('no_such_setting', '1', false)"), { code: '42704' });
  await a.query("SET application_name = 'session-a'");
});

test('pg_settings has the columns of PostgreSQL and shows the session its own SET values', async () => {
  const p = await connectPostgres();
  const query = 'SELECT * FROM pg_settings WHERE name = $1';
  assert.deepEqual(shape(await a.query(query, ['statement_timeout'])), shape(await p.query(query, ['statement_timeout'])));
  for (const c of [a, p]) await c.query("SET statement_timeout = '5s'");
  const select = "SELECT name, setting, unit, source, boot_val, reset_val, vartype, context, short_desc FROM pg_settings WHERE name = 'statement_timeout'";
  const mine = (await a.query(select)).rows;
  assert.deepEqual(mine, (await p.query(select)).rows);
  assert.equal(mine[0].setting, '5000');
  assert.equal(mine[0].source, 'session');
  assert.deepEqual((await b.query(select)).rows[0].setting, '0');
  assert.deepEqual((await b.query(select)).rows[0].source, 'default');
  // pg_settings is PostgreSQL's view over pg_show_all_settings()
  const viaFunction = "SELECT setting FROM pg_show_all_settings() WHERE name = 'extra_float_digits'";
  assert.deepEqual((await a.query(viaFunction)).rows, [{ setting: '2' }]);
  assert.deepEqual((await b.query(viaFunction)).rows, [{ setting: '1' }]);
  const enumvals = "SELECT enumvals FROM pg_settings WHERE name = 'bytea_output'";
  assert.deepEqual((await a.query(enumvals)).rows, (await p.query(enumvals)).rows);
  await a.query('RESET statement_timeout');
});

test("RESET returns to the session's startup value, startup-packet options included, as in PostgreSQL", async () => {
  const config = { options: '-c extra_float_digits=3 --search-path=s1,public', application_name: 'starter' };
  const [e, p] = [await eddy.client(config), await connectPostgres(config)];
  for (const c of [e, p]) {
    assert.deepEqual(await setting(c, 'extra_float_digits'), { v: '3' });
    assert.deepEqual(await setting(c, 'search_path'), { v: 's1,public' });
    assert.deepEqual(await pgSetting(c, 'extra_float_digits'), { setting: '3', source: 'client', reset_val: '3' });
    await c.query('SET extra_float_digits = 0');
    await c.query("SET application_name = 'changed'");
    assert.deepEqual(await pgSetting(c, 'extra_float_digits'), { setting: '0', source: 'session', reset_val: '3' });
    await c.query('RESET extra_float_digits');
    assert.deepEqual(await pgSetting(c, 'extra_float_digits'), { setting: '3', source: 'client', reset_val: '3' });
    await c.query('RESET ALL');
    assert.deepEqual(await setting(c, 'application_name'), { v: 'starter' });
    assert.deepEqual(await setting(c, 'search_path'), { v: 's1,public' });
  }
  await e.end();
});

test('DISCARD ALL resets the settings to the startup values, as in PostgreSQL (poolers send it between clients)', async () => {
  const config = { options: '-c extra_float_digits=3', application_name: 'pooled' };
  const [e, p] = [await eddy.client(config), await connectPostgres(config)];
  for (const c of [e, p]) {
    await c.query("SET application_name = 'first client'");
    await c.query('SET extra_float_digits = 0');
    await c.query('SET lock_timeout = 5000');
    assert.equal((await c.query('DISCARD ALL')).command, 'DISCARD');
    assert.deepEqual(await setting(c, 'application_name'), { v: 'pooled' });
    assert.deepEqual(await setting(c, 'extra_float_digits'), { v: '3' });
    assert.deepEqual(await setting(c, 'lock_timeout'), { v: '0' });
    await c.query('SET lock_timeout = 1500');
    await c.query("SET idle_in_transaction_session_timeout = '2min'");
    assert.deepEqual((await c.query('SHOW lock_timeout')).rows, [{ lock_timeout: '1500ms' }]);
    assert.deepEqual(await pgSetting(c, 'idle_in_transaction_session_timeout'), { setting: '120000', source: 'session', reset_val: '0' });
    await c.query('BEGIN');
    await c.query('DISCARD PLANS'); // allowed in a block; DISCARD ALL is not
    await assert.rejects(c.query('DISCARD ALL'), { code: '25001' });
    await c.query('ROLLBACK');
  }
  await e.end();
});

test('SET LOCAL lasts until the transaction block ends; SET in a rolled-back block is undone', async () => {
  const p = await connectPostgres();
  for (const c of [a, p]) {
    await c.query('SET extra_float_digits = 2');
    await c.query('BEGIN');
    await c.query('SET LOCAL extra_float_digits = 3');
    assert.deepEqual(await setting(c, 'extra_float_digits'), { v: '3' });
    assert.deepEqual(await pgSetting(c, 'extra_float_digits'), { setting: '3', source: 'session', reset_val: '1' });
    await c.query("SELECT set_config('lock_timeout', '7s', true)");
    assert.deepEqual(await setting(c, 'lock_timeout'), { v: '7s' });
    await c.query('COMMIT');
    assert.deepEqual(await setting(c, 'extra_float_digits'), { v: '2' });
    assert.deepEqual(await setting(c, 'lock_timeout'), { v: '0' });
    // a session-level SET after SET LOCAL in the same block outlives the block
    await c.query('BEGIN');
    await c.query('SET LOCAL extra_float_digits = 3');
    await c.query('SET extra_float_digits = 0');
    await c.query('COMMIT');
    assert.deepEqual(await setting(c, 'extra_float_digits'), { v: '0' });
    await c.query('BEGIN');
    await c.query('SET extra_float_digits = 3');
    await c.query('ROLLBACK');
    assert.deepEqual(await setting(c, 'extra_float_digits'), { v: '0' });
    // outside a block: a WARNING, and nothing changes
    const warnings: string[] = [];
    const listener = (n: { severity?: string; code?: string; message?: string }) => warnings.push(`${n.severity} ${n.code} ${n.message}`);
    c.on('notice', listener);
    await c.query('SET LOCAL extra_float_digits = 3');
    c.off('notice', listener);
    assert.deepEqual(warnings, ['WARNING 25P01 SET LOCAL can only be used in transaction blocks']);
    assert.deepEqual(await setting(c, 'extra_float_digits'), { v: '0' });
    await c.query('SET extra_float_digits = 2');
  }
  assert.deepEqual(await setting(b, 'extra_float_digits'), { v: '1' });
});

test('SHOW ALL lists name, setting and description as PostgreSQL does, with the session its own values', async () => {
  const p = await connectPostgres();
  const mine = await a.query('SHOW ALL');
  const theirs = await p.query('SHOW ALL');
  assert.deepEqual(shape(mine), shape(theirs));
  assert.deepEqual([mine.command, mine.rowCount], [theirs.command, theirs.rowCount]); // a bare 'SHOW' tag
  const byName = new Map(mine.rows.map((r) => [r.name, r]));
  assert.equal(byName.get('extra_float_digits').setting, '2');
  assert.equal(byName.get('TimeZone').setting, (await a.query('SHOW timezone')).rows[0].TimeZone);
  // the settings both have are described in PostgreSQL's words
  const postgresDescriptions = new Map(theirs.rows.map((r) => [r.name, r.description]));
  const shared = mine.rows.filter((r) => postgresDescriptions.has(r.name));
  assert.ok(shared.length > 30, `${shared.length} settings in common`);
  for (const r of shared) assert.equal(r.description, postgresDescriptions.get(r.name), r.name);
  assert.equal((await b.query('SHOW ALL')).rows.find((r) => r.name === 'extra_float_digits').setting, '1');
});

test('pg_stat_activity has the columns of PostgreSQL and a row per session', async () => {
  const p = await connectPostgres();
  const known = new Set(['client_addr', 'backend_xid', 'backend_xmin']); // inet and xid in PostgreSQL, text in Eddy
  const mine = shape(await a.query('SELECT * FROM pg_stat_activity LIMIT 0'));
  const theirs = shape(await p.query('SELECT * FROM pg_stat_activity LIMIT 0'));
  assert.deepEqual(mine.map(([name]) => name), theirs.map(([name]) => name));
  assert.deepEqual(mine.filter(([name]) => !known.has(name as string)), theirs.filter(([name]) => !known.has(name as string)));

  assert.deepEqual((await a.query('SELECT pg_backend_pid() AS pid')).rows, [{ pid: backendPid(a) }]);
  await b.query('BEGIN');
  await b.query('SELECT 1 AS in_block');
  const { rows } = await a.query(
    `SELECT pid, datname, usename, application_name, client_addr, client_port > 0 AS has_port, state, query, backend_type,
            backend_start <= now() AS started, xact_start IS NOT NULL AS in_xact, datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AS datid_ok
     FROM pg_stat_activity WHERE pid IN ($1, $2) ORDER BY application_name`,
    [backendPid(a), backendPid(b)],
  );
  const common = { datname: 'eddy', usename: 'eddy', client_addr: '127.0.0.1', has_port: true, backend_type: 'client backend', started: true, in_xact: true, datid_ok: true };
  assert.deepEqual(rows, [
    { pid: backendPid(a), application_name: 'session-a', state: 'active', query: rows[0].query, ...common },
    { pid: backendPid(b), application_name: 'session-b', state: 'idle in transaction', query: 'SELECT 1 AS in_block', ...common },
  ]);
  assert.match(rows[0].query, /FROM pg_stat_activity/);
  await b.query('COMMIT');
  const idle = await a.query('SELECT state, xact_start FROM pg_stat_activity WHERE pid = $1', [backendPid(b)]);
  assert.deepEqual(idle.rows, [{ state: 'idle', xact_start: null }]);
  assert.deepEqual((await a.query('SELECT count(*)::int AS n FROM pg_stat_get_activity($1)', [backendPid(b)])).rows, [{ n: 1 }]);
  // they show the moment's sessions and the reader's settings: nothing a maintained view could follow
  for (const view of ['pg_stat_activity', 'pg_settings']) {
    await assert.rejects(a.query(`CREATE MATERIALIZED VIEW follows_${view} AS SELECT * FROM ${view}`), { code: '0A000' });
  }
});

test('pg_cancel_backend cancels the statement another session runs (57014) and leaves it connected', async () => {
  const p = await connectPostgres();
  for (const c of [a, p]) {
    const sql = "SELECT pg_cancel_backend(2147483647) AS sent, pg_terminate_backend(2147483647) AS ended";
    assert.deepEqual((await c.query(sql)).rows, [{ sent: false, ended: false }]);
  }
  await a.query('CREATE TABLE IF NOT EXISTS waits (x int)');
  await b.query('BEGIN');
  await b.query('DECLARE w CURSOR FOR SUBSCRIBE waits');
  // caught at once: the rejection may come before the assertion below looks at it
  const waiting = b.query('FETCH 1 w').then(() => null, (err: Error & { code?: string }) => err);
  await waitFor(async () => (await a.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [backendPid(b)])).rows.length === 1);
  assert.deepEqual((await a.query('SELECT pg_cancel_backend($1) AS sent', [backendPid(b)])).rows, [{ sent: true }]);
  const err = await waiting;
  assert.deepEqual([err?.code, err?.message], ['57014', 'canceling statement due to user request']);
  await b.query('ROLLBACK');
  assert.deepEqual((await b.query('SELECT 1 AS still_here')).rows, [{ still_here: 1 }]);
});

test('pg_terminate_backend ends another session with FATAL 57P01', async () => {
  const victim = await eddy.client({ application_name: 'victim' });
  const pid = backendPid(victim);
  const ended = new Promise<Error & { code?: string; severity?: string }>((resolve) => victim.once('error', resolve));
  assert.deepEqual((await a.query('SELECT pg_terminate_backend($1) AS ended', [pid])).rows, [{ ended: true }]);
  const err = await ended;
  assert.equal(err.code, '57P01');
  assert.equal(err.message, 'terminating connection due to administrator command');
  await waitFor(async () => (await a.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rows.length === 0);
  assert.deepEqual((await a.query('SELECT application_name FROM pg_stat_activity ORDER BY pid')).rows.some((r) => r.application_name === 'victim'), false);
});
