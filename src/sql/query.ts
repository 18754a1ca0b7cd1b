/**
 * Planning queries for a session: over the shared dataflow's relations, with the session's
 * settings and parameter types. Views are built into the shared dataflow; ad-hoc reads evaluate
 * the same plan once over snapshots of what they read.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { planQuery, type PlannedQuery } from '../planner/plan-query.js';
import type { RelationColumn, RelationResolver, TableType } from '../planner/catalog-api.js';
import { ParamTypes } from '../planner/bind-expr.js';
import type { Arrangement, Node } from '../engine/index.js';
import type { Session } from './session.js';
import { rewriteForCatalog } from '../catalog/system/query-rewrite.js';

/**
 * A query over the session's catalog; an ad-hoc read plans once at prepare and reads at each
 * execution. One that reads a system relation brings the system tables up to date first, at
 * each execution (DDL may have come between prepare and execute).
 */
export function planSelect(session: Session, query: any, params: ParamTypes): PlannedQuery {
  const db = session.db;
  const resolver = db.resolver();
  let readsSystem = false;
  const relations: RelationResolver = {
    resolve(schema, name, location) {
      const resolved = resolver.resolve(schema, name, location);
      if (resolved.kind === 'system') readsSystem = true;
      return resolved;
    },
  };
  const planned = planQuery(rewriteForCatalog(query, db.system), { relations, params, settings: session.settings });
  if (!readsSystem) return planned;
  return {
    ...planned,
    build(df, env) {
      db.catalogUpToDate();
      return planned.build(df, env);
    },
    read(env) {
      db.catalogUpToDate();
      return planned.read(env);
    },
  };
}

export interface PlannedView {
  columns: RelationColumn[];
  tableType: TableType;
  /** Adds the view to the dataflow, fills it with one cycle, and returns its node and contents. */
  materialize(): { node: Node; arrangement: Arrangement };
  explain(): string;
}

export function planForView(session: Session, query: any): PlannedView {
  const params = new ParamTypes([]);
  const planned = planSelect(session, query, params);
  if (params.resolved().length > 0) {
    throw new SqlError(SQLSTATE.undefinedParameter, 'a view cannot have parameters', { position: 1 });
  }
  return {
    columns: planned.columns,
    tableType: planned.tableType,
    materialize() {
      const df = session.db.dataflow;
      const node = planned.build(df, session.evalEnv([]));
      const arrangement = df.materialize(node, planned.replacesRows);
      df.runCycle();
      if (arrangement.error) {
        const err = arrangement.error;
        df.remove(node);
        throw err;
      }
      return { node, arrangement };
    },
    explain: () => planned.explain(true),
  };
}

/** A relation whose changes a subscription or a sink follows (src/engine/change-feed.ts). */
export interface FollowedRelation {
  columns: RelationColumn[];
  /** How its rows change over time (a sink's APPEND envelope needs one that never retracts). */
  tableType: TableType;
  /** A node of the shared dataflow that keeps an arrangement. */
  node: Node;
  /** Removes what was built for the follower (nothing for a relation followed as it is). */
  dispose(): void;
}

/**
 * Maintains a query in the shared dataflow as a temporary materialized node, as CREATE
 * MATERIALIZED VIEW would but owned by one follower: dispose() removes it again.
 */
export function maintainQuery(session: Session, query: any): FollowedRelation {
  const planned = planForView(session, query);
  const { node } = planned.materialize();
  const df = session.db.dataflow;
  return { columns: planned.columns, tableType: planned.tableType, node, dispose: () => df.remove(node) };
}

/**
 * What following a named relation reads: its own node when it keeps an arrangement (tables,
 * sources, materialized views, system relations), else (a plain view) its query maintained for
 * the follower alone.
 */
export function followRelation(session: Session, schema: string | null, name: string, location: number): FollowedRelation {
  const db = session.db;
  const rel = db.getQualified(schema, name, location);
  if (rel.kind === 'view') return { ...maintainQuery(session, rel.query), columns: rel.columns };
  const resolved = db.resolved(rel);
  const tableType = resolved.kind === 'view' ? 'general' : resolved.tableType;
  if (rel.kind !== 'system') return { columns: rel.columns, tableType, node: rel.node as Node, dispose: () => {} };
  // A system table followed as it is: its rows now follow every DDL (Database.catalogChanged).
  db.catalogUpToDate();
  return { columns: rel.columns, tableType, node: rel.node as Node, dispose: db.system.follow() };
}
