/**
 * pgjdbc's DatabaseMetaData.getColumns numbers a relation's columns with
 *   row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)
 * because in PostgreSQL attnums have gaps where columns were dropped. Eddy never drops a column
 * in place, so its attnums are already 1..n per relation and that numbering is attnum itself
 * (as bigint, row_number's type). Eddy has no window functions: in queries that read the
 * catalog, exactly this window call is replaced by the column it equals.
 */

const columnPath = (node: any): string[] | null => {
  const fields: any[] | undefined = node?.ColumnRef?.fields;
  return fields && fields.every((f) => f.String) ? fields.map((f) => f.String.sval as string) : null;
};

/** `x.attnum::int8` for row_number() OVER (PARTITION BY x.attrelid ORDER BY x.attnum [ASC]), else undefined. */
export function attributeNumbering(node: any): any | undefined {
  const call = node.FuncCall;
  if (!call?.over || call.args?.length || call.funcname?.at(-1)?.String?.sval !== 'row_number') return undefined;
  const { partitionClause: partition = [], orderClause: order = [] } = call.over;
  if (partition.length !== 1 || order.length !== 1 || call.over.name || call.over.refname) return undefined;
  const sort = order[0].SortBy;
  if (!sort || (sort.sortby_dir !== 'SORTBY_DEFAULT' && sort.sortby_dir !== 'SORTBY_ASC')) return undefined;
  const byRelation = columnPath(partition[0]);
  const byNumber = columnPath(sort.node);
  if (!byRelation || !byNumber || byRelation.at(-1) !== 'attrelid' || byNumber.at(-1) !== 'attnum') return undefined;
  if (byRelation.slice(0, -1).join('.') !== byNumber.slice(0, -1).join('.')) return undefined;
  return {
    TypeCast: {
      arg: sort.node,
      typeName: { names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: 'int8' } }], typemod: -1, location: -1 },
      location: -1,
    },
  };
}
