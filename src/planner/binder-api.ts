/**
 * What the query binder shares with the clause binders it delegates to (FROM in from-clause.ts,
 * GROUP BY in grouping.ts, subqueries in subqueries.ts): the state of a query level while it is
 * bound, and QueryBinderApi, the calls they make back into the query binder (bind-query.ts
 * implements it; it imports them, so they import this instead of it).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { T } from '../types/types.js';
import type { Expr } from './expr-ir.js';
import { coerce, type BindContext } from './bind-expr.js';
import type { PlannerSettings, RelationResolver } from './catalog-api.js';
import type { FromScope, ScopeEntry } from './scope.js';
import type { AggCall, LogicalPlan, PlanColumn, SortKey } from './logical.js';
import type { WindowCall } from './windows.js';
import type { windowDefinitions } from './window-clause.js';

export interface QueryContext {
  relations: RelationResolver;
  params: BindContext['params'];
  settings: PlannerSettings;
}

/**
 * A bound query before it is used as a relation: `plan` yields the visible columns followed by
 * hidden ones that only ORDER BY needs; `order` sorts those rows; `limit`/`offset` (constants or
 * parameters) apply after sorting.
 */
export interface BoundQuery {
  plan: LogicalPlan;
  columns: PlanColumn[];
  order: SortKey[];
  limit: Expr | null;
  offset: Expr | null;
  /**
   * A subquery planned over the domain of its outer values: its first `carried` columns are
   * those values, grouping, DISTINCT and LIMIT apply per domain value.
   */
  carried?: number;
  /**
   * For such a subquery with aggregates and no GROUP BY: its result row for outer values that
   * no row matches (count(*) is 0), over the domain columns, or undefined when that row cannot
   * be computed so.
   */
  globalEmpty?: Expr[];
  /** Over a domain, aggregates without GROUP BY: outer values no row matches have no group. */
  globalAggregate?: boolean;
}

/** The domain a subquery is planned over: distinct outer values, named as the outer query names them. */
export interface Domain {
  plan: LogicalPlan;
  entries: ScopeEntry[];
}

/** A query level while its clauses are bound: sublinks join more columns onto `plan`. */
export interface Level {
  plan: LogicalPlan;
  scope: FromScope;
  /** The aggregate calls found so far, referenced as columns AGG_BASE + i until grouping rewrites them. */
  aggregates: AggCall[];
  /** Columns that scalar subqueries appended to `plan`. */
  subqueryColumns: Set<number>;
  /** The WITH queries visible here (subqueries see them too). */
  ctes: CteEnv;
  /** Leading columns of `plan` that are a domain of outer values (see BoundQuery.carried). */
  carried?: number;
  /** Window function calls, referenced as columns WINDOW_BASE + i until they are planned. */
  windows?: WindowCall[];
  /** The WINDOW clause's named windows. */
  windowDefs?: ReturnType<typeof windowDefinitions>;
  /**
   * In an aggregate query's SELECT list, HAVING and ORDER BY: uncorrelated scalar subqueries,
   * joined after the aggregation and referenced as columns SUBQUERY_BASE + i until then.
   */
  deferred?: LogicalPlan[];
}



export interface Target {
  expr: Expr;
  name: string;
  typmod: number;
  location: number;
}

export interface CteEntry {
  query: any;
  colnames: string[];
  env: CteEnv;
  /** WITH RECURSIVE and the query reads itself (planner/recursive.ts). */
  recursive?: boolean;
  /** Inside its own recursive term, the name stands for the working table. */
  workingTable?: { id: number; columns: PlanColumn[] };
}

export type CteEnv = Map<string, CteEntry>;

/**
 * Column indexes from here up to SUBQUERY_BASE are aggregate results awaiting grouping; indexes
 * below it are real columns of the row.
 */
export const AGG_BASE = 1 << 22;
/** Column indexes from here up to WINDOW_BASE are deferred subquery values of an aggregate query. */
export const SUBQUERY_BASE = 1 << 23;
/** Column indexes from here up to OUTER_BASE are window function results awaiting planning. */
export const WINDOW_BASE = SUBQUERY_BASE + (1 << 22);

/** The clause being bound, named as PostgreSQL names it in "aggregate functions are not allowed in ...". */
export type Clause =
  | 'WHERE'
  | 'JOIN conditions'
  | 'GROUP BY'
  | 'VALUES'
  | 'functions in FROM'
  | 'LIMIT'
  | 'OFFSET'
  | 'FILTER'
  | 'select'
  | 'HAVING'
  | 'ORDER BY'
  | 'DISTINCT ON'
  | 'aggregate'
  /** Inside a window function call or its window (aggregates allowed, window calls not). */
  | 'window';

/** The expression's type must be boolean (WHERE, HAVING, ON, FILTER). */
export function requireBoolean(e: Expr, clause: string, location: number): Expr {
  if (e.type.oid === T.bool.oid) return e;
  if (e.type.oid === T.unknown.oid) return coerce(e, T.bool);
  throw new SqlError(SQLSTATE.datatypeMismatch, `argument of ${clause} must be type boolean, not type ${e.type.name}`, {
    position: location + 1,
  });
}


export interface QueryBinderApi {
  readonly ctx: QueryContext;
  /**
   * Binds a whole query (SelectStmt body: SELECT, VALUES or a set operation).
   * `setOperand`: the query is an arm of UNION/INTERSECT/EXCEPT, whose untyped literals stay
   * unknown until the set operation picks the column types (as in PostgreSQL).
   */
  bindQuery(stmt: any, outer: FromScope | null, ctes?: CteEnv, setOperand?: boolean, domain?: Domain): BoundQuery;
  /** A bound query as a relation: ORDER BY ... LIMIT becomes a top-K, ORDER BY alone is dropped. */
  asRelation(q: BoundQuery): LogicalPlan;
  /** FROM and WHERE of a simple SELECT; WHERE conjuncts that read an outer query are returned apart. */
  fromAndWhere(stmt: any, outer: FromScope | null, ctes: CteEnv, domain?: Domain): { level: Level; correlated: Expr[] };
  /** Binds one expression of a clause at a query level, with the planner's hooks. */
  bind(node: any, level: Level, clause: Clause): Expr;
  /** The SELECT list, with `*` and `t.*` expanded. */
  bindTargets(stmt: any, level: Level): Target[];
  /** The rest of a simple SELECT once FROM and WHERE are bound. */
  finishSelect(stmt: any, level: Level, setOperand?: boolean): BoundQuery;
  /** The aggregate call an expression stands for (a placeholder column), or null. */
  aggregateIndex(e: Expr): number | null;
}
