/**
 * CREATE SOURCE ... FROM TIME TABLE end to end: through Eddy's wire with node pg, the ticks as
 * rows of an APPEND relation, a materialized view over them that grows, catch-up from a START
 * TIME in the past, and DROP SOURCE stopping the timer.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { startEddy, waitFor, type EddyHandle } from '../support/eddy.js';

let eddy: EddyHandle;
let client: pg.Client;

before(async () => {
  eddy = await startEddy();
  client = await eddy.client();
});

after(async () => {
  await eddy?.stop();
});

const count = async (relation: string) => Number((await client.query(`SELECT count(*) AS n FROM ${relation}`)).rows[0].n);

test('PERIOD 100 milliseconds: ticks 0, 1, 2, ... at 100 ms steps, and a view of max(tick) grows', async () => {
  const created = Date.now();
  await client.query(`CREATE SOURCE ticks FROM TIME TABLE (PERIOD '100 milliseconds')`);
  await client.query('CREATE MATERIALIZED VIEW latest_tick AS SELECT max(Tick) AS m, count(*) AS n FROM ticks');
  try {
    const columns = await client.query('SELECT * FROM ticks LIMIT 0');
    assert.deepEqual(columns.fields.map((f) => [f.name, f.dataTypeID]), [['timestamp', 1184], ['tick', 20]]);

    await waitFor(async () => (await count('ticks')) >= 5, { message: '5 ticks' });
    const first = await client.query('SELECT m FROM latest_tick');
    const m1 = BigInt(first.rows[0].m);
    await waitFor(async () => BigInt((await client.query('SELECT m FROM latest_tick')).rows[0].m) >= m1 + 3n, {
      message: 'the view of max(tick) to grow by 3',
    });

    // Text output keeps every microsecond; epoch arithmetic in Eddy checks the 100 ms steps.
    const { rows } = await client.query(
      `SELECT tick, extract(epoch FROM "timestamp" - first_value) * 1000 AS since_ms
         FROM ticks, (SELECT min("timestamp") AS first_value FROM ticks) f ORDER BY tick`,
    );
    rows.forEach((row, i) => {
      assert.equal(row.tick, String(i));
      assert.equal(Number(row.since_ms), i * 100);
    });
    const start = (await client.query(`SELECT extract(epoch FROM "timestamp") * 1000 AS ms FROM ticks WHERE tick = 0`)).rows[0].ms;
    assert.ok(Number(start) >= created && Number(start) - created < 10_000, 'tick 0 is stamped with the time of CREATE SOURCE');
    const { rows: shown } = await client.query('SHOW SOURCES');
    assert.ok(shown.some((r) => r.name === 'ticks'), 'SHOW SOURCES lists the time table');
  } finally {
    await client.query('DROP SOURCE ticks CASCADE');
  }
});

test('START TIME in the past catches up with every tick since, then keeps ticking', async () => {
  // 10 minutes at 50 ms: 12,000 ticks due at CREATE.
  const start = new Date(Date.now() - 600_000).toISOString();
  await client.query(`CREATE SOURCE past FROM TIME TABLE (PERIOD '50 milliseconds', START TIME '${start}')`);
  try {
    await waitFor(async () => (await count('past')) >= 12_010, { message: 'the catch-up and 10 ticks beyond', timeoutMs: 20_000 });
    const { rows } = await client.query(
      `SELECT min(tick) AS lo, max(tick) AS hi, count(DISTINCT tick) AS n,
              min("timestamp") = '${start}'::timestamptz AS starts_at_start
         FROM past`,
    );
    const { lo, hi, n, starts_at_start } = rows[0];
    assert.equal(lo, '0');
    assert.equal(BigInt(n), BigInt(hi) + 1n, 'no tick is missing or repeated');
    assert.equal(starts_at_start, true);
    const late = await client.query(`SELECT count(*) AS n FROM past WHERE "timestamp" <> '${start}'::timestamptz + tick * interval '50 milliseconds'`);
    assert.equal(late.rows[0].n, '0', 'every tick is stamped start + tick * period');
  } finally {
    await client.query('DROP SOURCE past');
  }
});

test('DROP SOURCE stops the ticks', async () => {
  await client.query(`CREATE SOURCE brief FROM TIME TABLE (PERIOD '20 milliseconds') TABLE TYPE APPEND`);
  await waitFor(async () => (await count('brief')) >= 3, { message: '3 ticks' });
  await client.query('DROP SOURCE brief');
  await assert.rejects(client.query('SELECT * FROM brief'), /relation "brief" does not exist/);
  // The same name again starts from tick 0: nothing of the dropped timer feeds it.
  await client.query(`CREATE SOURCE brief FROM TIME TABLE (PERIOD '1 hour')`);
  try {
    await waitFor(async () => (await count('brief')) >= 1, { message: 'tick 0 of the new source' });
    assert.equal((await client.query('SELECT max(tick) AS m FROM brief')).rows[0].m, '0');
  } finally {
    await client.query('DROP SOURCE brief');
  }
});

test('after a restart a time table resumes from its start: the same ticks and timestamps, then new ones', async () => {
  await client.query(`CREATE SOURCE kept_ticks FROM TIME TABLE (PERIOD '100 milliseconds')`);
  await client.query('CREATE MATERIALIZED VIEW kept_count AS SELECT count(*) AS n, max(tick) AS m FROM kept_ticks');
  await waitFor(async () => (await count('kept_ticks')) >= 5, { message: '5 ticks' });
  const before = (await client.query(`SELECT tick, "timestamp"::text AS ts FROM kept_ticks WHERE tick < 5 ORDER BY tick`)).rows;

  await eddy.restart();
  client = await eddy.client();
  const ticked = BigInt(before.length);
  await waitFor(async () => BigInt((await client.query('SELECT m FROM kept_count')).rows[0].m) >= ticked + 5n, {
    message: 'ticks beyond those before the restart',
  });
  const after = (await client.query(`SELECT tick, "timestamp"::text AS ts FROM kept_ticks WHERE tick < 5 ORDER BY tick`)).rows;
  assert.deepEqual(after, before, 'the ticks before the restart come back with the same timestamps');
  const { rows } = await client.query('SELECT n, m FROM kept_count');
  assert.equal(BigInt(rows[0].n), BigInt(rows[0].m) + 1n, 'no tick is missing or repeated across the restart');
  await client.query('DROP SOURCE kept_ticks CASCADE');
});

test('TABLE TYPE RING n keeps the last n ticks; a STREAM time table feeds an aggregate that counts them all', async () => {
  await client.query(`CREATE SOURCE ring_ticks FROM TIME TABLE (PERIOD '30 milliseconds') TABLE TYPE RING 3`);
  await client.query(`CREATE SOURCE stream_ticks FROM TIME TABLE (PERIOD '30 milliseconds') TABLE TYPE STREAM`);
  // Created after the source: it sees the stream from the cycle it was built at on.
  await client.query('CREATE MATERIALIZED VIEW stream_seen AS SELECT count(*) AS n, min(tick) AS lo, max(tick) AS m FROM stream_ticks');
  try {
    await waitFor(async () => BigInt((await client.query('SELECT max(tick) AS m FROM ring_ticks')).rows[0].m ?? -1) >= 6n, { message: 'tick 6 in the ring' });
    const { rows } = await client.query('SELECT tick FROM ring_ticks ORDER BY tick');
    assert.equal(rows.length, 3);
    const ticks = rows.map((r) => BigInt(r.tick));
    assert.deepEqual(ticks, [ticks[0]!, ticks[0]! + 1n, ticks[0]! + 2n], 'the ring holds three consecutive ticks');

    await waitFor(async () => BigInt((await client.query('SELECT m FROM stream_seen')).rows[0].m ?? -1) >= 6n, { message: 'tick 6 in the stream' });
    const seen = (await client.query('SELECT n, lo, m FROM stream_seen')).rows[0];
    assert.equal(BigInt(seen.n), BigInt(seen.m) - BigInt(seen.lo) + 1n, 'the aggregate over the stream saw every tick since once');
    assert.ok((await count('stream_ticks')) < Number(seen.n), 'the stream itself holds only the latest cycle');
  } finally {
    await client.query('DROP SOURCE ring_ticks');
    await client.query('DROP SOURCE stream_ticks CASCADE');
  }
});
