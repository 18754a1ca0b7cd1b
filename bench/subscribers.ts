/**
 * Many subscribers on one busy view: a materialized view over a table whose rows change at a
 * steady rate (UPDATEs of RATE rows a second, in ten batches a second), first with nobody
 * following it, then with SUBSCRIBERS clients each streaming `COPY (SUBSCRIBE view) TO STDOUT`.
 * Prints the server's CPU seconds per second of each phase (their ratio is the subscribers'
 * cost), the rows the subscribers received, and the server's RSS sampled through the
 * subscribed phase (its growth from the phase's first sample to its last is the figure to
 * watch: it must not grow with time).
 *
 *   npx tsx bench/subscribers.ts [seconds per phase = 300] [subscribers = 100] [rows/s = 10000]
 */
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { startEddyProcess, type EddyProcess } from './eddy-process.js';

const SECONDS = Number(process.argv[2] ?? 300);
const SUBSCRIBERS = Number(process.argv[3] ?? 100);
const RATE = Number(process.argv[4] ?? 10_000);
const ROWS = 50_000;
const TICK_MS = 100;

interface Phase {
  cpuPerSecond: number;
  rowsChanged: number;
  rss: number[];
}

/** Changes RATE rows a second for `seconds`, sampling the server's CPU and RSS. */
async function drive(server: EddyProcess, writer: pg.Client, seconds: number, startAt: number): Promise<Phase> {
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const rss: number[] = [server.rssMiB()];
  const cpu0 = server.cpuSeconds();
  const t0 = performance.now();
  let next = startAt;
  let changed = 0;
  let lastSample = t0;
  for (let tick = 0; performance.now() - t0 < seconds * 1000; tick++) {
    const from = next % ROWS;
    await writer.query('UPDATE quotes SET price = price + 1 WHERE id >= $1 AND id < $2', [from, from + perTick]);
    changed += Math.min(perTick, ROWS - from);
    next += perTick;
    const due = t0 + (tick + 1) * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() - lastSample >= Math.min(10_000, (seconds * 1000) / 4)) {
      rss.push(server.rssMiB());
      lastSample = performance.now();
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  rss.push(server.rssMiB());
  return { cpuPerSecond: (server.cpuSeconds() - cpu0) / elapsed, rowsChanged: changed, rss };
}

async function main(): Promise<void> {
  // The subscribers and the writer, past the default connection limit of 100.
  const server = await startEddyProcess(['--max-connections', String(SUBSCRIBERS + 10)]);
  const writer = new pg.Client({ connectionString: server.url });
  await writer.connect();
  const subscribers: pg.Client[] = [];
  let stopping = false;
  try {
    await writer.query('CREATE TABLE quotes (id int PRIMARY KEY, symbol text, price bigint)');
    for (let at = 0; at < ROWS; at += 10_000) {
      await writer.query(`INSERT INTO quotes SELECT i, 'S' || (i % 500), 100 FROM generate_series(${at}, ${at + 9_999}) AS i`);
    }
    await writer.query('CREATE MATERIALIZED VIEW marked AS SELECT id, symbol, price * 2 AS marked FROM quotes');

    const alone = await drive(server, writer, SECONDS, 0);

    let received = 0;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      subscribers.push(c);
      const stream = c.query(copyTo('COPY (SUBSCRIBE marked WITH (SNAPSHOT = false)) TO STDOUT'));
      stream.on('data', (chunk: Buffer) => {
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) received++;
      });
      stream.on('error', (err) => stopping || console.error(`subscriber ${i}: ${err.message}`));
    }
    const followed = await drive(server, writer, SECONDS, alone.rowsChanged);
    // Every subscriber sees every change: two rows (retraction and insertion) per changed row.
    // The last batches may still be on their way: give them a few seconds.
    const expected = 2 * followed.rowsChanged * SUBSCRIBERS;
    for (const deadline = Date.now() + 10_000; received < expected && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));

    const mib = (n: number) => n.toFixed(1);
    console.log(`view alone:        ${alone.cpuPerSecond.toFixed(3)} CPU s/s, ${(alone.rowsChanged / SECONDS).toFixed(0)} rows changed/s`);
    console.log(`${SUBSCRIBERS} subscribers:   ${followed.cpuPerSecond.toFixed(3)} CPU s/s, ${(followed.rowsChanged / SECONDS).toFixed(0)} rows changed/s, ${(received / SECONDS).toFixed(0)} rows received/s in all`);
    console.log(`CPU with / without subscribers: ${(followed.cpuPerSecond / alone.cpuPerSecond).toFixed(2)}`);
    console.log(`subscribed phase RSS MiB: ${followed.rss.map(mib).join(' ')}`);
    console.log(`RSS growth over the subscribed phase: ${mib(followed.rss.at(-1)! - followed.rss[0]!)} MiB (max ${mib(Math.max(...followed.rss))})`);
    console.log(`rows received / expected: ${(received / expected).toFixed(3)}`);
  } finally {
    stopping = true;
    await Promise.all(subscribers.map((c) => c.end().catch(() => {})));
    await writer.end();
    await server.stop();
  }
}

await main();
