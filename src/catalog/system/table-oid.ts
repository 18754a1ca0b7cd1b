/**
 * The system column `tableoid` of a system table: pgAdmin joins pg_depend on
 * `dep.classid = cls.tableoid` and pg_constraint on `con.tableoid = dep.refclassid`. Eddy's
 * relations have no system columns, but a system table's tableoid is one constant, its own oid
 * (pg_class's 1259): `alias.tableoid` of a system table named in the same SELECT's FROM becomes
 * that oid before binding, and `alias.xmin` the bootstrap transaction's id.
 */
import type { IsCatalogRelation } from './catalog-arrays.js';
import type { ObjectNames } from './object-name-literals.js';

type CatalogNames = ObjectNames & { isSystemTable: IsCatalogRelation };

/**
 * xmin, which pgAdmin reads of a view's pg_class row: Eddy has no transaction ids, so every
 * catalog row is as if made at bootstrap (PostgreSQL's initdb rows have xmin 1), typed oid.
 */
const BOOTSTRAP_XID = 1;

/** alias -> oid of the system tables a FROM clause names (joins included, subqueries not). */
function systemTableAliases(from: any[], catalog: CatalogNames): Map<string, number> {
  const aliases = new Map<string, number>();
  const visit = (item: any): void => {
    if (item?.JoinExpr) {
      visit(item.JoinExpr.larg);
      visit(item.JoinExpr.rarg);
      return;
    }
    const range = item?.RangeVar;
    if (!range) return;
    const schema: string | null = range.schemaname ?? null;
    if (!catalog.isSystemTable(schema, range.relname)) return;
    const oid = catalog.relationOid(schema, range.relname);
    if (oid !== null) aliases.set(range.alias?.aliasname ?? range.relname, oid);
  };
  from.forEach(visit);
  return aliases;
}

/** Within a SELECT over system tables: its `alias.tableoid` and `alias.xmin` references as oid constants (the SELECT copied), else undefined. */
export function tableOidReferences(node: any, catalog: CatalogNames): any | undefined {
  const from = node?.SelectStmt?.fromClause;
  if (!Array.isArray(from)) return undefined;
  const aliases = systemTableAliases(from, catalog);
  if (aliases.size === 0) return undefined;
  let changed = false;
  const replace = (n: any): any => {
    if (Array.isArray(n)) {
      const items = n.map(replace);
      return items.some((x, i) => x !== n[i]) ? items : n;
    }
    if (n === null || typeof n !== 'object') return n;
    // a nested SELECT has its own FROM: its references are its own business
    if (n.SelectStmt && n !== node) return n;
    const fields = n.ColumnRef?.fields;
    const column: string | undefined = fields?.length === 2 ? fields[1]?.String?.sval : undefined;
    const tableOid = column === 'tableoid' || column === 'xmin' ? aliases.get(fields[0]?.String?.sval) : undefined;
    if (tableOid !== undefined) {
      changed = true;
      const location = n.ColumnRef.location ?? -1;
      const value = column === 'tableoid' ? tableOid : BOOTSTRAP_XID;
      return { TypeCast: { arg: { A_Const: { ival: { ival: value }, location } }, typeName: { names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: 'oid' } }], typemod: -1, location: -1 }, location } };
    }
    // in a select list the constant keeps the column's name (c.xmin is "xmin", not "oid")
    const target = n.ResTarget;
    if (target && !target.name && target.val?.ColumnRef) {
      const val = replace(target.val);
      if (val !== target.val) return { ResTarget: { ...target, name: target.val.ColumnRef.fields[1].String.sval, val } };
    }
    let copy = n;
    for (const [key, value] of Object.entries(n)) {
      const next = replace(value);
      if (next !== value) {
        if (copy === n) copy = { ...n };
        copy[key] = next;
      }
    }
    return copy;
  };
  const result = replace(node);
  return changed ? result : undefined;
}
