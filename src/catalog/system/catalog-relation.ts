/**
 * One relation as the system catalog describes it: the common shape of user relations (tables,
 * sources, views, materialized views), Eddy's own system relations, and the catalog's tables
 * themselves, from which pg_class, pg_attribute, information_schema.tables ... are computed.
 */
import type { IndexObject, Relation } from '../relation.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import { columnDefaultTexts, indexDefinitionText, viewQueryText } from './definition-text.js';
import { FIRST_EDDY_SYSTEM_OID, NAMESPACE, PRIMARY_KEY_OID_OFFSET, type SchemaName } from './oids.js';

/**
 * pg_class.relkind. Sources are shown as tables ('r'): they are read like tables, and psql's \d
 * and \dt, pgjdbc and BI tools all know how to describe a table, while a foreign table ('f', the
 * closest PostgreSQL notion) would send them to pg_foreign_table for details Eddy does not have.
 * SHOW SOURCES tells sources apart.
 */
export type RelKind = 'r' | 'v' | 'm' | 'i';

export interface CatalogRelation {
  oid: number;
  name: string;
  schema: SchemaName;
  relkind: RelKind;
  columns: readonly RelationColumn[];
  /** DEFAULT expressions as written, by column name. */
  defaults: ReadonlyMap<string, string>;
  /** Positions (0-based) of the primary key's columns; empty when there is none. */
  primaryKey: readonly number[];
  /** A view's or materialized view's query text, else null. */
  viewQuery: string | null;
  /** Takes INSERT/UPDATE/DELETE: tables do; sources, views and system relations do not. */
  writable: boolean;
}

const RELKIND: Record<Relation['kind'], RelKind> = { table: 'r', source: 'r', system: 'r', view: 'v', 'materialized-view': 'm' };

/** Eddy's own system relations (eddy_source_errors) have no catalog id; they get fixed ones. */
const EDDY_SYSTEM_OID_BASE = FIRST_EDDY_SYSTEM_OID + 500;

export function describeRelation(rel: Relation, systemIndex: number): CatalogRelation {
  const isSystem = rel.kind === 'system';
  const isView = rel.kind === 'view' || rel.kind === 'materialized-view';
  return {
    oid: isSystem ? EDDY_SYSTEM_OID_BASE + systemIndex : rel.id,
    name: rel.name,
    schema: isSystem ? 'pg_catalog' : 'public',
    relkind: RELKIND[rel.kind],
    columns: rel.columns,
    defaults: rel.kind === 'table' ? columnDefaultTexts(rel.sql) : new Map(),
    primaryKey: rel.kind === 'table' ? rel.data.primaryKey : [],
    viewQuery: isView ? viewQueryText(rel.sql) : null,
    writable: rel.kind === 'table',
  };
}

export const primaryKeyOid = (rel: CatalogRelation): number => rel.oid + PRIMARY_KEY_OID_OFFSET;
export const primaryKeyName = (rel: CatalogRelation): string => `${rel.name}_pkey`;

/** An index as the system catalog describes it (pg_class relkind 'i', pg_index, pg_indexes). */
export interface CatalogIndex {
  oid: number;
  name: string;
  /** The indexed relation. */
  table: CatalogRelation;
  /** Positions (0-based) of the key columns in the table. */
  columns: readonly number[];
  method: 'btree' | 'hash';
  unique: boolean;
  /** The index of a primary key (which pg_constraint lists too). */
  primary: boolean;
}

/** A table's primary key shown as its unique index, named and numbered as PostgreSQL would. */
export function primaryKeyIndex(rel: CatalogRelation): CatalogIndex | null {
  if (rel.primaryKey.length === 0) return null;
  return { oid: primaryKeyOid(rel), name: primaryKeyName(rel), table: rel, columns: rel.primaryKey, method: 'btree', unique: true, primary: true };
}

/** A CREATE INDEX index on `table` (its described relation). */
export function describeIndex(index: IndexObject, table: CatalogRelation): CatalogIndex {
  return { oid: index.id, name: index.name, table, columns: index.columns, method: index.method, unique: false, primary: false };
}
export const namespaceOid = (rel: CatalogRelation): number => NAMESPACE[rel.schema];

/** pg_get_indexdef(index): the statement that would create it. */
export const indexDefinitionOf = (i: CatalogIndex): string =>
  indexDefinitionText({ name: i.name, schema: i.table.schema, table: i.table.name, method: i.method, columns: i.columns.map((p) => i.table.columns[p]!.name), unique: i.unique });
