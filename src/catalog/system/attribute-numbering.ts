/**
 * pgjdbc's DatabaseMetaData.getColumns numbers a relation's columns with
 *   row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)
 * because in PostgreSQL attnums have gaps where columns were dropped. Eddy never drops a column
 * in place, so its attnums are already 1..n per relation, and over all of a relation's
 * attributes that numbering is attnum itself (as bigint, row_number's type). Eddy has no window
 * functions: in a catalog query, exactly this window call becomes the column it equals, and only
 * in a SELECT that keeps every attribute of the relations it reads (see keepsEveryAttribute; no
 * grouping), where the identity holds.
 */

const columnPath = (node: any): string[] | null => {
  const fields: any[] | undefined = node?.ColumnRef?.fields;
  return fields && fields.every((f) => f.String) ? fields.map((f) => f.String.sval as string) : null;
};

/** The qualifier q of row_number() OVER (PARTITION BY q.attrelid ORDER BY q.attnum [ASC]), else null. */
function numberingQualifier(node: any): string | null {
  const call = node?.FuncCall;
  if (!call?.over || call.args?.length || call.funcname?.at(-1)?.String?.sval !== 'row_number') return null;
  const { partitionClause: partition = [], orderClause: order = [] } = call.over;
  if (partition.length !== 1 || order.length !== 1 || call.over.name || call.over.refname) return null;
  const sort = order[0].SortBy;
  if (!sort || (sort.sortby_dir !== 'SORTBY_DEFAULT' && sort.sortby_dir !== 'SORTBY_ASC')) return null;
  const byRelation = columnPath(partition[0]);
  const byNumber = columnPath(sort.node);
  if (!byRelation || !byNumber || byRelation.at(-1) !== 'attrelid' || byNumber.at(-1) !== 'attnum') return null;
  const qualifier = byRelation.slice(0, -1).join('.');
  return qualifier === byNumber.slice(0, -1).join('.') ? qualifier : null;
}

/** The conjuncts of an AND tree. */
const conjuncts = (node: any): any[] =>
  node?.BoolExpr?.boolop === 'AND_EXPR' ? node.BoolExpr.args.flatMap(conjuncts) : node ? [node] : [];

/** The two column paths of `x = y`, else null. */
function equality(node: any): [string, string] | null {
  const e = node?.A_Expr;
  if (e?.kind !== 'AEXPR_OP' || e.name?.[0]?.String?.sval !== '=') return null;
  const l = columnPath(e.lexpr);
  const r = columnPath(e.rexpr);
  return l && r ? [l.join('.'), r.join('.')] : null;
}

const columnRefs = (node: any): string[][] => {
  if (Array.isArray(node)) return node.flatMap(columnRefs);
  if (node === null || typeof node !== 'object') return [];
  const path = columnPath(node);
  return path ? [path] : Object.values(node).flatMap(columnRefs);
};

/** Unique keys of the catalog tables pgjdbc LEFT JOINs to attributes (pg_description: empty in Eddy). */
const UNIQUE_KEYS: Record<string, string[][]> = {
  pg_attrdef: [['adrelid', 'adnum']],
  pg_description: [[]],
  pg_class: [['oid']],
  pg_namespace: [['oid']],
  pg_type: [['oid']],
};

/** Does the LEFT JOIN's right side, a catalog table, match at most one row: its ON pins a unique key? */
function matchesAtMostOne(join: any): boolean {
  const rv = join.rarg?.RangeVar;
  const keys = rv ? UNIQUE_KEYS[rv.relname] : undefined;
  if (!keys) return false;
  const alias: string = rv.alias?.aliasname ?? rv.relname;
  const pinned = new Set(
    conjuncts(join.quals)
      .map(equality)
      .flatMap((eq) => (eq ? eq : []))
      .filter((path) => path.split('.').length === 2 && path.startsWith(`${alias}.`))
      .map((path) => path.split('.')[1]!),
  );
  return keys.some((key) => key.every((column) => pinned.has(column)));
}

/** What is joined how: relation names by alias, the conditions that can drop rows (WHERE and inner ONs). */
function joinShape(from: any[]): { relations: Map<string, string>; filters: any[] } | null {
  const relations = new Map<string, string>();
  const filters: any[] = [];
  const visit = (item: any): boolean => {
    if (item.RangeVar) {
      relations.set(item.RangeVar.alias?.aliasname ?? item.RangeVar.relname, item.RangeVar.relname);
      return true;
    }
    const join = item.JoinExpr;
    if (!join || (join.jointype !== 'JOIN_INNER' && join.jointype !== 'JOIN_LEFT')) return false;
    if (!visit(join.larg) || !visit(join.rarg)) return false;
    // a LEFT JOIN's ON drops no row of its left side (the caller checks the attributes are
    // there), and repeats none when it matches at most one row
    if (join.jointype === 'JOIN_INNER') filters.push(...conjuncts(join.quals));
    else if (matchesAtMostOne(join)) filters.push({ leftJoinOver: join.larg });
    else return false;
    return true;
  };
  return from.every(visit) ? { relations, filters } : null;
}

/**
 * Does the SELECT keep every attribute of each relation it reads attributes of (so that the
 * numbering by attnum is attnum)? Attributes (alias `q`) may be joined to their relation
 * (q.attrelid = c.oid), its namespace (c.relnamespace = n.oid) and their type (q.atttypid =
 * t.oid, one pg_type row each), filtered by NOT q.attisdropped and q.attnum > 0 (which all
 * pass), and LEFT JOINed to anything; other conditions may only read the relation and its
 * namespace (dropping whole relations, not single attributes).
 */
function keepsEveryAttribute(select: any, q: string): boolean {
  const shape = joinShape(select.fromClause ?? []);
  if (!shape || shape.relations.get(q) !== 'pg_attribute') return false;
  const filters = [...shape.filters, ...conjuncts(select.whereClause)];
  const isOidOf = (path: string, relname: string) => {
    const [alias, column, ...rest] = path.split('.');
    return rest.length === 0 && column === 'oid' && shape.relations.get(alias!) === relname;
  };
  const equalities = filters.flatMap((f) => {
    const eq = equality(f);
    return eq ? [eq, [eq[1], eq[0]] as [string, string]] : [];
  });
  // the attributes' relation (q.attrelid = c.oid), then its namespace (c.relnamespace = n.oid)
  const perRelation = new Set<string>();
  for (const [l, r] of equalities) if (l === `${q}.attrelid` && isOidOf(r, 'pg_class')) perRelation.add(r.split('.')[0]!);
  for (const [l, r] of equalities) {
    const [owner, column] = l.split('.');
    if (column === 'relnamespace' && perRelation.has(owner!) && isOidOf(r, 'pg_namespace')) perRelation.add(r.split('.')[0]!);
  }
  const keepsAll = (f: any): boolean => {
    if (f.leftJoinOver) return holdsAttributes(f.leftJoinOver, q);
    if (isAttnumPositive(f, q)) return true;
    if (f.BoolExpr?.boolop === 'NOT_EXPR' && columnPath(f.BoolExpr.args[0])?.join('.') === `${q}.attisdropped`) return true;
    const eq = equality(f);
    if (eq && [eq, [eq[1], eq[0]]].some(([l, r]) => l === `${q}.atttypid` && isOidOf(r!, 'pg_type'))) return true;
    return columnRefs(f).every((path) => path.length === 2 && (perRelation.has(path[0]!) || (path[0] === q && path[1] === 'attrelid')));
  };
  return filters.every(keepsAll);
}

const isAttnumPositive = (node: any, qualifier: string): boolean => {
  const e = node?.A_Expr;
  return e?.kind === 'AEXPR_OP' && e.name?.[0]?.String?.sval === '>' && columnPath(e.lexpr)?.join('.') === `${qualifier}.attnum` && e.rexpr?.A_Const?.ival !== undefined && (e.rexpr.A_Const.ival.ival ?? 0) === 0;
};

/** Is the attribute relation (its alias or name `qualifier`) among the FROM items of this subtree? */
function holdsAttributes(node: any, qualifier: string): boolean {
  if (Array.isArray(node)) return node.some((n) => holdsAttributes(n, qualifier));
  if (node === null || typeof node !== 'object') return false;
  const rv = node.RangeVar;
  if (rv) return (rv.alias?.aliasname ?? rv.relname) === qualifier;
  return Object.values(node).some((v) => holdsAttributes(v, qualifier));
}

/** The SelectStmt with the numbering replaced by attnum::int8 where the identity holds, else undefined. */
export function attributeNumbering(node: any): any | undefined {
  const select = node.SelectStmt;
  if (!select?.targetList || select.groupClause || select.havingClause || select.distinctClause) return undefined;
  let changed = false;
  const targetList = select.targetList.map((t: any) => {
    const qualifier = numberingQualifier(t.ResTarget?.val);
    if (qualifier === null || !keepsEveryAttribute(select, qualifier)) return t;
    changed = true;
    const attnum = t.ResTarget.val.FuncCall.over.orderClause[0].SortBy.node;
    const cast = { TypeCast: { arg: attnum, typeName: { names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: 'int8' } }], typemod: -1, location: -1 }, location: -1 } };
    return { ResTarget: { ...t.ResTarget, val: cast } };
  });
  return changed ? { SelectStmt: { ...select, targetList } } : undefined;
}
