/**
 * parseJsonMessage takes JSON.parse's fast path only when the result is the same as jsonb's
 * parser (parseJsonText) would give. Checked on seeded random documents full of the cases that
 * tell them apart: exact decimals (1.50), big integers, exponents, -0, digits inside strings,
 * escapes including \u0000, and invalid text (the error must be jsonb's).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from 'decimal.js';
import { SqlError } from '../../src/errors.js';
import { parseJsonMessage } from '../../src/kafka/decode/json-message.js';
import { parseJsonText } from '../../src/types/json-text.js';
import { mulberry32 as prng } from '../support/prng.js';


const NUMBERS = [
  '0', '-0', '1', '-17', '1.5', '1.50', '0.1', '100', '1e3', '1E3', '1e-7', '2.5e+10', '123456789012345678',
  '9007199254740993', '12345678901234567890', '1e400', '-1e-400', '3.14159265358979323846', '0.30000000000000004',
];
const STRINGS = [
  '"plain"', '"digits 123 and 1.50 inside"', '"quote \\" and 42"', '"back\\\\slash 7"', '"\\u0000"', '"a\\\\u0000b"',
  '"\\u00e9\\n\\t"', '"ünïcødé ✓"', '"\\ud83d\\ude00"', '""',
];

function randomJson(random: () => number, depth: number): string {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const space = () => pick(['', '', ' ', '\n  ']);
  const roll = random();
  if (depth > 3 || roll < 0.45) return pick([...NUMBERS, ...STRINGS, 'true', 'false', 'null']);
  const n = Math.floor(random() * 4);
  if (roll < 0.7) return `[${space()}${Array.from({ length: n }, () => randomJson(random, depth + 1)).join(`,${space()}`)}]`;
  const keys = ['a', 'A', 'price', '1', '__proto__', 'a'];
  const members = Array.from({ length: n }, () => `${JSON.stringify(pick(keys))}:${space()}${randomJson(random, depth + 1)}`);
  return `{${space()}${members.join(`,${space()}`)}${space()}}`;
}

/** Breaks a document now and then, so both parsers must refuse it alike. */
function maybeCorrupt(random: () => number, text: string): string {
  const roll = random();
  if (roll < 0.85 || text.length < 2) return text;
  const at = Math.floor(random() * text.length);
  return roll < 0.93 ? text.slice(0, at) : `${text.slice(0, at)}${['x', ',', '01', '"'][Math.floor(random() * 4)]}${text.slice(at)}`;
}

/** The parsed value with number kinds made visible: a double and an exact Decimal differ. */
function tagged(value: unknown): unknown {
  if (value instanceof Decimal) return { decimal: value.toString(), scale: value.decimalPlaces() };
  if (typeof value === 'number') return { double: Object.is(value, -0) ? '-0' : String(value) };
  if (Array.isArray(value)) return value.map(tagged);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, tagged(v)]);
  }
  return value;
}

function outcome(parse: () => unknown): unknown {
  try {
    return { value: tagged(parse()) };
  } catch (error) {
    assert.ok(error instanceof SqlError, `not a SqlError: ${String(error)}`);
    return { code: error.code, message: error.message.replace(/^JSON message: /, ''), detail: error.extra.detail };
  }
}

test('the fast path gives exactly what jsonb parsing gives, values and errors alike', () => {
  const seed = Number(process.env.EDDY_TEST_SEED ?? 20261127);
  const random = prng(seed);
  for (let i = 0; i < 3000; i++) {
    const text = maybeCorrupt(random, randomJson(random, 0));
    const expected = outcome(() => parseJsonText(text, 'jsonb'));
    const actual = outcome(() => parseJsonMessage(Buffer.from(text, 'utf8')));
    assert.deepEqual(actual, expected, `seed ${seed}, document ${i}: ${text}`);
  }
});

test('the cases that must leave the fast path keep their exact form', () => {
  const parse = (text: string) => parseJsonMessage(Buffer.from(text, 'utf8'));
  const { price } = parse('{"price": 1.50}') as { price: Decimal };
  assert.ok(price instanceof Decimal && price.toFixed(2) === '1.50');
  assert.ok((parse('[12345678901234567890]') as unknown[])[0] instanceof Decimal);
  assert.ok((parse('[-0]') as unknown[])[0] instanceof Decimal);
  assert.throws(() => parse('["\\u0000"]'), (error: unknown) => error instanceof SqlError && error.code === '22P05');
  assert.deepEqual(parse('{"n": 1.5, "s": "1.50"}'), { n: 1.5, s: '1.50' });
});
