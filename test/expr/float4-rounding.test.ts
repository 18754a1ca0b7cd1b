/**
 * real from decimal text and from numeric is rounded once from the exact decimal, as
 * PostgreSQL's strtof does: checked against a real PostgreSQL on decimals made to sit at, just
 * beside and around the midpoints of adjacent float4s, where rounding through a double goes wrong.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { startOracle, type Oracle } from './pg-oracle.js';
import { mulberry32 } from '../support/prng.js';
import { parseValue } from '../../src/types/text-io.js';
import { castValue } from '../../src/types/casts.js';
import { T } from '../../src/types/types.js';
import { nextFloat4 } from '../../src/types/float4.js';

let oracle: Oracle;
before(async () => {
  oracle = await startOracle();
});
after(async () => {
  await oracle?.close();
});

/** Decimal strings near float4 midpoints, and plain random ones. */
function cases(seed: number, count: number): string[] {
  const rand = mulberry32(seed);
  const out = ['1710052.2', '0.1', '16777217', '3.4028235e38', '1.17549435e-38', '7.006492321624085e-46'];
  for (let i = 0; i < count; i++) {
    const magnitude = 10 ** Math.floor(rand() * 16 - 8);
    const f = Math.fround(rand() * magnitude * (rand() < 0.5 ? -1 : 1));
    if (f === 0) continue;
    const mid = new Decimal(f).plus(new Decimal(nextFloat4(f, 1)).minus(f).div(2));
    const nudge = new Decimal(10).pow(mid.e - 20 - Math.floor(rand() * 6));
    out.push(mid.toString(), mid.plus(nudge).toString(), mid.minus(nudge).toString(), new Decimal(rand() * magnitude).toSignificantDigits(12).toString());
  }
  return out;
}

test('text and numeric to real agree with PostgreSQL, bit for bit', async () => {
  const env = { timeZone: 'UTC' } as never;
  const inputs = cases(20261207, 250);
  let checked = 0;
  for (const s of inputs) {
    const pg = await oracle.value('SELECT $1::real::float8', [s]);
    const pgNumeric = await oracle.value('SELECT $1::numeric::real::float8', [s]);
    if (!pg.ok || !pgNumeric.ok) continue; // out of range in PostgreSQL: not what this test is about
    const want = Number(pg.text);
    assert.equal(parseValue(T.float4, s), want, `'${s}'::real`);
    const numeric = parseValue(T.numeric, s);
    assert.equal(castValue(numeric, T.numeric, T.float4, -1, env), Number(pgNumeric.text), `'${s}'::numeric::real`);
    checked++;
  }
  assert.ok(checked > 900, `${checked} values checked`);
});
