/**
 * A WITH inside a subquery whose CTE reads the outer query, as asyncpg's type introspection does:
 *
 *   (WITH RECURSIVE typebases(oid, depth) AS (
 *       SELECT t2.typbasetype, 0 FROM pg_type t2 WHERE t2.oid = t.oid      -- t is the outer query's
 *       UNION ALL SELECT t2.typbasetype, tb.depth + 1 FROM pg_type t2, typebases tb WHERE ...)
 *    SELECT oid FROM typebases ORDER BY depth DESC LIMIT 1)
 *
 * PostgreSQL runs such a subquery again for each outer row. Eddy's plans are dataflows, so the CTE
 * is decorrelated instead: each conjunct `inner = outer` of its first (non-recursive) term becomes
 * an extra column carrying `inner`, the recursive term carries that column along from the working
 * table, and every reading of the CTE in the subquery's own FROM gets the conjunct back as
 * `cte.column = outer`. The CTE then computes, tagged by the value, the rows it would compute for
 * every outer value at once; the subquery is an ordinary correlated one. This holds because the
 * recursive term reads the working table once (as SQL requires) and not the outer query: a row it
 * derives carries the tag of the one row it came from, and UNION's duplicates are per tag.
 *
 * Only that shape is rewritten: qualified outer references, all in top-level `=` conjuncts of
 * the first term's WHERE, a recursive term that does not read the outer query, and a subquery
 * that reads the CTE by name in its FROM list without `*`. Anything else is left as it is, and
 * binding reports the outer reference as before: never a wrong answer.
 */

const TAG_PREFIX = 'eddy_outer_';

const str = (sval: string) => ({ String: { sval } });
const columnRef = (...names: string[]) => ({ ColumnRef: { fields: names.map(str), location: -1 } });
const equals = (lexpr: any, rexpr: any) => ({ A_Expr: { kind: 'AEXPR_OP', name: [str('=')], lexpr, rexpr, location: -1 } });

const conjuncts = (node: any): any[] => (!node ? [] : node.BoolExpr?.boolop === 'AND_EXPR' ? node.BoolExpr.args.flatMap(conjuncts) : [node]);
const conjunction = (nodes: any[]): any =>
  nodes.length === 0 ? undefined : nodes.length === 1 ? nodes[0] : { BoolExpr: { boolop: 'AND_EXPR', args: nodes, location: -1 } };

/** The names a FROM list makes visible: aliases, else relation names. */
function fromNames(items: any[] | undefined, names = new Set<string>()): Set<string> {
  for (const item of items ?? []) {
    if (item.RangeVar) names.add(item.RangeVar.alias?.aliasname ?? item.RangeVar.relname);
    else if (item.RangeSubselect?.alias) names.add(item.RangeSubselect.alias.aliasname);
    else if (item.RangeFunction?.alias) names.add(item.RangeFunction.alias.aliasname);
    else if (item.JoinExpr) {
      if (item.JoinExpr.alias) names.add(item.JoinExpr.alias.aliasname);
      fromNames([item.JoinExpr.larg, item.JoinExpr.rarg], names);
    }
  }
  return names;
}

/**
 * Whether `node` references a qualified name outside `visible` (the term's FROM, growing with
 * each nested SELECT's own). Unqualified references are taken as local: the binder decides.
 */
function readsOuter(node: any, visible: Set<string>): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((n) => readsOuter(n, visible));
  const fields = node.ColumnRef?.fields;
  if (fields) {
    const qualifier = fields.length >= 2 ? fields[fields.length - 2]?.String?.sval : undefined;
    return qualifier !== undefined && !visible.has(qualifier);
  }
  if (node.SelectStmt || node.fromClause) {
    const stmt = node.SelectStmt ?? node;
    const inner = fromNames(stmt.fromClause, new Set(visible));
    return Object.entries(stmt).some(([key, value]) => key !== 'withClause' && readsOuter(value, inner));
  }
  return Object.values(node).some((v) => readsOuter(v, visible));
}

interface Tag {
  column: string;
  /** The CTE term's side of the conjunct: the tag's value. */
  inner: any;
  /** The outer query's side, which the reading subquery compares the tag with. */
  outer: any;
}

/** The outer-linking conjuncts of a CTE's first term taken out as tags, or null when its shape is not the one handled. */
function takeTags(term: any, startAt: number): Tag[] | null {
  if (term.op && term.op !== 'SETOP_NONE') return null;
  const visible = fromNames(term.fromClause);
  const { whereClause, ...rest } = term;
  if (readsOuter(rest, visible)) return null;
  const tags: Tag[] = [];
  const kept: any[] = [];
  for (const c of conjuncts(whereClause)) {
    if (!readsOuter(c, visible)) {
      kept.push(c);
      continue;
    }
    const e = c.A_Expr;
    if (e?.kind !== 'AEXPR_OP' || e.name?.length !== 1 || e.name[0].String?.sval !== '=') return null;
    const [lOuter, rOuter] = [readsOuter(e.lexpr, visible), readsOuter(e.rexpr, visible)];
    if (lOuter === rOuter) return null;
    const [inner, outer] = lOuter ? [e.rexpr, e.lexpr] : [e.lexpr, e.rexpr];
    tags.push({ column: `${TAG_PREFIX}${startAt + tags.length}`, inner, outer });
  }
  term.whereClause = conjunction(kept);
  return tags;
}

const isStar = (target: any) => target.ResTarget?.val?.ColumnRef?.fields?.some((f: any) => f.A_Star);

/** `stmt` (a subquery's SELECT) with its outer-reading CTEs decorrelated; the same object when there are none. */
export function decorrelateCtes(stmt: any): any {
  const ctes: any[] = stmt.withClause?.ctes ?? [];
  if (!ctes.some((c) => readsOuter(c.CommonTableExpr?.ctequery, new Set(ctes.map((d) => d.CommonTableExpr?.ctename))))) return stmt;
  if (stmt.op && stmt.op !== 'SETOP_NONE') return stmt;
  const out = structuredClone(stmt);
  const names = new Set<string>(out.withClause.ctes.map((c: any) => c.CommonTableExpr.ctename));
  let tagCount = 0;
  for (const c of out.withClause.ctes) {
    const cte = c.CommonTableExpr;
    const query = cte.ctequery?.SelectStmt;
    if (!query || !readsOuter(query, names)) continue;
    const recursive = query.op === 'SETOP_UNION';
    const first = recursive ? query.larg : query;
    const tags = takeTags(first, tagCount);
    if (!tags || tags.length === 0 || first.targetList.some(isStar)) return stmt;
    tagCount += tags.length;
    for (const tag of tags) first.targetList.push({ ResTarget: { name: tag.column, val: tag.inner, location: -1 } });
    if (recursive) {
      const term = query.rarg;
      if ((term.op && term.op !== 'SETOP_NONE') || readsOuter(term, new Set([...fromNames(term.fromClause), ...names])) || term.targetList.some(isStar)) return stmt;
      const working = rangeVarsOf(term.fromClause).find((r) => r.relname === cte.ctename && !r.schemaname);
      if (!working) return stmt;
      const alias = working.alias?.aliasname ?? cte.ctename;
      for (const tag of tags) term.targetList.push({ ResTarget: { name: tag.column, val: columnRef(alias, tag.column), location: -1 } });
    }
    if (cte.aliascolnames) cte.aliascolnames.push(...tags.map((t) => str(t.column)));
    // the subquery's own readings of the CTE compare the tags with the outer query
    const readings = (out.fromClause ?? []).filter((f: any) => f.RangeVar?.relname === cte.ctename && !f.RangeVar.schemaname);
    if (readings.length === 0 || out.targetList.some(isStar) || readsCteElsewhere(out, cte.ctename)) return stmt;
    const links = readings.flatMap((r: any) => tags.map((t) => equals(columnRef(r.RangeVar.alias?.aliasname ?? cte.ctename, t.column), t.outer)));
    out.whereClause = conjunction([...conjuncts(out.whereClause), ...links]);
  }
  return out;
}

/** The relations a FROM list names, inside joins too. */
function rangeVarsOf(items: any[] | undefined): any[] {
  return (items ?? []).flatMap((item: any) =>
    item.RangeVar ? [item.RangeVar] : item.JoinExpr ? rangeVarsOf([item.JoinExpr.larg, item.JoinExpr.rarg]) : [],
  );
}

/** Whether the CTE is read anywhere but the subquery's top-level FROM list (a join, a nested subquery, another CTE). */
function readsCteElsewhere(stmt: any, name: string): boolean {
  const { fromClause, withClause, ...rest } = stmt;
  const mentions = (node: any): boolean => {
    if (node === null || typeof node !== 'object') return false;
    if (Array.isArray(node)) return node.some(mentions);
    if (node.RangeVar?.relname === name && !node.RangeVar.schemaname) return true;
    return Object.values(node).some(mentions);
  };
  const otherCtes = withClause.ctes.filter((c: any) => c.CommonTableExpr.ctename !== name);
  return mentions(rest) || mentions(otherCtes) || (fromClause ?? []).some((f: any) => !f.RangeVar && mentions(f));
}
