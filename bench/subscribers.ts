/**
 * Many subscribers on one busy view: a materialized view over a table whose rows change at a
 * steady rate (UPDATEs of RATE rows a second, in ten batches a second), first with nobody
 * following it, then with SUBSCRIBERS clients each streaming `COPY (SUBSCRIBE view) TO STDOUT`.
 * Prints the server's CPU seconds per second of each phase (their ratio is the subscribers'
 * cost), the writer's UPDATE latency, the rows the subscribers received, and the server's RSS
 * and live heap (after a full collection, bench/memory-sampler.ts) sampled through both phases
 * (their growth from the subscribed phase's first sample to its last is the figure to watch: it
 * must not grow with time). The subscribers' clients run in a process of their own
 * (bench/subscriber-clients.ts), whose CPU is printed too: on a small machine it competes with
 * the server.
 *
 *   npx tsx bench/subscribers.ts [seconds per phase = 300] [subscribers = 100] [rows/s = 10000]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEddyProcess, type EddyProcess } from './eddy-process.js';
import { cpuSeconds } from './proc.js';

const SECONDS = Number(process.argv[2] ?? 300);
const SUBSCRIBERS = Number(process.argv[3] ?? 100);
const RATE = Number(process.argv[4] ?? 10_000);
const ROWS = 50_000;
const TICK_MS = 100;
const CLIENTS = fileURLToPath(new URL('./subscriber-clients.ts', import.meta.url));

interface Phase {
  cpuPerSecond: number;
  rowsChanged: number;
  rss: number[];
  heap: number[];
}

/** How often the server's memory is sampled: ten or more samples a phase, at most every 10 s. */
const SAMPLE_MS = Math.min(10_000, (SECONDS * 1000) / 10);

/** Changes RATE rows a second for `seconds`, sampling the server's CPU and RSS. */
async function drive(server: EddyProcess, writer: pg.Client, seconds: number, startAt: number): Promise<Phase> {
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const rss: number[] = [server.rssMiB()];
  const heap: number[] = [server.heapMiB()];
  const cpu0 = server.cpuSeconds();
  const t0 = performance.now();
  let next = startAt;
  let changed = 0;
  const latencies: number[] = [];
  let lastSample = t0;
  for (let tick = 0; performance.now() - t0 < seconds * 1000; tick++) {
    const from = next % ROWS;
    const sent = performance.now();
    await writer.query('UPDATE quotes SET price = price + 1 WHERE id >= $1 AND id < $2', [from, from + perTick]);
    latencies.push(performance.now() - sent);
    changed += Math.min(perTick, ROWS - from);
    next += perTick;
    const due = t0 + (tick + 1) * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() - lastSample >= SAMPLE_MS) {
      rss.push(server.rssMiB());
      heap.push(server.heapMiB());
      lastSample = performance.now();
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`UPDATE ms p50 ${latencies[latencies.length >> 1]!.toFixed(1)} p99 ${latencies[Math.floor(latencies.length * 0.99)]!.toFixed(1)} max ${latencies.at(-1)!.toFixed(1)}`);
  rss.push(server.rssMiB());
  heap.push(server.heapMiB());
  return { cpuPerSecond: (server.cpuSeconds() - cpu0) / elapsed, rowsChanged: changed, rss, heap };
}

async function main(): Promise<void> {
  // The subscribers and the writer, past the default connection limit of 100.
  process.env.EDDY_BENCH_MEMORY_MS = String(SAMPLE_MS);
  const server = await startEddyProcess(['--max-connections', String(SUBSCRIBERS + 10)], { sampleMemory: true });
  const writer = new pg.Client({ connectionString: server.url });
  await writer.connect();
  let clients: ChildProcess | null = null;
  try {
    await writer.query('CREATE TABLE quotes (id int PRIMARY KEY, symbol text, price bigint)');
    for (let at = 0; at < ROWS; at += 10_000) {
      await writer.query(`INSERT INTO quotes SELECT i, 'S' || (i % 500), 100 FROM generate_series(${at}, ${at + 9_999}) AS i`);
    }
    await writer.query('CREATE MATERIALIZED VIEW marked AS SELECT id, symbol, price * 2 AS marked FROM quotes');

    const alone = await drive(server, writer, SECONDS, 0);

    const child = (clients = fork(CLIENTS, [server.url, String(SUBSCRIBERS), 'marked'], { execArgv: ['--import', 'tsx'] }));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`subscriber clients exited (${code})`)));
    });
    const received = () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve((m as { received: number }).received));
        child.send('count');
      });
    const clientCpu0 = cpuSeconds(child.pid!);
    const followed = await drive(server, writer, SECONDS, alone.rowsChanged);
    const clientCpu = (cpuSeconds(child.pid!) - clientCpu0) / SECONDS;
    // Every subscriber sees every change: two rows (retraction and insertion) per changed row.
    // The last batches may still be on their way: give them a few seconds.
    const expected = 2 * followed.rowsChanged * SUBSCRIBERS;
    let got = await received();
    for (const deadline = Date.now() + 10_000; got < expected && Date.now() < deadline; got = await received()) await new Promise((r) => setTimeout(r, 100));

    const mib = (n: number) => n.toFixed(1);
    console.log(`view alone:        ${alone.cpuPerSecond.toFixed(3)} CPU s/s, ${(alone.rowsChanged / SECONDS).toFixed(0)} rows changed/s`);
    console.log(`${SUBSCRIBERS} subscribers:   ${followed.cpuPerSecond.toFixed(3)} CPU s/s, ${(followed.rowsChanged / SECONDS).toFixed(0)} rows changed/s, ${(got / SECONDS).toFixed(0)} rows received/s in all`);
    console.log(`subscribers' client process: ${clientCpu.toFixed(3)} CPU s/s`);
    console.log(`CPU with / without subscribers: ${(followed.cpuPerSecond / alone.cpuPerSecond).toFixed(2)}`);
    console.log(`memory sampled every ${(SAMPLE_MS / 1000).toFixed(1)} s (MiB):`);
    console.log(`  view alone, RSS:       ${alone.rss.map(mib).join(' ')}`);
    console.log(`  view alone, live heap: ${alone.heap.map(mib).join(' ')}`);
    console.log(`  subscribed, RSS:       ${followed.rss.map(mib).join(' ')}`);
    console.log(`  subscribed, live heap: ${followed.heap.map(mib).join(' ')}`);
    // From the phase's second sample: the first is taken before the subscribers' buffers fill.
    const growth = (xs: number[]) => `${mib(xs.at(-1)! - xs[1]!)} MiB (max ${mib(Math.max(...xs))})`;
    console.log(`growth over the subscribed phase after its first sample: RSS ${growth(followed.rss)}, live heap ${growth(followed.heap)}`);
    console.log(`rows received / expected: ${(got / expected).toFixed(3)}`);
  } finally {
    if (clients?.connected) {
      const exited = new Promise((resolve) => clients!.once('exit', resolve));
      clients.send('stop');
      await exited;
    }
    await writer.end();
    await server.stop();
  }
}

await main();
