/**
 * Grafana's time-series panels on Eddy: Grafana expands its macros itself before sending the SQL
 * (grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go @02ab314b81e2adc656bd7d08cc0533304a0037ff,
 * its expected texts in macros_test.go): `$__timeFilter(at)` becomes
 * `at BETWEEN '<from>' AND '<to>'` with both ends in UTC as Go's RFC3339Nano writes them (no
 * fraction when whole seconds, else as few digits as needed: '2026-12-01T00:00:00.5Z'),
 * `$__timeGroup(at,'5m')` becomes `floor(extract(epoch from at)/300)*300` (`AS "time"` after it
 * when a comma follows, or with $__timeGroupAlias), `$__time(at)` `at AS "time"`, `$__timeEpoch(at)`
 * `extract(epoch from at) as "time"`, `$__timeFrom()` / `$__timeTo()` the quoted ends. The
 * expanded SQL, grouped by $__timeGroup, date_trunc and date_bin, runs on Eddy and PostgreSQL
 * over the same rows: same columns, types and rows. Superset's time grains (DATE_TRUNC) and
 * Metabase's breakouts too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startEddyAndPostgres, type EddyAndPostgres } from '../support/eddy-and-postgres.js';

let both: EddyAndPostgres;

/** A panel's time range, as Grafana's macro engine writes it. */
const FROM = '2026-12-01T00:00:00Z';
const TO = '2026-12-01T06:00:00Z';
const FROM_FRACTION = '2026-12-01T01:00:00.5Z';
const timeFilter = (col: string, from = FROM, to = TO) => `${col} BETWEEN '${from}' AND '${to}'`;
const timeGroup = (col: string, seconds: number) => `floor(extract(epoch from ${col})/${seconds})*${seconds}`;

/** 8 hours of readings every 7 minutes from three hosts (some NULL), starting before the range and ending after it. */
function readings(): string[] {
  const rows: string[] = [];
  const start = Date.parse('2026-11-30T23:00:00Z');
  for (let i = 0; i < 70; i++) {
    const at = new Date(start + i * 7 * 60_000 + (i % 3) * 500).toISOString();
    const host = ['a', 'b', 'c'][i % 3]!;
    // quarters: sums and averages are exact in float8, whatever the order of addition
    const value = i % 11 === 0 ? 'NULL' : String((i * 37) % 50 / 4);
    rows.push(`('${at}', '${host}', ${value})`);
  }
  return rows;
}

const SETUP = [
  'CREATE TABLE grafana_metrics (at timestamptz NOT NULL, host text, value float8)',
  `INSERT INTO grafana_metrics VALUES ${readings().join(', ')}`,
  // a maintained view a dashboard reads instead of the raw rows
  "CREATE MATERIALIZED VIEW grafana_5m AS SELECT date_bin('5 minutes', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket, host, count(*) AS n, sum(value) AS total FROM grafana_metrics GROUP BY 1, 2",
];

before(async () => {
  both = await startEddyAndPostgres('grafana_ts');
  for (const sql of SETUP) {
    await both.e.query(sql);
    await both.p.query(sql);
  }
});

after(async () => {
  await both?.stop();
});

async function same(sql: string, timeZone = 'UTC'): Promise<unknown[][]> {
  const run = async (c: pg.Client) => {
    await c.query(`SET TimeZone = '${timeZone}'`);
    return c.query({ text: sql, rowMode: 'array' });
  };
  const [e, p] = [await run(both.e), await run(both.p)];
  assert.deepEqual(e.fields.map((f) => `${f.name}:${f.dataTypeID}`), p.fields.map((f) => `${f.name}:${f.dataTypeID}`));
  assert.deepEqual(e.rows, p.rows);
  assert.ok(p.rows.length > 0, 'the query has rows to compare');
  return e.rows;
}

test("$__timeGroupAlias(at,'5m') with avg, filtered by $__timeFilter(at)", async () => {
  // SELECT $__timeGroupAlias(at,'5m'), avg(value) AS value FROM grafana_metrics WHERE $__timeFilter(at) GROUP BY 1 ORDER BY 1
  await same(`SELECT ${timeGroup('at', 300)} AS "time", avg(value) AS value FROM grafana_metrics WHERE ${timeFilter('at')} GROUP BY 1 ORDER BY 1`);
});

test('the pre-5.3 form: $__timeGroup followed by a comma, one series per host (metric column)', async () => {
  // SELECT $__timeGroup(at,'15m'), host AS metric, max(value) FROM ... GROUP BY 1, 2 ORDER BY 1
  await same(`SELECT ${timeGroup('at', 900)} AS "time", host AS metric, max(value) FROM grafana_metrics WHERE ${timeFilter('at')} GROUP BY 1, 2 ORDER BY 1, 2`);
});

test('date_trunc grouping (hour, and day in a session time zone), count and sum per host', async () => {
  await same(`SELECT date_trunc('hour', at) AS "time", host, count(*), sum(value) FROM grafana_metrics WHERE ${timeFilter('at')} GROUP BY 1, 2 ORDER BY 1, 2`);
  await same(`SELECT date_trunc('day', at) AS "time", count(value) FROM grafana_metrics WHERE ${timeFilter('at', '2026-11-30T00:00:00Z', '2026-12-02T00:00:00Z')} GROUP BY 1 ORDER BY 1`, 'America/New_York');
});

test('date_bin grouping with an origin, and a fractional-second range end', async () => {
  await same(`SELECT date_bin('10 minutes', at, TIMESTAMPTZ '2026-01-01 00:02:00+00') AS "time", min(value), max(value) FROM grafana_metrics WHERE ${timeFilter('at', FROM_FRACTION)} GROUP BY 1 ORDER BY 1`);
});

test('$__time and $__timeEpoch of raw rows, and $__timeFrom() / $__timeTo() as bounds', async () => {
  // SELECT $__time(at), value FROM ... WHERE $__timeFilter(at) ORDER BY 1
  await same(`SELECT at AS "time", host, value FROM grafana_metrics WHERE ${timeFilter('at')} ORDER BY 1`);
  // SELECT $__timeEpoch(at), value ... WHERE at >= $__timeFrom() AND at < $__timeTo()
  await same(`SELECT extract(epoch from at) as "time", value FROM grafana_metrics WHERE at >= '${FROM_FRACTION}' AND at < '${TO}' ORDER BY 1`);
});

test('a maintained date_bin view read by a panel: $__timeFilter on the bucket, $__timeGroup over it', async () => {
  await both.p.query('REFRESH MATERIALIZED VIEW grafana_5m');
  await same(`SELECT bucket AS "time", host, n, total FROM grafana_5m WHERE ${timeFilter('bucket')} ORDER BY 1, 2`);
  await same(`SELECT ${timeGroup('bucket', 3600)} AS "time", sum(n) AS readings, sum(total) AS total FROM grafana_5m WHERE ${timeFilter('bucket')} GROUP BY 1 ORDER BY 1`);
});

// apache/superset superset/db_engine_specs/postgres.py @007e4f5f4b4a4b08b24b1f2fc14bcf5abb16237d:
// its charts group by these time grains (_time_grain_expressions), filtered like Grafana's
test("Superset's time grains: DATE_TRUNC('second' .. 'year', col) per host", async () => {
  for (const grain of ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']) {
    await same(`SELECT DATE_TRUNC('${grain}', at) AS __timestamp, host, count(*) AS count, sum(value) AS sum__value FROM grafana_metrics WHERE at >= TO_TIMESTAMP('2026-12-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') AND at < TO_TIMESTAMP('2026-12-01 06:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') GROUP BY 1, 2 ORDER BY 1, 2`);
  }
});

// metabase/metabase src/metabase/driver/postgres.clj @008fd6675457cdd62da2265628bed3b725a607ea:
// its query processor's bucketing (sql.qp/date: date_trunc, extract(...)::integer, CAST(... AS date),
// the week moved to a Sunday start by a day's INTERVAL) over fully qualified columns, as HoneySQL writes them
test("Metabase's breakouts: month, week from Sunday, day, hour of day and day of week, with fully qualified columns", async () => {
  const at = '"public"."grafana_metrics"."at"';
  const where = `WHERE (${at} >= timestamp with time zone '2026-11-30 00:00:00.000Z') AND (${at} < timestamp with time zone '2026-12-02 00:00:00.000Z')`;
  for (const breakout of [
    `DATE_TRUNC('month', ${at})`,
    `(DATE_TRUNC('week', (${at} + INTERVAL '1 day')) + INTERVAL '-1 day')`,
    `CAST(${at} AS date)`,
    `CAST(extract(hour from ${at}) AS integer)`,
    `(CAST(extract(dow from ${at}) AS integer) + 1)`,
  ]) {
    await same(
      `SELECT ${breakout} AS "at", "public"."grafana_metrics"."host" AS "host", COUNT(*) AS "count", SUM("public"."grafana_metrics"."value") AS "sum" ` +
        `FROM "public"."grafana_metrics" ${where} GROUP BY ${breakout}, "public"."grafana_metrics"."host" ORDER BY ${breakout} ASC, "public"."grafana_metrics"."host" ASC`,
      'Europe/Berlin',
    );
  }
});
