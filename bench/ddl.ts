/**
 * DDL latency with a catalog of many relations: the time of CREATE MATERIALIZED VIEW + DROP
 * MATERIALIZED VIEW (one pair) after `relations` tables exist, then of a psql-style catalog query
 * right after each DDL (which is when Eddy recomputes pg_catalog's rows), against a local
 * PostgreSQL in the same run. Eddy's server runs as its own process.
 *
 *   npm run bench -- ddl [relations=100] [pairs=200]
 */
import pg from 'pg';
import { startEddyProcess } from './eddy-process.js';
import { startPostgres } from '../test/support/postgres.js';

const RELATIONS = Number(process.argv[2] ?? 100);
const PAIRS = Number(process.argv[3] ?? 200);
const CATALOG_QUERY = "SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relname = 'ddl_t0' AND a.attnum > 0";

/** Milliseconds per iteration of `step`, over `iterations` in a row. */
async function msPer(step: (i: number) => Promise<void>, iterations: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await step(i);
  return (performance.now() - started) / iterations;
}

async function measure(url: string): Promise<{ ddl: number; ddlThenCatalog: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let i = 0; i < RELATIONS; i++) await c.query(`DROP TABLE IF EXISTS ddl_t${i} CASCADE`);
    for (let i = 0; i < RELATIONS; i++) await c.query(`CREATE TABLE ddl_t${i} (a int PRIMARY KEY, b text, c float8, d timestamptz)`);
    const pair = async (i: number) => {
      await c.query(`CREATE MATERIALIZED VIEW ddl_mv${i} AS SELECT a, count(*) AS n FROM ddl_t${i % RELATIONS} GROUP BY a`);
      await c.query(`DROP MATERIALIZED VIEW ddl_mv${i}`);
    };
    await msPer(pair, 20); // warm-up
    const ddl = await msPer(pair, PAIRS);
    const ddlThenCatalog = await msPer(async (i) => {
      await pair(i);
      await c.query(CATALOG_QUERY);
    }, PAIRS);
    for (let i = 0; i < RELATIONS; i++) await c.query(`DROP TABLE ddl_t${i}`);
    return { ddl, ddlThenCatalog };
  } finally {
    await c.end();
  }
}

const eddy = await startEddyProcess();
const postgres = await startPostgres();
try {
  const e = await measure(eddy.url);
  const p = await measure(postgres.url);
  const row = (name: string, f: { ddl: number; ddlThenCatalog: number }) =>
    `${name.padEnd(10)} ${f.ddl.toFixed(2).padStart(8)} ms ${f.ddlThenCatalog.toFixed(2).padStart(14)} ms`;
  console.log(`DDL with ${RELATIONS} tables, ${PAIRS} CREATE + DROP MATERIALIZED VIEW pairs`);
  console.log(`${''.padEnd(10)} ${'per pair'.padStart(11)} ${'pair + catalog'.padStart(17)}`);
  console.log(row('eddy', e));
  console.log(row('postgres', p));
  console.log(`eddy / postgres: ${(e.ddl / p.ddl).toFixed(2)}x per pair, ${(e.ddlThenCatalog / p.ddlThenCatalog).toFixed(2)}x with the catalog query`);
} finally {
  await eddy.stop();
  await postgres.stop();
}
