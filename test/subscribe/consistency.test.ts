/**
 * SUBSCRIBE's contract on random workloads: the snapshot plus the running sum of the diffs
 * equals SELECT of the same relation at every closed cycle, for a table, a materialized view, a
 * plain view and an ad-hoc query (a self-join with aggregation). Each writer COMMIT is one cycle,
 * and a PROGRESS row closes it in every subscription, so the state summed up to each progress row
 * is compared with what SELECT says right after that COMMIT.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { mulberry32 } from '../support/prng.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
});
after(async () => {
  await eddy?.stop();
});

/** A multiset of rows, keyed by their JSON. */
type Multiset = Map<string, number>;

function add(set: Multiset, row: unknown[], diff: number): void {
  const key = JSON.stringify(row);
  const n = (set.get(key) ?? 0) + diff;
  if (n === 0) set.delete(key);
  else set.set(key, n);
}

function multiset(rows: unknown[][]): Multiset {
  const set: Multiset = new Map();
  for (const row of rows) add(set, row, 1);
  return set;
}

const sorted = (set: Multiset) => [...set.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

interface Followed {
  name: string;
  /** What SUBSCRIBE follows. */
  target: string;
  /** The same relation as a SELECT. */
  select: string;
  state: Multiset;
  lastTs: bigint;
}

async function randomBatch(writer: pg.Client, rand: () => number, keys: Set<number>): Promise<void> {
  await writer.query('BEGIN');
  const ops = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < ops; i++) {
    const k = Math.floor(rand() * 40);
    const g = Math.floor(rand() * 5);
    const v = Math.floor(rand() * 10) - 3;
    const choice = rand();
    if (!keys.has(k)) {
      await writer.query('INSERT INTO w VALUES ($1, $2, $3)', [k, g, v]);
      keys.add(k);
    } else if (choice < 0.5) {
      await writer.query('UPDATE w SET g = $2, v = $3 WHERE k = $1', [k, g, v]);
    } else {
      await writer.query('DELETE FROM w WHERE k = $1', [k]);
      keys.delete(k);
    }
  }
  // Now and then a batch that puts a row back as it was: nothing to report in its cycle.
  if (rand() < 0.2 && keys.size > 0) {
    const k = Math.min(...keys);
    await writer.query('UPDATE w SET v = v + 1 WHERE k = $1', [k]);
    await writer.query('UPDATE w SET v = v - 1 WHERE k = $1', [k]);
  }
  await writer.query('COMMIT');
}

for (const seed of [7, 1234, 987654]) {
  test(`snapshot + running diffs = SELECT after every cycle (seed ${seed})`, { timeout: 120_000 }, async () => {
    const writer = await eddy.client();
    const reader = await eddy.client();
    await writer.query('DROP TABLE IF EXISTS w CASCADE');
    await writer.query('CREATE TABLE w (k int PRIMARY KEY, g int, v int)');
    await writer.query(`INSERT INTO w SELECT i, i % 3, i FROM generate_series(1, 8) AS i`);
    await writer.query('CREATE MATERIALIZED VIEW w_groups AS SELECT g, count(*) AS n, sum(v) AS total FROM w GROUP BY g');
    await writer.query('CREATE VIEW w_even AS SELECT k, v FROM w WHERE v % 2 = 0');
    const pairs = 'SELECT a.g, count(*) AS pairs, max(b.v) AS top FROM w a JOIN w b ON a.g = b.g AND a.k <> b.k GROUP BY a.g';
    const followed: Followed[] = [
      { name: 'c_table', target: 'w', select: 'SELECT * FROM w' },
      { name: 'c_mv', target: 'w_groups', select: 'SELECT * FROM w_groups' },
      { name: 'c_view', target: 'w_even', select: 'SELECT * FROM w_even' },
      { name: 'c_query', target: `(${pairs})`, select: pairs },
    ].map((f) => ({ ...f, state: new Map(), lastTs: 0n }));
    await reader.query('BEGIN');
    for (const f of followed) await reader.query(`DECLARE ${f.name} CURSOR FOR SUBSCRIBE ${f.target} WITH (PROGRESS)`);
    const keys = new Set((await writer.query('SELECT k FROM w')).rows.map((r) => r.k as number));
    const rand = mulberry32(seed);
    let dataRows = 0;
    for (let batch = 0; batch <= 30; batch++) {
      // Batch 0 is the snapshot alone.
      if (batch > 0) await randomBatch(writer, rand, keys);
      for (const f of followed) {
        const expected = multiset((await writer.query({ text: f.select, rowMode: 'array' })).rows);
        const { rows } = await reader.query({ text: `FETCH ALL ${f.name} WITH (TIMEOUT = '0s')`, rowMode: 'array' });
        assert.ok(rows.length > 0 && rows.at(-1)![1] === true, `${f.name}, batch ${batch}: the cycle's progress row closes what FETCH returns`);
        for (const [ts, progressed, diff, ...row] of rows) {
          const t = BigInt(ts);
          assert.ok(t >= f.lastTs, `${f.name}: _ts ordered`);
          f.lastTs = t;
          if (progressed) continue;
          assert.ok(diff !== '0', 'no zero diffs');
          add(f.state, row, Number(diff));
          dataRows++;
        }
        assert.deepEqual(sorted(f.state), sorted(expected), `${f.name} after batch ${batch} (seed ${seed})`);
      }
    }
    assert.ok(dataRows > 100, `the workload changed things (${dataRows} change rows)`);
    await reader.query('COMMIT');
    await reader.end();
    await writer.query('DROP TABLE w CASCADE');
    await writer.end();
  });
}
