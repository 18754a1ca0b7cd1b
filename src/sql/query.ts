/**
 * Planning queries for a session: over the shared dataflow's relations, with the session's
 * settings and parameter types. Views are built into the shared dataflow; ad-hoc reads evaluate
 * the same plan once over snapshots of what they read.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { planQuery, type PlannedQuery } from '../planner/plan-query.js';
import type { RelationColumn, TableType } from '../planner/catalog-api.js';
import { ParamTypes } from '../planner/bind-expr.js';
import type { Arrangement, Node } from '../engine/index.js';
import type { Session } from './session.js';
import type { Statement } from './parse.js';
import { rewriteForCatalog } from '../catalog/system/query-rewrite.js';

/** A query over the session's catalog; an ad-hoc read plans once at prepare and reads at each execution. */
export function planSelect(session: Session, query: any, params: ParamTypes): PlannedQuery {
  return planQuery(rewriteForCatalog(query, session.db.system), { relations: session.db.resolver(), params, settings: session.settings });
}

export interface PlannedView {
  columns: RelationColumn[];
  tableType: TableType;
  /** Adds the view to the dataflow, fills it with one cycle, and returns its node and contents. */
  materialize(): { node: Node; arrangement: Arrangement };
  explain(): string;
}

export function planForView(session: Session, query: any, statement: Statement): PlannedView {
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
      const arrangement = df.materialize(node);
      df.runCycle();
      if (arrangement.error) {
        const err = arrangement.error;
        df.remove(node);
        throw err;
      }
      return { node, arrangement };
    },
    explain: () => planned.explain(),
  };
}
