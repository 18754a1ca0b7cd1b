/**
 * The Node drivers: node `pg` and postgres.js (`postgres`, which uses binary parameters, unnamed
 * statements and pipelining), each reading the fidelity table from Eddy and from PostgreSQL and
 * comparing the JavaScript values it decoded; postgres.js's pipelining and binary parameters; both
 * with SCRAM-SHA-256 and TLS.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import postgres from 'postgres';
import { FIDELITY_COLUMNS } from './fidelity.js';
import { assertFaithful, SCRAM_PASSWORD, SCRAM_USER, startSecureListeners, startSides, type DriverSides, type SecureListeners } from './harness.js';

let sides: DriverSides;
let secure: SecureListeners;

before(async () => {
  [sides, secure] = await Promise.all([startSides('drivers_node'), startSecureListeners()]);
});
after(async () => {
  await sides?.stop();
  await secure?.stop();
});

type Outcome = { values: unknown[] } | { error: string };

/** Dates as their instant, since an Invalid Date (what infinity becomes) never equals another. */
const comparable = (v: unknown): unknown =>
  v instanceof Date ? { date: String(v.getTime()) } : Array.isArray(v) ? v.map(comparable) : v;

/** Every fidelity column read by `read` from both servers, compared as JavaScript values. */
async function compare(read: (side: 'eddy' | 'pg', sql: string) => Promise<unknown[]>) {
  const outcome = async (side: 'eddy' | 'pg', sql: string): Promise<Outcome> => {
    try {
      return { values: (await read(side, sql)).map(comparable) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };
  let compared = 0;
  const mismatches: unknown[] = [];
  for (const column of FIDELITY_COLUMNS) {
    const sql = `SELECT ${column} AS v FROM fidelity ORDER BY id`;
    const [e, p] = [await outcome('eddy', sql), await outcome('pg', sql)];
    if (!isDeepStrictEqual(e, p)) mismatches.push({ column, eddy: e, postgres: p });
    else if ('values' in e) compared += e.values.length;
  }
  return { compared, mismatches };
}

test('node pg: every type decodes to the same JavaScript values as from PostgreSQL', async () => {
  const clients = { eddy: new pg.Client({ connectionString: sides.eddy.url }), pg: new pg.Client({ connectionString: sides.pgUrl }) };
  await Promise.all(Object.values(clients).map((c) => c.connect()));
  try {
    assertFaithful(await compare(async (side, sql) => (await clients[side].query(sql)).rows.map((r) => r.v)), FIDELITY_COLUMNS.length * 4);
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.end()));
  }
});

test('postgres.js: every type decodes to the same JavaScript values as from PostgreSQL', async () => {
  const sql = { eddy: postgres(sides.eddy.url, { max: 1, onnotice: () => {} }), pg: postgres(sides.pgUrl, { max: 1, onnotice: () => {} }) };
  try {
    assertFaithful(await compare(async (side, text) => (await sql[side].unsafe(text)).map((r) => r.v)), FIDELITY_COLUMNS.length * 4);
  } finally {
    await Promise.all(Object.values(sql).map((s) => s.end()));
  }
});

test('postgres.js: pipelined queries with binary-typed parameters, in a transaction and out', async () => {
  const sql = postgres(sides.eddy.url, { max: 1, onnotice: () => {} });
  try {
    await sql`CREATE TABLE pjs_items (id int8, name text, price numeric, tags text[], at timestamptz, doc jsonb)`;
    const at = new Date('2024-05-06T07:08:09.123Z');
    // Many queries at once on one connection: postgres.js pipelines them without waiting.
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => sql`INSERT INTO pjs_items VALUES (${i}, ${`item ${i}`}, ${(i * 1.25).toFixed(2)}, ${[`t${i}`, 'x']}, ${at}, ${sql.json({ i, even: i % 2 === 0 })})`),
    );
    const [counted, one, byTag] = await Promise.all([
      sql`SELECT count(*)::int AS n, sum(price)::text AS total FROM pjs_items`,
      sql`SELECT id, name, price, tags, at, doc FROM pjs_items WHERE id = ${7}`,
      sql`SELECT id FROM pjs_items WHERE ${'t3'} = ANY(tags) ORDER BY id`,
    ]);
    assert.deepEqual(counted[0], { n: 50, total: '1531.25' });
    assert.deepEqual({ ...one[0] }, { id: '7', name: 'item 7', price: '8.75', tags: ['t7', 'x'], at, doc: { i: 7, even: false } });
    assert.deepEqual(byTag.map((r) => r.id), ['3']);
    const inTx = await sql.begin(async (tx) => {
      await tx`INSERT INTO pjs_items (id, name) VALUES (${100}, ${'in tx'})`;
      return tx`SELECT count(*)::int AS n FROM pjs_items`;
    });
    assert.equal(inTx[0]!.n, 51);
  } finally {
    await sql.end();
  }
});

test('node pg and postgres.js connect with SCRAM-SHA-256 and over TLS (verify-full)', async () => {
  const scram = new pg.Client({ connectionString: secure.scramUrl });
  await scram.connect();
  assert.deepEqual((await scram.query('SELECT $1::int + 1 AS v', [41])).rows, [{ v: 42 }]);
  await scram.end();
  const tlsUrl = new URL(secure.tlsUrl);
  const tls = new pg.Client({ host: 'localhost', port: Number(tlsUrl.port), user: 'eddy', database: 'eddy', ssl: { ca: secure.cert, servername: 'localhost' } });
  await tls.connect();
  assert.deepEqual((await tls.query('SELECT $1::int + 1 AS v', [41])).rows, [{ v: 42 }]);
  await tls.end();

  const scramUrl = new URL(secure.scramUrl);
  const pjsScram = postgres({ host: '127.0.0.1', port: Number(scramUrl.port), user: SCRAM_USER, pass: SCRAM_PASSWORD, database: 'eddy', max: 1 });
  assert.deepEqual([...(await pjsScram`SELECT ${41}::int + 1 AS v`)], [{ v: 42 }]);
  await pjsScram.end();
  const pjsTls = postgres({ host: 'localhost', port: Number(tlsUrl.port), user: 'eddy', database: 'eddy', ssl: { ca: secure.cert, servername: 'localhost' }, max: 1 });
  assert.deepEqual([...(await pjsTls`SELECT ${41}::int + 1 AS v`)], [{ v: 42 }]);
  await pjsTls.end();
});
