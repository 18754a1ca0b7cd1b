/**
 * C's rint(): rounds half to even. PostgreSQL uses it wherever a float8 becomes a whole number:
 * float → integer casts, round(float8), and the microsecond rounding of interval arithmetic.
 * Math.round alone rounds halves up, and already keeps the sign of a zero result (-0.4 → -0),
 * as rint does; infinities and NaN pass through unchanged.
 */
export function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
