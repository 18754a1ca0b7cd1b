/**
 * Subqueries in expressions, planned as joins so they stay incremental:
 * - `[NOT] EXISTS (...)`, `x [NOT] IN (...)` as WHERE conjuncts become semi / anti joins; a
 *   correlated subquery's `outer = inner` conjuncts become join keys, its other correlated
 *   conjuncts the join's residual condition;
 * - EXISTS, IN, op ANY / ALL anywhere else become left joins with per-key counts (and min/max),
 *   from which a CASE computes SQL's three-valued answer;
 * - a scalar subquery `(SELECT ...)` becomes a left join with its result, grouped by the
 *   correlation keys (so each outer row meets at most one row), with a guard that raises 21000
 *   when a key has more than one row, and, for aggregates, the value an aggregate takes over no
 *   rows (count is 0, not NULL) for outer rows without a match.
 * A correlation by equalities groups the subquery's rows by its side of them; any other
 * correlation in the subquery's WHERE groups by the distinct outer values it reads, joined with
 * the subquery's rows under the correlated conditions.
 * Any other shape (outer references in the SELECT list or two levels up; GROUP BY, DISTINCT or
 * LIMIT applying per outer row) is planned over the domain: the distinct values of the outer
 * row, joined into the subquery's FROM so that outer references are plain columns, and carried
 * through its grouping, DISTINCT and LIMIT; the outer row then finds its rows by a NULL-safe
 * key of those values.
 */
import { arraySubqueryAsScalar } from './array-subquery.js';
import { SqlError, SQLSTATE } from '../errors.js';
import { T, type Value } from '../types/types.js';
import type { Expr } from './expr-ir.js';
import { bindOperator, coerce, commonType } from './bind-expr.js';
import { OUTER_BASE } from './scope.js';
import { aggregateNode, distinctNode, filterNode, joinNode, projectNode, semiJoinNode, type AggCall, type LogicalPlan } from './logical.js';
import { column, columnsUsed, conjunction, constBool, equalityOperands, exprEquals, remapColumns, transformExpr } from './expr-utils.js';
import { AGG_BASE, SUBQUERY_BASE, type BoundQuery, type Level, type QueryBinderApi } from './binder-api.js';
import { CorrelationUnsupported, unsupported } from './parse-nodes.js';
import { domainOf, tupleKey } from './domain.js';

/** A correlated subquery taken apart: its FROM + local WHERE, and the conjuncts linking it to the outer row. */
interface Correlated {
  inner: Level;
  /** Pairs (outer expression over the outer row, inner expression over the inner row). */
  outerKey: Expr[];
  innerKey: Expr[];
  /** Other correlated conjuncts, over (outer row ++ inner row). */
  residual: Expr[];
  /** Every correlated conjunct, over (outer row ++ inner row). */
  all: Expr[];
}

/** How a correlated subquery's rows are grouped so that each outer row meets one group. */
interface Grouping {
  /** The rows to group. */
  rows: LogicalPlan;
  /** The group key over `rows`, matched against `outerKey` over the outer row. */
  groupKey: Expr[];
  outerKey: Expr[];
  /** Moves an expression over the subquery's own row onto `rows`. */
  remap: (e: Expr) => Expr;
}

/** Correlation by equalities only: group the subquery's rows by their side of the equalities. */
function byEqualities(corr: Correlated): Grouping {
  return { rows: corr.inner.plan, groupKey: corr.innerKey, outerKey: corr.outerKey, remap: (e) => e };
}

function remapAggregate(a: AggCall, remap: (e: Expr) => Expr): AggCall {
  return {
    ...a,
    args: a.args.map(remap),
    filter: a.filter ? remap(a.filter) : null,
    orderBy: a.orderBy.map((k) => ({ ...k, expr: remap(k.expr) })),
  };
}

/** A subquery bound against its outer level: planned on its own, or correlated. */
type Analyzed =
  | { query: BoundQuery; corr?: undefined; domain?: undefined }
  | { query?: undefined; corr: Correlated; domain?: undefined }
  /** Correlated beyond what the direct decorrelation takes apart: plan it over the domain. */
  | { query?: undefined; corr?: undefined; domain: true };

function isSimpleSelect(stmt: any): boolean {
  return (!stmt.op || stmt.op === 'SETOP_NONE') && !stmt.valuesLists && !stmt.withClause;
}

/** The value an aggregate has over no rows: what an outer row without matches sees. */
function emptyAggregateValue(a: AggCall): Value {
  return a.name === 'count' ? 0n : null;
}

export class SubqueryPlanner {
  constructor(private readonly binder: QueryBinderApi) {}

  /**
   * A WHERE conjunct that is [NOT] EXISTS / [NOT] IN (subquery): joins it into `level.plan` as
   * a semi or anti join and returns true; any other conjunct returns false.
   */
  tryWhereConjunct(node: any, level: Level): boolean {
    let negate = false;
    let n = node;
    if (n.BoolExpr?.boolop === 'NOT_EXPR' && n.BoolExpr.args[0].SubLink) {
      negate = true;
      n = n.BoolExpr.args[0];
    }
    const link = n.SubLink;
    if (!link) return false;
    if (link.subLinkType === 'EXISTS_SUBLINK') {
      this.semiJoin(level, link, null, negate);
      return true;
    }
    if (link.subLinkType === 'ANY_SUBLINK' && isEquality(link.operName)) {
      this.semiJoin(level, link, link.testexpr, negate);
      return true;
    }
    return false;
  }

  /** The binder's subLink hook: a subquery anywhere else in an expression. */
  expression(link: any, level: Level, clause: string): Expr {
    if (!['WHERE', 'select', 'ORDER BY', 'HAVING', 'DISTINCT ON'].includes(clause)) {
      throw unsupported(`subqueries in ${clause}`, link.location);
    }
    switch (link.subLinkType) {
      case 'EXPR_SUBLINK':
        return this.scalar(link, level);
      case 'ARRAY_SUBLINK':
        return this.scalar(arraySubqueryAsScalar(link), level);
      case 'EXISTS_SUBLINK':
        return this.existsValue(link, level);
      case 'ANY_SUBLINK':
      case 'ALL_SUBLINK':
        return this.quantifiedValue(link, level);
      default:
        throw unsupported(`${link.subLinkType.replace('_SUBLINK', '')} subqueries`, link.location);
    }
  }

  /** EXISTS (...) as a value: a left join with the row count (per correlation key). */
  private existsValue(link: any, level: Level): Expr {
    const stmt = link.subselect.SelectStmt;
    const { query, corr } = this.analyze(stmt, level);
    if (query) {
      const counted = aggregateNode(this.binder.asRelation(query), [], [COUNT_STAR], [{ name: 'count', type: T.int8, typmod: -1 }], 'general');
      const base = this.joinOnto(level, counted, [], 0);
      return bindOperator('>', [column(base, T.int8), int8(0)]);
    }
    let grouped: { rows: LogicalPlan; keys: Expr[]; outerKey: Expr[] } | undefined;
    if (corr) {
      this.direct(() => {
        this.plainCorrelated(stmt, corr.inner, link);
        const g = corr.residual.length === 0 ? byEqualities(corr) : this.byDomain(level, corr);
        grouped = { rows: g.rows, keys: g.groupKey, outerKey: g.outerKey };
      });
    }
    if (!grouped) {
      const { right, key, outerKey } = this.inDomain(stmt, level, link, false);
      grouped = { rows: projectNode(right, [key], [{ name: 'key0', type: T.text, typmod: -1 }]), keys: [column(0, T.text)], outerKey: [outerKey] };
    }
    const { rows, keys, outerKey } = grouped;
    const perKey = aggregateNode(rows, keys, [COUNT_STAR], [...keyColumns(keys), { name: 'count', type: T.int8, typmod: -1 }], 'general');
    const base = this.joinOnto(level, perKey, outerKey, keys.length);
    return { kind: 'isnotnull', arg: column(base + keys.length, T.int8), type: T.bool };
  }

  /**
   * x IN / NOT IN / op ANY / op ALL (subquery) as a value, with SQL's three-valued result: per
   * (correlation key) the subquery's row count, NULL count and (for ordering operators) its
   * min and max decide, plus for IN whether x itself is among the values.
   */
  private quantifiedValue(link: any, level: Level): Expr {
    const all = link.subLinkType === 'ALL_SUBLINK';
    const op = link.operName ? link.operName[link.operName.length - 1].String.sval : '=';
    const membership = (!all && op === '=') || (all && op === '<>');
    const ordering = ['<', '<=', '>', '>='].includes(op);
    if (!membership && !ordering) throw unsupported(`${op} ${all ? 'ALL' : 'ANY'} (subquery)`, link.location);
    if (link.testexpr.RowExpr) throw unsupported('row-valued IN (subquery) except as a top-level WHERE condition', link.location);
    const x0 = this.binder.bind(link.testexpr, level, 'WHERE');
    const stmt = link.subselect.SelectStmt;
    const { query, corr } = this.analyze(stmt, level);
    // The subquery's values, after the keys that tie them to an outer row (none if uncorrelated).
    let rows: LogicalPlan | undefined;
    let keys: Expr[] = [];
    let outerKey: Expr[] = [];
    if (query) {
      rows = this.binder.asRelation(query);
      if (rows.columns.length !== 1) throw subqueryWidth(link, rows.columns.length > 1);
    } else if (corr) {
      this.direct(() => {
        const targets = this.plainCorrelated(stmt, corr.inner, link);
        if (targets.length !== 1) throw subqueryWidth(link, targets.length > 1);
        const grouping = corr.residual.length === 0 ? byEqualities(corr) : this.byDomain(level, corr);
        const y = grouping.remap(targets[0]!.expr);
        rows = projectNode(grouping.rows, [...grouping.groupKey, y], [...keyColumns(grouping.groupKey), { name: 'y', type: y.type, typmod: -1 }]);
        keys = grouping.groupKey;
        outerKey = grouping.outerKey;
      });
    }
    if (!rows) {
      const { right, key, outerKey: outer, d } = this.inDomain(stmt, level, link, false);
      if (right.columns.length !== d + 1) throw subqueryWidth(link, right.columns.length > d + 1);
      rows = projectNode(right, [key, column(d, right.columns[d]!.type)], [{ name: 'key0', type: T.text, typmod: -1 }, { name: 'y', type: right.columns[d]!.type, typmod: -1 }]);
      keys = [key];
      outerKey = [outer];
    }
    const k = keys.length;
    const keyCols = keys.map((key, i) => column(i, key.type));
    const [[x], [y]] = keyPairs([x0], [column(k, rows.columns[k]!.type)]);
    const yIsNull: Expr = { kind: 'isnull', arg: y!, type: T.bool };
    const stats: AggCall[] = [COUNT_STAR, { ...COUNT_STAR, filter: yIsNull }];
    if (ordering) stats.push(aggregate('min', y!), aggregate('max', y!));
    const statsPlan = aggregateNode(
      rows,
      keyCols,
      stats,
      [...keyColumns(keys), ...stats.map((a) => ({ name: a.name, type: a.type, typmod: -1 }))],
      'general',
    );
    const s = this.joinOnto(level, statsPlan, outerKey, k) + k;
    const n = column(s, T.int8);
    const nulls = column(s + 1, T.int8);
    const none: Expr = { kind: 'or', args: [{ kind: 'isnull', arg: n, type: T.bool }, bindOperator('=', [n, int8(0)])], type: T.bool };
    const unknownIf: Expr = { kind: 'or', args: [{ kind: 'isnull', arg: x!, type: T.bool }, bindOperator('>', [nulls, int8(0)])], type: T.bool };
    const TRUE = constBool(true);
    const FALSE = constBool(false);
    const NULL: Expr = { kind: 'const', value: null, type: T.bool };
    const decide = (whens: [Expr, Expr][], otherwise: Expr): Expr => ({
      kind: 'case',
      whens: whens.map(([when, then]) => ({ when, then })),
      else: otherwise,
      type: T.bool,
    });
    if (membership) {
      const matches = aggregateNode(
        filterNode(rows, { kind: 'isnotnull', arg: y!, type: T.bool }),
        [...keyCols, y!],
        [COUNT_STAR],
        [...keyColumns(keys), { name: 'y', type: y!.type, typmod: -1 }, { name: 'count', type: T.int8, typmod: -1 }],
        'general',
      );
      const m = column(this.joinOnto(level, matches, [...outerKey, x!], k + 1) + k + 1, T.int8);
      const isIn = decide([[{ kind: 'isnotnull', arg: m, type: T.bool }, TRUE], [none, FALSE], [unknownIf, NULL]], FALSE);
      return all ? { kind: 'not', arg: isIn, type: T.bool } : isIn;
    }
    // ANY passes when x beats the weakest value, ALL when it beats the strongest.
    const min = column(s + 2, y!.type);
    const max = column(s + 3, y!.type);
    const greater = op[0] === '>';
    const bound = all === greater ? max : min;
    const beats = bindOperator(op, [x!, bound]);
    if (all) return decide([[none, TRUE], [isNull(x!), NULL], [{ kind: 'not', arg: beats, type: T.bool }, FALSE], [unknownIf, NULL]], TRUE);
    return decide([[none, FALSE], [isNull(x!), NULL], [beats, TRUE], [unknownIf, NULL]], FALSE);
  }

  private semiJoin(level: Level, link: any, testexpr: any, anti: boolean): void {
    const stmt = link.subselect.SelectStmt;
    const test = testexpr ? this.testExpressions(testexpr, level) : [];
    const { query, corr } = this.analyze(stmt, level);
    const width = level.plan.columns.length;
    if (query) {
      const right = this.binder.asRelation(query);
      if (testexpr && right.columns.length !== test.length) throw subqueryWidth(link, test.length < right.columns.length);
      const [leftKey, rightKey] = keyPairs(test, right.columns.map((c, i) => column(i, c.type)));
      if (anti && test.length > 1) {
        level.plan = semiJoinNode(true, false, level.plan, right, [], [], rowMayEqual(leftKey, rightKey, width));
        return;
      }
      level.plan = semiJoinNode(anti, anti && !!testexpr, level.plan, right, leftKey, rightKey, null);
      return;
    }
    if (corr && this.direct(() => this.semiJoinDirect(level, link, test, anti, corr))) return;
    // Over the domain: the subquery's rows carry the outer values they belong to.
    const { right, key, outerKey, d } = this.inDomain(stmt, level, link, false);
    const targets = right.columns.slice(d).map((c, i) => column(d + i, c.type));
    if (testexpr && targets.length !== test.length) throw subqueryWidth(link, test.length < targets.length);
    const [testKey, targetKey] = keyPairs(test, targets);
    if (anti && testexpr) {
      const sameOuter = bindOperator('=', [outerKey, remapColumns(key, (i) => i + width)]);
      const residual = test.length > 1 ? conjunction([sameOuter, rowMayEqual(testKey, targetKey, width)]) : sameOuter;
      level.plan = semiJoinNode(true, test.length === 1, level.plan, right, test.length > 1 ? [] : testKey, test.length > 1 ? [] : targetKey, residual);
      return;
    }
    level.plan = semiJoinNode(anti, false, level.plan, right, [outerKey, ...testKey], [key, ...targetKey], null);
  }

  /** Runs a direct decorrelation; false when the subquery's shape needs the domain instead. */
  private direct(plan: () => unknown): boolean {
    try {
      plan();
      return true;
    } catch (e) {
      if (e instanceof CorrelationUnsupported) return false;
      throw e;
    }
  }

  private semiJoinDirect(level: Level, link: any, test: Expr[], anti: boolean, corr: Correlated): void {
    const stmt = link.subselect.SelectStmt;
    const testexpr = test.length > 0;
    const inner = corr.inner;
    const bound = this.plainCorrelated(stmt, inner, link);
    const targets = testexpr ? bound : [];
    if (testexpr && targets.length !== test.length) throw subqueryWidth(link, test.length < targets.length);
    const [testKey, targetKey] = keyPairs(test, targets.map((t) => t.expr));
    if (anti && testexpr) {
      // NOT IN: the test is the key; the correlation restricts which right rows count, so it is
      // all residual (a NULL correlation key must not look like a NULL IN value).
      if (test.length > 1) {
        const residual = conjunction([...corr.all, rowMayEqual(testKey, targetKey, level.plan.columns.length)]);
        level.plan = semiJoinNode(true, false, level.plan, inner.plan, [], [], residual);
        return;
      }
      level.plan = semiJoinNode(true, true, level.plan, inner.plan, testKey, targetKey, conjunction(corr.all));
      return;
    }
    level.plan = semiJoinNode(
      anti,
      false,
      level.plan,
      inner.plan,
      [...corr.outerKey, ...testKey],
      [...corr.innerKey, ...targetKey],
      corr.residual.length > 0 ? conjunction(corr.residual) : null,
    );
  }

  /**
   * Plans a correlated subquery over the domain of its outer level: the distinct values of the
   * outer row, joined into the subquery's FROM, so that outer references are plain columns and
   * grouping, DISTINCT and LIMIT apply per outer value. Returns the subquery's rows (domain
   * values first), their NULL-safe domain key and the outer row's matching key.
   * `emptyGroupsOk`: the caller can use `globalEmpty` for outer values no row matches, which a
   * global aggregate needs (it has a row even over no input).
   */
  private inDomain(
    stmt: any,
    level: Level,
    link: any,
    emptyGroupsOk: boolean,
  ): { right: LogicalPlan; key: Expr; outerKey: Expr; d: number; query: BoundQuery; toOuter: (e: Expr) => Expr } {
    const dom = domainOf(level.plan, [...level.scope.entries, ...level.scope.domain]);
    const query = this.binder.bindQuery(stmt, level.scope.outer, level.ctes, false, dom);
    if (query.globalAggregate && !(emptyGroupsOk && query.globalEmpty)) {
      throw unsupported('this correlated subquery over an aggregate without GROUP BY', link.location);
    }
    return { right: this.binder.asRelation(query), key: dom.key, outerKey: dom.outerKey, d: dom.width, query, toOuter: dom.toOuter };
  }

  /**
   * The SELECT list of a correlated EXISTS / IN subquery, which must be a plain filter of its
   * FROM (no aggregates, grouping, DISTINCT or LIMIT: they would apply per outer row).
   */
  private plainCorrelated(stmt: any, inner: Level, link: any): { expr: Expr }[] {
    const targets = this.localTargets(stmt, inner, link);
    // EXISTS (... LIMIT 1) asks the same question as without the LIMIT.
    const harmlessLimit = link.subLinkType === 'EXISTS_SUBLINK' && !stmt.limitOffset && stmt.limitCount?.A_Const?.ival?.ival > 0;
    const limited = (stmt.limitCount && !harmlessLimit) || stmt.limitOffset;
    if (inner.aggregates.length > 0 || stmt.groupClause || stmt.havingClause || stmt.distinctClause || limited) {
      throw new CorrelationUnsupported('a correlated EXISTS / IN subquery with aggregates, GROUP BY, DISTINCT or LIMIT', link.location);
    }
    return targets;
  }

  /** A correlated subquery's SELECT list, which may not itself read the outer query. */
  private localTargets(stmt: any, inner: Level, link: any): { expr: Expr }[] {
    const targets = this.binder.bindTargets(stmt, inner);
    if (targets.some((t) => [...columnsUsed(t.expr)].some((i) => i >= OUTER_BASE))) {
      throw new CorrelationUnsupported('a correlated subquery whose SELECT list reads the outer query', link.location);
    }
    return targets;
  }

  private testExpressions(testexpr: any, level: Level): Expr[] {
    if (testexpr.RowExpr) return testexpr.RowExpr.args.map((a: any) => this.binder.bind(a, level, 'WHERE'));
    return [this.binder.bind(testexpr, level, 'WHERE')];
  }

  /**
   * Binds a subquery against the outer level: a subquery that does not reference the outer
   * query is planned on its own; one that references it only in its WHERE comes back as its
   * FROM + local WHERE and the correlated conjuncts; any other needs the domain.
   */
  private analyze(stmt: any, level: Level): Analyzed {
    try {
      return this.analyzeDirect(stmt, level);
    } catch (e) {
      if (e instanceof CorrelationUnsupported) return { domain: true };
      throw e;
    }
  }

  private analyzeDirect(stmt: any, level: Level): Analyzed {
    if (!isSimpleSelect(stmt)) return { query: this.binder.bindQuery(stmt, level.scope, level.ctes) };
    const { level: inner, correlated } = this.binder.fromAndWhere(stmt, level.scope, level.ctes);
    if (correlated.length === 0) return { query: this.binder.finishSelect(stmt, inner) };
    const outerKey: Expr[] = [];
    const innerKey: Expr[] = [];
    const residual: Expr[] = [];
    const all: Expr[] = [];
    const outerWidth = level.plan.columns.length;
    const isOuter = (i: number) => i >= OUTER_BASE;
    for (const c of correlated) {
      all.push(remapColumns(c, (i) => (isOuter(i) ? i - OUTER_BASE : i + outerWidth)));
      const pair = equalityOperands(c);
      if (pair) {
        const [a, b] = pair;
        const aCols = [...columnsUsed(a)];
        const bCols = [...columnsUsed(b)];
        const onlyOuter = (cols: number[]) => cols.length > 0 && cols.every(isOuter);
        const onlyInner = (cols: number[]) => !cols.some(isOuter);
        if (onlyOuter(aCols) && onlyInner(bCols)) {
          outerKey.push(remapColumns(a, (i) => i - OUTER_BASE));
          innerKey.push(b);
          continue;
        }
        if (onlyOuter(bCols) && onlyInner(aCols)) {
          outerKey.push(remapColumns(b, (i) => i - OUTER_BASE));
          innerKey.push(a);
          continue;
        }
      }
      residual.push(all[all.length - 1]!);
    }
    return { corr: { inner, outerKey, innerKey, residual, all } };
  }

  /** `(SELECT ...)` as a value: a left join with its (per correlation key) single row. */
  private scalar(link: any, level: Level): Expr {
    const stmt = link.subselect.SelectStmt;
    const { query, corr } = this.analyze(stmt, level);
    if (query) {
      const q = this.binder.asRelation(query);
      if (q.columns.length !== 1) throw scalarWidth(link);
      const right = singleRowGuard(q, [], link.location);
      if (level.deferred) {
        level.deferred.push(right);
        return column(SUBQUERY_BASE + level.deferred.length - 1, q.columns[0]!.type);
      }
      return this.attach(level, right, [], [], { kind: 'const', value: null, type: q.columns[0]!.type }, false);
    }
    let planned: { right: LogicalPlan; keys: Expr[]; outerKey: Expr[]; empty: Expr | null } | undefined;
    if (corr) this.direct(() => (planned = this.scalarDirect(link, level, corr)));
    if (!planned) planned = this.scalarInDomain(link, level);
    const { right, keys, outerKey, empty } = planned;
    const value = right.columns[keys.length]!.type;
    return this.attach(level, right, outerKey, keys, empty ?? { kind: 'const', value: null, type: value }, empty !== null);
  }

  /**
   * A correlated scalar subquery taken apart directly: one row per correlation key (keys, value,
   * and for aggregates a `matched` marker with the aggregates' value over no rows as `empty`).
   */
  private scalarDirect(link: any, level: Level, corr: Correlated): { right: LogicalPlan; keys: Expr[]; outerKey: Expr[]; empty: Expr | null } {
    const stmt = link.subselect.SelectStmt;
    if (stmt.groupClause || stmt.havingClause || stmt.distinctClause || stmt.sortClause || stmt.limitCount || stmt.limitOffset) {
      throw new CorrelationUnsupported('a correlated scalar subquery with GROUP BY, HAVING, DISTINCT, ORDER BY or LIMIT', link.location);
    }
    const inner = corr.inner;
    const targets = this.localTargets(stmt, inner, link);
    if (targets.length !== 1) throw scalarWidth(link);
    const grouping = corr.residual.length === 0 ? byEqualities(corr) : this.byDomain(level, corr);
    const target = grouping.remap(targets[0]!.expr);
    const aggregates = inner.aggregates.map((a) => remapAggregate(a, grouping.remap));
    const keys = grouping.groupKey;
    if (aggregates.length === 0) {
      const rows = projectNode(grouping.rows, [...keys, target], [...keyColumns(keys), { name: '?column?', type: target.type, typmod: -1 }]);
      return { right: singleRowGuard(rows, keys.map((k, i) => column(i, k.type)), link.location), keys, outerKey: grouping.outerKey, empty: null };
    }
    // One row per correlation key: the keys, then the aggregates; the target over that row.
    const agg = aggregateNode(grouping.rows, keys, aggregates, [...keyColumns(keys), ...aggregates.map((a) => ({ name: a.name, type: a.type, typmod: -1 }))]);
    const outside = () => new CorrelationUnsupported('a correlated scalar subquery whose result reads columns outside its aggregates', link.location);
    const grouped = transformExpr(target, (x) => {
      const a = this.binder.aggregateIndex(x);
      if (a !== null) return column(keys.length + a, x.type);
      const k = keys.findIndex((key) => exprEquals(key, x));
      if (k >= 0) return column(k, x.type);
      if (x.kind === 'column') throw outside();
      return undefined;
    });
    const empty = transformExpr(target, (x) => {
      const a = this.binder.aggregateIndex(x);
      return a === null ? undefined : { kind: 'const', value: emptyAggregateValue(aggregates[a]!), type: x.type };
    });
    if (columnsUsed(empty).size > 0) throw outside();
    const right = projectNode(
      agg,
      [...keys.map((k, i) => column(i, k.type)), grouped, { kind: 'const', value: true, type: T.bool }],
      [...agg.columns.slice(0, keys.length), { name: '?column?', type: target.type, typmod: -1 }, { name: 'matched', type: T.bool, typmod: -1 }],
    );
    return { right, keys, outerKey: grouping.outerKey, empty };
  }

  /** A correlated scalar subquery of any shape, planned over the domain of outer values. */
  private scalarInDomain(link: any, level: Level): { right: LogicalPlan; keys: Expr[]; outerKey: Expr[]; empty: Expr | null } {
    const { right, key, outerKey, d, query, toOuter } = this.inDomain(link.subselect.SelectStmt, level, link, true);
    if (right.columns.length !== d + 1) throw scalarWidth(link);
    const valueType = right.columns[d]!.type;
    const keyCol = { name: 'key0', type: T.text, typmod: -1 };
    if (query.globalAggregate) {
      // One row per matched outer value; the others get the aggregates' value over no rows.
      const rows = projectNode(right, [key, column(d, valueType), { kind: 'const', value: true, type: T.bool }], [
        keyCol,
        { name: '?column?', type: valueType, typmod: -1 },
        { name: 'matched', type: T.bool, typmod: -1 },
      ]);
      return { right: rows, keys: [key], outerKey: [outerKey], empty: toOuter(query.globalEmpty![0]!) };
    }
    const rows = projectNode(right, [key, column(d, valueType)], [keyCol, { name: '?column?', type: valueType, typmod: -1 }]);
    return { right: singleRowGuard(rows, [column(0, T.text)], link.location), keys: [key], outerKey: [outerKey], empty: null };
  }


  /**
   * Groups a correlated subquery whose correlation is not just equalities: the distinct values
   * of the outer columns it reads (the domain) are joined with its rows under the correlated
   * conditions, so each group is "the subquery's rows for these outer values". The outer row
   * finds its group by a NULL-safe key of those values.
   */
  private byDomain(level: Level, corr: Correlated): Grouping {
    const outerWidth = level.plan.columns.length;
    const outerCols = [...new Set(corr.all.flatMap((c) => [...columnsUsed(c)].filter((i) => i < outerWidth)))].sort((a, b) => a - b);
    const refs = outerCols.map((i) => column(i, level.plan.columns[i]!.type));
    const domain = distinctNode(projectNode(level.plan, refs, outerCols.map((i) => level.plan.columns[i]!)));
    const d = outerCols.length;
    const condition = conjunction(corr.all.map((c) => remapColumns(c, (i) => (i < outerWidth ? outerCols.indexOf(i) : d + i - outerWidth))));
    const rows = joinNode('inner', domain, corr.inner.plan, [], [], condition);
    const domainKey = tupleKey(refs.map((r, i) => column(i, r.type)));
    // The inner row sits after the domain columns; aggregate placeholders stay as they are.
    const remap = (e: Expr) => transformExpr(e, (x) => (x.kind === 'column' && x.index < AGG_BASE ? column(x.index + d, x.type) : undefined));
    return { rows, groupKey: [domainKey], outerKey: [tupleKey(refs)], remap };
  }

  /**
   * Left-joins `right`, whose first `keyCount` columns match `outerKey`, onto the level's plan;
   * returns the position of right's first column in the widened row.
   */
  private joinOnto(level: Level, right: LogicalPlan, outerKey: Expr[], keyCount: number): number {
    if (level.deferred) {
      throw unsupported('correlated subqueries, EXISTS and IN in the SELECT list, HAVING or ORDER BY of an aggregate query');
    }
    const base = level.plan.columns.length;
    const rightKey = right.columns.slice(0, keyCount).map((c, i) => column(i, c.type));
    const [lk, rk] = keyPairs(outerKey, rightKey);
    level.plan = joinNode('left', level.plan, right, lk, rk, null);
    for (let i = 0; i < right.columns.length; i++) level.subqueryColumns.add(base + i);
    return base;
  }

  /**
   * Joins a scalar subquery's rows (key columns, value[, matched]) and returns its value; with a
   * `matched` marker, outer rows without a match get `empty` (what the aggregates give over no rows).
   */
  private attach(level: Level, right: LogicalPlan, outerKey: Expr[], keys: Expr[], empty: Expr, hasMarker: boolean): Expr {
    const base = this.joinOnto(level, right, outerKey, keys.length);
    const value = column(base + keys.length, right.columns[keys.length]!.type);
    if (!hasMarker) return value;
    const marker = column(base + keys.length + 1, T.bool);
    return { kind: 'case', whens: [{ when: { kind: 'isnull', arg: marker, type: T.bool }, then: empty }], else: value, type: value.type };
  }
}

const COUNT_STAR: AggCall = { name: 'count', args: [], distinct: false, filter: null, orderBy: [], type: T.int8 };

function aggregate(name: 'min' | 'max', arg: Expr): AggCall {
  return { name, args: [arg], distinct: false, filter: null, orderBy: [], type: arg.type };
}

function int8(n: number): Expr {
  return { kind: 'const', value: BigInt(n), type: T.int8 };
}

function isNull(x: Expr): Expr {
  return { kind: 'isnull', arg: x, type: T.bool };
}

function keyColumns(keys: Expr[]): { name: string; type: Expr['type']; typmod: number }[] {
  return keys.map((k, i) => ({ name: `key${i}`, type: k.type, typmod: -1 }));
}

/**
 * Groups `rows` (key columns then one value column) by its keys into one row per key
 * (keys, value); a key with more than one row raises 21000 when the row is produced.
 */
function singleRowGuard(rows: LogicalPlan, keys: Expr[], location: number): LogicalPlan {
  const valueIndex = keys.length;
  const valueType = rows.columns[valueIndex]!.type;
  const aggs: AggCall[] = [
    { name: 'count', args: [], distinct: false, filter: null, orderBy: [], type: T.int8 },
    { name: 'first', args: [column(valueIndex, valueType)], distinct: false, filter: null, orderBy: [], type: valueType },
  ];
  // 'general': the guard counts the rows there are now, even over a stream.
  const agg = aggregateNode(
    rows,
    keys,
    aggs,
    [...rows.columns.slice(0, keys.length), { name: 'count', type: T.int8, typmod: -1 }, { name: 'first', type: valueType, typmod: -1 }],
    'general',
  );
  const guard: Expr = {
    kind: 'call',
    name: 'scalar_subquery_single_row',
    args: [column(keys.length, T.int8), column(keys.length + 1, valueType)],
    type: valueType,
    strict: false,
    volatile: false,
    impl: ([count, value]) => {
      if (typeof count === 'bigint' && count > 1n) {
        throw new SqlError(SQLSTATE.cardinalityViolation, 'more than one row returned by a subquery used as an expression', {
          position: location + 1,
        });
      }
      return value ?? null;
    },
  };
  return projectNode(agg, [...keys.map((k, i) => column(i, k.type)), guard], [
    ...rows.columns.slice(0, keys.length),
    { name: '?column?', type: valueType, typmod: -1 },
  ]);
}

function isEquality(operName: any[] | undefined): boolean {
  if (!operName) return true;
  const name = operName[operName.length - 1].String.sval;
  return name === '=';
}

function subqueryWidth(link: any, tooMany: boolean): SqlError {
  return new SqlError(SQLSTATE.syntaxError, tooMany ? 'subquery has too many columns' : 'subquery has too few columns', {
    position: link.location + 1,
  });
}

function scalarWidth(link: any): SqlError {
  return new SqlError(SQLSTATE.syntaxError, 'subquery must return only one column', { position: link.location + 1 });
}

/** Equi-join key pairs brought to a common type per position, so equal values hash alike. */
function keyPairs(left: Expr[], right: Expr[]): [Expr[], Expr[]] {
  const l: Expr[] = [];
  const r: Expr[] = [];
  left.forEach((a, i) => {
    const b = right[i]!;
    const type = a.type.oid === b.type.oid ? a.type : commonType([a.type, b.type], 'IN');
    l.push(coerce(a, type));
    r.push(coerce(b, type));
  });
  return [l, r];
}

/**
 * For row-valued NOT IN: `(l1, l2) = (r1, r2)` is not false, i.e. every column pair is equal or
 * involves a NULL. A left row survives NOT IN exactly when no right row may equal it. Evaluated
 * over (left row ++ right row); `right` is over the right row alone.
 */
function rowMayEqual(left: Expr[], right: Expr[], leftWidth: number): Expr {
  return conjunction(
    left.map((l, i) => {
      const r = remapColumns(right[i]!, (x) => x + leftWidth);
      return {
        kind: 'or',
        args: [{ kind: 'isnull', arg: l, type: T.bool }, { kind: 'isnull', arg: r, type: T.bool }, bindOperator('=', [l, r])],
        type: T.bool,
      } as Expr;
    }),
  );
}
