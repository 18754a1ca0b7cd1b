/**
 * kill -9 at random moments while a Kafka source ingests, a table takes transactions and views
 * over both update, ten times in a loop (EDDY_CRASH_LOOPS). After each restart:
 * - the table holds every acknowledged transaction, and of the one in flight at the kill either
 *   all or nothing (each inserts 20 rows and deletes one row of the one before);
 * - the source holds every offset of its topic exactly once: none skipped, none repeated;
 * - the views equal their queries run afresh over the restored inputs.
 * At the end the source's view equals a clean replay of the topic on a new data dir.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { diffRows, runQuery } from '../differential/compare.js';
import { connect, kill, launch, type ServerProcess } from '../support/eddy-process.js';
import { createTopic, ensureKafka, PacedProducer, uniqueTopic, type KafkaEndpoints } from '../support/kafka.js';
import { mulberry32 } from '../support/prng.js';
import { waitFor } from '../support/wait.js';

const LOOPS = Number(process.env.EDDY_CRASH_LOOPS ?? 10);
const SEED = Number(process.env.EDDY_CRASH_SEED ?? 20261207);
const PARTITIONS = 2;
const ROWS_PER_TRANSACTION = 20;
/** The producer's pace: a batch of this many messages every PRODUCE_EVERY_MS. */
const PRODUCE_BATCH = 50;
const PRODUCE_EVERY_MS = 20;
const BY_KEY = (relation: string) => `SELECT k, count(*) AS n, sum(v) AS total FROM ${relation} GROUP BY k`;
const SIDES = { expected: 'the query run afresh', actual: 'the maintained view' };

function sourceDdl(kafka: KafkaEndpoints, topic: string): string[] {
  return [
    `CREATE SOURCE trades FROM KAFKA (BROKER '${kafka.brokers}', TOPIC '${topic}', START OFFSET EARLIEST)
       VALUE FORMAT JSON (id bigint, k integer, v integer) TABLE TYPE APPEND`,
    `CREATE MATERIALIZED VIEW trade_totals AS ${BY_KEY('trades')}`,
  ];
}

/** The ids the table holds once transactions 0..last have committed. */
function expectedIds(last: number): number[] {
  const ids: number[] = [];
  for (let t = 0; t <= last; t++) {
    for (let i = 0; i < ROWS_PER_TRANSACTION; i++) {
      const id = t * ROWS_PER_TRANSACTION + i;
      // Transaction t + 1 deletes the first row of transaction t.
      if (!(i === 0 && t < last)) ids.push(id);
    }
  }
  return ids;
}

/** Runs one transaction after another until the server goes away; says what was acknowledged. */
async function writeUntilKilled(client: pg.Client, next: number): Promise<{ acked: number; inFlight: number }> {
  for (let t = next; ; t++) {
    const rows = Array.from({ length: ROWS_PER_TRANSACTION }, (_, i) => {
      const id = t * ROWS_PER_TRANSACTION + i;
      return `(${id}, ${id % 13}, ${id % 101})`;
    });
    try {
      await client.query(`BEGIN; INSERT INTO orders VALUES ${rows.join(', ')}; DELETE FROM orders WHERE id = ${(t - 1) * ROWS_PER_TRANSACTION}; COMMIT`);
    } catch {
      return { acked: t - 1, inFlight: t };
    }
  }
}

async function ids(client: pg.Client): Promise<number[]> {
  return (await client.query('SELECT id FROM orders ORDER BY id')).rows.map((r: { id: number }) => r.id);
}

async function assertViewIsFresh(client: pg.Client, view: string, relation: string): Promise<void> {
  const diff = diffRows(await runQuery(client, BY_KEY(relation)), await runQuery(client, `SELECT * FROM ${view}`), false, SIDES);
  assert.equal(diff, null, `${view} after the restart:\n${diff}`);
}

/** Every offset of every partition exactly once, and as many rows as messages acknowledged. */
async function assertOffsetsExact(client: pg.Client, produced: number): Promise<void> {
  const { rows } = await client.query(
    `SELECT kafkapartition AS p, count(*)::int AS n, count(DISTINCT kafkaoffset)::int AS d,
            min(kafkaoffset)::int AS lo, max(kafkaoffset)::int AS hi, count(DISTINCT id)::int AS ids
       FROM trades GROUP BY kafkapartition ORDER BY p`,
  );
  let total = 0;
  for (const r of rows as { p: number; n: number; d: number; lo: number; hi: number; ids: number }[]) {
    assert.equal(r.d, r.n, `partition ${r.p}: ${r.n - r.d} offsets repeated`);
    assert.equal(r.ids, r.n, `partition ${r.p}: ids repeated`);
    assert.deepEqual([r.lo, r.hi], [0, r.n - 1], `partition ${r.p}: offsets skipped (${r.n} rows over ${r.lo}..${r.hi})`);
    total += r.n;
  }
  assert.equal(total, produced, 'rows in the source against messages the broker acknowledged');
}

async function caughtUp(client: pg.Client, produced: number): Promise<void> {
  await waitFor(async () => (await client.query('SELECT count(*)::int AS n FROM trades')).rows[0].n >= produced, {
    timeoutMs: 60_000,
    message: `the source to hold all ${produced} messages`,
    describe: async () => JSON.stringify((await client.query('SHOW SOURCES')).rows),
  });
}

test(`kill -9 at random moments, ${LOOPS} times, while a source ingests and a table takes transactions`, { timeout: 15 * 60_000 }, async () => {
  const kafka = await ensureKafka();
  const topic = uniqueTopic('crash-loop');
  await createTopic(topic, PARTITIONS);
  const source = new PacedProducer(
    { topic, partitions: PARTITIONS, batch: PRODUCE_BATCH, everyMs: PRODUCE_EVERY_MS, value: (id) => JSON.stringify({ id, k: id % 13, v: id % 101 }) },
    kafka,
  );
  const random = mulberry32(SEED);
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-crash-loop-'));
  const replayDir = mkdtempSync(join(tmpdir(), 'eddy-crash-replay-'));
  let server: ServerProcess | null = null;
  const figures = { killsAfterMs: [] as number[], restartMs: [] as number[], inFlightCommitted: 0, inFlightLost: 0 };
  try {
    server = await launch(dataDir);
    let client = await connect(server);
    for (const ddl of sourceDdl(kafka, topic)) await client.query(ddl);
    await client.query('CREATE TABLE orders (id integer PRIMARY KEY, k integer, v integer)');
    await client.query(`CREATE MATERIALIZED VIEW order_totals AS ${BY_KEY('orders')}`);
    await client.query(`CREATE VIEW orders_by_trade AS SELECT o.k, count(*) AS n, sum(o.v) AS total FROM orders o JOIN trade_totals t ON o.k = t.k GROUP BY o.k`);

    let committed = -1;
    for (let loop = 0; loop < LOOPS; loop++) {
      await source.resume();
      const writing = writeUntilKilled(client, committed + 1);
      const delay = 200 + Math.floor(random() * 1800);
      figures.killsAfterMs.push(delay);
      await new Promise((r) => setTimeout(r, delay));
      await kill(server);
      const { acked, inFlight } = await writing;
      client.end().catch(() => {});
      await source.pause();

      const restartedAt = Date.now();
      server = await launch(dataDir);
      client = await connect(server);
      figures.restartMs.push(Date.now() - restartedAt);

      const held = await ids(client);
      if (JSON.stringify(held) === JSON.stringify(expectedIds(inFlight))) {
        committed = inFlight;
        figures.inFlightCommitted++;
      } else {
        assert.deepEqual(held, expectedIds(acked), `loop ${loop}: the table after the kill (acknowledged up to transaction ${acked}, ${inFlight} in flight)`);
        committed = acked;
        figures.inFlightLost++;
      }
      await assertViewIsFresh(client, 'order_totals', 'orders');

      await caughtUp(client, source.acked);
      await assertOffsetsExact(client, source.acked);
      await assertViewIsFresh(client, 'trade_totals', 'trades');
      const joined = diffRows(
        await runQuery(client, `SELECT o.k, count(*) AS n, sum(o.v) AS total FROM orders o JOIN (${BY_KEY('trades')}) t ON o.k = t.k GROUP BY o.k`),
        await runQuery(client, 'SELECT * FROM orders_by_trade'),
        false,
        SIDES,
      );
      assert.equal(joined, null, `orders_by_trade after the restart:\n${joined}`);
    }

    // A clean replay of the same topic on a new data dir ends where the crashed server is.
    const replay = await launch(replayDir);
    const replayClient = await connect(replay);
    try {
      for (const ddl of sourceDdl(kafka, topic)) await replayClient.query(ddl);
      await caughtUp(replayClient, source.acked);
      const diff = diffRows(await runQuery(replayClient, 'SELECT * FROM trade_totals'), await runQuery(client, 'SELECT * FROM trade_totals'), false, {
        expected: 'a clean replay',
        actual: `the server killed ${LOOPS} times`,
      });
      assert.equal(diff, null, diff ?? '');
    } finally {
      await replayClient.end();
      await kill(replay);
    }
    await client.end();
    const rows = (committed + 1) * ROWS_PER_TRANSACTION - committed;
    console.log(
      `# crash loop (seed ${SEED}): ${LOOPS} kills after ${figures.killsAfterMs.join(', ')} ms; restarts serving in ${figures.restartMs.join(', ')} ms; ` +
        `${source.acked} messages, ${committed + 1} transactions (${rows} rows) committed; the transaction in flight at a kill committed ${figures.inFlightCommitted} times, ` +
        `lost (never acknowledged) ${figures.inFlightLost} times; nothing lost or repeated`,
    );
  } finally {
    await source.pause();
    if (server) await kill(server);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(replayDir, { recursive: true, force: true });
  }
});
