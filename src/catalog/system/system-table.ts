/**
 * A system table: its place (schema, name, pg_class oid), its columns, and how its rows follow
 * from what the database holds. The SystemCatalog recomputes rows on DDL and pushes the difference.
 */
import type { Row } from '../../engine/batch.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import { arrayTypeOf, T, type SqlType } from '../../types/types.js';
import type { CatalogIndex, CatalogRelation } from './catalog-relation.js';

export interface CatalogContents {
  /** Every relation: user relations, Eddy's system relations and the system tables themselves. */
  relations: readonly CatalogRelation[];
  /** Every index: primary keys' and CREATE INDEX's. */
  indexes: readonly CatalogIndex[];
  /** The names clients have connected with: Eddy serves one database under any name, and any user. */
  databases: readonly { oid: number; name: string }[];
  roles: readonly { oid: number; name: string }[];
}

export interface SystemTable {
  schema: 'pg_catalog' | 'information_schema';
  name: string;
  oid: number;
  columns: RelationColumn[];
  rows(contents: CatalogContents): Row[];
}

const SHORT_TYPES: Record<string, SqlType> = {
  oid: T.oid, name: T.name, text: T.text, bool: T.bool, char: T.char, int2: T.int2, int4: T.int4,
  int8: T.int8, float4: T.float4, timestamptz: T.timestamptz, varchar: T.varchar, _int2: arrayTypeOf(T.int2)!,
  int2vector: T.int2vector, oidvector: T.oidvector, bytea: T.bytea,
};

/** Columns from a compact 'name:type name:type ...' spec (types by pg_type name). */
export function columns(spec: string): RelationColumn[] {
  return spec.trim().split(/\s+/).map((item) => {
    const [name, typname] = item.split(':') as [string, string];
    const type = SHORT_TYPES[typname];
    if (!type) throw new Error(`system table column ${name}: unknown type ${typname}`);
    return { name, type, typmod: -1 };
  });
}

/** The rows of a table Eddy has nothing for (policies, publications, ...): always none. */
export const NO_ROWS = (): Row[] => [];

/**
 * The table with PostgreSQL's columns in PostgreSQL's order, so that `SELECT c.*` (DBeaver reads
 * pg_class, pg_attribute, pg_type ... that way) gives the columns PostgreSQL gives. `order` names
 * them: `name` for a column the table has, `name:type` for one it lacks, whose value is `fill[name]`
 * or NULL (an ACL, option list or expression tree Eddy has none of).
 */
export function inPostgresOrder(t: SystemTable, order: string, fill: Record<string, Row[number]> = {}): SystemTable {
  const own = new Map(t.columns.map((c, i) => [c.name, i]));
  const picks = order.trim().split(/\s+/).map((item) => {
    const [name, type] = item.split(':') as [string, string | undefined];
    const at = own.get(name);
    if (type !== undefined) return { column: columns(item)[0]!, at: -1, value: fill[name] ?? null };
    if (at === undefined) throw new Error(`${t.name}: no column ${name}`);
    return { column: t.columns[at]!, at, value: null };
  });
  if (picks.filter((p) => p.at >= 0).length !== t.columns.length) throw new Error(`${t.name}: columns left out of the order`);
  return {
    ...t,
    columns: picks.map((p) => p.column),
    rows: (contents) => t.rows(contents).map((row) => picks.map((p) => (p.at >= 0 ? row[p.at]! : p.value))),
  };
}
