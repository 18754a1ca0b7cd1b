/**
 * Every SELECT sees all views at one update cycle, and a transaction's writes land in one cycle:
 * while one connection moves amounts between rows in transactions (the total never changes) and
 * adds rows, another reads several views of the same table in one SELECT, and they must always
 * agree with each other.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEddy } from '../support/eddy.js';
import { Prng, suiteSeed } from './prng.js';

const INITIAL_ROWS = 20;
const WRITES = 150;

test('views read in one SELECT are mutually consistent while transactions write', { timeout: 5 * 60_000 }, async () => {
  const seed = suiteSeed();
  const rng = new Prng(seed);
  const eddy = await startEddy();
  try {
    const writer = await eddy.client();
    const reader = await eddy.client();
    await writer.query('CREATE TABLE accounts (id integer PRIMARY KEY, balance bigint NOT NULL)');
    const initial = Array.from({ length: INITIAL_ROWS }, (_, i) => `(${i + 1}, 100)`).join(', ');
    await writer.query(`INSERT INTO accounts VALUES ${initial}`);
    // Three different plans over the same rows: a global sum, a sum of per-row-group sums, a count.
    await writer.query('CREATE MATERIALIZED VIEW total AS SELECT sum(balance) AS s FROM accounts');
    await writer.query('CREATE MATERIALIZED VIEW by_parity AS SELECT id % 2 AS parity, sum(balance) AS s FROM accounts GROUP BY id % 2');
    await writer.query('CREATE MATERIALIZED VIEW headcount AS SELECT count(*) AS n FROM accounts');

    let done = false;
    let reads = 0;
    const inconsistencies: string[] = [];
    const readLoop = (async () => {
      while (!done) {
        const r = await reader.query(
          'SELECT t.s::text AS total, (SELECT sum(s) FROM by_parity)::text AS parts, h.n::text AS n FROM total t, headcount h',
        );
        reads++;
        const { total, parts, n } = r.rows[0] as { total: string; parts: string; n: string };
        // Every account holds 100 on average: transfers keep the total, inserts add 100 each.
        if (total !== parts || BigInt(total) !== BigInt(n) * 100n) inconsistencies.push(`total ${total}, parts ${parts}, rows ${n}`);
      }
    })();

    let nextId = INITIAL_ROWS + 1;
    for (let i = 0; i < WRITES; i++) {
      if (rng.chance(0.2)) {
        await writer.query(`INSERT INTO accounts VALUES (${nextId++}, 100)`);
      } else {
        const from = rng.int(1, nextId - 1);
        const to = rng.int(1, nextId - 1);
        const amount = rng.int(1, 50);
        await writer.query('BEGIN');
        await writer.query(`UPDATE accounts SET balance = balance - ${amount} WHERE id = ${from}`);
        await writer.query(`UPDATE accounts SET balance = balance + ${amount} WHERE id = ${to}`);
        await writer.query('COMMIT');
      }
    }
    done = true;
    await readLoop;
    assert.ok(reads > 0);
    assert.deepEqual(inconsistencies.slice(0, 10), [], `seed ${seed}: ${inconsistencies.length} of ${reads} reads saw views at different cycles or half a transaction`);
  } finally {
    await eddy.stop();
  }
});
