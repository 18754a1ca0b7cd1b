/**
 * Random typed expressions, evaluated by Eddy and by PostgreSQL: the same text, result type and
 * SQLSTATE for each. The seed is printed; EDDY_EXPR_SEED replays a run, EDDY_EXPR_CASES sizes it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOracle, type Oracle } from './pg-oracle.js';
import { evalSql } from './eval.js';
import { mulberry32 as prng } from '../support/prng.js';

let oracle: Oracle;
before(async () => {
  oracle = await startOracle();
});
after(async () => {
  await oracle?.close();
});

type Ty = 'int' | 'smallint' | 'bigint' | 'numeric' | 'float' | 'real' | 'text' | 'bool' | 'date' | 'timestamp' | 'timestamptz' | 'interval' | 'jsonb';


const LITERALS: Record<Ty, string[]> = {
  int: ['0', '1', '-3', '7', '100', '2147483647', '-2147483648', 'NULL::int'],
  smallint: ['0::smallint', '7::smallint', '-32768::smallint', '32767::smallint', 'NULL::smallint'],
  real: ['1.5::real', '0.1::real', '-3.25::real', "'NaN'::real", '1e30::real', 'NULL::real'],
  timestamptz: ["timestamptz '2024-03-10 06:30:00+00'", "timestamptz '2024-11-03 05:30:00+00'", "timestamptz '2000-01-01 00:00:00+05:30'", 'NULL::timestamptz', "timestamptz 'infinity'"],
  jsonb: [`'{"a": 1, "b": [1, 2.50, "x"], "c": {"d": null}}'::jsonb`, "'[1, \"two\", 3.0]'::jsonb", "'\"str\"'::jsonb", "'null'::jsonb", 'NULL::jsonb', "'{}'::jsonb", "'12.5'::jsonb"],
  bigint: ['0::bigint', '5::bigint', '-9223372036854775808', '9223372036854775807', '3000000000', 'NULL::bigint'],
  numeric: ['1.5', '-0.25', '0.0', '123.456', '1e10', '0.001', "'NaN'::numeric", 'NULL::numeric', '2.50'],
  float: ['1.5::float8', '-0.0::float8', '1e300::float8', "'NaN'::float8", "'Infinity'::float8", '0.1::float8', 'NULL::float8', '3::float8'],
  text: ["'abc'", "''", "'Hello World'", "' pad '", "'héllo'", 'NULL::text', "'a%b_c'", "'42'", "' 7 '", "'1e3'", "'2024-01-02 03:04'", "'true'", "'NaN'", "'1 day 2:00'"],
  bool: ['true', 'false', 'NULL::boolean'],
  // no dates of the first centuries: timestamps are microseconds in a JS number, exact only
  // within ±2^53 µs (years 1685 to 2255), as types.ts fixes them
  date: ["date '2024-02-29'", "date '1999-12-31'", "date 'infinity'", 'NULL::date', "date '1900-03-01'"],
  timestamp: ["timestamp '2024-01-31 10:20:30.5'", "timestamp '2000-02-29 00:00:00'", "timestamp '-infinity'", 'NULL::timestamp'],
  interval: ["interval '1 day'", "interval '-2 hours 30 minutes'", "interval '1 mon 3 days'", "interval '0'", 'NULL::interval', "interval '1.5 years'"],
};

type Rule = (g: Gen) => string;
// Text cast to date/time types comes from the literals only: arbitrary strings (md5 output) hit
// PostgreSQL's guesses at time zone names inside garbage, which Eddy does not imitate.
const RULES: Record<Ty, Rule[]> = {
  smallint: [
    (g) => `(${g.e('smallint')} ${g.pick(['+', '-', '*', '/', '%'])} ${g.e('smallint')})`,
    (g) => `(${g.e('int')})::smallint`,
    (g) => `abs(${g.e('smallint')})`,
  ],
  real: [
    (g) => `(${g.e('real')} ${g.pick(['+', '-', '*', '/'])} ${g.e(g.pick(['real', 'int', 'float'] as const))})`,
    (g) => `(${g.e(g.pick(['float', 'numeric', 'int'] as const))})::real`,
    (g) => `abs(${g.e('real')})`,
  ],
  timestamptz: [
    (g) => `(${g.e('timestamptz')} ${g.pick(['+', '-'])} ${g.e('interval')})`,
    (g) => `date_trunc('${g.pick(['day', 'month', 'hour', 'week'])}', ${g.e('timestamptz')})`,
    (g) => `(${g.e(g.pick(['timestamp', 'date'] as const))})::timestamptz`,
    (g) => `(${g.lit(LITERALS.text)})::timestamptz`,
    (g) => `to_timestamp(${g.pick(['0', '1700000000.25', '-86400'])})`,
    (g) => `date_bin(interval '${g.pick(['15 minutes', '1 day'])}', ${g.e('timestamptz')}, timestamptz '2000-01-01 00:00+00')`,
  ],
  jsonb: [
    (g) => `(${g.e('jsonb')} -> ${g.pick(["'a'", "'b'", "'c'", '1', '-1', "'zz'"])})`,
    (g) => `jsonb_build_object('k', ${g.e(g.pick(['int', 'text', 'numeric', 'bool', 'jsonb', 'timestamp'] as const))}, 'n', ${g.e('int')})`,
    (g) => `to_jsonb(${g.e(g.pick(['int', 'text', 'numeric', 'bool', 'float', 'date'] as const))})`,
    (g) => `(${g.e('jsonb')} #> '{b,${g.pick(['0', '1', '2'])}}')`,
    (g) => `(${g.e('jsonb')} || ${g.e('jsonb')})`,
    (g) => `(${g.e('text')})::jsonb`,
  ],
  int: [
    (g) => `(${g.e('int')} ${g.pick(['+', '-', '*', '/', '%'])} ${g.e('int')})`,
    (g) => `abs(${g.e('int')})`,
    (g) => `length(${g.e('text')})`,
    (g) => `strpos(${g.e('text')}, ${g.e('text')})`,
    (g) => `(${g.e('numeric')})::int`,
    (g) => `(${g.e('float')})::int`,
    (g) => `(${g.e('date')} - ${g.e('date')})`,
    (g) => `mod(${g.e('int')}, ${g.e('int')})`,
    (g) => `CASE WHEN ${g.e('bool')} THEN ${g.e('int')} ELSE ${g.e('int')} END`,
    (g) => `coalesce(${g.e('int')}, ${g.e('int')})`,
    (g) => `nullif(${g.e('int')}, ${g.e('int')})`,
    (g) => `greatest(${g.e('int')}, ${g.e('int')}, ${g.e('int')})`,
    (g) => `(${g.e('bigint')})::int`,
    (g) => `(${g.e('text')})::int`,
    (g) => `(${g.e('smallint')} + ${g.e('int')})`,
    (g) => `jsonb_array_length(${g.e('jsonb')})`,
    (g) => `extract(${g.pick(['hour', 'day', 'dow', 'timezone'])} from ${g.e('timestamptz')})::int`,
  ],
  bigint: [
    (g) => `(${g.e('bigint')} ${g.pick(['+', '-', '*', '/', '%'])} ${g.e(g.pick(['bigint', 'int'] as const))})`,
    (g) => `(${g.e('int')})::bigint`,
    (g) => `abs(${g.e('bigint')})`,
    (g) => `(${g.e('numeric')})::bigint`,
  ],
  numeric: [
    (g) => `(${g.e('numeric')} ${g.pick(['+', '-', '*', '/', '%'])} ${g.e(g.pick(['numeric', 'int'] as const))})`,
    (g) => `round(${g.e('numeric')}, ${g.pick(['0', '1', '2', '-1'])})`,
    (g) => `trunc(${g.e('numeric')}, ${g.pick(['0', '1', '3'])})`,
    (g) => `abs(${g.e('numeric')})`,
    (g) => `ceil(${g.e('numeric')})`,
    (g) => `floor(${g.e('numeric')})`,
    (g) => `(${g.e('int')})::numeric`,
    (g) => `(${g.e('float')})::numeric`,
    (g) => `extract(${g.pick(['year', 'month', 'day', 'dow', 'epoch', 'second', 'hour'])} from ${g.e('timestamp')})`,
    (g) => `(${g.e('numeric')})::numeric(6,2)`,
    (g) => `(${g.e('text')})::numeric`,
    (g) => `(${g.e('jsonb')} -> 'a')::numeric`,
    (g) => `extract(epoch from ${g.e('timestamptz')})`,
    (g) => `sign(${g.e('numeric')})`,
  ],
  float: [
    (g) => `(${g.e('float')} ${g.pick(['+', '-', '*', '/'])} ${g.e(g.pick(['float', 'int', 'numeric'] as const))})`,
    (g) => `sqrt(abs(${g.e('float')}))`,
    (g) => `(${g.e('numeric')})::float8`,
    (g) => `floor(${g.e('float')})`,
    (g) => `round(${g.e('float')})`,
    // the base is a literal: for large results C's pow rounds exact ties its own way
    (g) => `power(${g.lit(LITERALS.float)}, ${g.pick(['2', '0.5', '-1', '3'])})`,
    (g) => `date_part('${g.pick(['year', 'epoch', 'minute'])}', ${g.e('timestamp')})`,
    (g) => `(${g.e('int')})::float8 / 3`,
  ],
  text: [
    (g) => `(${g.e('text')} || ${g.e(g.pick(['text', 'int', 'numeric', 'bool'] as const))})`,
    (g) => `upper(${g.e('text')})`,
    (g) => `substr(${g.e('text')}, ${g.e('int')}, ${g.pick(['1', '2', '5', '-1'])})`,
    (g) => `replace(${g.e('text')}, ${g.e('text')}, ${g.e('text')})`,
    (g) => `lpad(${g.e('text')}, ${g.pick(['0', '3', '8'])}, ${g.e('text')})`,
    (g) => `concat(${g.e('text')}, ${g.e('int')}, ${g.e('bool')})`,
    (g) => `(${g.e(g.pick(['int', 'numeric', 'float', 'date', 'timestamp', 'interval', 'bool', 'bigint'] as const))})::text`,
    (g) => `trim(${g.e('text')})`,
    (g) => `left(${g.e('text')}, ${g.pick(['2', '-2', '0'])})`,
    (g) => `reverse(${g.e('text')})`,
    (g) => `to_char(${g.e('timestamp')}, 'YYYY-MM-DD HH24:MI:SS')`,
    (g) => `split_part(${g.e('text')}, ' ', ${g.pick(['1', '2', '-1'])})`,
    (g) => `(${g.e('jsonb')} ->> ${g.pick(["'a'", "'b'", '0', '1'])})`,
    (g) => `(${g.e('jsonb')})::text`,
    (g) => `(${g.e('timestamptz')})::text`,
    (g) => `jsonb_typeof(${g.e('jsonb')})`,
    (g) => `to_char(${g.e(g.pick(['numeric', 'int', 'float'] as const))}, '${g.pick(['999D99', 'FM9999', '0000.0', '9G999'])}')`,
    (g) => `regexp_replace(${g.e('text')}, '${g.pick(['[aeiou]', 'l+', '^.'])}', '*', 'g')`,
    (g) => `md5(${g.e('text')})`,
    (g) => `(${g.e('real')})::text`,
    (g) => `(${g.lit(LITERALS.text)})::interval::text`,
    (g) => `initcap(${g.e('text')})`,
    (g) => `CASE ${g.e('int')} WHEN 1 THEN ${g.e('text')} WHEN 7 THEN 'seven' ELSE ${g.e('text')} END`,
  ],
  bool: [
    (g) => {
      const t = g.pick(['int', 'numeric', 'float', 'text', 'date', 'timestamp', 'interval', 'bigint', 'timestamptz', 'jsonb', 'real', 'smallint'] as const);
      return `(${g.e(t)} ${g.pick(['=', '<>', '<', '<=', '>', '>='])} ${g.e(t)})`;
    },
    (g) => `(${g.e('bool')} ${g.pick(['AND', 'OR'])} ${g.e('bool')})`,
    (g) => `(NOT ${g.e('bool')})`,
    (g) => `(${g.e(g.pick(['int', 'text', 'bool'] as const))} IS ${g.pick(['', 'NOT '])}NULL)`,
    (g) => `(${g.e('text')} ${g.pick(['LIKE', 'ILIKE', 'NOT LIKE'])} ${g.pick(["'a%'", "'%b%'", "'_bc'", "'%'", "'a\\%b%'"])})`,
    (g) => `(${g.e('int')} BETWEEN ${g.e('int')} AND ${g.e('int')})`,
    (g) => `(${g.e('int')} ${g.pick(['IN', 'NOT IN'])} (${g.e('int')}, ${g.e('int')}, ${g.e('int')}))`,
    (g) => `(${g.e('bool')} IS ${g.pick(['TRUE', 'NOT TRUE', 'FALSE', 'UNKNOWN'])})`,
    (g) => `(${g.e('int')} IS DISTINCT FROM ${g.e('int')})`,
    (g) => `(${g.e('jsonb')} @> ${g.e('jsonb')})`,
    (g) => `(${g.e('jsonb')} ? ${g.pick(["'a'", "'x'"])})`,
    (g) => `(${g.e('text')})::boolean`,
  ],
  date: [
    (g) => `(${g.e('date')} ${g.pick(['+', '-'])} ${g.pick(['1', '30', '-400'])})`,
    (g) => `(${g.e('timestamp')})::date`,
    (g) => `make_date(${g.lit(['2024', '2023', '1'])}, ${g.lit(['2', '12', '13'])}, ${g.lit(['29', '1', '31'])})`,
  ],
  timestamp: [
    (g) => `(${g.e('timestamp')} ${g.pick(['+', '-'])} ${g.e('interval')})`,
    (g) => `date_trunc('${g.pick(['year', 'month', 'week', 'day', 'hour', 'quarter'])}', ${g.e('timestamp')})`,
    (g) => `(${g.e('date')} + ${g.e('interval')})`,
    (g) => `(${g.e('date')})::timestamp`,
    (g) => `(${g.e('timestamptz')})::timestamp`,
    (g) => `(${g.lit(LITERALS.text)})::timestamp`,
    (g) => `date_bin(interval '${g.pick(['15 minutes', '1 day', '7 hours'])}', ${g.e('timestamp')}, timestamp '2000-01-01')`,
  ],
  interval: [
    (g) => `(${g.e('timestamp')} - ${g.e('timestamp')})`,
    (g) => `(${g.e('interval')} ${g.pick(['+', '-'])} ${g.e('interval')})`,
    (g) => `(${g.e('interval')} * ${g.pick(['2', '0.5', '-1.25', '1e10'])})`,
    (g) => `(${g.e('interval')} / ${g.pick(['2', '3', '0.1'])})`,
    (g) => `justify_hours(${g.e('interval')})`,
    // finite timestamps only: PostgreSQL 15's age() of an infinity is an arbitrary huge interval
    (g) => `age(${g.lit(LITERALS.timestamp.filter((l) => !l.includes('infinity')))}, ${g.lit(LITERALS.timestamp.filter((l) => !l.includes('infinity')))})`,
  ],
};

/**
 * Generates expressions whose literals are columns of a one-row subquery, so that PostgreSQL
 * evaluates them at run time as it would over a table (constant folding would raise some errors
 * at plan time that evaluation over rows short-circuits).
 */
class Gen {
  private depth = 0;
  readonly literals: string[] = [];
  constructor(private readonly random: () => number) {}
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
  /** One of the given literals, as a column of the row. */
  lit(items: readonly string[]): string {
    this.literals.push(this.pick(items));
    return `c${this.literals.length}`;
  }
  e(ty: Ty): string {
    if (this.depth >= 3 || this.random() < 0.3) return this.lit(LITERALS[ty]);
    this.depth++;
    try {
      return this.pick(RULES[ty])(this);
    } finally {
      this.depth--;
    }
  }
}

test('random expressions agree with PostgreSQL', async () => {
  const seed = process.env.EDDY_EXPR_SEED ? Number(process.env.EDDY_EXPR_SEED) : Math.floor(Math.random() * 2 ** 31);
  const cases = process.env.EDDY_EXPR_CASES ? Number(process.env.EDDY_EXPR_CASES) : 400;
  const random = prng(seed);
  const failures: string[] = [];
  for (let i = 0; i < cases; i++) {
    const gen = new Gen(random);
    const expr = gen.e(gen.pick(Object.keys(RULES) as Ty[]));
    const row = gen.literals.map((l, j) => `${l} AS c${j + 1}`).join(', ');
    const sql = `SELECT ${expr} FROM (SELECT ${row || '1 AS c0'} OFFSET 0) s`;
    const expected = await oracle.value(sql);
    const actual = evalSql(`SELECT ${expr}`, { columns: gen.literals });
    const same = expected.ok ? actual.ok && actual.text === expected.text && actual.typeOid === expected.typeOid : !actual.ok && actual.code === expected.code;
    if (!same) failures.push(`${sql}\n    postgres: ${JSON.stringify(expected)}\n    eddy:     ${JSON.stringify(actual)}`);
  }
  assert.equal(failures.length, 0, `seed ${seed}: ${failures.length} of ${cases} differ:\n  ${failures.slice(0, 15).join('\n  ')}`);
});
