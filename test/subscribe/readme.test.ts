/**
 * README.md's "Following changes" example runs as written: its statements in one session, the
 * line it marks "in another session" in a second one, and each FETCH returns what its comment says.
 */
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

test('the README\'s "Following changes" example runs', async () => {
  const section = readFileSync(README, 'utf8').split('### Following changes')[1]!;
  const example = /```sql\n([\s\S]*?)```/.exec(section)![1]!;
  const session = await eddy.client();
  const other = await eddy.client();
  const fetched: { _progressed: boolean; _diff: string | null; symbol: string | null; best: string | null }[][] = [];
  for (const line of example.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const elsewhere = /^-- in another session: (.*);$/.exec(line);
    if (elsewhere) {
      await other.query(elsewhere[1]!);
      continue;
    }
    const statement = line.replace(/;\s*(--.*)?$/, '');
    const result = await session.query(statement);
    if (/^FETCH/i.test(statement)) fetched.push(result.rows);
  }
  const data = (rows: (typeof fetched)[number]) => rows.filter((r) => !r._progressed).map((r) => [r._diff, r.symbol, r.best]);
  assert.equal(fetched.length, 2);
  assert.deepEqual(data(fetched[0]!), [['1', 'AAPL', '199.10']]);
  assert.ok(fetched[0]!.at(-1)!._progressed, 'a progress row follows the snapshot');
  assert.deepEqual(data(fetched[1]!).sort(), [['-1', 'AAPL', '199.10'], ['1', 'AAPL', '199.50']]);
  await session.end();
  await other.end();
});
