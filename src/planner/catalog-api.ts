/**
 * What the query planner needs from the catalog, and nothing more: resolving a relation name to
 * its columns, its table type and the engine node that produces its changes (or, for a plain
 * view, its stored query, which the planner inlines). src/catalog + src/sql implement it.
 */
import type { SharedIndex } from '../engine/ops/join.js';
import type { SqlType, Value } from '../types/types.js';

/**
 * How a relation's rows change over time; operators use it to skip state they cannot need.
 * - append: rows are only ever added;
 * - stream: rows live for one update cycle (added, then removed on the next cycle);
 *   aggregations over a stream ignore the removals;
 * - ring: the last `ring` rows;
 * - general: anything (inserts and retractions).
 */
export type TableType = 'append' | 'stream' | { ring: number } | 'general';

export interface RelationColumn {
  name: string;
  type: SqlType;
  /** pg_attribute.atttypmod, -1 when none. */
  typmod: number;
  notNull?: boolean;
}

export type ResolvedRelation =
  | {
      kind: 'table' | 'source' | 'materialized-view' | 'system';
      name: string;
      columns: RelationColumn[];
      tableType: TableType;
      /** The engine node (of the shared Dataflow) that produces this relation's changes. */
      node: unknown;
      /** Its indexes (CREATE INDEX), which ad-hoc reads look rows up in; absent or empty when none. */
      indexes?: readonly RelationIndex[];
    }
  | {
      kind: 'view';
      name: string;
      columns: RelationColumn[];
      /** The stored view's parsed SelectStmt node (libpg-query JSON); the planner inlines it. */
      query: any;
    };

/** An index on a relation: its rows arranged by some of its columns. */
export interface RelationIndex {
  name: string;
  /** The key's column positions (0-based) in the relation's rows. */
  columns: readonly number[];
  /**
   * The rows whose key columns equal `key`, as of the last update cycle (none when it holds a
   * NULL); null when the index has been dropped since the query was planned (read the relation).
   */
  lookup(key: readonly Value[]): Value[][] | null;
  /**
   * How many rows the index holds (counting multiplicities), which the planner weighs when both
   * sides of a join could be looked up; null when the index has been dropped since planning.
   */
  size(): number | null;
  /**
   * A hold on the index's arrangement for a maintained join to read one side from (CREATE INDEX
   * only: a primary key keeps no arrangement by key); null when dropped. Release it when done.
   */
  share?(): SharedIndex | null;
}

export interface RelationResolver {
  /**
   * Resolves `schema.name` (schema null when unqualified). Throws SqlError 42P01
   * `relation "name" does not exist` with `location` (0-based offset) as its position.
   */
  resolve(schema: string | null, name: string, location: number): ResolvedRelation;
}

/** Session settings as the planner reads them (TimeZone, DateStyle, ...). */
export interface PlannerSettings {
  get(name: string): string | undefined;
}

/**
 * What catalog functions (pg_get_viewdef, pg_get_indexdef, pg_table_is_visible ...) look up by
 * object id; src/catalog/system implements it. Absent where no database is at hand.
 */
export interface CatalogInfo {
  /** A relation's (or primary key index's) schema and name. */
  relationPlace(oid: number): { schema: string; name: string } | null;
  /** The oid of the relation [schema.]name (unqualified: along the search path), or null. */
  relationOid(schema: string | null, name: string): number | null;
  viewDefinition(oid: number): string | null;
  roleName(oid: number): string | null;
  /** pg_get_indexdef: the CREATE INDEX statement, or with column > 0 that key column. */
  indexDefinition(oid: number, column?: number): string | null;
  constraintDefinition(oid: number): string | null;
  /** pg_get_function_result / pg_get_function_arguments of a function. */
  functionSignature(oid: number): { result: string; arguments: string } | null;
}

/**
 * A session's view of the server's sessions, for the session functions (pg_show_all_settings,
 * pg_stat_get_activity, pg_cancel_backend ...); src/sql implements it. Rows are records by
 * column name.
 */
export interface SessionControl {
  /** This session's process id, as sent in BackendKeyData. */
  readonly backendPid: number;
  /** pg_show_all_settings(): this session's settings. */
  settingRows(): Record<string, Value>[];
  /** pg_stat_get_activity(pid): every client session (pid null) or that one. */
  activityRows(pid: number | null): Record<string, Value>[];
  /** pg_cancel_backend: cancels that session's statement; false (after a WARNING) when no session has the pid. */
  cancelBackend(pid: number): boolean;
  /** pg_terminate_backend: ends that session (57P01); false (after a WARNING) when no session has the pid. */
  terminateBackend(pid: number): boolean;
}
