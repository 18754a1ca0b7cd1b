/**
 * pg_catalog and information_schema as relations of the shared dataflow: one general input node
 * per system table, whose rows are recomputed from the database's relations after DDL changes
 * them (when next read, or at once while the dataflow follows one), pushing only the difference.
 * Reading a system table is then like reading any relation, and a materialized view over
 * pg_catalog stays correct as tables come and go.
 *
 * It also answers the lookups catalog functions need (pg_get_viewdef, pg_get_indexdef ...)
 * from the same description of the relations.
 */
import type { Dataflow, InputNode } from '../../engine/dataflow.js';
import type { Change, Row } from '../../engine/batch.js';
import type { CatalogInfo } from '../../planner/catalog-api.js';
import type { IndexObject, Relation, SystemRelation, ViewRelation } from '../relation.js';
import { parseSync } from 'libpg-query';
import { SYSTEM_VIEWS } from './system-views.js';
import { rowKey } from '../../types/compare.js';
import { describeIndex, describeRelation, indexDefinitionOf, primaryKeyIndex, type CatalogIndex, type CatalogRelation } from './catalog-relation.js';
import { quoteIdent } from './definition-text.js';
import { builtinFunctions, functionSignature } from './builtin-functions.js';
import { TYPE_IO_FUNCTIONS } from './type-io-functions.js';
import { INFORMATION_SCHEMA_TABLES } from './information-schema-tables.js';
import { PG_CATALOG_TABLES } from './pg-catalog-tables.js';
import { DATABASE_NAME, DATABASE_OID, FIRST_CONNECTED_NAME_OID, OWNER_NAME, OWNER_OID, type SchemaName } from './oids.js';
import { NO_ROWS, type CatalogContents, type SystemTable } from './system-table.js';

/** The system tables that are views in PostgreSQL (pg_class shows them with relkind 'v'). */
const POSTGRES_VIEWS = new Set(['pg_roles', 'pg_user', 'pg_matviews', 'pg_views', 'pg_tables', 'pg_indexes', 'pg_user_mappings']);

interface LiveTable {
  table: SystemTable;
  relation: SystemRelation;
  /** The rows last pushed, by row key. */
  rows: Map<string, Row>;
}

export class SystemCatalog implements CatalogInfo {
  private readonly tables = new Map<string, LiveTable>();
  /** The system tables described as relations: fixed, so described once. */
  private readonly ownRelations: CatalogRelation[];
  /** Described user relations, cached per relation object (a definition never changes in place). */
  private readonly described = new WeakMap<Relation, CatalogRelation>();
  private current: CatalogRelation[] = [];
  private currentIndexes: CatalogIndex[] = [];
  /** The current relations and indexes by oid: catalog functions look up per row. */
  private byOidIndex = new Map<number, CatalogRelation>();
  private indexesByOid = new Map<number, CatalogIndex>();
  private readonly databases = new Map<string, number>([[DATABASE_NAME, DATABASE_OID]]);
  private readonly roles = new Map<string, number>([[OWNER_NAME, OWNER_OID]]);
  private nextConnectedOid = FIRST_CONNECTED_NAME_OID;
  /** pg_proc's functions by name (regproc literals), built on first use. */
  private functionsByName: Map<string, number[]> | null = null;

  /** The views over session functions (pg_settings, pg_stat_activity), their queries parsed on first use. */
  private readonly views = new Map<string, ViewRelation>();

  constructor(dataflow: Dataflow) {
    for (const table of [...PG_CATALOG_TABLES, ...INFORMATION_SCHEMA_TABLES]) {
      const node: InputNode = dataflow.input(`${table.schema}.${table.name}`, 'general');
      const relation: SystemRelation = { kind: 'system', id: table.oid, name: table.name, sql: '', columns: table.columns, dependsOn: [], node };
      this.tables.set(`${table.schema}.${table.name}`, { table, relation, rows: new Map() });
    }
    this.ownRelations = [...this.tables.values()].map(({ table }) => ({
      oid: table.oid,
      name: table.name,
      schema: table.schema,
      relkind: table.schema === 'information_schema' || POSTGRES_VIEWS.has(table.name) ? 'v' : 'r',
      columns: table.columns,
      defaults: new Map(),
      primaryKey: [],
      viewQuery: null,
      writable: false,
    }));
    for (const view of SYSTEM_VIEWS) {
      const relation: ViewRelation = { kind: 'view', id: view.oid, name: view.name, sql: view.query, columns: view.columns, dependsOn: [], query: null };
      this.views.set(`pg_catalog.${view.name}`, relation);
      this.ownRelations.push({ oid: view.oid, name: view.name, schema: 'pg_catalog', relkind: 'v', columns: view.columns, defaults: new Map(), primaryKey: [], viewQuery: view.query, writable: false });
    }
  }

  /**
   * Notes the user and database name a session connected with (pg_roles, pg_database list them,
   * so that `datname = current_database()` finds the database); true when either is new.
   */
  connected(user: string, database: string): boolean {
    let added = false;
    for (const [names, name] of [[this.roles, user], [this.databases, database]] as const) {
      if (!names.has(name)) {
        names.set(name, this.nextConnectedOid++);
        added = true;
      }
    }
    return added;
  }

  /** The oid pg_database or pg_roles gives a name clients connected with (pg_stat_activity's datid, usesysid). */
  connectedOid(kind: 'database' | 'role', name: string): number | null {
    return (kind === 'database' ? this.databases : this.roles).get(name) ?? null;
  }

  roleName(oid: number): string | null {
    for (const [name, roleOid] of this.roles) if (roleOid === oid) return name;
    return null;
  }

  /** Does [schema.]name name a system table or view (unqualified: one in pg_catalog, as the search path resolves)? */
  isSystemTable(schema: string | null, name: string): boolean {
    const key = `${schema ?? 'pg_catalog'}.${name}`;
    return this.tables.has(key) || this.views.has(key);
  }

  /** The oid of the relation or index [schema.]name: unqualified names look in pg_catalog first, then public. */
  relationOid(schema: string | null, name: string): number | null {
    const schemas = schema === null ? ['pg_catalog', 'public'] : [schema];
    for (const s of schemas) {
      const rel = this.current.find((r) => r.schema === s && r.name === name) ?? this.currentIndexes.find((i) => i.table.schema === s && i.name === name);
      if (rel) return rel.oid;
    }
    return null;
  }

  isAlwaysEmptyTable(schema: string | null, name: string): boolean {
    return this.tables.get(`${schema ?? 'pg_catalog'}.${name}`)?.table.rows === NO_ROWS;
  }

  functionOids(name: string): readonly number[] {
    if (!this.functionsByName) {
      this.functionsByName = new Map();
      for (const f of [...builtinFunctions(), ...TYPE_IO_FUNCTIONS]) {
        this.functionsByName.set(f.name, [...(this.functionsByName.get(f.name) ?? []), f.oid]);
      }
    }
    return this.functionsByName.get(name) ?? [];
  }

  /** The system table or view `schema.name`, if there is one. */
  relation(schema: string, name: string): SystemRelation | ViewRelation | undefined {
    const key = `${schema}.${name}`;
    const view = this.views.get(key);
    if (view) {
      view.query ??= parseSync(view.sql).stmts[0]!.stmt.SelectStmt;
      return view;
    }
    return this.tables.get(key)?.relation;
  }

  /**
   * Brings the lookups catalog functions make (by oid, by name) up to date with the database's
   * relations, without recomputing the system tables' rows (refresh does that from this description).
   */
  describe(relations: Iterable<Relation>, indexes: Iterable<IndexObject>): void {
    let systemIndex = 0;
    const user = [...relations].map((rel) => {
      const index = rel.kind === 'system' ? systemIndex++ : 0;
      const cached = this.described.get(rel);
      if (cached) return cached;
      const described = describeRelation(rel, index);
      this.described.set(rel, described);
      return described;
    });
    this.current = [...user, ...this.ownRelations];
    this.byOidIndex = new Map(this.current.map((r) => [r.oid, r]));
    const byName = new Map(user.map((r) => [r.name, r]));
    this.currentIndexes = [
      ...this.current.flatMap((r) => primaryKeyIndex(r) ?? []),
      ...[...indexes].flatMap((i) => {
        const table = byName.get(i.relation);
        return table ? [describeIndex(i, table)] : [];
      }),
    ];
    this.indexesByOid = new Map(this.currentIndexes.map((i) => [i.oid, i]));
  }

  /** Subscriptions that follow a system table itself (a view over one is a consumer of its node). */
  private followers = 0;

  /**
   * Does the dataflow maintain anything over a system table? Then its rows must follow every DDL
   * at once; otherwise they are recomputed only when read.
   */
  followed(): boolean {
    if (this.followers > 0) return true;
    for (const live of this.tables.values()) if (live.relation.node.consumers.size > 0) return true;
    return false;
  }

  /** A subscription follows a system table's node: its rows follow every DDL until release(). */
  follow(): () => void {
    this.followers++;
    let released = false;
    return () => {
      if (!released) this.followers--;
      released = true;
    };
  }

  /**
   * Recomputes every system table from the relations as last described (describe runs at every
   * DDL) and pushes the differences. Returns whether anything changed (the caller then runs an
   * update cycle).
   */
  refresh(): boolean {
    const named = (names: Map<string, number>) => [...names].map(([name, oid]) => ({ oid, name }));
    const contents: CatalogContents = { relations: this.current, indexes: this.currentIndexes, databases: named(this.databases), roles: named(this.roles) };
    let changed = false;
    for (const live of this.tables.values()) {
      const next = new Map<string, Row>();
      for (const row of live.table.rows(contents)) next.set(rowKey(row), row);
      const changes: Change[] = [];
      for (const [key, row] of live.rows) if (!next.has(key)) changes.push({ row, diff: -1 });
      for (const [key, row] of next) if (!live.rows.has(key)) changes.push({ row, diff: 1 });
      live.rows = next;
      if (changes.length > 0) {
        live.relation.node.push(changes);
        changed = true;
      }
    }
    return changed;
  }

  private byOid(oid: number): CatalogRelation | undefined {
    return this.byOidIndex.get(oid);
  }

  relationPlace(oid: number): { schema: SchemaName; name: string } | null {
    const rel = this.byOid(oid);
    if (rel) return { schema: rel.schema, name: rel.name };
    const index = this.indexesByOid.get(oid);
    return index ? { schema: index.table.schema, name: index.name } : null;
  }

  /** pg_get_viewdef: the view's query as PostgreSQL prints it (leading space, closing semicolon). */
  viewDefinition(oid: number): string | null {
    const query = this.byOid(oid)?.viewQuery;
    return query == null ? null : ` ${query};`;
  }

  indexDefinition(oid: number, column = 0): string | null {
    const index = this.indexesByOid.get(oid);
    if (!index) return null;
    // pg_get_indexdef(index, n > 0): the n-th key column alone (empty past the last, as PostgreSQL)
    if (column > 0) return column <= index.columns.length ? quoteIdent(index.table.columns[index.columns[column - 1]!]!.name) : '';
    return indexDefinitionOf(index);
  }

  functionSignature(oid: number): { result: string; arguments: string } | null {
    return functionSignature(oid);
  }

  constraintDefinition(oid: number): string | null {
    const index = this.indexesByOid.get(oid);
    if (!index?.primary) return null;
    return `PRIMARY KEY (${index.columns.map((p) => quoteIdent(index.table.columns[p]!.name)).join(', ')})`;
  }
}
