/**
 * WITH RECURSIVE: a CTE that reads itself is `non-recursive term UNION [ALL] recursive term`.
 * The non-recursive term fixes the column types (as in PostgreSQL); the recursive term is bound
 * with the CTE's name standing for the working table (a `workingTable` leaf), and the engine's
 * RecursiveOp iterates it (src/engine/ops/recursive.ts).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { T } from '../types/types.js';
import { formatTypeName } from '../types/type-format.js';
import { coerce, commonType } from './bind-expr.js';
import { column } from './expr-utils.js';
import { planInputs, projectNode, type LogicalPlan, type PlanColumn } from './logical.js';
import { exprLocation } from './parse-nodes.js';
import type { CteEnv, CteEntry, QueryBinderApi } from './binder-api.js';

/** eddy.max_recursion_iterations when the session does not set it. */
export const DEFAULT_MAX_RECURSION_ITERATIONS = 10000;

const INVALID_RECURSION = '42P19';

let nextWorkingTableId = 1;

/** Does the parsed query name `name` as a table (a reference to the CTE itself)? */
export function mentionsTable(node: any, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => mentionsTable(n, name));
  if (!node || typeof node !== 'object') return false;
  if (node.RangeVar && !node.RangeVar.schemaname && node.RangeVar.relname === name) return true;
  return Object.values(node).some((v) => mentionsTable(v, name));
}

/** Where a reference to the recursive CTE sits (PostgreSQL's RecursionContext in parse_cte.c). */
type Context = 'ok' | 'non-recursive term' | 'subquery' | 'outer join' | 'INTERSECT' | 'EXCEPT';

const WITHIN: Record<Exclude<Context, 'ok'>, string> = {
  'non-recursive term': 'its non-recursive term',
  subquery: 'a subquery',
  'outer join': 'an outer join',
  INTERSECT: 'INTERSECT',
  EXCEPT: 'EXCEPT',
};

/**
 * PostgreSQL's checks of a recursive CTE, made when the WITH is bound (as PostgreSQL does, used
 * or not): the UNION form, the reference appearing once and only where the working table is well
 * defined (not in the non-recursive term, a sublink, the nullable side of an outer join, INTERSECT
 * ALL or EXCEPT), and no ORDER BY / LIMIT / OFFSET / FOR UPDATE on the union (0A000, as there).
 */
export function checkWellFormedRecursion(name: string, q: any, location: number): void {
  const fail = (message: string, at: number) => new SqlError(INVALID_RECURSION, message, { position: at + 1 });
  if (q.op !== 'SETOP_UNION') {
    throw fail(`recursive query "${name}" does not have the form non-recursive-term UNION [ALL] recursive-term`, location);
  }
  let references = 0;
  const walk = (node: any, context: Context): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, context));
    if (!node || typeof node !== 'object') return;
    const rv = node.RangeVar;
    if (rv && !rv.schemaname && rv.relname === name) {
      if (context !== 'ok') throw fail(`recursive reference to query "${name}" must not appear within ${WITHIN[context]}`, rv.location);
      if (++references > 1) throw fail(`recursive reference to query "${name}" must not appear more than once`, rv.location);
      return;
    }
    if (node.SelectStmt) return walkSelect(node.SelectStmt, context);
    const j = node.JoinExpr;
    if (j) {
      const outer = (side: boolean) => (side ? 'outer join' : context);
      walk(j.larg, outer(j.jointype === 'JOIN_RIGHT' || j.jointype === 'JOIN_FULL'));
      walk(j.rarg, outer(j.jointype === 'JOIN_LEFT' || j.jointype === 'JOIN_FULL'));
      return walk(j.quals, context);
    }
    const sub = node.SubLink;
    if (sub) {
      walk(sub.subselect, 'subquery');
      return walk(sub.testexpr, context);
    }
    Object.values(node).forEach((v) => walk(v, context));
  };
  // A set operation's arms are bare SelectStmt bodies (no node tag around them).
  const walkSelect = (s: any, context: Context): void => {
    // An inner WITH that names a CTE the same hides this one below it.
    if (s.withClause?.ctes?.some((c: any) => c.CommonTableExpr.ctename === name)) return;
    const { larg, rarg, ...rest } = s;
    if (s.op === 'SETOP_INTERSECT' || s.op === 'SETOP_EXCEPT') {
      const left: Context = s.all ? (s.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT') : context;
      walkSelect(larg, left);
      walkSelect(rarg, s.op === 'SETOP_EXCEPT' ? 'EXCEPT' : left);
    } else if (larg) {
      walkSelect(larg, context);
      walkSelect(rarg, context);
    }
    walk(rest, context);
  };
  walkSelect(q.larg, 'non-recursive term');
  walkSelect(q.rarg, 'ok');
  const notImplemented = (what: string, at: any) => {
    const loc = at ? exprLocation(at) : -1;
    return new SqlError(SQLSTATE.featureNotSupported, `${what} in a recursive query is not implemented`, loc < 0 ? {} : { position: loc + 1 });
  };
  if (q.sortClause) throw notImplemented('ORDER BY', q.sortClause[0]?.SortBy?.node);
  if (q.limitOffset) throw notImplemented('OFFSET', q.limitOffset);
  if (q.limitCount) throw notImplemented('LIMIT', q.limitCount);
  if (q.lockingClause) throw notImplemented('FOR UPDATE/SHARE', null);
}

/**
 * WITH RECURSIVE lets a CTE read ones defined after it; a cycle through two or more of them is
 * PostgreSQL's 0A000 (its TopologicalSort), and would otherwise bind forever.
 */
export function refuseMutualRecursion(ctes: { ctename: string; ctequery: any; location: number }[]): void {
  const reads = new Map(ctes.map((c) => [c.ctename, ctes.filter((d) => d !== c && mentionsTable(c.ctequery, d.ctename)).map((d) => d.ctename)]));
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (path.includes(name)) {
      const first = ctes.find((c) => c.ctename === path[0])!;
      throw new SqlError(SQLSTATE.featureNotSupported, 'mutual recursion between WITH items is not implemented', { position: first.location + 1 });
    }
    if (done.has(name)) return;
    for (const next of reads.get(name)!) visit(next, [...path, name]);
    done.add(name);
  };
  for (const c of ctes) visit(c.ctename, []);
}

/** A reference to a recursive CTE from outside of it: the whole recursion as one plan. */
export function bindRecursiveCte(binder: QueryBinderApi, name: string, cte: CteEntry, location: number): LogicalPlan {
  const q = cte.query;
  const fail = (message: string) => new SqlError(INVALID_RECURSION, message, { position: location + 1 });

  let base = binder.asRelation(binder.bindQuery(q.larg, null, cte.env));
  if (cte.colnames.length > base.columns.length) {
    throw fail(`WITH query "${name}" has ${base.columns.length} columns available but ${cte.colnames.length} columns specified`);
  }
  const columns: PlanColumn[] = base.columns.map((c, i) => ({
    name: cte.colnames[i] ?? c.name,
    type: c.type.oid === T.unknown.oid ? T.text : c.type,
    typmod: c.typmod,
  }));
  base = conform(base, columns);
  const id = nextWorkingTableId++;
  const env: CteEnv = new Map(cte.env);
  env.set(name, { ...cte, workingTable: { id, columns } });
  const body = binder.asRelation(binder.bindQuery(q.rarg, null, env, true));
  if (aggregatesOverWorkingTable(body, id)) throw fail(`aggregate functions are not allowed in a recursive query's recursive term`);
  if (body.columns.length !== columns.length) {
    throw new SqlError(SQLSTATE.syntaxError, 'each UNION query must have the same number of columns', { position: location + 1 });
  }
  columns.forEach((c, i) => {
    const b = body.columns[i]!;
    const overall = commonType([c.type, b.type], 'UNION');
    // As in PostgreSQL, a type modifier the recursive term does not keep (numeric(10,2) * 2) is an error too.
    const typmod = overall.oid === c.type.oid && b.type.oid === c.type.oid && b.typmod === c.typmod ? c.typmod : -1;
    if (overall.oid !== c.type.oid || typmod !== c.typmod) {
      // PostgreSQL points at the non-recursive term's column
      const columnAt = exprLocation(q.larg.targetList?.[i]?.ResTarget?.val);
      throw new SqlError(
        SQLSTATE.datatypeMismatch,
        `recursive query "${name}" column ${i + 1} has type ${formatTypeName(c.type, c.typmod)} in non-recursive term but type ${formatTypeName(overall, typmod)} overall`,
        { position: (columnAt >= 0 ? columnAt : location) + 1, hint: 'Cast the output of the non-recursive term to the correct type.' },
      );
    }
  });
  return { op: 'recursive', name, id, distinct: !q.all, base, body: conform(body, columns), columns, tableType: 'general' };
}

/** The working table inside the recursive term. */
export function workingTableNode(name: string, w: { id: number; columns: PlanColumn[] }): LogicalPlan {
  return { op: 'workingTable', name, id: w.id, columns: w.columns, tableType: 'general' };
}

/** The plan with the recursion's column types (untyped literals become text) and names. */
function conform(p: LogicalPlan, columns: PlanColumn[]): LogicalPlan {
  if (p.columns.every((c, i) => c.type.oid === columns[i]!.type.oid && c.name === columns[i]!.name)) return p;
  const exprs = p.op === 'project' ? p.exprs : p.columns.map((c, i) => column(i, c.type));
  return projectNode(
    p.op === 'project' ? p.input : p,
    exprs.map((e, i) => coerce(e, columns[i]!.type)),
    columns,
  );
}

function countWorkingTable(p: LogicalPlan, id: number): number {
  const own = p.op === 'workingTable' && p.id === id ? 1 : 0;
  return own + planInputs(p).reduce((n, i) => n + countWorkingTable(i, id), 0);
}

function aggregatesOverWorkingTable(p: LogicalPlan, id: number): boolean {
  // GROUP BY alone is allowed (each iteration groups its own working table), aggregates are not
  if (p.op === 'aggregate' && p.aggregates.length > 0 && countWorkingTable(p.input, id) > 0) return true;
  return planInputs(p).some((i) => aggregatesOverWorkingTable(i, id));
}
