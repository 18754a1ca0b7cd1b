/**
 * real (float4) values from exact decimals, rounded once, as PostgreSQL's strtof does. Going
 * through a double first (`Math.fround(Number(s))`) rounds twice, and where the double lands on
 * the midpoint of two float4s, or just across it, the second rounding picks the wrong one
 * (test/expr/float4-rounding.test.ts checks values made to sit there against PostgreSQL).
 */
import { Decimal } from 'decimal.js';

/** The adjacent float4 in a direction, through the bit pattern. */
export function nextFloat4(value: number, direction: 1 | -1): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, value);
  const bits = buf.getInt32(0);
  // for positive floats a larger bit pattern is a larger value, for negative ones a smaller
  buf.setInt32(0, bits + (value > 0 ? direction : -direction));
  return buf.getFloat32(0);
}

/** A finite double's exact value: mantissa * 2^exponent written out in decimal digits. */
function exactDecimal(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const sign = hi >>> 31 ? '-' : '';
  if (exponent >= 0) return new Decimal(sign + (mantissa << BigInt(exponent)).toString());
  // m / 2^k = m * 5^k / 10^k
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString().padStart(-exponent + 1, '0');
  return new Decimal(`${sign}${digits.slice(0, exponent)}.${digits.slice(exponent)}`);
}

/** The float4 nearest to `exact` (ties to even), or ±Infinity / 0 past its range, as strtof gives. */
export function decimalToFloat4(exact: Decimal): number {
  const approx = exact.toNumber();
  const f = Math.fround(approx);
  if (!Number.isFinite(f) || f === approx || f === 0) return f;
  // `approx` sits between f and the float4 on its other side; the exact value decides which of
  // the two it is nearer, against their midpoint (exact in a double: 25 significant bits).
  const g = nextFloat4(f, approx > f ? 1 : -1);
  if (!Number.isFinite(g)) return f;
  const versus = exact.cmp(exactDecimal((f + g) / 2));
  const towardG = approx > f ? 1 : -1;
  if (versus === towardG) return g;
  if (versus === 0) return evenFloat4(f) ? f : g;
  return f;
}

function evenFloat4(value: number): boolean {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, value);
  return (buf.getInt32(0) & 1) === 0;
}
