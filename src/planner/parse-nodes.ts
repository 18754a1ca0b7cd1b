/**
 * Small helpers over libpg-query's JSON parse nodes, shared by the query binder's modules.
 */
import { SqlError, SQLSTATE } from '../errors.js';

export function unsupported(feature: string, location?: number): SqlError {
  return new SqlError(SQLSTATE.featureNotSupported, `${feature} is not supported`, location === undefined || location < 0 ? {} : { position: location + 1 });
}

/**
 * A correlated subquery shape the direct decorrelation cannot take apart; the subquery planner
 * catches it and plans the subquery again over the domain of outer values (0A000 if that fails too).
 */
export class CorrelationUnsupported extends SqlError {
  constructor(feature: string, location?: number) {
    super(SQLSTATE.featureNotSupported, `${feature} is not supported`, location === undefined || location < 0 ? {} : { position: location + 1 });
  }
}

export function nodeTag(node: any): string {
  return Object.keys(node)[0]!;
}

export function strings(list: any[] | undefined): string[] {
  return (list ?? []).map((n) => n.String.sval);
}

/** A node's 0-based position in the query text, -1 when it has none. */
export function exprLocation(node: any): number {
  const inner = node?.[nodeTag(node)];
  return typeof inner?.location === 'number' ? inner.location : -1;
}

/** `ORDER BY 2` / `GROUP BY 1`: the 1-based position, or null if the item is not an integer literal. */
export function positionOf(node: any): number | null {
  const c = node.A_Const;
  if (!c || !c.ival) return null;
  return c.ival.ival ?? 0;
}

/** A bare (unqualified) column name, or null. */
export function bareName(node: any): string | null {
  const f = node.ColumnRef?.fields;
  return f && f.length === 1 && f[0].String ? f[0].String.sval : null;
}
