/**
 * Round-trip latency (p50/p99) and throughput of `SELECT $1::int + 1` through node `pg`, with 1
 * and 8 concurrent connections, against Eddy and against a local PostgreSQL measured in the same
 * run on the same machine. The machines are shared and noisy, so the ratio is the figure to
 * watch, not the absolute numbers.
 *
 *   npx tsx bench/wire-latency.ts [seconds-per-run]
 */
import pg from 'pg';
import { startEddyProcess } from './eddy-process.js';
import { startPostgres } from '../test/support/postgres.js';

const SECONDS = Number(process.argv[2] ?? 3);
const WARMUP_QUERIES = 200;
const CONCURRENCY = [1, 8];

interface Figures {
  p50Ms: number;
  p99Ms: number;
  qps: number;
}

async function measure(url: string, connections: number): Promise<Figures> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  const query = (c: pg.Client, i: number) => c.query({ name: 'bench', text: 'SELECT $1::int + 1 AS v', values: [i] });
  try {
    for (const c of clients) for (let i = 0; i < WARMUP_QUERIES / connections; i++) await query(c, i);
    const latencies: number[] = [];
    const deadline = performance.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        for (let i = 0; performance.now() < deadline; i++) {
          const t0 = performance.now();
          const r = await query(c, i);
          latencies.push(performance.now() - t0);
          if (r.rows[0].v !== i + 1) throw new Error(`wrong answer ${r.rows[0].v} for ${i}`);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
    return { p50Ms: pct(0.5), p99Ms: pct(0.99), qps: latencies.length / elapsed };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

const eddy = await startEddyProcess();
const postgres = await startPostgres();
try {
  const eddyUrl = eddy.url;
  const fmt = (n: number, digits = 3) => n.toFixed(digits).padStart(9);
  console.log(`SELECT $1::int + 1 through node pg, ${SECONDS} s per run`);
  console.log('conns | server     |  p50 ms |  p99 ms |   queries/s');
  for (const n of CONCURRENCY) {
    const pgFigures = await measure(postgres.url, n);
    const eddyFigures = await measure(eddyUrl, n);
    for (const [name, f] of [['postgresql', pgFigures], ['eddy', eddyFigures]] as const) {
      console.log(`${String(n).padStart(5)} | ${name.padEnd(10)} |${fmt(f.p50Ms)}|${fmt(f.p99Ms)}|${fmt(f.qps, 0).padStart(12)}`);
    }
    console.log(
      `${String(n).padStart(5)} | eddy/pg    |${fmt(eddyFigures.p50Ms / pgFigures.p50Ms, 2)}|${fmt(eddyFigures.p99Ms / pgFigures.p99Ms, 2)}|${fmt(eddyFigures.qps / pgFigures.qps, 2).padStart(12)}`,
    );
  }
} finally {
  await eddy.stop();
  await postgres.stop();
}
