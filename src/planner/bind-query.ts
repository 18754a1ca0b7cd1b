/**
 * The query binder: a libpg-query SelectStmt becomes a logical plan. It resolves the FROM clause
 * into relations and a name scope, binds every clause's expressions through bindExpr (answering
 * its hooks for aggregate calls and subqueries), applies PostgreSQL's rules for GROUP BY,
 * ORDER BY, DISTINCT [ON] and set operations, and leaves ORDER BY / LIMIT to the caller as sort
 * keys over the plan's rows (a materialized view makes them a top-K, an ad-hoc read sorts).
 */
import { decorrelateCtes } from './correlated-ctes.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { T, type SqlType } from '../types/types.js';
import type { Expr } from './expr-ir.js';
import { bindExpr, coerce, commonType, type BindContext } from './bind-expr.js';
import { FromScope, OUTER_BASE } from './scope.js';
import {
  aggregateNode,
  distinctNode,
  distinctOnNode,
  filterNode,
  joinNode,
  projectNode,
  setOpNode,
  temporalNode,
  topKNode,
  valuesNode,
  type AggCall,
  type AggName,
  type LogicalPlan,
  type SetOpKind,
  type SortKey,
} from './logical.js';
import { column, columnsUsed, conjunction, exprEquals, transformExpr } from './expr-utils.js';
import { figureColumnName } from './column-names.js';
import { aggregateName, aggregateSignature, noSuchAggregate, ORDERED_SET } from './aggregates.js';
import { jsonAggregateArity, jsonAggregateName, jsonAggregateResult, type JsonAggregate } from './json-aggregates.js';
import { SubqueryPlanner } from './subqueries.js';
import { FromClauseBinder } from './from-clause.js';
import { GroupByBinder } from './grouping.js';
import { bareName, CorrelationUnsupported, exprLocation, nodeTag, positionOf, strings, unsupported } from './parse-nodes.js';
import { temporalBound, type TemporalBound } from './temporal.js';
import { mapWindowCall, planWindows } from './windows.js';
import { bindWindowCall, windowDefinitions } from './window-clause.js';
import { anySetReturning, expandSelectList } from './set-returning.js';
import { functionsNamed } from './functions/index.js';
import { checkWellFormedRecursion, mentionsTable, refuseMutualRecursion } from './recursive.js';
import {
  AGG_BASE,
  requireBoolean,
  SUBQUERY_BASE,
  WINDOW_BASE,
  type BoundQuery,
  type Clause,
  type CteEnv,
  type Domain,
  type Level,
  type QueryBinderApi,
  type QueryContext,
  type Target,
} from './binder-api.js';

const AGGREGATES_ALLOWED = new Set<Clause>(['select', 'HAVING', 'ORDER BY', 'DISTINCT ON', 'window']);

function emptyScope(outer: FromScope | null = null): FromScope {
  return new FromScope([], outer);
}

export class QueryBinder implements QueryBinderApi {
  readonly subqueries: SubqueryPlanner;
  private readonly from: FromClauseBinder;
  private readonly grouping: GroupByBinder;

  constructor(readonly ctx: QueryContext) {
    this.subqueries = new SubqueryPlanner(this);
    this.from = new FromClauseBinder(this);
    this.grouping = new GroupByBinder(this);
  }

  /**
   * Binds a whole query (SelectStmt body: SELECT, VALUES or a set operation).
   * `setOperand`: the query is an arm of UNION/INTERSECT/EXCEPT, whose untyped literals stay
   * unknown until the set operation picks the column types (as in PostgreSQL).
   */
  bindQuery(stmt: any, outer: FromScope | null, ctes: CteEnv = new Map(), setOperand = false, domain?: Domain): BoundQuery {
    // a subquery's CTE that reads the outer query is decorrelated before its CTEs are bound alone
    if (stmt.withClause && (outer || domain)) stmt = decorrelateCtes(stmt);
    const env = this.withCtes(stmt.withClause, ctes);
    if (domain && ((stmt.op && stmt.op !== 'SETOP_NONE') || stmt.valuesLists)) {
      throw unsupported('a correlated UNION, INTERSECT, EXCEPT or VALUES subquery');
    }
    if (stmt.op && stmt.op !== 'SETOP_NONE') return this.bindSetOperation(stmt, env);
    if (stmt.valuesLists) return this.bindValues(stmt);
    const level = this.fromAndWhere(stmt, outer, env, domain);
    if (level.correlated.length > 0) {
      throw new CorrelationUnsupported('a correlated subquery outside of WHERE, IN, EXISTS or a scalar subquery', exprLocation(stmt.whereClause));
    }
    return this.finishSelect(stmt, level.level, setOperand);
  }

  /** A bound query as a relation: ORDER BY ... LIMIT becomes a top-K, ORDER BY alone is dropped. */
  asRelation(q: BoundQuery): LogicalPlan {
    let plan = q.plan;
    if (q.limit || q.offset) {
      const partition = Array.from({ length: q.carried ?? 0 }, (_, i) => column(i, plan.columns[i]!.type));
      plan = topKNode(plan, q.order, q.limit, q.offset, partition);
    }
    if (plan.columns.length > q.columns.length) {
      plan = projectNode(plan, q.columns.map((c, i) => column(i, c.type)), q.columns);
    }
    return plan;
  }

  // ---------------------------------------------------------------------------------------------
  // WITH

  private withCtes(withClause: any, outer: CteEnv): CteEnv {
    if (!withClause) return outer;
    const env: CteEnv = new Map(outer);
    const seen = new Set<string>();
    for (const c of withClause.ctes) {
      const cte = c.CommonTableExpr;
      if (seen.has(cte.ctename)) {
        throw new SqlError(SQLSTATE.duplicateAlias, `WITH query name "${cte.ctename}" specified more than once`, {
          position: cte.location + 1,
        });
      }
      seen.add(cte.ctename);
      if (nodeTag(cte.ctequery) !== 'SelectStmt') throw unsupported('data-modifying statements in WITH', cte.location);
      const query = cte.ctequery.SelectStmt;
      const recursive = !!withClause.recursive && mentionsTable(query, cte.ctename);
      if (recursive) checkWellFormedRecursion(cte.ctename, query, cte.location);
      // Each CTE sees the ones defined before it; under WITH RECURSIVE it sees all of them (the
      // shared map, filled in by the end of this loop), as in PostgreSQL.
      env.set(cte.ctename, { query, colnames: strings(cte.aliascolnames), env: withClause.recursive ? env : new Map(env), recursive });
    }
    if (withClause.recursive) refuseMutualRecursion(withClause.ctes.map((c: any) => c.CommonTableExpr));
    return env;
  }

  // ---------------------------------------------------------------------------------------------
  // FROM

  /** FROM and WHERE of a simple SELECT; WHERE conjuncts that read an outer query are returned apart. */
  fromAndWhere(stmt: any, outer: FromScope | null, ctes: CteEnv, domain?: Domain): { level: Level; correlated: Expr[] } {
    if (stmt.intoClause) throw unsupported('SELECT INTO');
    if (stmt.lockingClause) throw unsupported('SELECT ... FOR UPDATE/SHARE');
    const from = this.from.bindFromList(stmt.fromClause ?? [], ctes, domain, outer);
    const level: Level = {
      plan: from.plan,
      scope: new FromScope(from.entries, outer, from.domainEntries),
      aggregates: [],
      subqueryColumns: new Set(),
      ctes,
      carried: domain?.plan.columns.length ?? 0,
      windowDefs: windowDefinitions(stmt.windowClause),
    };
    const correlated: Expr[] = [];
    if (stmt.whereClause) {
      const local: Expr[] = [];
      const temporal: TemporalBound[] = [];
      for (const node of flattenAnd(stmt.whereClause)) {
        if (this.subqueries.tryWhereConjunct(node, level)) continue;
        const e = requireBoolean(this.bind(node, level, 'WHERE'), 'WHERE', exprLocation(node));
        const bound = temporalBound(e);
        if ([...columnsUsed(e)].some((i) => i >= OUTER_BASE)) correlated.push(e);
        else if (bound) temporal.push(bound);
        else local.push(e);
      }
      if (local.length > 0) level.plan = filterNode(level.plan, conjunction(local));
      if (temporal.length > 0) level.plan = temporalNode(level.plan, temporal);
    }
    return { level, correlated };
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  /** Binds one expression of a clause at a query level, with the planner's hooks. */
  bind(node: any, level: Level, clause: Clause): Expr {
    return bindExpr(node, this.bindContext(level, clause));
  }

  private bindContext(level: Level, clause: Clause): BindContext {
    return {
      scope: level.scope,
      params: this.ctx.params,
      hooks: {
        funcCall: (node: any) => this.aggregateCall(node.FuncCall ?? node, level, clause),
        subLink: (node: any) => this.subqueries.expression(node.SubLink ?? node, level, clause),
      },
    } as BindContext;
  }

  /** The funcCall hook: an aggregate call becomes a reference to its (future) result column. */
  private aggregateCall(n: any, level: Level, clause: Clause): Expr | undefined {
    const funcname = strings(n.funcname);
    if (n.over) return this.windowCall(n, level, clause);
    const json = jsonAggregateName(funcname);
    const name = json ? 'array_agg' : aggregateName(funcname, n.location);
    if (clause !== 'select' && !n.over && functionsNamed(funcname[funcname.length - 1]!).some((d) => d.setReturning)) {
      throw new SqlError(SQLSTATE.featureNotSupported, `set-returning functions are not allowed in ${clause === 'aggregate' ? 'aggregate function calls' : clause}`, { position: n.location + 1 });
    }
    if (!name) {
      if (n.agg_star || n.agg_distinct || n.agg_order || n.agg_filter) {
        throw new SqlError(SQLSTATE.wrongObjectType, `${funcname.join('.')} is not an aggregate function`, { position: n.location + 1 });
      }
      return undefined;
    }
    if (clause === 'aggregate') {
      throw new SqlError(SQLSTATE.groupingError, 'aggregate function calls cannot be nested', { position: n.location + 1 });
    }
    if (!AGGREGATES_ALLOWED.has(clause)) {
      throw new SqlError(SQLSTATE.groupingError, `aggregate functions are not allowed in ${clause}`, { position: n.location + 1 });
    }
    if (json) return this.jsonAggregate(n, funcname, json, level);
    level.aggregates.push(this.aggCall(n, funcname, name, level));
    return column(AGG_BASE + level.aggregates.length - 1, level.aggregates[level.aggregates.length - 1]!.type);
  }

  /** json_agg and friends: array_agg of each argument, under the call's FILTER and ORDER BY, turned into JSON (json-aggregates.ts). */
  private jsonAggregate(n: any, funcname: string[], json: JsonAggregate, level: Level): Expr {
    const args = jsonAggregateArgs(n, funcname, json);
    if (args.length > 1 && n.agg_distinct) throw unsupported(`${json}(DISTINCT ...)`, n.location);
    const arrays = args.map((arg) => {
      level.aggregates.push(this.aggCall({ ...n, args: [arg] }, funcname, 'array_agg', level));
      const call = level.aggregates[level.aggregates.length - 1]!;
      return { ref: column(AGG_BASE + level.aggregates.length - 1, call.type), type: call.args[0]!.type };
    });
    return jsonAggregateResult(json, arrays.map((a) => a.ref), arrays.map((a) => a.type));
  }

  /** An aggregate call's arguments, FILTER and ORDER BY, bound and typed. */
  private aggCall(n: any, funcname: string[], name: AggName, level: Level, argClause: Clause = 'aggregate'): AggCall {
    if (ORDERED_SET.has(name) || n.agg_within_group) return this.orderedSetCall(n, funcname, name, level, argClause);
    if (n.agg_star && name !== 'count') {
      throw new SqlError(SQLSTATE.wrongObjectType, `${funcname.join('.')}(*) must be used to call a parameterless aggregate function`, { position: n.location + 1 });
    }
    const bound = (n.args ?? []).map((a: any) => this.bind(a, level, argClause));
    if (!n.agg_star && bound.length === 0) {
      throw new SqlError(SQLSTATE.undefinedFunction, `function ${funcname.join('.')}() does not exist`, { position: n.location + 1 });
    }
    const sig = aggregateSignature(name, funcname[funcname.length - 1]!, bound.map((b: Expr) => b.type), n.location);
    const args = bound.map((b: Expr, i: number) => coerce(b, sig.argTypes[i]!));
    const filter = n.agg_filter ? requireBoolean(this.bind(n.agg_filter, level, argClause === 'window' ? 'window' : 'FILTER'), 'FILTER', exprLocation(n.agg_filter)) : null;
    let orderBy: SortKey[] = (n.agg_order ?? []).map((s: any) => this.sortKey(s.SortBy, this.bind(s.SortBy.node, level, 'aggregate')));
    // PostgreSQL sorts to find a DISTINCT call's values, so a list comes out in their order
    if (n.agg_distinct && orderBy.length === 0 && (name === 'array_agg' || name === 'string_agg')) orderBy = [{ expr: args[0]!, desc: false, nullsFirst: false }];
    return { name, args, distinct: !!n.agg_distinct, filter, orderBy, type: sig.result };
  }

  /**
   * percentile_cont(f) / percentile_disc(f) / mode() WITHIN GROUP (ORDER BY x): bound as a call
   * over x (and f) ordered by the WITHIN GROUP ordering (src/engine/ops/ordered-set.ts).
   */
  private orderedSetCall(n: any, funcname: string[], name: AggName, level: Level, argClause: Clause): AggCall {
    const sqlName = funcname[funcname.length - 1]!;
    if (!ORDERED_SET.has(name)) throw new SqlError(SQLSTATE.wrongObjectType, `WITHIN GROUP is specified, but ${sqlName} is not an ordered-set aggregate`, { position: n.location + 1 });
    if (!n.agg_within_group) {
      // PostgreSQL counts the ordered value among the arguments: percentile_cont(0.5) names no function at all.
      const args: any[] = n.args ?? [];
      if (args.length !== (name === 'mode' ? 1 : 2)) throw noSuchAggregate(sqlName, args.map((a) => this.bind(a, level, argClause).type), n.location);
      throw new SqlError(SQLSTATE.wrongObjectType, `WITHIN GROUP is required for ordered-set aggregate ${sqlName}`, { position: n.location + 1 });
    }
    if (argClause === 'window') throw new SqlError(SQLSTATE.featureNotSupported, `OVER is not supported for ordered-set aggregate ${sqlName}`, { position: n.location + 1 });
    const order: any[] = n.agg_order ?? [];
    if (order.length !== 1) throw noSuchOrderedSet(sqlName, order.length, n.location);
    const sortBy = order[0].SortBy;
    const value = this.bind(sortBy.node, level, 'aggregate');
    const direct = (n.args ?? []).map((a: any) => this.bind(a, level, 'aggregate'));
    const sig = aggregateSignature(name, sqlName, [value.type, ...direct.map((d: Expr) => d.type)], n.location);
    const args = [value, ...direct].map((b: Expr, i: number) => coerce(b, sig.argTypes[i]!));
    const filter = n.agg_filter ? requireBoolean(this.bind(n.agg_filter, level, 'FILTER'), 'FILTER', exprLocation(n.agg_filter)) : null;
    return { name, args, distinct: false, filter, orderBy: [this.sortKey(sortBy, args[0]!)], type: sig.result };
  }

  /** A window function call, referenced as a placeholder column until the SELECT is planned. */
  private windowCall(n: any, level: Level, clause: Clause): Expr {
    const json = jsonAggregateName(strings(n.funcname));
    if (json) return this.jsonWindowCall(n, json, level, clause);
    if (clause === 'window') throw new SqlError(SQLSTATE.windowingError, 'window function calls cannot be nested', { position: n.location + 1 });
    if (clause !== 'select' && clause !== 'ORDER BY') {
      throw new SqlError(SQLSTATE.windowingError, `window functions are not allowed in ${clause === 'aggregate' ? 'aggregate function calls' : clause}`, { position: n.location + 1 });
    }
    const call = bindWindowCall(n, level.windowDefs ?? new Map(), {
      bind: (node) => this.bind(node, level, 'window'),
      sortKey: (sortBy, expr) => this.sortKey(sortBy, expr),
      aggregate: (node) => {
        const funcname = strings(node.funcname);
        const name = aggregateName(funcname, node.location);
        return name ? this.aggCall(node, funcname, name, level, 'window') : undefined;
      },
    });
    level.windows ??= [];
    level.windows.push(call);
    return column(WINDOW_BASE + level.windows.length - 1, call.call.type);
  }

  /** json_agg(x) OVER (...) and friends: array_agg(x) OVER (the same window) of each argument, turned into JSON. */
  private jsonWindowCall(n: any, json: JsonAggregate, level: Level, clause: Clause): Expr {
    const args = jsonAggregateArgs(n, strings(n.funcname), json);
    const arrays = args.map((arg) => {
      const ref = this.windowCall({ ...n, funcname: [{ String: { sval: 'array_agg' } }], args: [arg] }, level, clause);
      return { ref, type: level.windows![level.windows!.length - 1]!.call.aggregate!.args[0]!.type };
    });
    return jsonAggregateResult(json, arrays.map((a) => a.ref), arrays.map((a) => a.type));
  }

  private sortKey(sortBy: any, expr: Expr): SortKey {
    if (sortBy.sortby_dir === 'SORTBY_USING') throw unsupported('ORDER BY ... USING', sortBy.location);
    const desc = sortBy.sortby_dir === 'SORTBY_DESC';
    const nullsFirst = sortBy.sortby_nulls === 'SORTBY_NULLS_DEFAULT' || !sortBy.sortby_nulls ? desc : sortBy.sortby_nulls === 'SORTBY_NULLS_FIRST';
    return { expr, desc, nullsFirst };
  }

  // ---------------------------------------------------------------------------------------------
  // SELECT list, GROUP BY, HAVING, ORDER BY, DISTINCT, LIMIT

  /** The SELECT list, with `*` and `t.*` expanded. */
  bindTargets(stmt: any, level: Level): Target[] {
    const targets: Target[] = [];
    for (const t of stmt.targetList ?? []) {
      const rt = t.ResTarget;
      const ref = rt.val?.ColumnRef;
      const last = ref?.fields[ref.fields.length - 1];
      if (last?.A_Star) {
        const alias = ref.fields.length > 1 ? ref.fields[ref.fields.length - 2].String.sval : null;
        const cols = level.scope.star(alias, ref.location);
        if (alias === null && level.scope.entries.length === 0) {
          throw new SqlError(SQLSTATE.syntaxError, 'SELECT * with no tables specified is not valid', { position: ref.location + 1 });
        }
        for (const c of cols) targets.push({ expr: column(c.index, c.type), name: c.name, typmod: c.typmod, location: rt.location });
        continue;
      }
      const expr = this.bind(rt.val, level, 'select');
      // x::numeric of a numeric(10,2) column binds to the column itself, but shows no typmod, as in PostgreSQL
      const typmod = rt.val?.TypeCast && expr.kind !== 'cast' ? -1 : this.typmodOf(expr, level);
      targets.push({ expr, name: rt.name ?? figureColumnName(rt.val), typmod, location: rt.location });
    }
    return targets;
  }

  private typmodOf(e: Expr, level: Level): number {
    if (e.kind === 'cast') return e.typmod;
    if (e.kind === 'column') return level.scope.columnAt(e.index)?.typmod ?? -1;
    return -1;
  }

  finishSelect(stmt: any, level: Level, setOperand = false): BoundQuery {
    const outerRefsBefore = level.scope.outerRefs;
    const aggregating = !!stmt.groupClause || !!stmt.havingClause || containsAggregate([stmt.targetList, stmt.sortClause, stmt.distinctClause]);
    if (aggregating) level.deferred = [];
    let targets = this.bindTargets(stmt, level);
    const { keys: groupKey, sets } = this.grouping.bindGroupBy(stmt, level, targets);
    const having = stmt.havingClause
      ? requireBoolean(this.bind(stmt.havingClause, level, 'HAVING'), 'HAVING', exprLocation(stmt.havingClause))
      : null;
    const outputs = targets.map((t) => ({ expr: t.expr, name: t.name }));
    const orderItems = (stmt.sortClause ?? []).map((s: any) => ({
      sortBy: s.SortBy,
      expr: this.outputOrExpr(s.SortBy.node, outputs, level, 'ORDER BY'),
    }));
    const distinctOn =
      stmt.distinctClause && stmt.distinctClause.length > 0 && Object.keys(stmt.distinctClause[0]).length > 0
        ? (stmt.distinctClause as any[]).map((d) => this.outputOrExpr(d, outputs, level, 'DISTINCT ON'))
        : null;
    const distinct = !distinctOn && !!stmt.distinctClause;
    if (level.scope.outerRefs > outerRefsBefore) {
      throw new CorrelationUnsupported('a correlated reference outside of the subquery\'s WHERE clause', exprLocation(stmt.targetList?.[0]));
    }

    let plan = level.plan;
    let finalize = (e: Expr): Expr => e;
    // Over a domain, the domain values lead the row and every grouping.
    const carry = Array.from({ length: level.carried ?? 0 }, (_, i) => column(i, level.plan.columns[i]!.type));
    let globalEmpty: Expr[] | undefined;
    let globalAggregate = false;
    if (groupKey.length > 0 || level.aggregates.length > 0 || having || stmt.groupClause) {
      globalAggregate = carry.length > 0 && groupKey.length === 0;
      if (globalAggregate && !having) globalEmpty = this.grouping.emptyGroupRow(targets.map((t) => t.expr), level);
      const keys = [...carry, ...groupKey.filter((g) => !carry.some((c) => exprEquals(c, g)))];
      const aggColumns = [
        ...keys.map((g) => ({ name: g.kind === 'column' ? (level.scope.columnAt(g.index)?.name ?? '?column?') : '?column?', type: g.type, typmod: -1 })),
        ...level.aggregates.map((a) => ({ name: a.name, type: a.type, typmod: -1 })),
      ];
      if (sets) {
        // Positions in `keys`: the domain first in every set, then the set's own keys.
        const at = (i: number) => keys.findIndex((k) => exprEquals(k, groupKey[i]!));
        const carried = carry.map((_, i) => i);
        plan = this.grouping.groupingSets(plan, keys, sets.map((set) => [...new Set([...carried, ...set.map(at)])]), level.aggregates, aggColumns);
      } else {
        plan = aggregateNode(plan, keys, level.aggregates, aggColumns);
      }
      for (const right of level.deferred ?? []) plan = joinNode('left', plan, right, [], [], null);
      finalize = (e) => this.grouping.groupedExpr(e, keys, level);
      if (having) plan = filterNode(plan, finalize(having));
      targets = targets.map((t) => ({ ...t, expr: finalize(t.expr) }));
    }

    if (level.windows) {
      // Windows see the grouped rows; over a domain, each outer value's rows are partitions apart.
      const grouped = finalize;
      const calls = level.windows.map((w) => mapWindowCall({ ...w, partition: [...carry, ...w.partition] }, grouped));
      const windows = planWindows(plan, calls);
      plan = windows.plan;
      const placeholders = (e: Expr) =>
        transformExpr(e, (x) => (x.kind === 'column' && x.index >= WINDOW_BASE && x.index < OUTER_BASE ? windows.values[x.index - WINDOW_BASE] : undefined));
      finalize = (e) => placeholders(grouped(e));
      targets = targets.map((t) => ({ ...t, expr: placeholders(t.expr) }));
    }
    if (anySetReturning(targets.map((t) => t.expr))) {
      const expanded = expandSelectList(plan, targets.map((t) => t.expr));
      plan = expanded.plan;
      targets = targets.map((t, i) => ({ ...t, expr: expanded.exprs[i]! }));
      const before = finalize;
      finalize = (e) => expanded.rewrite(before(e));
    }
    if (!setOperand) {
      // An untyped literal in the result is text: SELECT 'x' has a text column.
      targets = targets.map((t) => (t.expr.type.oid === T.unknown.oid ? { ...t, expr: coerce(t.expr, T.text) } : t));
    }
    // Project the visible columns, then whatever ORDER BY / DISTINCT ON needs beyond them.
    targets = [...carry.map((c) => ({ expr: finalize(c), name: '?domain?', typmod: -1, location: -1 })), ...targets];
    const exprs = targets.map((t) => t.expr);
    const slot = (e: Expr): number => {
      const g = finalize(e);
      const i = exprs.findIndex((x) => exprEquals(x, g));
      if (i >= 0) return i;
      exprs.push(g);
      return exprs.length - 1;
    };
    const order = orderItems.map((o: any) => this.sortKey(o.sortBy, column(slot(o.expr), o.expr.type)));
    const visible = targets.length;
    const distinctKey = distinctOn?.map((e) => column(slot(e), e.type)) ?? null;
    const columns = targets.map((t) => ({ name: t.name, type: t.expr.type, typmod: t.typmod }));
    const allColumns = [...columns, ...exprs.slice(visible).map((e) => ({ name: '?hidden?', type: e.type, typmod: -1 }))];
    plan = projectNode(plan, exprs, allColumns);

    if (distinct) {
      if (exprs.length > visible) {
        const offending = order.findIndex((k: SortKey) => k.expr.kind === 'column' && k.expr.index >= visible);
        throw new SqlError(SQLSTATE.invalidColumnReference, 'for SELECT DISTINCT, ORDER BY expressions must appear in select list', {
          position: exprLocation(stmt.sortClause[offending].SortBy.node) + 1,
        });
      }
      plan = distinctNode(plan);
    }
    if (distinctKey) {
      const prefix = order.slice(0, distinctKey.length).map((k: SortKey) => (k.expr as any).index as number);
      const keys = new Set(distinctKey.map((k) => (k as any).index as number));
      if (order.length > 0 && (prefix.length < keys.size || prefix.some((i: number) => !keys.has(i)))) {
        throw new SqlError(SQLSTATE.invalidColumnReference, 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions', {
          position: exprLocation(stmt.sortClause[0].SortBy.node) + 1,
        });
      }
      plan = distinctOnNode(plan, [...carry.map((c, i) => column(i, c.type)), ...distinctKey], order);
    }
    return { plan, columns, order, ...this.limits(stmt), carried: carry.length, globalEmpty, globalAggregate };
  }

  /** The aggregate call an expression stands for (a placeholder column), or null. */
  aggregateIndex(e: Expr): number | null {
    return e.kind === 'column' && e.index >= AGG_BASE && e.index < SUBQUERY_BASE ? e.index - AGG_BASE : null;
  }


  /**
   * ORDER BY / DISTINCT ON item: an output column by position or by name (which win over input
   * columns, as in PostgreSQL), or an expression over the input.
   */
  private outputOrExpr(node: any, outputs: { expr: Expr; name: string }[], level: Level, clause: Clause): Expr {
    const position = positionOf(node);
    if (position !== null) {
      const o = outputs[position - 1];
      if (!o) {
        throw new SqlError(SQLSTATE.invalidColumnReference, `${clause} position ${position} is not in select list`, { position: exprLocation(node) + 1 });
      }
      return o.expr;
    }
    const name = bareName(node);
    if (name !== null) {
      const matches = outputs.filter((o) => o.name === name);
      if (matches.length > 1 && matches.some((m) => !exprEquals(m.expr, matches[0]!.expr))) {
        throw new SqlError(SQLSTATE.ambiguousColumn, `${clause} "${name}" is ambiguous`, { position: exprLocation(node) + 1 });
      }
      if (matches[0]) return matches[0].expr;
    }
    return this.bind(node, level, clause);
  }

  private limits(stmt: any): { limit: Expr | null; offset: Expr | null } {
    if (stmt.limitOption === 'LIMIT_OPTION_WITH_TIES') throw unsupported('FETCH ... WITH TIES');
    const bindLimit = (node: any, clause: 'LIMIT' | 'OFFSET'): Expr | null => {
      if (!node || node.A_Const?.isnull) return null;
      const level: Level = { plan: valuesNode([[]], []), scope: emptyScope(), aggregates: [], subqueryColumns: new Set(), ctes: new Map() };
      const e = coerce(this.bind(node, level, clause), T.int8);
      if (e.kind !== 'const' && e.kind !== 'param' && !(e.kind === 'cast' && (e.arg.kind === 'const' || e.arg.kind === 'param'))) {
        throw unsupported(`a ${clause} that is not a constant or a parameter`, exprLocation(node));
      }
      return e;
    };
    return { limit: bindLimit(stmt.limitCount, 'LIMIT'), offset: bindLimit(stmt.limitOffset, 'OFFSET') };
  }

  // ---------------------------------------------------------------------------------------------
  // VALUES and set operations

  private bindValues(stmt: any): BoundQuery {
    const level: Level = { plan: valuesNode([[]], []), scope: emptyScope(), aggregates: [], subqueryColumns: new Set(), ctes: new Map() };
    const rows: Expr[][] = stmt.valuesLists.map((l: any) => l.List.items.map((item: any) => this.bind(item, level, 'VALUES')));
    const width = rows[0]!.length;
    if (rows.some((r) => r.length !== width)) {
      throw new SqlError(SQLSTATE.syntaxError, 'VALUES lists must all be the same length', { position: exprLocation(stmt.valuesLists[0].List.items[0]) + 1 });
    }
    const types = Array.from({ length: width }, (_, i) => resolveUnknown(commonType(rows.map((r) => r[i]!.type), 'VALUES')));
    const coerced = rows.map((r) => r.map((e, i) => coerce(e, types[i]!)));
    const columns = types.map((type, i) => ({ name: `column${i + 1}`, type, typmod: -1 }));
    return this.orderOutputs(stmt, valuesNode(coerced, columns));
  }

  private bindSetOperation(stmt: any, ctes: CteEnv): BoundQuery {
    const kinds: Record<string, SetOpKind> = { SETOP_UNION: 'union', SETOP_INTERSECT: 'intersect', SETOP_EXCEPT: 'except' };
    const left = this.asRelation(this.bindQuery(stmt.larg, null, ctes, true));
    const right = this.asRelation(this.bindQuery(stmt.rarg, null, ctes, true));
    const opName = kinds[stmt.op]!.toUpperCase();
    if (left.columns.length !== right.columns.length) {
      throw new SqlError(SQLSTATE.syntaxError, `each ${opName} query must have the same number of columns`);
    }
    const types = left.columns.map((c, i) => resolveUnknown(commonType([c.type, right.columns[i]!.type], opName)));
    const columns = left.columns.map((c, i) => ({ name: c.name, type: types[i]!, typmod: c.type.oid === types[i]!.oid && c.typmod === right.columns[i]!.typmod ? c.typmod : -1 }));
    // Casting the arm's own expressions (not its output columns) lets untyped literals take the type.
    const conform = (p: LogicalPlan): LogicalPlan => {
      if (p.columns.every((c, i) => c.type.oid === types[i]!.oid)) return p;
      if (p.op === 'project') return projectNode(p.input, p.exprs.map((e, i) => coerce(e, types[i]!)), columns);
      return projectNode(p, p.columns.map((c, i) => coerce(column(i, c.type), types[i]!)), columns);
    };
    const plan = setOpNode(kinds[stmt.op]!, !!stmt.all, conform(left), conform(right), columns);
    return this.orderOutputs(stmt, plan);
  }

  /** ORDER BY / LIMIT of a VALUES list or a set operation: only output columns can be sorted on. */
  private orderOutputs(stmt: any, plan: LogicalPlan): BoundQuery {
    const order = (stmt.sortClause ?? []).map((s: any) => {
      const node = s.SortBy.node;
      const position = positionOf(node);
      const name = bareName(node);
      const index = position !== null ? position - 1 : plan.columns.findIndex((c) => c.name === name);
      if (index < 0 || index >= plan.columns.length) {
        if (position !== null) {
          throw new SqlError(SQLSTATE.invalidColumnReference, `ORDER BY position ${position} is not in select list`, { position: exprLocation(node) + 1 });
        }
        if (name !== null) throw new SqlError(SQLSTATE.undefinedColumn, `column "${name}" does not exist`, { position: exprLocation(node) + 1 });
        throw unsupported('ORDER BY on an expression of a UNION/INTERSECT/EXCEPT or VALUES result', exprLocation(node));
      }
      return this.sortKey(s.SortBy, column(index, plan.columns[index]!.type));
    });
    return { plan, columns: plan.columns, order, ...this.limits(stmt) };
  }
}

/** Does the (parsed) clause call an aggregate at this query level (not inside a subquery)? */
function containsAggregate(node: any): boolean {
  if (Array.isArray(node)) return node.some(containsAggregate);
  if (!node || typeof node !== 'object') return false;
  if (node.SubLink) return containsAggregate(node.SubLink.testexpr);
  const call = node.FuncCall;
  if (call && !call.over && aggregateName(strings(call.funcname), call.location)) return true;
  return Object.values(node).some(containsAggregate);
}

/** Untyped literals that reach an output column become text, as in PostgreSQL. */
function resolveUnknown(t: SqlType): SqlType {
  return t.oid === T.unknown.oid ? T.text : t;
}

function flattenAnd(node: any): any[] {
  if (node.BoolExpr?.boolop === 'AND_EXPR') return node.BoolExpr.args.flatMap(flattenAnd);
  return [node];
}

/** A JSON aggregate call's arguments, 42883 unless they are as many as it takes. */
function jsonAggregateArgs(n: any, funcname: string[], json: JsonAggregate): any[] {
  const args: any[] = n.args ?? [];
  if (n.agg_star || args.length !== jsonAggregateArity(json)) {
    throw new SqlError(SQLSTATE.undefinedFunction, `function ${funcname.join('.')} with ${n.agg_star ? '*' : args.length} arguments does not exist`, { position: n.location + 1 });
  }
  return args;
}

/** An ordered-set aggregate called with other than one WITHIN GROUP ordering column. */
function noSuchOrderedSet(name: string, columns: number, location: number): SqlError {
  return new SqlError(SQLSTATE.undefinedFunction, `function ${name} with ${columns} ordering columns does not exist`, { position: location + 1 });
}
