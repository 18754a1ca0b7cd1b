/**
 * information_schema._pg_expandarray(v) is PostgreSQL's set-returning function that turns an
 * array into rows (x = element, n = position). pgjdbc's getPrimaryKeys and getIndexInfo (and the
 * tools that copied them) call it in a SELECT list over pg_index.indkey:
 *
 *   SELECT ... (information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ,
 *          information_schema._pg_expandarray(i.indkey) AS KEYS, ... FROM ... pg_index i ...
 *   ) result WHERE result.A_ATTNUM = (result.KEYS).x
 *
 * Eddy has no composite values, but the same rows come from a join: a vector's text form (indkey,
 * an int2vector, reads "1 2") gives its elements as split_part(v::text, ' ', k.n) (arrays like conkey
 * are read the same way) for k.n in 1..32 (INDEX_MAX_KEYS) while non-empty. So the SELECT gets
 * one `generate_series(1, 32) AS k(n)` per distinct argument, `.n` becomes k.n, the element (and
 * the composite, whose only use is its .x) becomes split_part(...)::int2, and (col).x of such a
 * composite column anywhere in the query becomes the column.
 */

const MAX_KEYS = 32;

const withoutLocations = (node: any): string => JSON.stringify(node, (key, value) => (key === 'location' ? undefined : value));

const name = (s: string) => ({ String: { sval: s } });
const int = (i: number) => ({ A_Const: { ival: { ival: i }, location: -1 } });
const call = (fn: string, args: any[]) => ({ FuncCall: { funcname: [name('pg_catalog'), name(fn)], args, funcformat: 'COERCE_EXPLICIT_CALL', location: -1 } });
const cast = (arg: any, type: string) => ({ TypeCast: { arg, typeName: { names: [name('pg_catalog'), name(type)], typemod: -1, location: -1 }, location: -1 } });
const column = (...path: string[]) => ({ ColumnRef: { fields: path.map(name), location: -1 } });
const text = (s: string) => ({ A_Const: { sval: { sval: s }, location: -1 } });

/**
 * The element at position alias.n of a vector held as text ("1 2") or of an int2[] such as
 * pg_constraint.conkey ("{1,2}" as text: the braces dropped, commas made spaces), '' past its end.
 */
const elementText = (vector: any, alias: string) =>
  call('split_part', [call('translate', [cast(vector, 'text'), text(',{}'), text(' ')]), text(' '), column(alias, 'n')]);

/** The argument of an information_schema._pg_expandarray(v) call, else undefined. */
function expandedArgument(node: any): any | undefined {
  const c = node?.FuncCall;
  const fn: string[] | undefined = c?.funcname?.map((f: any) => f.String?.sval);
  if (!fn || fn.at(-1) !== '_pg_expandarray' || (fn.length === 2 && fn[0] !== 'information_schema') || c.args?.length !== 1) return undefined;
  return c.args[0];
}

/** The field (x or n) selected from an expansion: (information_schema._pg_expandarray(v)).f */
function selectedField(node: any): { argument: any; field: string } | undefined {
  const ind = node?.A_Indirection;
  const field = ind?.indirection?.length === 1 ? ind.indirection[0].String?.sval : undefined;
  const argument = expandedArgument(ind?.arg);
  return argument !== undefined && (field === 'x' || field === 'n') ? { argument, field } : undefined;
}

/** Names of the SELECT-list columns that hold a whole expansion (the composite), anywhere in the query. */
export function compositeColumns(node: any, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => compositeColumns(n, found));
  else if (node !== null && typeof node === 'object') {
    const target = node.ResTarget;
    if (target?.name && expandedArgument(target.val) !== undefined) found.add(target.name);
    Object.values(node).forEach((v) => compositeColumns(v, found));
  }
  return found;
}

/** (col).x of a composite expansion column: the column, which holds the element. */
export function compositeElement(node: any, composites: ReadonlySet<string>): any | undefined {
  const ind = node.A_Indirection;
  if (ind?.indirection?.length !== 1 || ind.indirection[0].String?.sval !== 'x') return undefined;
  const path: any[] | undefined = ind.arg?.ColumnRef?.fields;
  return path && composites.has(path.at(-1)?.String?.sval) ? ind.arg : undefined;
}

/** The SelectStmt with its SELECT-list expansions turned into a join, else undefined. */
export function expandArrays(node: any): any | undefined {
  const select = node.SelectStmt;
  if (!select?.targetList || select.groupClause || select.havingClause || select.distinctClause) return undefined;
  const series = new Map<string, { alias: string; argument: any }>();
  const seriesFor = (argument: any) => {
    const key = withoutLocations(argument);
    if (!series.has(key)) series.set(key, { alias: `eddy_expand_${series.size + 1}`, argument });
    return series.get(key)!;
  };
  const targetList = select.targetList.map((t: any) => {
    const val = t.ResTarget?.val;
    const selected = selectedField(val);
    const whole = expandedArgument(val);
    if (!selected && whole === undefined) return t;
    const { alias, argument } = seriesFor(selected?.argument ?? whole);
    const expanded = selected?.field === 'n' ? column(alias, 'n') : cast(elementText(argument, alias), 'int2');
    return { ResTarget: { ...t.ResTarget, val: expanded } };
  });
  // expansions of different vectors run in lockstep in PostgreSQL, not as a product: not this form
  if (series.size !== 1) return undefined;
  const fromClause = [...(select.fromClause ?? [])];
  const present: any[] = [];
  for (const { alias, argument } of series.values()) {
    fromClause.push({
      RangeFunction: { functions: [{ List: { items: [call('generate_series', [int(1), int(MAX_KEYS)]), {}] } }], alias: { aliasname: alias, colnames: [name('n')] } },
    });
    present.push({ A_Expr: { kind: 'AEXPR_OP', name: [name('<>')], lexpr: elementText(argument, alias), rexpr: text(''), location: -1 } });
  }
  const conditions = select.whereClause ? [select.whereClause, ...present] : present;
  const whereClause = conditions.length === 1 ? conditions[0] : { BoolExpr: { boolop: 'AND_EXPR', args: conditions, location: -1 } };
  return { SelectStmt: { ...select, targetList, fromClause, whereClause } };
}
