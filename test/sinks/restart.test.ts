/**
 * Exactly once across restarts, for read_committed consumers: a clean restart writes nothing
 * the topic already has (and what changed meanwhile once); `kill -9` of the server in the middle
 * of a stream, ten times in a loop, leaves every change in the topic exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { startEddy } from '../support/eddy.js';
import { consume, ensureKafka, uniqueTopic } from '../support/kafka.js';
import { connect, kill, launch, type ServerProcess } from '../support/eddy-process.js';
import { exactlyMessages, texts, waitFor } from './sink-harness.js';

// The UPSERT topic has 3 partitions: each one's read-back must take exactly what the sink wrote.
test('a clean restart neither repeats nor loses what UPSERT and DEBEZIUM sinks wrote', { timeout: 120_000 }, async () => {
  const kafka = await ensureKafka();
  const eddy = await startEddy();
  try {
    let client = await eddy.client();
    const upsert = uniqueTopic('sink-restart-upsert');
    const cdc = uniqueTopic('sink-restart-cdc');
    await client.query('CREATE TABLE kv (k integer PRIMARY KEY, v text)');
    await client.query(`INSERT INTO kv SELECT i, 'v' || i FROM generate_series(1, 50) AS i`);
    await client.query(`CREATE SINK kv_upsert FROM kv INTO KAFKA (BROKER '${kafka.brokers}', TOPIC '${upsert}', PARTITIONS 3) KEY FORMAT JSON (k) VALUE FORMAT JSON ENVELOPE UPSERT`);
    await client.query(`CREATE SINK kv_cdc FROM kv INTO KAFKA (BROKER '${kafka.brokers}', TOPIC '${cdc}') KEY FORMAT JSON (k) VALUE FORMAT JSON ENVELOPE DEBEZIUM`);
    await exactlyMessages(upsert, 50, kafka);
    await exactlyMessages(cdc, 50, kafka);

    await eddy.restart();
    client = await eddy.client();
    await waitFor(async () => (await client.query(`SELECT count(*)::int AS n FROM eddy_sinks WHERE status = 'running'`)).rows[0].n === 2, {
      timeoutMs: 30_000,
      message: 'both sinks running after the restart',
    });
    await client.query(`UPDATE kv SET v = 'changed' WHERE k = 7`);
    await client.query('DELETE FROM kv WHERE k = 8');
    await client.query(`INSERT INTO kv VALUES (51, 'new')`);

    // Partitions interleave as consumed: compare the whole topic, sorted.
    const upserts = texts(await exactlyMessages(upsert, 53, kafka)).map((m) => JSON.stringify(m)).sort();
    const expected: [string, string | null][] = Array.from({ length: 50 }, (_, i) => [`{"k":${i + 1}}`, `{"k":${i + 1},"v":"v${i + 1}"}`]);
    expected.push(['{"k":7}', '{"k":7,"v":"changed"}'], ['{"k":8}', null], ['{"k":51}', '{"k":51,"v":"new"}']);
    assert.deepEqual(upserts, expected.map((m) => JSON.stringify(m)).sort());
    // The three changes may share a transaction, where their order is not fixed.
    const changes = texts(await exactlyMessages(cdc, 53, kafka)).slice(50).sort();
    assert.deepEqual(changes, [
      ['{"k":7}', '{"before":{"k":7,"v":"v7"},"after":{"k":7,"v":"changed"}}'],
      ['{"k":8}', '{"before":{"k":8,"v":"v8"},"after":null}'],
      ['{"k":51}', '{"before":null,"after":{"k":51,"v":"new"}}'],
    ].sort());
    // eddy_sinks follows the runtimes' counters once a second.
    await waitFor(async () => (await client.query(`SELECT messages FROM eddy_sinks WHERE name = 'kv_upsert'`)).rows[0].messages === '53', {
      message: 'the message count to go on across the restart (53)',
    });
  } finally {
    await eddy.stop();
  }
});

test('kill -9 mid-stream ten times: a consumer sees every change exactly once', { timeout: 240_000 }, async () => {
  const kafka = await ensureKafka();
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-sink-crash-'));
  const ticksTopic = uniqueTopic('sink-crash-ticks');
  const latestTopic = uniqueTopic('sink-crash-latest');
  let server: ServerProcess = await launch(dataDir);
  let client: pg.Client = await connect(server);
  const messages = async () => {
    const rows = (await client.query(`SELECT name, messages::int AS n FROM eddy_sinks`)).rows as { name: string; n: number }[];
    return Math.min(...rows.map((r) => r.n));
  };
  try {
    await client.query(`CREATE SOURCE ticks FROM TIME TABLE (PERIOD '20 milliseconds')`);
    await client.query(`CREATE SINK ticks_out FROM (SELECT tick FROM ticks) INTO KAFKA (BROKER '${kafka.brokers}', TOPIC '${ticksTopic}')`);
    await client.query(`CREATE SINK latest_out FROM (SELECT tick % 7 AS k, max(tick) AS latest FROM ticks GROUP BY tick % 7)
      INTO KAFKA (BROKER '${kafka.brokers}', TOPIC '${latestTopic}') KEY FORMAT JSON (k) VALUE FORMAT JSON (latest) ENVELOPE UPSERT`);
    for (let round = 0; round < 10; round++) {
      const before = await messages().catch(() => 0);
      // Killed while it writes: after it wrote something more, at a moment that varies.
      await waitFor(async () => (await messages()) > before, { timeoutMs: 30_000, message: `round ${round}: the sinks writing` });
      await new Promise((r) => setTimeout(r, (round * 37) % 150));
      await kill(server);
      await client.end().catch(() => {});
      server = await launch(dataDir);
      client = await connect(server);
    }
    // Done killing: the ticks it had at some moment, then until the sinks have written them all.
    await waitFor(async () => (await client.query(`SELECT count(*) FROM eddy_sinks WHERE status = 'running'`)).rows[0].count === '2', {
      timeoutMs: 30_000,
      message: 'the sinks running after the last restart',
    });
    const ticks = Number((await client.query('SELECT max(tick) + 1 AS n FROM ticks')).rows[0].n);
    const written = await consume(ticksTopic, ticks, { at: kafka, timeoutMs: 60_000 });
    const values = written.slice(0, ticks).map((m) => (JSON.parse(m.value!.toString()) as { tick: number }).tick);
    assert.deepEqual(values, Array.from({ length: ticks }, (_, i) => i), 'every tick once, in order');

    // UPSERT of each key's latest tick: every message a change, so a key's values only grow (a
    // message written twice would repeat one), and each message is the state of some cycle.
    const upserts = Number((await client.query(`SELECT messages FROM eddy_sinks WHERE name = 'latest_out'`)).rows[0].messages);
    const latest = await consume(latestTopic, upserts, { at: kafka, timeoutMs: 60_000 });
    const last = new Map<number, number>();
    for (const m of latest.slice(0, upserts)) {
      const k = (JSON.parse(m.key!.toString()) as { k: number }).k;
      const value = (JSON.parse(m.value!.toString()) as { latest: number }).latest;
      assert.equal(value % 7, k);
      assert.ok(value > (last.get(k) ?? -1), `key ${k}: ${value} after ${last.get(k)}`);
      last.set(k, value);
    }
    assert.equal(last.size, 7);
  } finally {
    await client.end().catch(() => {});
    await kill(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
