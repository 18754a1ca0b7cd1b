import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { comparatorFor, compareNullable, compareValues, rowKey, valuesEqual } from '../../src/types/compare.js';
import { Interval, Json, type Value } from '../../src/types/types.js';
import { pick, rng } from './harness.js';

test('floats: NaN above everything and equal to itself, -0 equals 0', () => {
  assert.equal(compareValues(NaN, Infinity), 1);
  assert.equal(compareValues(Infinity, NaN), -1);
  assert.equal(compareValues(NaN, NaN), 0);
  assert.equal(compareValues(-0, 0), 0);
  assert.equal(rowKey([-0]), rowKey([0]));
  assert.equal(rowKey([NaN]), rowKey([NaN]));
  assert.notEqual(rowKey([1]), rowKey([1.5]));
});

test('text compares by code point, not by UTF-16 unit', () => {
  // U+FFFD is one unit 0xFFFD; U+1F600 is a surrogate pair starting 0xD83D: code point order puts it last.
  assert.equal(compareValues('\uFFFD', '\u{1F600}'), -1);
  assert.equal(compareValues('a', 'b'), -1);
  assert.equal(compareValues('ab', 'a'), 1);
  assert.equal(compareValues('B', 'a'), -1, 'C collation: upper case before lower case');
});

test('numeric equality ignores trailing zeros and NaN is the greatest numeric', () => {
  assert.equal(rowKey([new Decimal('1.0')]), rowKey([new Decimal('1.00')]));
  assert.ok(valuesEqual(new Decimal('1.0'), new Decimal('1')));
  assert.equal(compareValues(new Decimal(NaN), new Decimal('1e100')), 1);
  assert.equal(compareValues(new Decimal(NaN), new Decimal(NaN)), 0);
  assert.equal(compareValues(new Decimal('-2'), new Decimal('1')), -1);
});

test('intervals compare by normalized span: 1 month = 30 days, 1 day = 24 hours', () => {
  assert.equal(compareValues(new Interval(1, 0, 0), new Interval(0, 30, 0)), 0);
  assert.equal(rowKey([new Interval(0, 1, 0)]), rowKey([new Interval(0, 0, 86_400_000_000)]));
  assert.equal(compareValues(new Interval(0, 1, 1), new Interval(0, 0, 86_400_000_000)), 1);
});

test('bytea compares bytewise, shorter prefix first', () => {
  assert.equal(compareValues(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0])), -1);
  assert.equal(compareValues(new Uint8Array([2]), new Uint8Array([1, 255])), 1);
  assert.equal(rowKey([Buffer.from('ab')]), rowKey([new Uint8Array([97, 98])]));
});

test('jsonb: key order does not matter, objects > arrays > booleans > numbers > strings > null', () => {
  assert.equal(rowKey([new Json({ a: 1, b: [2] })]), rowKey([new Json({ b: [2], a: 1 })]));
  const ladder = [null, 'x', 1, true, [1], { a: 1 }].map((v) => new Json(v));
  for (let i = 1; i < ladder.length; i++) assert.equal(compareValues(ladder[i - 1], ladder[i]), -1);
  assert.equal(compareValues(new Json([1, 2]), new Json([3])), 1, 'longer arrays are greater');
  // PostgreSQL 15: '{"a":2,"bb":1}' < '{"a":1,"bb":2}' is false, '{"a":1,"c":5}' < '{"a":2,"b":0}' is true
  // (pairs compare key, value, key, value in storage order).
  assert.equal(compareValues(new Json({ a: 2, bb: 1 }), new Json({ a: 1, bb: 2 })), 1);
  assert.equal(compareValues(new Json({ a: 1, c: 5 }), new Json({ a: 2, b: 0 })), -1);
});

test('NULLs go first or last as asked', () => {
  assert.equal(compareNullable(null, 1, true), -1);
  assert.equal(compareNullable(null, 1, false), 1);
  assert.equal(compareNullable(null, null, false), 0);
});

test('rowKey is injective: distinct random rows of mixed types never share a key', () => {
  const rand = rng(7);
  const gen = (): Value => {
    const r = rand();
    if (r < 0.15) return null;
    if (r < 0.3) return Math.floor(rand() * 5);
    if (r < 0.45) return ['', '|', 'a|', 's1:', 'N|', 'a'][Math.floor(rand() * 6)];
    if (r < 0.6) return BigInt(Math.floor(rand() * 5));
    if (r < 0.7) return rand() < 0.5;
    if (r < 0.8) return new Decimal(Math.floor(rand() * 5));
    if (r < 0.9) return new Uint8Array([Math.floor(rand() * 3)]);
    return new Json(Math.floor(rand() * 3));
  };
  const typeTag = (v: Value): string => (v === null ? 'null' : typeof v === 'object' ? v.constructor.name : typeof v);
  const seen = new Map<string, Value[]>();
  for (let i = 0; i < 5000; i++) {
    const row = Array.from({ length: 1 + Math.floor(rand() * 3) }, gen);
    const k = rowKey(row);
    const prev = seen.get(k);
    if (prev) {
      assert.equal(prev.length, row.length, k);
      prev.forEach((v, j) => {
        assert.equal(typeTag(v), typeTag(row[j]), k);
        assert.ok(valuesEqual(v, row[j]), k);
      });
    } else seen.set(k, row);
  }
});

test('comparatorFor agrees with compareValues for each type it specializes', () => {
  const rand = rng(8);
  const samples: (() => Value)[] = [
    () => pick(rand, [NaN, -0, 0, 1.5, -Infinity, Infinity, 3]),
    () => pick(rand, ['', 'a', 'B', '\u{1F600}', '\uFFFD']),
    () => BigInt(Math.floor(rand() * 7) - 3),
    () => new Decimal(Math.floor(rand() * 7) - 3),
  ];
  for (const gen of samples) {
    for (let i = 0; i < 300; i++) {
      const a = gen();
      const b = gen();
      assert.equal(Math.sign(comparatorFor(a)(a, b)), Math.sign(compareValues(a, b)), `${String(a)} vs ${String(b)}`);
    }
  }
});
