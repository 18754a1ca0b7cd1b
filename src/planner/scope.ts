/**
 * Name resolution for a query's FROM clause: which relation aliases are visible, which columns
 * each one has, and where in the row they live. `resolveColumn` is what the expression binder
 * calls for every column reference; it follows PostgreSQL's rules (qualified `t.x`, unqualified
 * `x` must be unique, USING/NATURAL join columns merge into one unqualified name).
 *
 * A scope may have an outer scope (the query around a subquery). A reference that only the outer
 * scope can resolve is a correlation: it is returned as `OUTER_BASE + index in the outer row`,
 * and the subquery planner turns those references into join keys.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { CorrelationUnsupported } from './parse-nodes.js';
import type { SqlType } from '../types/types.js';

/** Column indexes at or above this refer to the enclosing query's row. */
export const OUTER_BASE = 1 << 24;

export interface ScopeColumn {
  name: string;
  type: SqlType;
  typmod: number;
  /** Position in the row this scope describes. */
  index: number;
  /** A join USING/NATURAL column of one side: reachable qualified (`a.x`), not as plain `x` nor by `*`. */
  merged?: boolean;
}

export interface ScopeEntry {
  /** The name the relation is referenced by (its alias, or its own name); null for USING's merged columns. */
  alias: string | null;
  columns: ScopeColumn[];
}

export class FromScope {
  /** How many references this scope resolved through its outer scope. */
  outerRefs = 0;

  /**
   * `domain`: the enclosing query's names, when a subquery is planned over the distinct values
   * of the outer row (the domain, joined into its FROM): found after the subquery's own names,
   * at columns of the subquery's row.
   */
  constructor(
    readonly entries: ScopeEntry[],
    readonly outer: FromScope | null = null,
    readonly domain: ScopeEntry[] = [],
  ) {}

  resolveColumn(fields: string[], location: number): { index: number; type: SqlType } {
    const local = this.lookup(fields, location);
    if (local) return local;
    const outer = this.outer?.lookup(fields, location);
    if (outer) {
      this.outerRefs++;
      return { index: OUTER_BASE + outer.index, type: outer.type };
    }
    const pos = { position: location + 1 };
    for (let far = this.outer?.outer; far; far = far.outer) {
      if (far.lookup(fields, location)) {
        throw new CorrelationUnsupported(`a reference to "${fields.join('.')}" from a subquery nested two or more levels deep`, location);
      }
    }
    if (fields.length > 1) {
      const alias = fields[fields.length - 2]!;
      if (!this.hasAlias(alias) && !this.outer?.hasAlias(alias)) {
        throw new SqlError(SQLSTATE.undefinedTable, `missing FROM-clause entry for table "${alias}"`, pos);
      }
      throw new SqlError(SQLSTATE.undefinedColumn, `column ${fields.slice(-2).join('.')} does not exist`, pos);
    }
    throw new SqlError(SQLSTATE.undefinedColumn, `column "${fields[0]}" does not exist`, pos);
  }

  /** The column at a row position (for error messages and output typmods). */
  columnAt(index: number): ScopeColumn | undefined {
    for (const e of [...this.entries, ...this.domain]) for (const c of e.columns) if (c.index === index) return c;
    return undefined;
  }

  /** `*` (alias null) or `t.*`: the columns in the order SELECT * lists them. */
  star(alias: string | null, location: number): ScopeColumn[] {
    if (alias === null) return this.entries.flatMap((e) => e.columns.filter((c) => !c.merged));
    const entry = this.entries.find((e) => e.alias === alias);
    if (!entry) throw new SqlError(SQLSTATE.undefinedTable, `missing FROM-clause entry for table "${alias}"`, { position: location + 1 });
    return entry.columns;
  }

  /** Does this scope itself (not an outer one) resolve the name? */
  resolvesLocally(fields: string[]): boolean {
    try {
      return this.lookup(fields, -1) !== undefined;
    } catch {
      return true; // ambiguous is still "resolves here": the binder reports it when it binds
    }
  }

  hasAlias(alias: string): boolean {
    return this.entries.some((e) => e.alias === alias) || this.domain.some((e) => e.alias === alias);
  }

  private lookup(fields: string[], location: number): { index: number; type: SqlType } | undefined {
    if (fields.length > 3) {
      throw new SqlError(SQLSTATE.syntaxError, `improper qualified name (too many dotted names): ${fields.join('.')}`, { position: location + 1 });
    }
    return this.lookupIn(this.entries, fields, location) ?? this.lookupIn(this.domain, fields, location);
  }

  private lookupIn(entries: ScopeEntry[], fields: string[], location: number): { index: number; type: SqlType } | undefined {
    const name = fields[fields.length - 1]!;
    let found: ScopeColumn[];
    if (fields.length === 1) {
      found = entries.flatMap((e) => e.columns.filter((c) => c.name === name && !c.merged));
    } else {
      const alias = fields[fields.length - 2]!;
      found = entries.filter((e) => e.alias === alias).flatMap((e) => e.columns.filter((c) => c.name === name));
    }
    if (found.length > 1) {
      throw new SqlError(SQLSTATE.ambiguousColumn, `column reference "${name}" is ambiguous`, { position: location + 1 });
    }
    const c = found[0];
    return c ? { index: c.index, type: c.type } : undefined;
  }
}
