/**
 * Kafka sources, end to end: ~100-byte JSON messages (symbol, price, qty) preloaded into a topic
 * are read by
 *   (0) a bare kafkajs consumer of the same topic that only counts them (the ceiling: the same
 *       Kafka client, no decoding, no engine),
 *   (1) an APPEND source and (2) a STREAM source, each feeding
 *       SELECT symbol, count(*), sum(qty), last(price) ... GROUP BY symbol over 1,000 symbols,
 * timed from CREATE SOURCE until the view has applied every message, and (3) a STREAM source
 * reading the value as BYTES with no view (what the source runtime costs beyond the client; the
 * rest of the gap is JSON decoding and the view's operators). Then the produce-to-visible
 * latency at a steady 10,000 messages/s into a STREAM source with the same view (from just before
 * the producer sends a message to the end of the update cycle that applied it), and the heap an
 * APPEND source (no view) holds per 1M rows. Rates are printed next to the bare consumer's, as ratios: the
 * machine is shared and absolute numbers drift.
 *
 * Run: node --expose-gc --import tsx bench/kafka-sources.ts [messages=300000] [latency seconds=10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';
import { startServer, type RunningServer } from '../src/server.js';
import type { SourceRelation } from '../src/catalog/relation.js';
import { createTopic, ensureKafka, uniqueTopic } from '../test/support/kafka.js';
import { preloadTopic } from './preload.js';

const MESSAGES = Number(process.argv[2] ?? 300_000);
const LATENCY_SECONDS = Number(process.argv[3] ?? 10);
const SYMBOLS = 1_000;
const PARTITIONS = 2;
const RATE = 10_000;

const { brokers } = await ensureKafka();
const kafka = new Kafka({ clientId: 'eddy-bench', brokers: [brokers], logLevel: logLevel.NOTHING });

function message(i: number, ts?: number): string {
  const base = { symbol: `S${String(i % SYMBOLS).padStart(4, '0')}`, price: 100 + (i % 997) / 100, qty: 1 + (i % 50), ...(ts === undefined ? {} : { ts }) };
  const text = JSON.stringify(base);
  // Padded to about 100 bytes with a field the source does not read.
  return JSON.stringify({ ...base, pad: 'x'.repeat(Math.max(0, 100 - text.length - 10)) });
}

async function preload(topic: string): Promise<void> {
  await preloadTopic(kafka, topic, MESSAGES, PARTITIONS, (i) => message(i));
}

async function bareConsumer(topic: string): Promise<number> {
  const consumer = kafka.consumer({ groupId: uniqueTopic('eddy-bench-bare'), maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const started = performance.now();
  let seen = 0;
  let bytes = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) bytes += m.value?.length ?? 0;
        seen += batch.messages.length;
        if (seen >= MESSAGES) resolve();
      },
    });
  });
  const elapsed = (performance.now() - started) / 1000;
  await consumer.disconnect();
  if (bytes === 0) throw new Error('no bytes read');
  return MESSAGES / elapsed;
}

interface Eddy {
  server: RunningServer;
  client: pg.Client;
  dataDir: string;
}

async function startEddy(): Promise<Eddy> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-bench-kafka-'));
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, log: (l) => process.env.EDDY_BENCH_LOG && console.error(l) });
  const client = new pg.Client({ connectionString: `postgresql://eddy@127.0.0.1:${server.port}/eddy` });
  await client.connect();
  return { server, client, dataDir };
}

async function stopEddy(e: Eddy): Promise<void> {
  await e.client.end();
  await e.server.close();
  rmSync(e.dataDir, { recursive: true, force: true });
}

const VALUE_FORMAT = 'VALUE FORMAT JSON (symbol text, price double precision, qty integer, ts double precision)';
const VIEW = (name: string, source: string) =>
  `CREATE MATERIALIZED VIEW ${name} AS SELECT symbol, count(*) AS n, sum(qty) AS shares, last(price) AS price FROM ${source} GROUP BY symbol`;

/** Resolves after the first update cycle that leaves the source with `count` messages read and nothing pending. */
function allApplied(e: Eddy, source: string, count: number): Promise<void> {
  const db = e.server.database;
  const rel = db.relations.get(source) as SourceRelation;
  return new Promise((resolve) => {
    const off = db.dataflow.onCycle(() => {
      if (rel.runtime.status().messages >= count && !db.dataflow.hasPendingInput()) {
        off();
        resolve();
      }
    });
  });
}

/**
 * Messages/s of a source from CREATE SOURCE until every message is applied. Without `view` the
 * value is read as BYTES and nothing consumes the source: what the source runtime itself costs
 * on top of the client (the rest is JSON decoding and the view's operators).
 */
async function sourceRate(e: Eddy, topic: string, name: string, tableType: 'APPEND' | 'STREAM', view = true): Promise<number> {
  const started = performance.now();
  await e.client.query(`CREATE SOURCE ${name} FROM KAFKA (BROKER '${brokers}', TOPIC '${topic}', GROUP ID '${uniqueTopic('eddy-bench')}', START OFFSET EARLIEST)
    KEY FORMAT IGNORE ${view ? VALUE_FORMAT : 'VALUE FORMAT BYTES'} INCLUDE NONE TABLE TYPE ${tableType}`);
  if (view) await e.client.query(VIEW(`${name}_by_symbol`, name));
  await allApplied(e, name, MESSAGES);
  const elapsed = (performance.now() - started) / 1000;
  if (view) {
    const { rows } = await e.client.query(`SELECT sum(n)::bigint AS n, count(*)::int AS symbols FROM ${name}_by_symbol`);
    if (Number(rows[0].n) !== MESSAGES || rows[0].symbols !== SYMBOLS) throw new Error(`${name}: view holds ${rows[0].n} messages over ${rows[0].symbols} symbols`);
  }
  await e.client.query(`DROP SOURCE ${name} CASCADE`);
  return MESSAGES / elapsed;
}

/** Heap held per 1M rows by an APPEND source (no view), measured after GC while it exists. */
async function appendHeap(e: Eddy, topic: string): Promise<number> {
  const before = heapUsed();
  await e.client.query(`CREATE SOURCE bench_heap FROM KAFKA (BROKER '${brokers}', TOPIC '${topic}', GROUP ID '${uniqueTopic('eddy-bench')}', START OFFSET EARLIEST)
    KEY FORMAT IGNORE ${VALUE_FORMAT} INCLUDE NONE TABLE TYPE APPEND`);
  await allApplied(e, 'bench_heap', MESSAGES);
  const perMillion = ((heapUsed() - before) / MESSAGES) * 1_000_000;
  await e.client.query('DROP SOURCE bench_heap');
  return perMillion;
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function latency(e: Eddy): Promise<{ p50: number; p99: number; max: number; count: number }> {
  const topic = uniqueTopic('bench-latency');
  await createTopic(topic, PARTITIONS);
  await e.client.query(`CREATE SOURCE live FROM KAFKA (BROKER '${brokers}', TOPIC '${topic}', GROUP ID '${uniqueTopic('eddy-bench')}')
    KEY FORMAT IGNORE ${VALUE_FORMAT} INCLUDE NONE`);
  await e.client.query(VIEW('live_by_symbol', 'live'));
  const db = e.server.database;
  const rel = db.relations.get('live') as SourceRelation;
  const latencies: number[] = [];
  const off = db.dataflow.onCycle((info) => {
    const added = info.changes.get(rel.node.arrangement!);
    if (!added) return;
    const now = Date.now();
    for (const { row, diff } of added) if (diff > 0) latencies.push(now - (row[3] as number));
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  // Wait until the source's consumer has joined and reads (a first message comes through).
  await producer.send({ topic, acks: 1, messages: [{ value: message(0, Date.now()) }] });
  while (latencies.length === 0) await new Promise((r) => setTimeout(r, 50));
  latencies.length = 0;
  // 10,000 messages/s as 100 every 10 ms, on a schedule computed from the start (no drift).
  const perTick = RATE / 100;
  const start = performance.now();
  const ticks = LATENCY_SECONDS * 100;
  const sends: Promise<unknown>[] = [];
  for (let t = 0; t < ticks; t++) {
    const due = start + t * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const ts = Date.now();
    sends.push(producer.send({ topic, acks: 1, messages: Array.from({ length: perTick }, (_, j) => ({ value: message(t * perTick + j, ts), partition: j % PARTITIONS })) }));
  }
  await Promise.all(sends);
  const expected = ticks * perTick;
  const deadline = Date.now() + 30_000;
  while (latencies.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  off();
  await producer.disconnect();
  if (latencies.length < expected) throw new Error(`only ${latencies.length} of ${expected} messages became visible`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1]!, count: latencies.length };
}

const topic = uniqueTopic('bench-kafka-sources');
await createTopic(topic, PARTITIONS);
console.log(`preloading ${MESSAGES} messages of ~${Buffer.byteLength(message(12345))} bytes into ${topic} (${PARTITIONS} partitions)...`);
await preload(topic);

const bare = await bareConsumer(topic);
const eddy = await startEddy();
try {
  // Warm-up: the first CREATE SOURCE and view load and compile the modules they use.
  await eddy.client.query(`CREATE SOURCE warm_up FROM KAFKA (BROKER '${brokers}', TOPIC '${topic}', GROUP ID '${uniqueTopic('eddy-bench')}')
    KEY FORMAT IGNORE ${VALUE_FORMAT} INCLUDE NONE TABLE TYPE APPEND`);
  await eddy.client.query(VIEW('warm_up_by_symbol', 'warm_up'));
  await eddy.client.query('SELECT * FROM warm_up_by_symbol');
  await eddy.client.query('DROP SOURCE warm_up CASCADE');
  const append = await sourceRate(eddy, topic, 'bench_append', 'APPEND');
  const stream = await sourceRate(eddy, topic, 'bench_stream', 'STREAM');
  const bytesOnly = await sourceRate(eddy, topic, 'bench_bytes', 'STREAM', false);
  const lat = await latency(eddy);
  const heapPerMillion = await appendHeap(eddy, topic);

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`bare kafkajs consumer            ${fmt(bare)} messages/s (ceiling)`);
  console.log(`APPEND source + GROUP BY symbol  ${fmt(append)} messages/s (${((append / bare) * 100).toFixed(0)}% of bare)`);
  console.log(`STREAM source + GROUP BY symbol  ${fmt(stream)} messages/s (${((stream / bare) * 100).toFixed(0)}% of bare)`);
  console.log(`STREAM source, BYTES, no view    ${fmt(bytesOnly)} messages/s (${((bytesOnly / bare) * 100).toFixed(0)}% of bare: the source runtime alone)`);
  console.log(`produce-to-visible at ${fmt(RATE)}/s for ${LATENCY_SECONDS} s (${fmt(lat.count)} messages): p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms`);
  console.log(`APPEND source heap: ${(heapPerMillion / 1024 / 1024).toFixed(0)} MB per 1M rows (heapUsed after GC${(globalThis as { gc?: unknown }).gc ? '' : ' — run with --expose-gc for a reliable figure'})`);
} finally {
  await stopEddy(eddy);
}
