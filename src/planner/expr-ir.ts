/**
 * The typed expression tree: what binding a parsed SQL expression produces, what the planner
 * inspects (column references, equi-join conjuncts, constant folding) and what compileExpr turns
 * into a plain JavaScript function evaluated once per row.
 *
 * Columns are referenced by position in the input row the expression is evaluated against.
 */
import type { SqlType, Value } from '../types/types.js';
import type { CatalogInfo, SessionControl } from './catalog-api.js';
import type { Node } from '../engine/dataflow.js';
import type { Row } from '../engine/batch.js';

export type Expr =
  | { kind: 'column'; index: number; type: SqlType }
  | { kind: 'const'; value: Value; type: SqlType }
  /** $n, 0-based index into the statement's parameters. */
  | { kind: 'param'; index: number; type: SqlType }
  /** A function or operator already resolved to its implementation (strict: NULL in, NULL out, unless `strict` is false). */
  | {
      kind: 'call';
      name: string;
      args: Expr[];
      type: SqlType;
      strict: boolean;
      volatile: boolean;
      impl: (args: Value[], env: EvalEnv) => Value;
      /** A set-returning function (unnest, generate_series ...): the planner expands it into rows; `type` is its first column's. */
      setReturning?: SetReturning;
    }
  | { kind: 'cast'; arg: Expr; type: SqlType; typmod: number }
  | { kind: 'and' | 'or'; args: Expr[]; type: SqlType }
  | { kind: 'not'; arg: Expr; type: SqlType }
  | { kind: 'isnull' | 'isnotnull'; arg: Expr; type: SqlType }
  /** IS [NOT] TRUE/FALSE/UNKNOWN, IS [NOT] DISTINCT FROM */
  | { kind: 'booltest'; test: 'true' | 'nottrue' | 'false' | 'notfalse' | 'unknown' | 'notunknown'; arg: Expr; type: SqlType }
  | { kind: 'distinct'; negate: boolean; left: Expr; right: Expr; type: SqlType }
  | { kind: 'case'; whens: { when: Expr; then: Expr }[]; else: Expr | null; type: SqlType }
  | { kind: 'coalesce'; args: Expr[]; type: SqlType }
  | { kind: 'nullif'; left: Expr; right: Expr; type: SqlType }
  | { kind: 'greatest' | 'least'; args: Expr[]; type: SqlType }
  /** x IN (list of expressions) with SQL's NULL semantics. */
  | { kind: 'inlist'; arg: Expr; list: Expr[]; negate: boolean; type: SqlType };

/** A set-returning function's output for one call site: its columns, and its rows for given (non-null) arguments. */
export interface SetReturning {
  /** Column names of a function with several (jsonb_each: key, value); one column takes the call's name. */
  columns: { name?: string; type: SqlType }[];
  rows(args: Value[], env: EvalEnv): Value[][];
  /** False when NULL arguments still give rows (a scalar function in FROM); otherwise they give none. */
  strict?: boolean;
}

/** What an expression may read besides its row: parameters and session state. */
export interface EvalEnv {
  params: Value[];
  /** Session settings, for current_setting() and TimeZone-aware date/time functions. */
  setting(name: string): string | undefined;
  /** set_config(): changes a session setting as SET (or SET LOCAL) does and returns its new value. */
  setSetting?(name: string, value: string, local: boolean): string;
  /** The server's sessions, for pg_stat_activity, pg_settings and pg_cancel_backend; absent outside a client session. */
  sessions?: SessionControl;
  /** The statement's (or update cycle's) timestamp, microseconds since epoch: now() is stable within it. */
  now: number;
  /** The catalog, for catalog functions (pg_get_viewdef ...); absent outside a database session. */
  catalog?: CatalogInfo;
  /** Throws when the statement must stop (statement_timeout); long evaluations call it now and then. */
  interrupt?: () => void;
  /**
   * A table's rows as the session's open transaction block sees them, when the block changed
   * that table (null otherwise): ad-hoc reads inside a block see the block's own writes.
   */
  blockRows?: (tableNode: Node) => Row[] | null;
}

export type CompiledExpr = (row: Value[], env: EvalEnv) => Value;
