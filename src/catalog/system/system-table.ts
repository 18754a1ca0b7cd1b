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
  int2vector: T.int2vector, oidvector: T.oidvector,
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
