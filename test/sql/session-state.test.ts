/**
 * Session state as drivers and BI tools use it: SET and set_config() change that session's
 * current_setting() and no other session's; SHOW ALL lists the settings. (pg_settings still
 * lists the server's defaults, not the session's values.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startEddy, type EddyHandle } from '../support/eddy.js';

let eddy: EddyHandle;
let a: pg.Client;
let b: pg.Client;
before(async () => {
  eddy = await startEddy();
  [a, b] = await Promise.all([eddy.client(), eddy.client()]);
});
after(async () => {
  await eddy.stop();
});

const setting = async (c: pg.Client, name: string) => (await c.query('SELECT current_setting($1) AS v', [name])).rows[0];

test('SET changes current_setting() of its own session only', async () => {
  await a.query("SET application_name = 'session-a'");
  await a.query('SET extra_float_digits = 2');
  assert.deepEqual(await setting(a, 'application_name'), { v: 'session-a' });
  assert.deepEqual(await setting(a, 'extra_float_digits'), { v: '2' });
  assert.notEqual((await setting(b, 'application_name')).v, 'session-a');
  assert.deepEqual(await setting(b, 'extra_float_digits'), { v: '1' });
});

test('set_config() in a SELECT sets as SET does and returns the new value (asyncpg turns jit off so)', async () => {
  const { rows } = await a.query("SELECT current_setting('jit') AS cur, set_config('jit', 'off', false) AS new, set_config('application_name', 'via-set-config', false) AS app");
  assert.deepEqual(rows, [{ cur: 'off', new: 'off', app: 'via-set-config' }]);
  assert.equal((await a.query('SHOW application_name')).rows[0].application_name, 'via-set-config');
  assert.notEqual((await setting(b, 'application_name')).v, 'via-set-config');
  await assert.rejects(a.query("SELECT set_config('no_such_setting', '1', false)"), { code: '42704' });
});

test("SHOW ALL lists name, setting and description, with the session's own values", async () => {
  const { rows, fields } = await a.query('SHOW ALL');
  assert.deepEqual(fields.map((f) => f.name), ['name', 'setting', 'description']);
  const byName = new Map(rows.map((r) => [r.name, r.setting]));
  assert.equal(byName.get('application_name'), 'via-set-config');
  assert.equal(byName.get('TimeZone'), (await a.query('SHOW timezone')).rows[0].TimeZone);
});
