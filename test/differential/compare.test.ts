/** The differential suite's comparison must catch every kind of difference it claims to. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffColumns, diffRows, type ResultSet } from './compare.js';

const set = (typeOids: number[], rows: (string | null)[][]): ResultSet => ({
  columns: typeOids.map((typeOid, i) => ({ name: `c${i}`, typeOid })),
  rows,
});
const TEXT = 25;
const FLOAT8 = 701;
const NUMERIC = 1700;

test('equal multisets in any order agree', () => {
  const a = set([TEXT, TEXT], [['a', null], ['b', 'x'], ['a', null]]);
  const b = set([TEXT, TEXT], [['b', 'x'], ['a', null], ['a', null]]);
  assert.equal(diffRows(a, b, false), null);
});

test('multiplicity matters: a missing duplicate and an extra row are both reported', () => {
  const expected = set([TEXT], [['a'], ['a'], ['b']]);
  const actual = set([TEXT], [['a'], ['b'], ['c']]);
  const diff = diffRows(expected, actual, false);
  assert.match(diff ?? '', /missing from Eddy \(1\):\s+\("a"\)/);
  assert.match(diff ?? '', /extra in Eddy \(1\):\s+\("c"\)/);
});

test('NULL differs from the empty string and from the text NULL', () => {
  assert.notEqual(diffRows(set([TEXT], [[null]]), set([TEXT], [['']]), false), null);
  assert.notEqual(diffRows(set([TEXT], [[null]]), set([TEXT], [['NULL']]), false), null);
});

test('floats compare by value to a relative precision; numerics and text exactly', () => {
  assert.equal(diffRows(set([FLOAT8], [['0.30000000000000004']]), set([FLOAT8], [['0.3']]), false), null);
  assert.notEqual(diffRows(set([NUMERIC], [['44.20']]), set([NUMERIC], [['44.2']]), false), null);
  assert.equal(diffRows(set([FLOAT8], [['1e-17']]), set([FLOAT8], [['0']]), false), null);
  assert.notEqual(diffRows(set([FLOAT8], [['1.0001']]), set([FLOAT8], [['1']]), false), null);
  assert.notEqual(diffRows(set([TEXT], [['2.50']]), set([TEXT], [['2.5']]), false), null);
  assert.notEqual(diffRows(set([FLOAT8], [[null]]), set([FLOAT8], [['0']]), false), null);
});

test('approximate columns match within a bucket of equal exact columns', () => {
  const expected = set([TEXT, FLOAT8], [['a', '1'], ['a', '2']]);
  const actual = set([TEXT, FLOAT8], [['a', '2.0000000000001'], ['a', '1']]);
  assert.equal(diffRows(expected, actual, false), null);
});

test('ordered comparison reports the first position that differs', () => {
  const expected = set([TEXT], [['a'], ['b']]);
  assert.equal(diffRows(expected, set([TEXT], [['a'], ['b']]), true), null);
  assert.match(diffRows(expected, set([TEXT], [['b'], ['a']]), true) ?? '', /position 0/);
  assert.match(diffRows(expected, set([TEXT], [['a']]), true) ?? '', /position 1.*\n.*\n\s+Eddy:\s+\(no row\)/);
});

test('column names and types are compared', () => {
  assert.equal(diffColumns(set([TEXT], []), set([TEXT], [])), null);
  assert.notEqual(diffColumns(set([NUMERIC], []), set([FLOAT8], [])), null);
  const renamed: ResultSet = { columns: [{ name: 'other', typeOid: TEXT }], rows: [] };
  assert.notEqual(diffColumns(set([TEXT], []), renamed), null);
});
