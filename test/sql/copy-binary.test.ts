/**
 * COPY ... FROM STDIN (FORMAT binary), as pgx's CopyFrom and psycopg's binary copy send it: the
 * bytes a real PostgreSQL writes with COPY TO (FORMAT binary) for a row of every type load into
 * Eddy as the same rows; malformed input is 22P04 and loads nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { startEddyAndPostgres, type EddyAndPostgres } from '../support/eddy-and-postgres.js';
import { FIDELITY_DDL, FIDELITY_ROWS } from '../drivers/fidelity.js';

let sides: EddyAndPostgres;
let e: pg.Client;
let p: pg.Client;

before(async () => {
  sides = await startEddyAndPostgres('copy_binary');
  ({ e, p } = sides);
  await p.query(FIDELITY_DDL);
  await p.query(FIDELITY_ROWS);
  await e.query(FIDELITY_DDL);
});
after(async () => {
  await sides?.stop();
});

async function copyOut(client: pg.Client, sql: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(client.query(copyTo(sql)), new Writable({ write: (c, _e, done) => (chunks.push(c), done()) }));
  return Buffer.concat(chunks);
}

const copyIn = (client: pg.Client, sql: string, data: Buffer) => pipeline(Readable.from([data]), client.query(copyFrom(sql)));

const SELECT_ALL = 'SELECT * FROM fidelity ORDER BY id';

test("PostgreSQL's binary COPY of every type loads into Eddy as the same rows", async () => {
  const data = await copyOut(p, 'COPY fidelity TO STDOUT (FORMAT binary)');
  await copyIn(e, 'COPY fidelity FROM STDIN (FORMAT binary)', data);
  const [mine, theirs] = await Promise.all([e.query(SELECT_ALL), p.query(SELECT_ALL)]);
  assert.equal(mine.rows.length, 4);
  assert.deepEqual(mine.rows, theirs.rows);
  // And back out: Eddy's binary COPY TO gives PostgreSQL's bytes.
  assert.deepEqual(await copyOut(e, 'COPY fidelity TO STDOUT (FORMAT binary)'), data);
});

test('binary COPY into a column list, with no trailer (as pgx sends it), typmods applied', async () => {
  await e.query('CREATE TABLE bin_some (id int, n numeric(6,2), note text DEFAULT $$none$$)');
  await p.query('CREATE TABLE bin_some (id int, n numeric(6,2), note text DEFAULT $$none$$)');
  const data = await copyOut(p, 'COPY (SELECT 7::int, 1.005::numeric) TO STDOUT (FORMAT binary)');
  const noTrailer = data.subarray(0, data.length - 2);
  await copyIn(e, 'COPY bin_some (id, n) FROM STDIN (FORMAT binary)', noTrailer);
  await copyIn(p, 'COPY bin_some (id, n) FROM STDIN (FORMAT binary)', data);
  const sql = 'SELECT id, n::text, note FROM bin_some';
  assert.deepEqual((await e.query(sql)).rows, (await p.query(sql)).rows);
  assert.deepEqual((await e.query(sql)).rows, [{ id: 7, n: '1.01', note: 'none' }]);
});

test('malformed binary COPY data is 22P04 and loads nothing', async () => {
  await e.query('CREATE TABLE bin_bad (id int)');
  const good = await copyOut(p, 'COPY (SELECT 1::int) TO STDOUT (FORMAT binary)');
  const cases = [Buffer.from('not a copy file at all'), good.subarray(0, good.length - 4)];
  for (const data of cases) {
    await assert.rejects(copyIn(e, 'COPY bin_bad FROM STDIN (FORMAT binary)', data), { code: '22P04' });
  }
  assert.deepEqual((await e.query('SELECT count(*)::int AS n FROM bin_bad')).rows, [{ n: 0 }]);
});
