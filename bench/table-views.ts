/**
 * Incremental views vs recomputation: 1,000,000 rows inserted in batches into a table that feeds
 * a GROUP BY materialized view (count, sum, avg over 1,000 groups) and a join view. Prints Eddy's
 * rows/s and per-batch latency (the INSERT returns after its update cycle has updated both views),
 * next to the time a real PostgreSQL, in the same run, takes to answer the same two queries from
 * scratch over the same rows.
 *
 *   npx tsx bench/table-views.ts [rows] [batch]
 */
import pg from 'pg';
import { startPostgres } from '../test/support/postgres.js';
import { startEddyProcess } from './eddy-process.js';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const BATCH = Number(process.argv[3] ?? 1_000);
const GROUPS = 1_000;

const SCHEMA = [
  'CREATE TABLE groups (g int PRIMARY KEY, label text)',
  'CREATE TABLE facts (id bigint PRIMARY KEY, g int, v double precision)',
];
const GROUP_QUERY = 'SELECT g, count(*) AS n, sum(v) AS total, avg(v) AS mean FROM facts GROUP BY g';
const JOIN_QUERY = 'SELECT l.label, f.v FROM facts f JOIN groups l ON f.g = l.g WHERE f.v > 900';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function batchSql(start: number, size: number): string {
  const values: string[] = [];
  for (let i = start; i < start + size; i++) {
    // A deterministic spread of values: group i mod 1000, value in [0, 1000).
    values.push(`(${i}, ${i % GROUPS}, ${((i * 7919) % 100_000) / 100})`);
  }
  return `INSERT INTO facts VALUES ${values.join(',')}`;
}

async function setup(client: pg.Client): Promise<void> {
  for (const s of SCHEMA) await client.query(s);
  const labels = Array.from({ length: GROUPS }, (_, g) => `(${g}, 'group ${g}')`).join(',');
  await client.query(`INSERT INTO groups VALUES ${labels}`);
}

async function main(): Promise<void> {
  const server = await startEddyProcess();
  const postgres = await startPostgres();
  const eddy = new pg.Client({ connectionString: server.url });
  const oracle = new pg.Client({ connectionString: postgres.url });
  await eddy.connect();
  await oracle.connect();
  try {
    await oracle.query('DROP TABLE IF EXISTS facts, groups');
    await setup(eddy);
    await setup(oracle);
    await eddy.query(`CREATE MATERIALIZED VIEW by_group AS ${GROUP_QUERY}`);
    await eddy.query(`CREATE MATERIALIZED VIEW big_facts AS ${JOIN_QUERY}`);

    const latencies: number[] = [];
    const started = performance.now();
    for (let at = 0; at < TOTAL; at += BATCH) {
      const sql = batchSql(at, Math.min(BATCH, TOTAL - at));
      const t0 = performance.now();
      await eddy.query(sql);
      latencies.push(performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    for (let at = 0; at < TOTAL; at += 10_000) await oracle.query(batchSql(at, Math.min(10_000, TOTAL - at)));
    await oracle.query('ANALYZE facts');
    const timeQuery = async (q: string) => {
      const t0 = performance.now();
      await oracle.query(q);
      return performance.now() - t0;
    };
    const pgGroup = Math.min(await timeQuery(GROUP_QUERY), await timeQuery(GROUP_QUERY));
    const pgJoin = Math.min(await timeQuery(JOIN_QUERY), await timeQuery(JOIN_QUERY));

    const check = await eddy.query('SELECT sum(n) AS n FROM by_group');
    const rss = server.rssMiB();
    console.log(`rows inserted:                 ${TOTAL} in batches of ${BATCH} (check: by_group counts ${check.rows[0].n})`);
    console.log(`Eddy ingest with 2 views:      ${Math.round(TOTAL / seconds)} rows/s`);
    console.log(`Eddy per-batch latency:        p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`);
    console.log(`PostgreSQL from scratch:       GROUP BY ${pgGroup.toFixed(1)} ms, join ${pgJoin.toFixed(1)} ms`);
    console.log(
      `ratio (PG recompute / Eddy p50 batch update): GROUP BY ${(pgGroup / percentile(latencies, 50)).toFixed(1)}x, join ${(pgJoin / percentile(latencies, 50)).toFixed(1)}x`,
    );
    console.log(`Eddy process RSS:              ${rss.toFixed(0)} MiB`);
  } finally {
    await eddy.end();
    await oracle.end();
    await server.stop();
    await postgres.stop();
  }
}

await main();
