/**
 * Arrays as drivers use them over the wire: node pg sends a JS array as an untyped '{...}'
 * parameter (= ANY($1) is how it asks for IN-lists), reads int[] / text[] results back into JS
 * arrays through pg_type, and sees the same through a maintained view.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startEddy, type EddyHandle } from '../support/eddy.js';

let eddy: EddyHandle;
let c: pg.Client;
before(async () => {
  eddy = await startEddy();
  c = await eddy.client();
  await c.query('CREATE TABLE items (id int PRIMARY KEY, tags text[], sizes int[])');
  await c.query(`INSERT INTO items VALUES (1, '{red,blue}', '{1,2}'), (2, ARRAY['green'], ARRAY[3]), (3, NULL, '{}')`);
});
after(async () => {
  await eddy?.stop();
});

test('= ANY($1) with a JS array parameter, and array results as JS arrays', async () => {
  const { rows } = await c.query('SELECT id, tags, sizes FROM items WHERE id = ANY($1) ORDER BY id', [[1, 3]]);
  assert.deepEqual(rows, [
    { id: 1, tags: ['red', 'blue'], sizes: [1, 2] },
    { id: 3, tags: null, sizes: [] },
  ]);
  const tagged = await c.query("SELECT id FROM items WHERE 'green' = ANY(tags) OR tags @> $1 ORDER BY id", [['blue']]);
  assert.deepEqual(tagged.rows, [{ id: 1 }, { id: 2 }]);
});

test('a view over unnest and array_agg follows inserts, updates and deletes', async () => {
  await c.query('CREATE MATERIALIZED VIEW by_tag AS SELECT tag, array_agg(id ORDER BY id) AS ids FROM items, unnest(tags) AS tag GROUP BY tag');
  const read = async () => (await c.query('SELECT tag, ids FROM by_tag ORDER BY tag')).rows;
  assert.deepEqual(await read(), [{ tag: 'blue', ids: [1] }, { tag: 'green', ids: [2] }, { tag: 'red', ids: [1] }]);
  await c.query(`UPDATE items SET tags = array_append(tags, 'red') WHERE id = 2`);
  await c.query(`INSERT INTO items VALUES (4, '{blue}', NULL)`);
  await c.query('DELETE FROM items WHERE id = 1');
  assert.deepEqual(await read(), [{ tag: 'blue', ids: [4] }, { tag: 'green', ids: [2] }, { tag: 'red', ids: [2] }]);
});
