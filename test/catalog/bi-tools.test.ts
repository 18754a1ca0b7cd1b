/**
 * The catalog queries of Metabase, Grafana, DBeaver and pgAdmin (bi-tools-queries.ts, each citing
 * its source) run on Eddy and on a real PostgreSQL holding the same objects: the same column
 * names and types, and the same rows for the user's objects. Where a column holds a value only
 * PostgreSQL can have (a user object's oid, a size on disk, a statistics counter), the query says
 * which columns the tool uses and only those are compared. Superset reads its schema through
 * SQLAlchemy's inspector, which test/drivers compares with PostgreSQL already.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startEddyAndPostgres, type EddyAndPostgres } from '../support/eddy-and-postgres.js';
import { TOOL_QUERIES, type Param, type ToolQuery } from './bi-tools-queries.js';

let both: EddyAndPostgres;

/** The objects a user browses: tables with and without keys, a view, a materialized view, indexes. */
export const BI_OBJECTS = [
  'CREATE TABLE bi_customers (id int8 PRIMARY KEY, name varchar(40) NOT NULL, email text, since date)',
  'CREATE TABLE bi_orders (id int PRIMARY KEY, customer int8 NOT NULL, amount numeric(12,2) DEFAULT 0, placed timestamptz, note text)',
  'CREATE TABLE bi_metrics (at timestamptz NOT NULL, host text, value float8)',
  'CREATE INDEX bi_orders_customer ON bi_orders (customer, placed)',
  'CREATE VIEW bi_big_orders AS SELECT id, amount FROM bi_orders WHERE amount > 100',
  'CREATE MATERIALIZED VIEW bi_order_totals AS SELECT customer, sum(amount) AS total FROM bi_orders GROUP BY customer',
];

before(async () => {
  both = await startEddyAndPostgres('bi_tools');
  for (const sql of BI_OBJECTS) {
    await both.e.query(sql);
    await both.p.query(sql);
  }
});

after(async () => {
  await both?.stop();
});

async function bind(client: pg.Client, params: Param[] = []): Promise<unknown[]> {
  const values: unknown[] = [];
  for (const p of params) {
    if (typeof p === 'object' && 'oid' in p) values.push((await client.query('SELECT $1::regclass::oid AS oid', [p.oid])).rows[0].oid);
    else if (typeof p === 'object') values.push((await client.query('SELECT oid FROM pg_database WHERE datname = current_database()')).rows[0].oid);
    else values.push(p);
  }
  return values;
}

async function run(client: pg.Client, q: ToolQuery): Promise<pg.QueryResult> {
  // rowMode array: several tools' queries have duplicate column names (c.oid, c.*)
  return client.query({ text: q.sql, values: await bind(client, q.params), rowMode: 'array' });
}

/**
 * Types Eddy's catalog has in place of PostgreSQL's, where it has not the type (README, "BI tools"):
 * PostgreSQL's type oid -> Eddy's, and whether Eddy's column must be NULL throughout (an ACL, an
 * option list, an array Eddy has no elements for: text, always NULL).
 */
const STAND_INS: Record<number, { eddy: number[]; alwaysNull: boolean; what: string }> = {
  1034: { eddy: [25], alwaysNull: true, what: 'aclitem[]: Eddy has no grants' },
  1009: { eddy: [25], alwaysNull: true, what: 'text[] of options or settings Eddy has none of' },
  1028: { eddy: [25], alwaysNull: true, what: 'oid[] of operators or configuration tables Eddy has none of' },
  1005: { eddy: [25], alwaysNull: true, what: 'int2[] of foreign key SET NULL columns' },
  1003: { eddy: [25], alwaysNull: true, what: 'name[] of policy roles: Eddy has no policies' },
  2277: { eddy: [25], alwaysNull: true, what: 'anyarray attmissingval' },
  194: { eddy: [25], alwaysNull: false, what: 'pg_node_tree: Eddy keeps the expression text, which pg_get_expr returns' },
  24: { eddy: [26, 25], alwaysNull: false, what: 'regproc: reg* types read as plain oid, or a function\'s name as text' },
  28: { eddy: [26], alwaysNull: false, what: 'xid: Eddy has no transaction ids, the column is 0' },
};

/** Field name and type oid of each column, in order, with PostgreSQL's type where Eddy has its stand-in. */
function shapes(e: pg.QueryResult, p: pg.QueryResult): [string[], string[]] {
  const eddy = e.fields.map((f, i) => {
    const theirs = p.fields[i];
    const standIn = theirs && STAND_INS[theirs.dataTypeID];
    const nullThroughout = (e.rows as unknown[][]).every((row) => row[i] === null);
    const ok = standIn && theirs.name === f.name && standIn.eddy.includes(f.dataTypeID) && (!standIn.alwaysNull || nullThroughout);
    return `${f.name}:${ok ? theirs.dataTypeID : f.dataTypeID}`;
  });
  return [eddy, p.fields.map((f) => `${f.name}:${f.dataTypeID}`)];
}

function comparedRows(r: pg.QueryResult, q: ToolQuery): unknown[][] {
  const names = r.fields.map((f) => f.name);
  const columns = q.compare?.columns ?? names.filter((n) => !q.ignore?.columns.includes(n));
  if (!q.compare && !q.ignore) return r.rows as unknown[][];
  const picks = columns.map((c) => {
    const i = names.lastIndexOf(c);
    assert.ok(i >= 0, `${q.name}: no column ${c}`);
    return i;
  });
  return (r.rows as unknown[][]).map((row) => picks.map((i) => row[i]));
}

/** PostgreSQL's answer without the rows of objects Eddy does not have (ToolQuery.only). */
function onlyEddysObjects(r: pg.QueryResult, q: ToolQuery): pg.QueryResult {
  if (!q.only) return r;
  const { column, values } = q.only;
  const i = r.fields.findIndex((f) => f.name === column);
  return { ...r, rows: (r.rows as unknown[][]).filter((row) => values.includes(row[i])) };
}

for (const q of TOOL_QUERIES) {
  test(`${q.tool}: ${q.name}`, async () => {
    const [e, p] = [await run(both.e, q), onlyEddysObjects(await run(both.p, q), q)];
    assert.deepEqual(...shapes(e, p), 'column names and types');
    if (q.countDiffers) return;
    assert.equal(e.rows.length, p.rows.length, 'row count');
    assert.deepEqual(comparedRows(e, q), comparedRows(p, q));
  });
}
