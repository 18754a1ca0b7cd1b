/**
 * The relations the database holds, as every layer that works with them sees them: tables (rows
 * in SQLite and memory), views (a stored query), materialized views (an arrangement kept by the
 * dataflow), sources (fed by a running SourceRuntime) and Eddy's own system relations.
 * src/sql keeps them by name; src/catalog/system describes them in pg_catalog; src/kafka
 * implements SourceRuntime.
 */
import type { InputNode } from '../engine/dataflow.js';
import type { RelationColumn, TableType } from '../planner/catalog-api.js';
import type { TableData } from './table.js';
import type { IndexArrangement } from '../engine/index-arrangement.js';

interface RelationBase {
  id: number;
  name: string;
  /** The statement that created it (SHOW CREATE, and replay at start). */
  sql: string;
  columns: RelationColumn[];
  /** Names of the relations its definition reads. */
  dependsOn: string[];
}

export interface TableRelation extends RelationBase {
  kind: 'table';
  data: TableData;
  node: any;
}

export interface ViewRelation extends RelationBase {
  kind: 'view';
  query: any;
}

export interface MaterializedViewRelation extends RelationBase {
  kind: 'materialized-view';
  node: any;
  arrangement: any;
  tableType: TableType;
  explain: string;
}

/** What a running source (a Kafka consumer, a time table's timer) offers the database. */
export interface SourceRuntime {
  /** One row of SHOW SOURCES beyond the name: type, topic, table type, status, messages, errors, lag. */
  status(): { type: string; topic: string | null; status: string; messages: number; errors: number; lag: number | null };
  /** Stops reading (DROP SOURCE, shutdown). */
  stop(): Promise<void>;
  /**
   * After a restart: resolves once the source has read again what its log held when the server
   * started (or can tell it never will, e.g. its broker is down), so that the first clients see
   * the contents from before the restart rather than a partial replay.
   */
  caughtUp?(): Promise<void>;
}

export interface SourceRelation extends RelationBase {
  kind: 'source';
  node: InputNode;
  tableType: TableType;
  runtime: SourceRuntime;
}

/** A relation Eddy maintains itself (eddy_source_errors): readable, never stored or dropped. */
export interface SystemRelation extends RelationBase {
  kind: 'system';
  node: InputNode;
}

export type Relation = TableRelation | ViewRelation | MaterializedViewRelation | SourceRelation | SystemRelation;

/**
 * An index (CREATE INDEX) on a table, materialized view or source: the relation's rows arranged
 * by the key columns, which ad-hoc reads look rows up in. Its name is in the relations' namespace
 * (as in PostgreSQL's pg_class); it goes when its relation goes.
 */
export interface IndexObject {
  id: number;
  name: string;
  /** The indexed relation's name. */
  relation: string;
  /** The key's column positions (0-based) in the relation's rows. */
  columns: readonly number[];
  method: 'btree' | 'hash';
  /** The definition as pg_get_indexdef prints it, which is also what the catalog stores and replays. */
  sql: string;
  arrangement: IndexArrangement;
}
