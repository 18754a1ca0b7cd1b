/**
 * A point join over a large indexed table, before and after index joins: per query the time of
 *   SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.cust WHERE o.id = $1
 * (a prepared statement, a random order each time), where customers has N rows and a PRIMARY KEY,
 * against the same query over `customers_plain`, a copy with the same rows and no index: the plan
 * every such join had before (hash the whole customer table per query), which is still the
 * fallback. EXPLAIN of both is printed, so the figures say which plan they timed.
 *
 * Then the memory a materialized view over `orders JOIN customers` adds (the server's heap after a
 * full collection, before and after CREATE): over customers_plain its join keeps its own hash copy
 * of the customers; over customers with `CREATE INDEX customers_id ON customers (id)` it reads
 * them from the index's arrangement (src/planner/shared-indexes.ts).
 *
 * Run: npm run bench -- index-join [customers, default 1000000] [queries, default 200]
 */
import pg from 'pg';
import { startEddyProcess, type EddyProcess } from './eddy-process.js';

const CUSTOMERS = Number(process.argv[2] ?? 1_000_000);
const QUERIES = Number(process.argv[3] ?? 200);
const ORDERS = Math.min(CUSTOMERS, 10_000);
const CHUNK = 100_000;

/** A server holding both customer tables and the orders; `sampleMemory` for the heap figures. */
async function loaded(sampleMemory: boolean): Promise<{ eddy: EddyProcess; db: pg.Client }> {
  const eddy = await startEddyProcess([], { sampleMemory });
  const db = new pg.Client({ connectionString: eddy.url });
  await db.connect();
  await db.query('CREATE TABLE customers (id int PRIMARY KEY, name text)');
  await db.query('CREATE TABLE customers_plain (id int, name text)');
  await db.query('CREATE TABLE orders (id int PRIMARY KEY, cust int)');
  const loadStart = performance.now();
  for (let from = 1; from <= CUSTOMERS; from += CHUNK) {
    const to = Math.min(CUSTOMERS, from + CHUNK - 1);
    for (const table of ['customers', 'customers_plain']) {
      await db.query(`INSERT INTO ${table} SELECT g, 'customer ' || g FROM generate_series(${from}, ${to}) g`);
    }
  }
  await db.query(`INSERT INTO orders SELECT g, (g * 7919) % ${CUSTOMERS} + 1 FROM generate_series(1, ${ORDERS}) g`);
  console.log(`loaded ${CUSTOMERS} customers (twice) and ${ORDERS} orders in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
  return { eddy, db };
}

async function timeQueries(db: pg.Client): Promise<void> {
  let seed = 42;
  const nextOrder = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed % ORDERS) + 1;
  };
  for (const [label, table] of [['hash join (before, no index)', 'customers_plain'], ['index join (customers_pkey)', 'customers']] as const) {
    const sql = `SELECT o.id, c.name FROM orders o JOIN ${table} c ON c.id = o.cust WHERE o.id = $1`;
    const plan = await db.query({ text: `EXPLAIN ${sql}`, values: [1], rowMode: 'array' });
    console.log(`${label}:\n${plan.rows.map((r) => `  ${r[0]}`).join('\n')}`);
    const name = `q_${table}`;
    // fewer runs of the slow plan: each reads the whole table
    const runs = table === 'customers' ? QUERIES : Math.max(3, Math.ceil(QUERIES / 50));
    await db.query({ text: sql, name, values: [1] });
    const start = performance.now();
    for (let i = 0; i < runs; i++) {
      const r = await db.query({ text: sql, name, values: [nextOrder()] });
      if (r.rows.length !== 1) throw new Error(`${label}: expected one row, got ${r.rows.length}`);
    }
    const ms = (performance.now() - start) / runs;
    console.log(`${label.padEnd(30)} ${CUSTOMERS} customers  ${ms.toFixed(3).padStart(10)} ms/query  (${runs} queries)`);
  }
}

/** The heap two views add; a server of its own, since the sampler's frequent full collections would slow the timed queries. */
async function viewMemory(eddy: EddyProcess, db: pg.Client): Promise<void> {
  // the heap after a full collection that ran after this call
  const settledHeap = async (): Promise<number> => {
    await new Promise((r) => setTimeout(r, 1200));
    return eddy.heapMiB();
  };
  await db.query('CREATE INDEX customers_id ON customers (id)');
  let heap = await settledHeap();
  for (const [label, table] of [['view, own hash copy', 'customers_plain'], ['view, reading the index', 'customers']] as const) {
    await db.query(`CREATE MATERIALIZED VIEW v_${table} AS SELECT o.id, c.name FROM orders o JOIN ${table} c ON c.id = o.cust`);
    const after = await settledHeap();
    console.log(`${label.padEnd(30)} ${CUSTOMERS} customers  ${(after - heap).toFixed(1).padStart(10)} MiB heap added`);
    heap = after;
  }
}

// the sampler's full collection every 300 ms: a view's heap is read soon after its CREATE
process.env.EDDY_BENCH_MEMORY_MS = '300';
for (const sampleMemory of [false, true]) {
  const { eddy, db } = await loaded(sampleMemory);
  try {
    await (sampleMemory ? viewMemory(eddy, db) : timeQueries(db));
  } finally {
    await db.end();
    await eddy.stop();
  }
}
