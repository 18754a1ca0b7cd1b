/**
 * The planner's entry point: a SELECT statement becomes a PlannedQuery that the SQL layer can
 * (a) add to the shared Dataflow as a maintained relation (materialized views, SUBSCRIBE,
 * sinks), (b) evaluate once over snapshots for an ad-hoc SELECT, and (c) EXPLAIN.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Row } from '../engine/batch.js';
import { Dataflow, type Node } from '../engine/dataflow.js';
import { evaluateOnce } from '../engine/evaluate.js';
import { ConsolidateOp } from '../engine/ops/basic.js';
import type { EvalEnv, Expr } from './expr-ir.js';
import { isVolatile, someCall } from './expr-utils.js';
import type { TableType } from './catalog-api.js';
import { nodeExprs, planInputs, type LogicalPlan, type PlanColumn } from './logical.js';
import { QueryBinder } from './bind-query.js';
import type { QueryContext } from './binder-api.js';
import { optimize } from './optimize.js';
import { addToDataflow, countValue, lower } from './lower.js';
import { explainPlan } from './explain.js';
import { useIndexes } from './index-lookups.js';
import { useIndexJoins } from './index-joins.js';
import { shareIndexes } from './shared-indexes.js';
import { rowComparator } from './sort.js';
import { compileExpr } from './compile-expr.js';
import { directRead } from './direct-read.js';

export type { QueryContext } from './binder-api.js';

export interface PlannedQuery {
  /** The result's columns (names as PostgreSQL names them, types, typmods). */
  columns: PlanColumn[];
  /** How the result changes over time (append-only, stream, general). */
  tableType: TableType;
  /**
   * The maintained result replaces rows whatever its inputs do (a grouped aggregate's, a window's,
   * a top-K's), rather than only when they retract rows.
   */
  replacesRows: boolean;
  /**
   * Adds the query to `df` as a maintained relation and returns its output node (the caller
   * materializes it). ORDER BY with LIMIT/OFFSET is kept as a top-K; ORDER BY alone does not
   * change a relation's contents and is dropped.
   */
  build(df: Dataflow, env: EvalEnv): Node;
  /**
   * Ad-hoc SELECT: evaluates the query once over snapshots of the relations it reads (their
   * arrangements in the shared dataflow, as of the last cycle), then sorts by ORDER BY and
   * applies OFFSET / LIMIT.
   */
  read(env: EvalEnv): Row[];
  /**
   * The dataflow as an indented tree (EXPLAIN): what an ad-hoc read runs, index lookups included,
   * or with `maintained` what build() adds to the dataflow.
   */
  explain(maintained?: boolean): string;
}

export function planQuery(select: any, ctx: QueryContext): PlannedQuery {
  const stmt = select.SelectStmt ?? select;
  const binder = new QueryBinder(ctx);
  const bound = binder.bindQuery(stmt, null);
  const viewPlan = optimize(binder.asRelation(bound));
  // Reads sort and cut the unsorted rows themselves (cheaper than a top-K in a one-shot flow),
  // and look rows up in indexes where their filters or joins allow it.
  const adHoc = (p: LogicalPlan) => useIndexJoins(useIndexes(p));
  const readPlan = adHoc(optimize(bound.plan));
  const readDirectly = directRead(readPlan);
  const visible = bound.columns.length;

  return {
    columns: bound.columns,
    tableType: viewPlan.tableType,
    replacesRows: replacesRows(viewPlan),
    build(df, env) {
      checkMaintainable(viewPlan);
      const node = addToDataflow(df, lower(shareIndexes(viewPlan), env));
      // The result must be a node of its own (the caller materializes and later drops it), never
      // the catalog's node of the relation it reads, as `SELECT * FROM t` would otherwise be.
      return node.op === null ? df.add(new ConsolidateOp(), [node]) : node;
    },
    read(env) {
      let rows = readDirectly?.(env) ?? evaluateOnce(
        (flow) =>
          addToDataflow(flow, lower(readPlan, env), (leaf) => {
            if (!leaf.node.arrangement) {
              throw new SqlError(SQLSTATE.featureNotSupported, `relation "${leaf.name}" cannot be read directly`);
            }
            // A transaction block's own writes first: the index holds only committed rows.
            const rows = env.blockRows?.(leaf.node) ?? leaf.lookup?.() ?? leaf.node.arrangement;
            return flow.constant(rows, leaf.name);
          }),
        env.now / 1000,
        env.interrupt,
      );
      if (bound.order.length > 0) {
        rows.sort(rowComparator(bound.order.map((k) => {
          const f = compileExpr(k.expr);
          return { get: (row: Row) => f(row, env), desc: k.desc, nullsFirst: k.nullsFirst };
        })));
        env.interrupt?.();
      }
      const offset = countValue(bound.offset, env, 'OFFSET') ?? 0;
      const limit = countValue(bound.limit, env, 'LIMIT');
      if (offset > 0 || limit !== null) rows = rows.slice(offset, limit === null ? undefined : offset + limit);
      return readPlan.columns.length > visible ? rows.map((r) => r.slice(0, visible)) : rows;
    },
    explain(maintained = false) {
      return explainPlan(maintained ? shareIndexes(viewPlan) : adHoc(viewPlan));
    },
  };
}

function replacesRows(plan: LogicalPlan): boolean {
  while (plan.op === 'project' || plan.op === 'filter') plan = plan.input;
  return plan.op === 'aggregate' || plan.op === 'window' || plan.op === 'topk' || plan.op === 'distinctOn';
}

/** Functions that read the statement's time: in a maintained relation their value would freeze. */
const CLOCK_FUNCTIONS = new Set(['now', 'transaction_timestamp', 'statement_timestamp', 'clock_timestamp', 'current_date', 'current_time', 'localtime', 'localtimestamp']);

const readsClock = (e: Expr) => someCall(e, (c) => CLOCK_FUNCTIONS.has(c.name) || (c.name === 'age' && c.args.length === 1));

/** Set-returning functions of the session's state, which no change feed follows. */
const SESSION_STATE_FUNCTIONS = new Set(['pg_show_all_settings', 'pg_stat_get_activity']);

/**
 * Refuses what a maintained relation cannot keep correct:
 * - the session's settings and the server's sessions (pg_settings, pg_stat_activity);
 * - the clock outside temporal filters (WHERE ts > now() - ...), which the engine re-evaluates as
 *   time passes: anywhere else the value would be the creation time forever;
 * - volatile functions (random()) over inputs that retract rows: a retraction re-evaluates the
 *   expression and would remove a row that was never added.
 */
function checkMaintainable(plan: LogicalPlan): void {
  if (plan.op === 'srf' && plan.calls.some((c) => SESSION_STATE_FUNCTIONS.has(c.name))) {
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      'pg_settings and pg_stat_activity (pg_show_all_settings(), pg_stat_get_activity()) show the reading session and the sessions of the moment: SELECT from them; materialized views, subscriptions and sinks cannot follow them',
    );
  }
  const exprs = nodeExprs(plan);
  if (exprs.some(readsClock)) {
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      'now() and the other current-time functions are supported in materialized views, subscriptions and sinks only as WHERE conditions comparing a timestamp with now() (plus or minus an interval)',
    );
  }
  const inputs = planInputs(plan);
  if (inputs.some((i) => i.tableType !== 'append') && exprs.some(isVolatile)) {
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      'volatile functions such as random() are supported in materialized views, subscriptions and sinks only over append-only inputs',
    );
  }
  for (const input of inputs) checkMaintainable(input);
}
