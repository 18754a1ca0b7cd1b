/**
 * Head to head (issue 10 part 4): Eddy, Deephaven and Flink SQL on the same Kafka topic and the
 * same query, then Eddy's incremental view against PostgreSQL's REFRESH MATERIALIZED VIEW.
 *
 * The topic: MESSAGES JSON messages {symbol, price, qty} over 1,000 symbols in 2 partitions.
 * The query: per symbol, count(*), sum(qty), avg(price) and the last price. Each streaming system
 *   - reads the whole topic from the start: messages per CPU second of its process tree (the
 *     engine's own threads and any process it starts: PyFlink's JVM), from just before it starts
 *     consuming until its result has counted every message, and messages per wall second;
 *   - then, at a steady background rate of RATE messages/s, gets a probe message every 100 ms
 *     whose symbol is a unique marker (P-<phase>-<n>): produce->visible latency is from just before the
 *     producer sends it until a query of the system's sees that group. Eddy: a SUBSCRIBE to the
 *     view; Deephaven: a table listener on agg_by's result (in its own process); Flink: its
 *     upsert-kafka sink read back by this process (so Flink's figure includes one more Kafka hop).
 * PostgreSQL (a cluster of its own, so that its CPU is only this bench's): PG_ROWS rows inserted in
 * statements of 100 rows into a table, then REFRESH MATERIALIZED VIEW; Eddy maintains its view over
 * the same statements. Both: CPU seconds of the server, and the time from the last insert to a
 * fresh answer.
 *
 * A peer that cannot be installed or started on this machine is reported as such, and the rest
 * still run. Installs (bench/peers/install.ts) are cached under ~/.cache/eddy.
 *
 *   npm run bench -- compare [messages=300000] [latency seconds=20] [systems=eddy,deephaven,flink,postgres] [pg rows=100000] [rate=2000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { startEddyProcess, type EddyProcess } from './eddy-process.js';
import { deephavenPython, flinkPeer, PEER_SCRIPTS } from './peers/install.js';
import { treeCpuSeconds } from './proc.js';
import { createTopic, ensureKafka, uniqueTopic } from '../test/support/kafka.js';
import { startPostgresCluster } from '../test/support/postgres.js';
import { preloadTopic } from './preload.js';

const MESSAGES = Number(process.argv[2] ?? 300_000);
const LATENCY_SECONDS = Number(process.argv[3] ?? 20);
const SYSTEMS = (process.argv[4] ?? 'eddy,deephaven,flink,postgres').split(',');
const PG_ROWS = Number(process.argv[5] ?? 100_000);
const RATE = Number(process.argv[6] ?? 2_000);
const SYMBOLS = 1_000;
const PARTITIONS = 2;
const PROBE_EVERY_MS = 100;

const { brokers } = await ensureKafka();
const kafka = new Kafka({ clientId: 'eddy-bench-compare', brokers: [brokers], logLevel: logLevel.NOTHING });

function trade(i: number, symbol = `S${i % SYMBOLS}`): string {
  return JSON.stringify({ symbol, price: 100 + (i % 997) / 100, qty: 1 + (i % 50) });
}

/**
 * Messages in the topic so far: each system reads all of them, the preload and the latency
 * phases of the systems before it.
 */
let produced = 0;

async function preload(topic: string): Promise<void> {
  await preloadTopic(kafka, topic, MESSAGES, PARTITIONS, (i) => trade(i));
  produced += MESSAGES;
}

/** What each streaming system gives the common measurement. */
interface Running {
  /** CPU seconds its processes have used so far. */
  cpu(): number;
  /** Resolves when its result has counted `count` messages; call once it is consuming. */
  allCounted(count: number): Promise<void>;
  /** The wall clock (epoch ms) at which a query of the system first saw group `symbol`. */
  seen(symbol: string): Promise<number>;
  stop(): Promise<void>;
}

interface StreamingResult {
  perCpuSecond: number;
  perWallSecond: number;
  cpuSeconds: number;
  p50: number;
  p99: number;
  probes: number;
}

/** Waiters keyed by probe symbol, fed by whatever watches the system's output. */
class Sightings {
  private readonly at = new Map<string, number>();
  private readonly waiting = new Map<string, (t: number) => void>();
  saw(symbol: string, t: number): void {
    if (this.at.has(symbol)) return;
    this.at.set(symbol, t);
    this.waiting.get(symbol)?.(t);
  }
  seen(symbol: string): Promise<number> {
    const t = this.at.get(symbol);
    return t !== undefined ? Promise.resolve(t) : new Promise((resolve) => this.waiting.set(symbol, resolve));
  }
}

function withDeadline<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms))),
  ]);
}

/** Numbers each latency phase, so that no system takes an earlier one's probes (still in the topic) for its own. */
let probeRun = 0;

/** The background load and the probes; returns the probes' latencies in ms, sorted. */
async function probeLatency(topic: string, system: Running): Promise<number[]> {
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const TICK_MS = 10;
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const ticks = (LATENCY_SECONDS * 1000) / TICK_MS;
  const latencies: Promise<number>[] = [];
  const sends: Promise<unknown>[] = [];
  const run = ++probeRun;
  const start = performance.now();
  for (let t = 0; t < ticks; t++) {
    const wait = start + t * TICK_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const messages = Array.from({ length: perTick }, (_, j) => ({ value: trade(t * perTick + j), partition: j % PARTITIONS }));
    if ((t * TICK_MS) % PROBE_EVERY_MS === 0) {
      const symbol = `P-${run}-${t}`;
      const sentAt = Date.now();
      latencies.push(system.seen(symbol).then((seenAt) => seenAt - sentAt));
      sends.push(producer.send({ topic, acks: 1, messages: [{ value: trade(t, symbol), partition: t % PARTITIONS }] }));
    }
    sends.push(producer.send({ topic, acks: 1, messages }));
  }
  await Promise.all(sends);
  produced += ticks * perTick + latencies.length;
  await producer.disconnect();
  const all = await withDeadline('probes', Promise.all(latencies), 60_000);
  return all.sort((a, b) => a - b);
}

async function measureStreaming(name: string, topic: string, start: () => Promise<Running>): Promise<StreamingResult> {
  const system = await start();
  try {
    const count = produced;
    const cpu0 = system.cpu();
    const t0 = performance.now();
    await withDeadline(`${name} reading ${count} messages`, system.allCounted(count), 600_000);
    const cpuSeconds = system.cpu() - cpu0;
    const wall = (performance.now() - t0) / 1000;
    const lat = await probeLatency(topic, system);
    const at = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!;
    return { perCpuSecond: count / cpuSeconds, perWallSecond: count / wall, cpuSeconds, p50: at(0.5), p99: at(0.99), probes: lat.length };
  } finally {
    await system.stop();
  }
}

const VIEW_QUERY = (from: string) =>
  `SELECT symbol, count(*) AS n, sum(qty) AS shares, avg(price) AS avg_price, last(price) AS last_price FROM ${from} GROUP BY symbol`;

async function startEddy(topic: string): Promise<Running> {
  const server = await startEddyProcess();
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const watcher = new pg.Client({ connectionString: server.url });
  await watcher.connect();
  const sightings = new Sightings();
  let stopping = false;
  return {
    cpu: () => server.cpuSeconds(),
    async allCounted(count) {
      await client.query(`CREATE SOURCE trades FROM KAFKA (BROKER '${brokers}', TOPIC '${topic}', GROUP ID '${uniqueTopic('eddy-bench-compare')}', START OFFSET EARLIEST)
        KEY FORMAT IGNORE VALUE FORMAT JSON (symbol text, price double precision, qty integer) INCLUDE NONE TABLE TYPE STREAM`);
      await client.query(`CREATE MATERIALIZED VIEW by_symbol AS ${VIEW_QUERY('trades')}`);
      for (;;) {
        const { rows } = await client.query('SELECT coalesce(sum(n), 0)::bigint AS n FROM by_symbol');
        if (Number(rows[0].n) >= count) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      // Probes are watched from here on: a SUBSCRIBE that sees each new group as it comes.
      const stream = watcher.query(copyTo('COPY (SUBSCRIBE by_symbol WITH (SNAPSHOT = false)) TO STDOUT'));
      stream.on('data', (chunk: Buffer) => {
        const now = Date.now();
        for (const m of chunk.toString().matchAll(/P-\d+-\d+/g)) sightings.saw(m[0], now);
      });
      stream.on('error', (err) => stopping || console.error(`eddy subscription: ${err.message}`));
    },
    seen: (symbol) => sightings.seen(symbol),
    async stop() {
      stopping = true;
      await watcher.end().catch(() => {});
      await client.end();
      await server.stop();
    },
  };
}

interface PeerProcess {
  child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<RegExpMatchArray>;
  onLine(listener: (line: string) => void): void;
  output(): string;
  stop(): Promise<void>;
}

/** A peer's Python script in its own process group (it may start a JVM beside it). */
function spawnPeer(python: string, args: string[]): PeerProcess {
  const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  let log = '';
  let pending = '';
  const listeners: ((line: string) => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    log += d.toString();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) for (const l of listeners) l(line);
  });
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        listeners.push((line) => {
          const m = pattern.exec(line);
          if (m) resolve(m);
        });
        void exited.then(() => reject(new Error(`${args[0]} exited before printing ${pattern}:\n${log.slice(-3000)}`)));
      }),
    onLine: (listener) => listeners.push(listener),
    output: () => log,
    async stop() {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startDeephaven(topic: string): Promise<Running> {
  const python = await deephavenPython();
  const peer = spawnPeer(python, [PEER_SCRIPTS.deephaven, brokers, topic, String(produced), String(await freePort())]);
  const sightings = new Sightings();
  peer.onLine((line) => {
    const m = /^seen (\S+) ([\d.]+)$/.exec(line);
    if (m) sightings.saw(m[1]!, Number(m[2]));
  });
  const done = peer.line(/^done /);
  done.catch(() => {});
  try {
    await withDeadline('deephaven start', peer.line(/^consuming$/), 180_000);
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return {
    cpu: () => treeCpuSeconds(peer.child.pid!),
    allCounted: async () => void (await done),
    seen: (symbol) => sightings.seen(symbol),
    stop: () => peer.stop(),
  };
}

async function startFlink(topic: string): Promise<Running> {
  const { python, connectorJar } = await flinkPeer();
  const outTopic = `${topic}-flink-out`;
  await createTopic(outTopic, 1);
  // Flink's result, read back: the latest row per symbol (upsert-kafka: the key is the symbol).
  const counts = new Map<string, number>();
  const sightings = new Sightings();
  let counted = 0;
  let onCount = () => {};
  const consumer = kafka.consumer({ groupId: uniqueTopic('eddy-bench-compare-flink'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [outTopic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        if (!m.value) continue;
        const row = JSON.parse(m.value.toString()) as { symbol: string; n: number };
        if (row.symbol.startsWith('P-')) sightings.saw(row.symbol, now);
        counted += row.n - (counts.get(row.symbol) ?? 0);
        counts.set(row.symbol, row.n);
      }
      onCount();
    },
  });
  const peer = spawnPeer(python, [PEER_SCRIPTS.flink, brokers, topic, outTopic, connectorJar]);
  try {
    await withDeadline('flink start', peer.line(/^consuming$/), 180_000);
  } catch (error) {
    await peer.stop();
    await consumer.disconnect();
    throw error;
  }
  return {
    cpu: () => treeCpuSeconds(peer.child.pid!),
    allCounted: (count) =>
      new Promise<void>((resolve) => {
        onCount = () => counted >= count && resolve();
        onCount();
      }),
    seen: (symbol) => sightings.seen(symbol),
    async stop() {
      await peer.stop();
      await consumer.disconnect();
    },
  };
}

interface RefreshResult {
  insertSeconds: number;
  freshSeconds: number;
  cpuSeconds: number;
}

/** The same statements of 100 rows each, then the time to an answer counting them all. */
async function insertAndAnswer(url: string, cpu: () => number, answer: (c: pg.Client) => Promise<void>, setup: string[]): Promise<RefreshResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of setup) await client.query(sql);
    const cpu0 = cpu();
    const t0 = performance.now();
    for (let at = 0; at < PG_ROWS; at += 100) {
      const values = Array.from({ length: Math.min(100, PG_ROWS - at) }, (_, j) => {
        const i = at + j;
        return `(${i}, 'S${i % SYMBOLS}', ${100 + (i % 997) / 100}, ${1 + (i % 50)})`;
      });
      await client.query(`INSERT INTO trades VALUES ${values.join(', ')}`);
    }
    const t1 = performance.now();
    await answer(client);
    const t2 = performance.now();
    return { insertSeconds: (t1 - t0) / 1000, freshSeconds: (t2 - t1) / 1000, cpuSeconds: cpu() - cpu0 };
  } finally {
    await client.end();
  }
}

async function countIs(client: pg.Client): Promise<void> {
  const { rows } = await client.query('SELECT sum(n)::bigint AS n FROM by_symbol');
  if (Number(rows[0].n) !== PG_ROWS) throw new Error(`the view counts ${rows[0].n} rows, not ${PG_ROWS}`);
}

const TABLE = 'CREATE TABLE trades (id bigint, symbol text, price double precision, qty integer)';

async function postgresRefresh(): Promise<RefreshResult> {
  const cluster = await startPostgresCluster({ stopOnExit: true });
  try {
    const postmaster = Number(readFileSync(`${cluster.dir}/data/postmaster.pid`, 'utf8').split('\n')[0]);
    // PostgreSQL has no last(): the price of the highest id, its usual spelling.
    const view = `CREATE MATERIALIZED VIEW by_symbol AS SELECT symbol, count(*) AS n, sum(qty) AS shares, avg(price) AS avg_price,
      (array_agg(price ORDER BY id DESC))[1] AS last_price FROM trades GROUP BY symbol`;
    return await insertAndAnswer(cluster.url, () => treeCpuSeconds(postmaster), async (c) => {
      await c.query('REFRESH MATERIALIZED VIEW by_symbol');
      await countIs(c);
    }, [TABLE, view]);
  } finally {
    await cluster.stop();
  }
}

async function eddyIncremental(): Promise<RefreshResult> {
  const server: EddyProcess = await startEddyProcess();
  try {
    return await insertAndAnswer(server.url, () => server.cpuSeconds(), countIs, [TABLE, `CREATE MATERIALIZED VIEW by_symbol AS ${VIEW_QUERY('trades')}`]);
  } finally {
    await server.stop();
  }
}

async function attempt<T>(name: string, run: () => Promise<T>): Promise<T | string> {
  if (!SYSTEMS.includes(name)) return 'not run';
  try {
    return await run();
  } catch (error) {
    const message = (error as Error).message;
    console.error(`${name} FAILED: ${message}`);
    return `FAILED: ${message.split('\n')[0]}`;
  }
}

const topic = uniqueTopic('cmp-compare');
await createTopic(topic, PARTITIONS);
console.log(`preloading ${MESSAGES} messages into ${topic} (${PARTITIONS} partitions, ${SYMBOLS} symbols)...`);
await preload(topic);

const streaming: [string, StreamingResult | string][] = [];
for (const [name, start] of [
  ['eddy', startEddy],
  ['deephaven', startDeephaven],
  ['flink', startFlink],
] as const) {
  streaming.push([name, await attempt(name, () => measureStreaming(name, topic, () => start(topic)))]);
}
const refresh: [string, RefreshResult | string][] = [
  ['postgres', await attempt('postgres', postgresRefresh)],
  // Eddy's side of the PostgreSQL comparison runs with it.
  ['eddy', await attempt('postgres', eddyIncremental)],
];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/** Process CPU is counted in 10 ms clock ticks: a rate over less than one tick is not a figure. */
const perCpu = (count: number, cpuSeconds: number) => (cpuSeconds >= 0.01 ? fmt(count / cpuSeconds) : 'unmeasured');
console.log(`\nstreaming: every message from the start of the topic (${fmt(MESSAGES)} preloaded, more for later systems: the latency phases before them); latency: ${LATENCY_SECONDS} s at ${fmt(RATE)} messages/s, a probe every ${PROBE_EVERY_MS} ms`);
console.log('system      msgs/CPU-s   msgs/wall-s   CPU s    latency p50   p99 (ms)');
const eddyStreaming = streaming[0]![1];
for (const [name, r] of streaming) {
  if (typeof r === 'string') {
    console.log(`${name.padEnd(10)}  ${r}`);
    continue;
  }
  const ratio = typeof eddyStreaming === 'string' || name === 'eddy' ? '' : `   (Eddy/${name}: ${(eddyStreaming.perCpuSecond / r.perCpuSecond).toFixed(2)}x per CPU-s, p50 ${(r.p50 / Math.max(1, eddyStreaming.p50)).toFixed(1)}x lower)`;
  console.log(`${name.padEnd(10)}  ${fmt(r.perCpuSecond).padStart(10)}   ${fmt(r.perWallSecond).padStart(11)}   ${r.cpuSeconds.toFixed(2).padStart(6)}   ${String(Math.round(r.p50)).padStart(9)}   ${String(Math.round(r.p99)).padStart(6)}${ratio}`);
}
console.log(`\n${fmt(PG_ROWS)} rows inserted 100 per statement, then a fresh answer from the view`);
console.log('system                    insert s   to fresh answer s   server CPU s   rows/CPU-s');
for (const [name, r] of refresh) {
  const label = name === 'postgres' ? 'postgres REFRESH MV' : 'eddy incremental MV';
  if (typeof r === 'string') console.log(`${label.padEnd(24)}  ${r}`);
  else console.log(`${label.padEnd(24)}  ${r.insertSeconds.toFixed(2).padStart(8)}   ${r.freshSeconds.toFixed(3).padStart(17)}   ${r.cpuSeconds.toFixed(2).padStart(12)}   ${perCpu(PG_ROWS, r.cpuSeconds).padStart(10)}`);
}
