/**
 * Temporal filters: a WHERE conjunct comparing a row's timestamp with now() (shifted by an
 * interval), such as `ts > now() - INTERVAL '5 minutes'`, is not evaluated once but becomes a
 * validity interval per row that the engine's TemporalFilterOp re-checks as time passes, so a
 * materialized view forgets rows as they age out.
 */
import type { Expr } from './expr-ir.js';
import { bindOperator } from './bind-expr.js';
import { children, columnsUsed, isVolatile } from './expr-utils.js';
import { T } from '../types/types.js';

/** One end of a row's validity: visible from `at` on, or until `at` (exclusive); `plusOne` adds 1µs. */
export interface TemporalBound {
  side: 'from' | 'until';
  /** A timestamptz over the row. */
  at: Expr;
  plusOne: boolean;
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function isNow(e: Expr): boolean {
  return e.kind === 'call' && e.name === 'now' && e.args.length === 0;
}

function mentionsNow(e: Expr): boolean {
  return isNow(e) || children(e).some(mentionsNow);
}

/** A constant (or parameter) offset: no columns, nothing volatile. */
function isOffset(e: Expr): boolean {
  return columnsUsed(e).size === 0 && !isVolatile(e);
}

/**
 * `now()`, `now() + x` or `now() - x`, `x + now()`: the operator that moves the row's side the
 * other way (`ts > now() - x` is `ts + x > now()`), or undefined if `e` is not of that form.
 */
function nowShift(e: Expr): { undo: '+' | '-' | null; offset: Expr | null } | undefined {
  if (isNow(e)) return { undo: null, offset: null };
  if (e.kind !== 'call' || e.args.length !== 2 || (e.name !== '+' && e.name !== '-')) return undefined;
  const [a, b] = e.args as [Expr, Expr];
  if (isNow(a) && isOffset(b)) return { undo: e.name === '+' ? '-' : '+', offset: b };
  if (e.name === '+' && isNow(b) && isOffset(a)) return { undo: '-', offset: a };
  return undefined;
}

/** The conjunct as a temporal bound, or undefined if it is not a comparison of a row time with now(). */
export function temporalBound(c: Expr): TemporalBound | undefined {
  if (c.kind !== 'call' || !FLIP[c.name] || c.args.length !== 2) return undefined;
  const [l, r] = c.args as [Expr, Expr];
  if (l.type.oid !== T.timestamptz.oid || r.type.oid !== T.timestamptz.oid) return undefined;
  let op = c.name;
  let row = l;
  let shift = nowShift(r);
  if (!shift) {
    op = FLIP[op]!;
    row = r;
    shift = nowShift(l);
  }
  if (!shift || mentionsNow(row) || isVolatile(row)) return undefined;
  const at = shift.undo ? bindOperator(shift.undo, [row, shift.offset!]) : row;
  if (at.type.oid !== T.timestamptz.oid) return undefined;
  // row op now  ⇔  now FLIP(op) at
  switch (op) {
    case '>':
      return { side: 'until', at, plusOne: false };
    case '>=':
      return { side: 'until', at, plusOne: true };
    case '<':
      return { side: 'from', at, plusOne: true };
    default:
      return { side: 'from', at, plusOne: false };
  }
}
