/**
 * formatNumeric lays a Decimal's digits out itself instead of calling decimal.js's toFixed (which
 * allocates a rounded copy): its output must stay byte for byte what toFixed(scale) printed, with
 * numeric's rules on top (NaN, ±Infinity, no negative zero), for every scale a value can carry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { formatNumeric, numericDiv, numericFromFloat, numericMul, parseNumericText, scaleOf, withScale } from '../../src/types/numeric.js';

/** The implementation formatNumeric had before: decimal.js's toFixed at the display scale. */
function viaToFixed(value: Decimal): string {
  if (value.isNaN()) return 'NaN';
  if (!value.isFinite()) return value.isNegative() ? '-Infinity' : 'Infinity';
  const abs = value.isZero() ? value.abs() : value;
  return abs.toFixed(scaleOf(value));
}

/** A small seeded generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
}

function check(value: Decimal, what: string): void {
  assert.equal(formatNumeric(value), viaToFixed(value), `${what}: ${value.toString()} at scale ${scaleOf(value)}`);
}

test('special values and zeros', () => {
  for (const v of [new Decimal(NaN), new Decimal(Infinity), new Decimal(-Infinity), new Decimal(0), new Decimal(-0), new Decimal('-0.000')]) check(v, 'bare');
  for (const text of ['0', '-0', '0.00', '-0.000', '0e5', '0.0e-3', 'NaN', 'Infinity', '-Infinity']) check(parseNumericText(text)!, text);
  assert.equal(formatNumeric(parseNumericText('-0.000')!), '0.000');
  assert.equal(formatNumeric(withScale(new Decimal('-0.001'), 2)), '0.00');
});

test('hand-picked values: word boundaries, exponents, big scales', () => {
  const texts = [
    '1', '-1', '9999999', '10000000', '10000001', '-12345678901234567890', '0.1', '-0.5', '0.0000001', '0.00000001',
    '1234567.1234567', '1e7', '1e14', '1E-7', '1.5e-20', '-2.50e10', '123.4500', '1000000.0000000', '99999999999999.99999999999999',
    '3.14159265358979323846264338327950288419716939937510', '-0.000000000000000000000000000001', '1e100', '1e-100', '7e999',
  ];
  for (const t of texts) {
    check(parseNumericText(t)!, t);
    check(new Decimal(t), `${t} (no scale attached)`);
    for (const scale of [0, 1, 7, 8, 20, 1000]) check(withScale(new Decimal(t), scale), `${t} at ${scale}`);
  }
  // Results of arithmetic carry computed scales.
  check(numericDiv(parseNumericText('1')!, parseNumericText('4.0')!), '1 / 4.0');
  check(numericDiv(parseNumericText('-2')!, parseNumericText('3')!), '-2 / 3');
  check(numericMul(parseNumericText('1.10')!, parseNumericText('-2.500')!), '1.10 * -2.500');
  check(numericFromFloat(-1.0000001e-12), 'from float');
});

test('random values at random scales equal toFixed', () => {
  const next = random(42);
  for (let i = 0; i < 50_000; i++) {
    const intDigits = Math.floor(next() * 30);
    const fracDigits = Math.floor(next() * 30);
    let text = next() < 0.5 ? '-' : '';
    for (let d = 0; d < intDigits; d++) text += Math.floor(next() * 10);
    if (intDigits === 0) text += '0';
    if (fracDigits > 0) {
      text += '.';
      for (let d = 0; d < fracDigits; d++) text += next() < 0.3 ? '0' : Math.floor(next() * 10);
    }
    if (next() < 0.2) text += `e${Math.floor(next() * 60) - 30}`;
    const parsed = parseNumericText(text)!;
    check(parsed, text);
    check(new Decimal(text), `${text} (no scale attached)`);
    check(withScale(new Decimal(text), Math.floor(next() * 40)), `${text} rounded`);
  }
});

test('the display scale travels with the Decimal, and deepEqual does not see it', () => {
  const scaled = withScale(new Decimal('1.5'), 3);
  assert.equal(scaleOf(scaled), 3);
  assert.equal(formatNumeric(scaled), '1.500');
  assert.equal(scaleOf(new Decimal('1.5')), 1);
  assert.deepStrictEqual(scaled, new Decimal('1.5'));
  // A value that already fits is its own rounded copy: a second withScale re-labels it.
  assert.equal(scaleOf(withScale(scaled, 5)), 5);
});
