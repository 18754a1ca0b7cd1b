/**
 * The FROM clause: tables, sources, views (inlined), CTEs, subqueries and joins (ON, USING,
 * NATURAL; inner, left, right, full, cross, comma lists) become one plan and the name scope
 * that the rest of the query is bound against.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { SqlType } from '../types/types.js';
import type { Expr } from './expr-ir.js';
import { bindFunction, coerce, commonType } from './bind-expr.js';
import { FromScope, type ScopeColumn, type ScopeEntry } from './scope.js';
import { filterNode, getNode, joinNode, projectNode, srfNode, valuesNode, type JoinKind, type LogicalPlan, type SrfCall } from './logical.js';
import { ORDINALITY } from './set-returning.js';
import { bindRecursiveCte, workingTableNode } from './recursive.js';
import { column, constBool } from './expr-utils.js';
import { domainOf } from './domain.js';
import { T } from '../types/types.js';
import { CorrelationUnsupported, exprLocation, nodeTag, strings, unsupported } from './parse-nodes.js';
import { requireBoolean, type CteEnv, type Domain, type Level, type QueryBinderApi } from './binder-api.js';

/**
 * What a function in a subquery's FROM list may read beyond the items before it: the enclosing
 * query (first binding: a reference there sends the subquery to its domain) or the domain's names.
 */
interface Around {
  outer: FromScope | null;
  domain: ScopeEntry[];
  /** Set where the domain's columns are not in the row (inside RIGHT/FULL or a join's right side): the construct refused. */
  refuse?: string;
}

/**
 * A join in a correlated subquery's FROM, planned over its domain: `item` is the row its leftmost
 * item extends (the domain and the FROM items before the join, their names hidden), so that a
 * function or LATERAL subquery down the join's left spine reads the outer values; null off it.
 */
interface Lead {
  item: FromItem | null;
  around: Around;
}

const missingName = (e: unknown): boolean => e instanceof SqlError && (e.code === SQLSTATE.undefinedColumn || e.code === SQLSTATE.undefinedTable);

/** The FROM of a SELECT without one: a single empty row. */
const NO_FROM = (): FromItem => ({ plan: valuesNode([[]], []), entries: [] });

/** What a FROM item contributes: its plan and the names it makes visible (indexes into the plan's row). */
export interface FromItem {
  plan: LogicalPlan;
  entries: ScopeEntry[];
}

export class FromClauseBinder {
  constructor(private readonly binder: QueryBinderApi) {}

  /**
   * The FROM list as one plan and its names. Over a domain (a correlated subquery planned over
   * the distinct outer values), the domain comes first in the row and its names are kept apart.
   */
  bindFromList(items: any[], ctes: CteEnv, domain?: Domain, outer: FromScope | null = null): FromItem & { domainEntries: ScopeEntry[] } {
    // The domain leads the row from the start, so that a function in the list can read it.
    let acc: FromItem | null = domain ? { plan: domain.plan, entries: [] } : null;
    const around: Around = { outer, domain: domain?.entries ?? [] };
    for (const item of items) {
      if (item.RangeSubselect?.lateral) {
        const left = acc ?? NO_FROM();
        const lateral = (named?: ScopeEntry[]) => this.lateralJoin(left, item.RangeSubselect, 'inner', null, ctes, named);
        acc = outer || domain ? this.orOverDomain(around, 'a LATERAL subquery that reads the outer query', exprLocation(item.RangeSubselect.subquery), () => lateral(), () => lateral([...left.entries, ...around.domain])) : lateral();
        continue;
      }
      if (item.RangeFunction) {
        acc = this.functionItem(acc ?? NO_FROM(), item.RangeFunction, false, ctes, around);
        continue;
      }
      if (item.RangeSubselect && (outer || domain)) {
        acc = this.derivedInSubquery(acc, item.RangeSubselect, ctes, around);
        continue;
      }
      if (item.JoinExpr && (outer || domain)) {
        acc = this.joinInSubquery(acc, item, ctes, around);
        continue;
      }
      const next = this.bindFromItem(item, ctes);
      acc = acc ? this.crossJoin(acc, next) : next;
    }
    if (acc) checkDuplicateAliases(acc.entries, items);
    return { ...(acc ?? NO_FROM()), domainEntries: around.domain };
  }

  private crossJoin(left: FromItem, right: FromItem): FromItem {
    const width = left.plan.columns.length;
    return {
      plan: joinNode('inner', left.plan, right.plan, [], [], null),
      entries: [...left.entries, ...shiftEntries(right.entries, width)],
    };
  }

  /** `lead`: the item extends lead.item's row (which it then starts with), see Lead. */
  private bindFromItem(node: any, ctes: CteEnv, lead?: Lead): FromItem {
    const tag = nodeTag(node);
    const n = node[tag];
    const extend = (item: FromItem) => (lead?.item ? this.crossJoin(lead.item, item) : item);
    switch (tag) {
      case 'RangeVar':
        return extend(this.bindRangeVar(n, ctes));
      case 'RangeSubselect': {
        if (n.lateral) throw unsupported('LATERAL on the left of a JOIN', exprLocation(n.subquery));
        if (lead?.item) return this.derivedInSubquery(lead.item, n, ctes, lead.around);
        return this.refuseOuter(lead?.around, [], n, ctes, () => {
          const q = this.binder.bindQuery(n.subquery.SelectStmt, null, ctes);
          return relationItem(this.binder.asRelation(q), n.alias?.aliasname ?? null, n.alias);
        });
      }
      case 'JoinExpr':
        return this.bindJoin(n, ctes, lead);
      case 'RangeFunction':
        return this.functionItem(lead?.item ?? NO_FROM(), n, false, ctes, lead?.around);
      default:
        throw unsupported(`${tag} in FROM`);
    }
  }

  /**
   * A function in FROM, lateral as in PostgreSQL (its arguments may read the FROM items before
   * it): per row of `left`, a set-returning function's rows, any other function's one value.
   * ROWS FROM (f(...), g(...)) and unnest(a, b, ...) run their calls side by side, NULL-padded
   * to the longest; WITH ORDINALITY numbers the rows. `outer` keeps a left row that gets no rows.
   */
  private functionItem(left: FromItem, n: any, outer: boolean, ctes: CteEnv, around?: Around): FromItem {
    // Where the domain is not in the row, its names are an outer scope: reading them is refused.
    const scope = around?.refuse
      ? new FromScope(left.entries, new FromScope(around.domain, around.outer))
      : new FromScope(left.entries, around?.outer ?? null, around?.domain ?? []);
    const level: Level = { plan: left.plan, scope, aggregates: [], subqueryColumns: new Set(), ctes };
    const calls: SrfCall[] = [];
    for (const item of n.functions) {
      const [node, coldefs] = item.List.items;
      if (coldefs && Object.keys(coldefs).length > 0) throw unsupported('a column definition list for a function in FROM', exprLocation(node));
      const call = node.FuncCall;
      if (!call) {
        calls.push(scalarCall('?column?', this.binder.bind(node, level, 'functions in FROM')));
        continue;
      }
      const names = strings(call.funcname);
      const name = names[names.length - 1]!;
      if (call.agg_star || call.agg_distinct || call.agg_order || call.agg_filter || call.over) throw unsupported(`${name}(...) with aggregate or window syntax in FROM`, call.location);
      if (names.length > 1 && names[0] !== 'pg_catalog') {
        throw new SqlError(SQLSTATE.undefinedFunction, `function ${names.join('.')} does not exist`, { position: call.location + 1 });
      }
      const args: Expr[] = (call.args ?? []).map((a: any) => this.binder.bind(a, level, 'functions in FROM'));
      // unnest(a, b, ...) in FROM is ROWS FROM (unnest(a), unnest(b), ...)
      const groups = name === 'unnest' && args.length > 1 ? args.map((a) => [a]) : [args];
      for (const group of groups) {
        const e = bindFunction(name, group, call.location);
        calls.push(e.kind === 'call' && e.setReturning ? { name, args: e.args, output: e.setReturning } : scalarCall(name, e));
      }
    }
    // Arguments that read the enclosing query: the subquery is planned again over its domain.
    if (scope.outerRefs > 0) throw new CorrelationUnsupported(around?.refuse ?? 'a function in FROM that reads the outer query', n.location);
    const colnames = strings(n.alias?.colnames);
    const single = calls.length === 1 && calls[0]!.output.columns.length === 1;
    const produced = calls.flatMap((c) =>
      c.output.columns.map((col) => ({ name: single && n.alias ? n.alias.aliasname : (col.name ?? c.name), type: col.type, typmod: -1 })),
    );
    if (n.ordinality) produced.push(ORDINALITY);
    if (colnames.length > produced.length) {
      throw new SqlError(SQLSTATE.invalidColumnReference, `table "${n.alias.aliasname}" has ${produced.length} columns available but ${colnames.length} columns specified`);
    }
    const columns = produced.map((c, i) => ({ ...c, name: colnames[i] ?? c.name }));
    const plan = srfNode(level.plan, calls, !!n.ordinality, outer, columns);
    const width = level.plan.columns.length;
    const entry: ScopeEntry = { alias: n.alias?.aliasname ?? calls[0]!.name, columns: columns.map((c, i) => ({ ...c, index: width + i })) };
    return { plan, entries: [...left.entries, entry] };
  }

  private bindRangeVar(n: any, ctes: CteEnv): FromItem {
    const refName = n.alias?.aliasname ?? n.relname;
    if (!n.schemaname && ctes.has(n.relname)) {
      const cte = ctes.get(n.relname)!;
      if (cte.workingTable) return relationItem(workingTableNode(n.relname, cte.workingTable), refName, n.alias);
      if (cte.recursive) return relationItem(bindRecursiveCte(this.binder, n.relname, cte, n.location), refName, n.alias);
      const q = this.binder.bindQuery(cte.query, null, cte.env);
      const plan = renameColumns(this.binder.asRelation(q), cte.colnames, n.relname, n.location);
      return relationItem(plan, refName, n.alias);
    }
    const rel = this.binder.ctx.relations.resolve(n.schemaname ?? null, n.relname, n.location);
    let plan: LogicalPlan;
    if (rel.kind === 'view') {
      const q = this.binder.bindQuery(rel.query.SelectStmt ?? rel.query, null, new Map());
      plan = renameColumns(this.binder.asRelation(q), rel.columns.map((c) => c.name), rel.name, n.location);
    } else {
      const columns = rel.columns.map((c) => ({ name: c.name, type: c.type, typmod: c.typmod }));
      plan = getNode(rel.name, rel.kind, rel.node, columns, rel.tableType, rel.indexes);
    }
    return relationItem(plan, refName, n.alias);
  }

  /**
   * `lead`: see Lead. It runs down the left spine through inner and left joins (which keep every
   * left row); a RIGHT or FULL join and a join's right side do not carry the domain's columns.
   */
  private bindJoin(n: any, ctes: CteEnv, lead?: Lead): FromItem {
    const kinds: Record<string, JoinKind> = { JOIN_INNER: 'inner', JOIN_LEFT: 'left', JOIN_RIGHT: 'right', JOIN_FULL: 'full' };
    const kind = kinds[n.jointype];
    if (!kind) throw unsupported(`join type ${n.jointype}`);
    const spine = lead?.item && (kind === 'inner' || kind === 'left') ? lead : undefined;
    const refuse = 'a function reading the outer query on the right side of a join or inside a RIGHT or FULL join, in a correlated subquery,';
    const off: Lead | undefined = lead && { item: null, around: { ...lead.around, refuse } };
    const domain = spine?.around.domain ?? [];
    const left = this.bindFromItem(n.larg, ctes, spine ?? off);
    let item: FromItem;
    if (n.rarg.RangeSubselect?.lateral) {
      if (n.isNatural || n.usingClause) throw unsupported('JOIN LATERAL with USING or NATURAL', exprLocation(n.rarg.RangeSubselect.subquery));
      const sub = n.rarg.RangeSubselect;
      item = this.refuseOuter(off?.around, left.entries, sub, ctes, () => this.lateralJoin(left, sub, kind, n.quals, ctes, [...left.entries, ...domain], domain));
      return this.finishJoin(item, n, lead, spine);
    }
    if (n.rarg.RangeFunction) return this.finishJoin(this.functionJoin(left, n, kind, ctes, spine?.around ?? off?.around), n, lead, spine);
    const right = this.bindFromItem(n.rarg, ctes, off);
    const leftWidth = left.plan.columns.length;
    const entries = [...left.entries, ...shiftEntries(right.entries, leftWidth)];
    if (n.isNatural || n.usingClause) {
      const names = n.isNatural ? naturalColumns(left.entries, right.entries) : strings(n.usingClause);
      item = this.joinUsing(kind, left, right, entries, names);
    } else {
      const residual = n.quals ? this.bindOn(n.quals, entries, joinNode(kind, left.plan, right.plan, [], [], null), ctes, domain, off?.around) : null;
      item = { plan: joinNode(kind, left.plan, right.plan, [], [], residual), entries };
    }
    return this.finishJoin(item, n, lead, spine);
  }

  /**
   * Off the spine, a derived table or LATERAL subquery `n` that misses a name: when the name is
   * the outer query's (it binds with those names in reach), 0A000 rather than the missing name.
   * `named`: the FROM items it may read besides.
   */
  private refuseOuter(around: Around | undefined, named: ScopeEntry[], n: any, ctes: CteEnv, bind: () => FromItem): FromItem {
    try {
      return bind();
    } catch (e) {
      if (!around?.refuse || around.domain.length === 0 || !missingName(e)) throw e;
      try {
        this.binder.bindQuery(n.subquery.SelectStmt, new FromScope([...named, ...around.domain], around.outer), ctes);
      } catch (again) {
        if (missingName(again)) throw e;
      }
      throw unsupported('a subquery reading the outer query on the right side of a join or inside a RIGHT or FULL join, in a correlated subquery,', exprLocation(n.subquery));
    }
  }

  /** The join under its alias; off the spine, the lead's row is joined on here instead. */
  private finishJoin(item: FromItem, n: any, lead: Lead | undefined, spine: Lead | undefined): FromItem {
    const named = n.alias ? this.aliasJoin(item, n.alias) : item;
    return lead?.item && !spine ? this.crossJoin(lead.item, named) : named;
  }

  /** `(a JOIN b ...) AS j (x, y)`: the join's columns under one name. */
  private aliasJoin(item: FromItem, alias: any): FromItem {
    const visible = new FromScope(item.entries).star(null, -1);
    const names = strings(alias.colnames);
    if (names.length > visible.length) {
      throw new SqlError(SQLSTATE.invalidColumnReference, `join expression "${alias.aliasname}" has ${visible.length} columns available but ${names.length} columns specified`);
    }
    return {
      plan: item.plan,
      entries: [{ alias: alias.aliasname, columns: visible.map((c, i) => ({ ...c, name: names[i] ?? c.name, merged: false })) }],
    };
  }

  /**
   * A join's ON condition over the joined row (`entries` name its columns, then `domain`'s).
   * `refused`: off a correlated subquery's spine, where reading the outer query is 0A000.
   */
  private bindOn(quals: any, entries: ScopeEntry[], joined: LogicalPlan, ctes: CteEnv, domain: ScopeEntry[] = [], refused?: Around): Expr {
    const bind = (names: ScopeEntry[]) => {
      const level: Level = { plan: joined, scope: new FromScope(entries, null, names), aggregates: [], subqueryColumns: new Set(), ctes };
      const residual = requireBoolean(this.binder.bind(quals, level, 'JOIN conditions'), 'JOIN/ON', exprLocation(quals));
      if (level.plan !== joined) throw unsupported('subqueries in JOIN conditions', exprLocation(quals));
      return residual;
    };
    try {
      return bind(domain);
    } catch (e) {
      if (!refused?.domain.length || !missingName(e)) throw e;
      bind(refused.domain); // the outer query's names in reach: does the condition read them?
      throw unsupported('a JOIN condition reading the outer query on the right side of a join or inside a RIGHT or FULL join, in a correlated subquery,', exprLocation(quals));
    }
  }

  /**
   * `left, LATERAL (subquery)` and `left [LEFT] JOIN LATERAL (subquery) ON ...`: the subquery is
   * planned over the domain of `left`'s values (so it may read them, per left row) and joined
   * back by their key.
   */
  /**
   * A derived table in a subquery's FROM list, which may read the enclosing query as in
   * PostgreSQL (ARRAY(SELECT generate_series(1, t.n)) becomes one). Bound on its own first; when
   * a name is missing there, the subquery is planned over its domain (CorrelationUnsupported),
   * where the derived table is joined laterally to the domain's values, seeing only those names.
   */
  private derivedInSubquery(acc: FromItem | null, n: any, ctes: CteEnv, around: Around): FromItem {
    const plain = () => {
      const next = this.bindFromItem({ RangeSubselect: n }, ctes);
      return acc ? this.crossJoin(acc, next) : next;
    };
    return this.orOverDomain(around, 'a derived table that reads the outer query', exprLocation(n.subquery), plain, () => this.lateralJoin(acc!, n, 'inner', null, ctes, around.domain));
  }

  /**
   * A join in a subquery's FROM list, bound as is unless a name is missing there; then (first
   * binding) the subquery goes to its domain, where the join's left spine extends the row so far
   * (domain first), its functions, LATERAL subqueries and ON conditions reading the outer values.
   */
  private joinInSubquery(acc: FromItem | null, node: any, ctes: CteEnv, around: Around): FromItem {
    const plain = () => {
      const next = this.bindFromItem(node, ctes);
      return acc ? this.crossJoin(acc, next) : next;
    };
    return this.orOverDomain(around, 'a join that reads the outer query', exprLocation(node), plain, () => {
      const joined = this.bindFromItem(node, ctes, { item: { plan: acc!.plan, entries: [] }, around });
      return { plan: joined.plan, entries: [...acc!.entries, ...joined.entries] };
    });
  }

  /**
   * `plain()`, or when it misses a name: without the domain (first binding), the subquery is
   * planned again over it (CorrelationUnsupported); over it, `overDomain()`. The plain binding
   * first keeps the plans of items that do not read the outer query as they were.
   */
  private orOverDomain(around: Around, what: string, location: number, plain: () => FromItem, overDomain: () => FromItem): FromItem {
    try {
      return plain();
    } catch (e) {
      if (!missingName(e)) throw e;
      if (around.domain.length === 0) throw new CorrelationUnsupported(what, location);
      return overDomain();
    }
  }

  /** `named`: the names the subquery may read (left's own, unless given). */
  private lateralJoin(left: FromItem, n: any, kind: JoinKind, quals: any, ctes: CteEnv, named: ScopeEntry[] = left.entries, onDomain: ScopeEntry[] = []): FromItem {
    const location = exprLocation(n.subquery);
    if (kind === 'right' || kind === 'full') throw unsupported('RIGHT or FULL JOIN LATERAL', location);
    const dom = domainOf(left.plan, named);
    const q = this.binder.bindQuery(n.subquery.SelectStmt, null, ctes, false, dom);
    const sub = this.binder.asRelation(q);
    const d = dom.width;
    const width = left.plan.columns.length;
    const subColumns = sub.columns.slice(d);
    const names = strings(n.alias?.colnames);
    if (names.length > subColumns.length) {
      throw new SqlError(SQLSTATE.invalidColumnReference, `table "${n.alias.aliasname}" has ${subColumns.length} columns available but ${names.length} columns specified`);
    }
    const entry = (index: (i: number) => number): ScopeEntry => ({
      alias: n.alias?.aliasname ?? null,
      columns: subColumns.map((c, i) => ({ name: names[i] ?? c.name, type: c.type, typmod: c.typmod, index: index(i) })),
    });
    const trivialOn = !quals || quals.A_Const?.boolval?.boolval === true;
    if (!q.globalAggregate) {
      const entries = [...left.entries, entry((i) => width + d + i)];
      const residual = trivialOn ? null : this.bindOn(quals, entries, joinNode(kind, left.plan, sub, [], [], null), ctes, onDomain);
      return { plan: joinNode(kind, left.plan, sub, [dom.outerKey], [dom.key], residual), entries };
    }
    // Aggregates without GROUP BY give every left row one row, matched or not.
    const fill = q.globalEmpty;
    if (!fill || !trivialOn) throw unsupported('a LATERAL subquery over an aggregate without GROUP BY, with an ON condition or reading more than its aggregates', location);
    const marked = projectNode(sub, [...sub.columns.map((c, i) => column(i, c.type)), constBool(true)], [...sub.columns, { name: 'matched', type: T.bool, typmod: -1 }]);
    const joined = joinNode('left', left.plan, marked, [dom.outerKey], [dom.key], null);
    const marker = column(width + d + subColumns.length, T.bool);
    const filled: Expr[] = subColumns.map((c, i) => ({
      kind: 'case',
      whens: [{ when: { kind: 'isnull', arg: marker, type: T.bool }, then: dom.toOuter(fill[i]!) }],
      else: column(width + d + i, c.type),
      type: c.type,
    }));
    const base = joined.columns.length;
    const plan = projectNode(joined, [...joined.columns.map((c, i) => column(i, c.type)), ...filled], [...joined.columns, ...subColumns]);
    return { plan, entries: [...left.entries, entry((i) => base + i)] };
  }

  /** `left [LEFT] JOIN [LATERAL] f(...) ON ...`: the function reads left's row; LEFT needs ON true. */
  private functionJoin(left: FromItem, n: any, kind: JoinKind, ctes: CteEnv, around?: Around): FromItem {
    const location = exprLocation(n.rarg.RangeFunction.functions[0].List.items[0]);
    if (n.isNatural || n.usingClause) throw unsupported('JOIN to a function with USING or NATURAL', location);
    const trivialOn = !n.quals || n.quals.A_Const?.boolval?.boolval === true;
    if (kind === 'right' || kind === 'full' || (kind === 'left' && !trivialOn)) throw unsupported(`${kind.toUpperCase()} JOIN to a function${kind === 'left' ? ' with an ON condition other than true' : ''}`, location);
    const item = this.functionItem(left, n.rarg.RangeFunction, kind === 'left', ctes, around);
    const domain = around && !around.refuse ? around.domain : [];
    return trivialOn ? item : { ...item, plan: filterNode(item.plan, this.bindOn(n.quals, item.entries, item.plan, ctes, domain, around?.refuse ? around : undefined)) };
  }

  /** JOIN ... USING (names) / NATURAL JOIN: equi-join keys, and one merged column per name. */
  private joinUsing(kind: JoinKind, left: FromItem, right: FromItem, entries: ScopeEntry[], names: string[]): FromItem {
    const leftWidth = left.plan.columns.length;
    const leftScope = new FromScope(left.entries);
    const rightScope = new FromScope(shiftEntries(right.entries, leftWidth));
    const leftKey: Expr[] = [];
    const rightKey: Expr[] = [];
    const merged: { name: string; l: ScopeColumn; r: ScopeColumn; type: SqlType }[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) {
        throw new SqlError(SQLSTATE.duplicateColumn, `column name "${name}" appears more than once in USING clause`);
      }
      seen.add(name);
      const l = usingColumn(leftScope, name, 'left');
      const r = usingColumn(rightScope, name, 'right');
      const type = commonType([l.type, r.type], 'JOIN/USING');
      leftKey.push(coerce(column(l.index, l.type), type));
      rightKey.push(coerce(column(r.index - leftWidth, r.type), type));
      merged.push({ name, l, r, type });
    }
    let plan = joinNode(kind, left.plan, right.plan, leftKey, rightKey, null);
    // The merged column is one side's column when that side decides it; otherwise it is computed.
    const extra: Expr[] = [];
    const mergedColumns: ScopeColumn[] = merged.map((m) => {
      const direct = kind === 'right' ? m.r : m.l;
      if (kind !== 'full' && direct.type.oid === m.type.oid) return { ...direct, name: m.name };
      const args = [coerce(column(m.l.index, m.l.type), m.type), coerce(column(m.r.index, m.r.type), m.type)];
      const e: Expr = kind === 'full' ? { kind: 'coalesce', args, type: m.type } : args[kind === 'right' ? 1 : 0]!;
      extra.push(e);
      return { name: m.name, type: m.type, typmod: -1, index: plan.columns.length + extra.length - 1 };
    });
    if (extra.length > 0) {
      const width = plan.columns.length;
      const exprs = [...plan.columns.map((c, i) => column(i, c.type)), ...extra];
      const columns = [...plan.columns, ...mergedColumns.filter((c) => c.index >= width).map((c) => ({ name: c.name, type: c.type, typmod: -1 }))];
      plan = projectNode(plan, exprs, columns);
    }
    const hide = new Set(merged.flatMap((m) => [m.l.index, m.r.index]));
    const sideEntries = entries.map((e) => ({ alias: e.alias, columns: e.columns.map((c) => (hide.has(c.index) ? { ...c, merged: true } : c)) }));
    return { plan, entries: [{ alias: null, columns: mergedColumns }, ...sideEntries] };
  }
}

function shiftEntries(entries: ScopeEntry[], by: number): ScopeEntry[] {
  return entries.map((e) => ({ alias: e.alias, columns: e.columns.map((c) => ({ ...c, index: c.index + by })) }));
}

/** A relation (table, view, subquery, CTE) as a FROM item under its reference name. */
function relationItem(plan: LogicalPlan, refName: string | null, alias: any): FromItem {
  const names = strings(alias?.colnames);
  if (names.length > plan.columns.length) {
    throw new SqlError(SQLSTATE.invalidColumnReference, `table "${refName}" has ${plan.columns.length} columns available but ${names.length} columns specified`);
  }
  const columns: ScopeColumn[] = plan.columns.map((c, i) => ({ name: names[i] ?? c.name, type: c.type, typmod: c.typmod, index: i }));
  return { plan, entries: [{ alias: refName, columns }] };
}

/** A CTE's or view's column list renames its query's output columns. */
function renameColumns(plan: LogicalPlan, names: string[], relName: string, location: number): LogicalPlan {
  if (names.length === 0) return plan;
  if (names.length > plan.columns.length) {
    throw new SqlError(SQLSTATE.invalidColumnReference, `"${relName}" has ${plan.columns.length} columns available but ${names.length} columns specified`, { position: location + 1 });
  }
  return { ...plan, columns: plan.columns.map((c, i) => ({ ...c, name: names[i] ?? c.name })) };
}

function usingColumn(scope: FromScope, name: string, side: 'left' | 'right'): ScopeColumn {
  const found = scope.entries.flatMap((e) => e.columns.filter((c) => c.name === name && !c.merged));
  if (found.length === 0) {
    throw new SqlError(SQLSTATE.undefinedColumn, `column "${name}" specified in USING clause does not exist in ${side} table`);
  }
  if (found.length > 1) {
    throw new SqlError(SQLSTATE.ambiguousColumn, `common column name "${name}" appears more than once in ${side} table`);
  }
  return found[0]!;
}

function naturalColumns(left: ScopeEntry[], right: ScopeEntry[]): string[] {
  const rightNames = new Set(right.flatMap((e) => e.columns.filter((c) => !c.merged).map((c) => c.name)));
  const names: string[] = [];
  for (const e of left) for (const c of e.columns) if (!c.merged && rightNames.has(c.name) && !names.includes(c.name)) names.push(c.name);
  return names;
}

function checkDuplicateAliases(entries: ScopeEntry[], items: any[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.alias === null) continue;
    if (seen.has(e.alias)) {
      throw new SqlError(SQLSTATE.duplicateAlias, `table name "${e.alias}" specified more than once`, { position: exprLocation(items[0]) + 1 });
    }
    seen.add(e.alias);
  }
}

/** A function that is not set-returning, in FROM: one row holding its value (NULL included). */
function scalarCall(name: string, e: Expr): SrfCall {
  return { name, args: [e], output: { columns: [{ type: e.type }], rows: ([v]) => [[v!]], strict: false } };
}
