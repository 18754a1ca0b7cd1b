/**
 * Many sessions at once (issue 12): the server runs as its own process with max_connections 201,
 * and 200 sessions work it for EDDY_LOAD_SECONDS (30 in npm test; `npm run soak` sets 300) while
 * a STREAM source ingests EDDY_LOAD_INGEST messages/s (10,000):
 * - 190 sessions each write rows of their own into one table (inserts, deletes) and read them
 *   back every way there is: a point select (the primary key's lookup), a maintained view, an ad
 *   hoc aggregate (through an index on the session's column), and a materialized view of their
 *   own created, read and dropped (DDL under load);
 * - 10 sessions follow the view through SUBSCRIBE cursors (FETCH ALL ... WITH (TIMEOUT)).
 * Every read is checked against what that session knows it wrote, at once: no lost, stale or
 * foreign rows. One session more than max_connections allows gets 53300. At the end every
 * subscriber's sum of changes equals SELECT, the table equals what every session wrote, and the
 * stream's aggregate counts every acknowledged message once. It prints statements/s and latency
 * percentiles per kind of statement.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { connect, kill, launch } from '../support/eddy-process.js';
import { createTopic, ensureKafka, PacedProducer, uniqueTopic } from '../support/kafka.js';
import { mulberry32 } from '../support/prng.js';
import { waitFor } from '../support/wait.js';

const SECONDS = Number(process.env.EDDY_LOAD_SECONDS ?? 30);
const INGEST_PER_S = Number(process.env.EDDY_LOAD_INGEST ?? 10_000);
const SEED = Number(process.env.EDDY_LOAD_SEED ?? 20261208);
const WRITERS = 190;
const SUBSCRIBERS = 10;
/** The writers, the subscribers and the session that sets up and checks. */
const MAX_CONNECTIONS = WRITERS + SUBSCRIBERS + 1;
const PARTITIONS = 2;
const PRODUCE_EVERY_MS = 50;

type Kind = 'insert' | 'delete' | 'point select' | 'view read' | 'ad hoc' | 'ddl';

/** Each writer's statement mix: cumulative weights. */
const MIX: [Kind, number][] = [
  ['insert', 0.35],
  ['delete', 0.45],
  ['point select', 0.65],
  ['view read', 0.8],
  ['ad hoc', 0.95],
  ['ddl', 1],
];

class Latencies {
  private readonly byKind = new Map<string, number[]>();
  async time<T>(kind: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await run();
    let list = this.byKind.get(kind);
    if (!list) this.byKind.set(kind, (list = []));
    list.push(performance.now() - started);
    return result;
  }
  get count(): number {
    let n = 0;
    for (const list of this.byKind.values()) n += list.length;
    return n;
  }
  summary(): string {
    const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(0);
    return [...this.byKind]
      .map(([kind, list]) => {
        const sorted = [...list].sort((a, b) => a - b);
        return `${kind} ${list.length} (p50 ${pct(sorted, 0.5)} ms, p99 ${pct(sorted, 0.99)} ms)`;
      })
      .join('; ');
  }
}

/** One writer: its rows (seq -> v) are exactly what it has committed, so every read has one right answer. */
async function writer(db: pg.Client, id: number, until: number, latencies: Latencies): Promise<Map<number, number>> {
  const random = mulberry32(SEED + id);
  const rows = new Map<number, number>();
  let seq = 0;
  let views = 0;
  const expectCount = () => String(rows.size);
  const expectTotal = () => (rows.size ? String([...rows.values()].reduce((a, b) => a + b, 0)) : null);
  while (Date.now() < until) {
    const r = random();
    const kind = MIX.find(([, upTo]) => r < upTo)![0];
    const someSeq = () => [...rows.keys()][Math.floor(random() * rows.size)];
    switch (kind) {
      case 'insert': {
        const v = Math.floor(random() * 1000);
        await latencies.time(kind, () => db.query('INSERT INTO load_rows VALUES ($1, $2, $3)', [id, seq, v]));
        rows.set(seq++, v);
        break;
      }
      case 'delete': {
        const s = someSeq();
        if (s === undefined) break;
        const res = await latencies.time(kind, () => db.query('DELETE FROM load_rows WHERE client = $1 AND seq = $2', [id, s]));
        assert.equal(res.rowCount, 1, `writer ${id}: DELETE of its seq ${s}`);
        rows.delete(s);
        break;
      }
      case 'point select': {
        const s = someSeq() ?? seq;
        const res = await latencies.time(kind, () => db.query('SELECT v FROM load_rows WHERE client = $1 AND seq = $2', [id, s]));
        assert.deepEqual(res.rows, rows.has(s) ? [{ v: rows.get(s) }] : [], `writer ${id}: its row ${s}`);
        break;
      }
      case 'view read': {
        const res = await latencies.time(kind, () => db.query('SELECT n::text, total::text FROM load_totals WHERE client = $1', [id]));
        assert.deepEqual(res.rows, rows.size ? [{ n: expectCount(), total: expectTotal() }] : [], `writer ${id}: its row of load_totals`);
        break;
      }
      case 'ad hoc': {
        const res = await latencies.time(kind, () =>
          db.query(`SELECT count(*)::text AS n, sum(v)::text AS total FROM load_rows WHERE client = ${id} AND v >= 0`),
        );
        assert.deepEqual(res.rows, [{ n: expectCount(), total: expectTotal() }], `writer ${id}: an ad hoc aggregate of its rows`);
        break;
      }
      case 'ddl': {
        const name = `load_mv_${id}_${views++}`;
        await latencies.time(kind, async () => {
          await db.query(`CREATE MATERIALIZED VIEW ${name} AS SELECT count(*)::text AS n FROM load_rows WHERE client = ${id}`);
          const res = await db.query(`SELECT n FROM ${name}`);
          assert.deepEqual(res.rows, [{ n: expectCount() }], `writer ${id}: its own view ${name}`);
          await db.query(`DROP MATERIALIZED VIEW ${name}`);
        });
        break;
      }
    }
  }
  return rows;
}

/** A relation's rows as a multiset: each row (JSON of its columns, as rowMode 'array' gives them) and how many times it is there. */
type Rows = Map<string, number>;

/** One subscriber: follows load_totals by cursor, summing the changes into the rows they add up to. */
class Subscriber {
  readonly rows: Rows = new Map();
  fetches = 0;

  constructor(private readonly db: pg.Client) {}

  async open(): Promise<void> {
    await this.db.query('BEGIN');
    await this.db.query('DECLARE follow CURSOR FOR SUBSCRIBE (SELECT client, n, total FROM load_totals)');
  }

  /** One FETCH: what is ready, waiting up to 200 ms. */
  async fetch(): Promise<void> {
    const { rows } = await this.db.query({ text: `FETCH ALL follow WITH (TIMEOUT = '200ms')`, rowMode: 'array' });
    this.fetches++;
    for (const [, diff, ...columns] of rows as unknown[][]) {
      const key = JSON.stringify(columns);
      const n = (this.rows.get(key) ?? 0) + Number(diff);
      if (n === 0) this.rows.delete(key);
      else this.rows.set(key, n);
    }
  }
}

const sorted = (rows: Rows) => JSON.stringify([...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

async function viewRows(db: pg.Client): Promise<Rows> {
  const { rows } = await db.query({ text: 'SELECT client, n, total FROM load_totals', rowMode: 'array' });
  const multiset: Rows = new Map();
  for (const row of rows) multiset.set(JSON.stringify(row), (multiset.get(JSON.stringify(row)) ?? 0) + 1);
  return multiset;
}

test(`${WRITERS + SUBSCRIBERS} sessions for ${SECONDS} s, with a source ingesting ${INGEST_PER_S} msg/s: every read right, every change once`, { timeout: (SECONDS + 300) * 1000 }, async () => {
  const kafka = await ensureKafka();
  const topic = uniqueTopic('load');
  await createTopic(topic, PARTITIONS);
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-load-'));
  const server = await launch(dataDir, ['--max-connections', String(MAX_CONNECTIONS)]);
  const sessions: pg.Client[] = [];
  const ingest = new PacedProducer(
    { topic, partitions: PARTITIONS, batch: Math.max(1, Math.round((INGEST_PER_S * PRODUCE_EVERY_MS) / 1000)), everyMs: PRODUCE_EVERY_MS },
    kafka,
  );
  try {
    const admin = await connect(server);
    sessions.push(admin);
    await admin.query('CREATE TABLE load_rows (client integer, seq integer, v integer, PRIMARY KEY (client, seq))');
    // As a user would for the per-session aggregate: without it each reads the whole table, which
    // grows for five minutes in the soak (the index is maintained under the load as well).
    await admin.query('CREATE INDEX load_rows_client ON load_rows (client)');
    await admin.query('CREATE MATERIALIZED VIEW load_totals AS SELECT client, count(*) AS n, sum(v) AS total FROM load_rows GROUP BY client');
    await admin.query(`CREATE SOURCE ticks FROM KAFKA (BROKER '${kafka.brokers}', TOPIC '${topic}', START OFFSET EARLIEST)
      KEY FORMAT IGNORE VALUE FORMAT TEXT AS v bigint TABLE TYPE STREAM`);
    await admin.query('CREATE MATERIALIZED VIEW tick_totals AS SELECT count(*) AS n, sum(v) AS total FROM ticks');

    for (let i = 0; i < WRITERS + SUBSCRIBERS; i++) sessions.push(await connect(server));
    await assert.rejects(connect(server), (err: Error & { code?: string }) => err.code === '53300', `session ${MAX_CONNECTIONS + 1} gets 53300`);
    const writers = sessions.slice(1, 1 + WRITERS);
    const subscribers = sessions.slice(1 + WRITERS).map((db) => new Subscriber(db));
    for (const s of subscribers) await s.open();

    await ingest.resume();
    const startedAt = Date.now();
    const until = startedAt + SECONDS * 1000;
    const latencies = new Latencies();
    let writing = true;
    const following = subscribers.map(async (s) => {
      while (writing) await s.fetch();
    });
    const written = await Promise.all(writers.map((db, i) => writer(db, i, until, latencies)));
    const elapsedS = (Date.now() - startedAt) / 1000;
    writing = false;
    await Promise.all(following);
    await ingest.pause();

    // The table holds exactly what every writer committed, and the view sums it.
    const { rows: tableRows } = await admin.query({ text: 'SELECT client, seq, v FROM load_rows', rowMode: 'array' });
    const expectedRows = written.flatMap((rows, client) => [...rows].map(([seq, v]) => `${client},${seq},${v}`)).sort();
    assert.deepEqual(tableRows.map((r: number[]) => r.join(',')).sort(), expectedRows, 'load_rows against what the writers committed');
    const expectedView: Rows = new Map();
    written.forEach((rows, client) => {
      if (rows.size) expectedView.set(JSON.stringify([client, String(rows.size), String([...rows.values()].reduce((a, b) => a + b, 0))]), 1);
    });
    const finalView = await viewRows(admin);
    assert.equal(sorted(finalView), sorted(expectedView), 'load_totals against what the writers committed');

    // Each subscriber catches up to the final state: the sum of its diffs equals SELECT.
    for (const [i, s] of subscribers.entries()) {
      await waitFor(
        async () => {
          await s.fetch();
          return sorted(s.rows) === sorted(finalView);
        },
        { timeoutMs: 60_000, message: `subscriber ${i} to reach SELECT's rows` },
      );
    }

    // The stream's aggregate counted every acknowledged message once. Under the sessions' load the
    // source may have fallen behind the producer: it must catch up, as long as it keeps moving.
    const counted = async (): Promise<number> => (await admin.query('SELECT n::float8 AS n FROM tick_totals')).rows[0]?.n ?? 0;
    const behindAtEnd = ingest.acked - (await counted());
    const catchUpStarted = Date.now();
    for (let last = -1, lastMoved = Date.now(); ; ) {
      const n = await counted();
      if (n >= ingest.acked) break;
      if (n > last) [last, lastMoved] = [n, Date.now()];
      if (Date.now() - lastMoved > 30_000) {
        const source = JSON.stringify((await admin.query('SHOW SOURCES')).rows);
        assert.fail(`tick_totals stopped at ${n} of ${ingest.acked} messages for 30 s; SHOW SOURCES: ${source}\n${server.log.slice(-30).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const catchUpS = (Date.now() - catchUpStarted) / 1000;
    const ticks = (await admin.query('SELECT n::float8 AS n, total::float8 AS total FROM tick_totals')).rows[0];
    assert.deepEqual(ticks, { n: ingest.acked, total: ingest.idSum }, 'tick_totals against the messages acknowledged');

    const fetches = subscribers.reduce((a, s) => a + s.fetches, 0);
    console.log(
      `# load (seed ${SEED}): ${WRITERS} writers and ${SUBSCRIBERS} subscribers for ${elapsedS.toFixed(1)} s; ` +
        `${latencies.count} statements (${(latencies.count / elapsedS).toFixed(0)}/s): ${latencies.summary()}; ` +
        `${fetches} FETCHes; ${ingest.acked} messages produced (${(ingest.acked / elapsedS).toFixed(0)}/s), the source ${behindAtEnd} behind when the sessions stopped and caught up ${catchUpS.toFixed(1)} s later; ` +
        `${tableRows.length} rows in the table; every read right, every change once`,
    );
  } finally {
    await ingest.pause();
    await Promise.all(sessions.map((s) => s.end().catch(() => {})));
    await kill(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
