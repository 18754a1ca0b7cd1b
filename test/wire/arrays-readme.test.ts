/** README.md's "Arrays and set-returning functions" example runs as written and answers as PostgreSQL would. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEddy, type EddyHandle } from '../support/eddy.js';

const README = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'README.md');

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
});
after(async () => {
  await eddy?.stop();
});

test("the README's arrays example runs", async () => {
  const section = readFileSync(README, 'utf8').split('### Arrays and set-returning functions')[1]!;
  const example = /```sql\n([\s\S]*?)```/.exec(section)![1]!;
  const c = await eddy.client();
  const results = [];
  for (const statement of example.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
    results.push((await c.query({ text: statement, rowMode: 'array' })).rows as unknown[][]);
  }
  assert.deepEqual(results[2], [[1, 'sql', ['sql'], 2]]);
  assert.deepEqual((await c.query('SELECT tag, ids FROM by_tag ORDER BY tag')).rows, [{ tag: 'kafka', ids: [1] }, { tag: 'sql', ids: [1, 2] }]);
  assert.deepEqual(results[4]!.map(String).sort(), ['1,1', '2,1', '2,2']);
  assert.deepEqual(results[5]!.map(String).sort(), ['1,first,sql', '2,first,sql']);
});
