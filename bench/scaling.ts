/**
 * Scaling curves (issue 10 part 5): the server CPU one inserted row costs, as the dataflow grows
 * along three axes, each step on a fresh server (its own process):
 * - views: 1, 10, 100 materialized views (GROUP BY) over one table;
 * - groups: one GROUP BY view whose rows fall into 10 ... 1,000,000 groups;
 * - join state: a join view over a table preloaded with 1,000 ... 1,000,000 rows, fed by inserts
 *   into the other side (each new row matches one preloaded row).
 * Rows go in as INSERT ... SELECT generate_series batches of BATCH rows, so the wire and the
 * parser cost little beside the views. Linear in views is expected (each view does its work);
 * flat in groups and in join state is the goal (an insert touches one group, one key).
 *
 *   npm run bench -- scaling [rows=20000] [max=1000000]
 */
import pg from 'pg';
import { startEddyProcess, type EddyProcess } from './eddy-process.js';

const ROWS = Number(process.argv[2] ?? 20_000);
const MAX = Number(process.argv[3] ?? 1_000_000);
const BATCH = 1_000;

async function withServer<T>(run: (db: pg.Client, eddy: EddyProcess) => Promise<T>): Promise<T> {
  const eddy = await startEddyProcess();
  const db = new pg.Client({ connectionString: eddy.url });
  await db.connect();
  try {
    return await run(db, eddy);
  } finally {
    await db.end();
    await eddy.stop();
  }
}

/** Inserts ROWS rows into `table` (columns from `select`, over g = offset + 1 ..), returning server µs of CPU per row. */
async function cpuPerRow(db: pg.Client, eddy: EddyProcess, table: string, select: (g: string) => string): Promise<number> {
  const before = eddy.cpuSeconds();
  for (let from = 0; from < ROWS; from += BATCH) {
    await db.query(`INSERT INTO ${table} SELECT ${select('g')} FROM generate_series(${from + 1}, ${from + BATCH}) g`);
  }
  return ((eddy.cpuSeconds() - before) / ROWS) * 1e6;
}

/** Loads `n` rows into a table before measuring, in big batches. */
async function preload(db: pg.Client, table: string, n: number, select: (g: string) => string): Promise<void> {
  for (let from = 0; from < n; from += 50_000) {
    await db.query(`INSERT INTO ${table} SELECT ${select('g')} FROM generate_series(${from + 1}, ${Math.min(n, from + 50_000)}) g`);
  }
}

const steps = (from: number, factor: number) => {
  const out: number[] = [];
  for (let x = from; x <= MAX; x *= factor) out.push(x);
  return out;
};

function report(axis: string, rows: [number, number, number][]): void {
  console.log(`\n${axis}`);
  console.log(`${'size'.padStart(10)} ${'µs CPU/row'.padStart(12)} ${'vs first'.padStart(9)} ${'RSS MiB'.padStart(8)}`);
  for (const [size, us, rss] of rows) console.log(`${String(size).padStart(10)} ${us.toFixed(1).padStart(12)} ${(us / rows[0]![1]).toFixed(2).padStart(9)} ${rss.toFixed(0).padStart(8)}`);
}

/**
 * One curve: each size on a fresh server, `measure` returning the server's µs of CPU per
 * inserted row; printed with the server's RSS after the step.
 */
async function curve(axis: string, sizes: number[], measure: (db: pg.Client, eddy: EddyProcess, size: number) => Promise<number>): Promise<void> {
  const rows: [number, number, number][] = [];
  for (const size of sizes) rows.push(await withServer(async (db, eddy) => [size, await measure(db, eddy, size), eddy.rssMiB()]));
  report(axis, rows);
}

console.log(`Scaling: ${ROWS} rows inserted per step in batches of ${BATCH}; server CPU per inserted row`);

await curve('views over one table (GROUP BY over 100 groups each)', [1, 10, 100], async (db, eddy, views) => {
  await db.query('CREATE TABLE facts (id int, k int, v int)');
  for (let i = 0; i < views; i++) await db.query(`CREATE MATERIALIZED VIEW by_k_${i} AS SELECT k, count(*) AS n, sum(v) AS total FROM facts WHERE v <> ${i} GROUP BY k`);
  return cpuPerRow(db, eddy, 'facts', (g) => `${g}, ${g} % 100, ${g} % 1000`);
});

await curve('groups of one GROUP BY view', steps(10, 10), async (db, eddy, groups) => {
  await db.query('CREATE TABLE facts (id int, k int, v int)');
  await db.query('CREATE MATERIALIZED VIEW by_k AS SELECT k, count(*) AS n, sum(v) AS total FROM facts GROUP BY k');
  // The groups exist before the measured inserts, which then land in them at random.
  await preload(db, 'facts', groups, (g) => `-${g}, ${g}, 0`);
  return cpuPerRow(db, eddy, 'facts', (g) => `${g}, ((${g}::int8 * 7919) % ${groups}) + 1, 1`);
});

await curve('join state (rows on the other side of the join)', steps(1_000, 10), async (db, eddy, state) => {
  await db.query('CREATE TABLE dims (k int, label text)');
  await db.query('CREATE TABLE facts (id int, k int, v int)');
  await db.query('CREATE MATERIALIZED VIEW joined AS SELECT d.label, f.v FROM facts f JOIN dims d ON d.k = f.k');
  await preload(db, 'dims', state, (g) => `${g}, 'label ' || ${g}`);
  return cpuPerRow(db, eddy, 'facts', (g) => `${g}, ((${g}::int8 * 7919) % ${state}) + 1, ${g} % 100`);
});
