/**
 * ARRAY(subquery) as the scalar subquery PostgreSQL's result equals:
 *   (SELECT COALESCE(array_agg(elem ORDER BY <the subquery's order>), '{}') FROM (subquery) AS _arr(elem))
 * so grouping and maintenance are the scalar subquery's, and no rows give '{}'. A plain
 * subquery (no grouping, DISTINCT, LIMIT, aggregate, window or set-returning call) aggregates in
 * place instead, which keeps its correlation where the subquery planner looks for it (WHERE)
 * and lets its ORDER BY be any expression; otherwise the ORDER BY carries over when it names
 * the output column (by position or name).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { strings, unsupported } from './parse-nodes.js';
import { aggregateName } from './aggregates.js';
import { functionsNamed } from './functions/index.js';

const ALIAS = '_arr';
const ELEMENT = 'elem';
const name = (sval: string) => ({ String: { sval } });

/** The name the single output column of a SELECT is known by (for ORDER BY name), if any. */
function outputName(target: any): string | undefined {
  if (target.name) return target.name;
  const fields = target.val?.ColumnRef?.fields;
  return fields ? strings(fields).at(-1) : undefined;
}

/** Whether a select-list expression calls something that needs its own query level (aggregates, windows, set-returning functions). */
function needsOwnLevel(node: any): boolean {
  if (Array.isArray(node)) return node.some(needsOwnLevel);
  if (!node || typeof node !== 'object') return false;
  if (node.SubLink) return false;
  const call = node.FuncCall;
  if (call) {
    const names = strings(call.funcname);
    if (call.over || functionsNamed(names.at(-1)!).some((d) => d.setReturning)) return true;
    try {
      if (aggregateName(names, call.location)) return true;
    } catch {
      return true; // an aggregate Eddy refuses: let the wrapped form refuse it
    }
  }
  return Object.values(node).some(needsOwnLevel);
}

const isPlain = (stmt: any, target: any) =>
  !stmt.groupClause && !stmt.havingClause && !stmt.distinctClause && !stmt.limitCount && !stmt.limitOffset && !stmt.withClause && !needsOwnLevel(target.val);

/** COALESCE(array_agg(value ORDER BY order), '{}') */
function aggregated(value: any, order: any[], location: number): any {
  const call = { FuncCall: { funcname: [name('array_agg')], args: [value], ...(order.length > 0 ? { agg_order: order } : {}), funcformat: 'COERCE_EXPLICIT_CALL', location } };
  return { CoalesceExpr: { args: [call, { A_Const: { sval: { sval: '{}' }, location: -1 } }], location } };
}

export function arraySubqueryAsScalar(link: any): any {
  const stmt = link.subselect.SelectStmt;
  const targets: any[] = stmt?.targetList ?? [];
  if (!stmt || stmt.op !== 'SETOP_NONE' || targets.length !== 1 || targets[0].ResTarget.val?.ColumnRef?.fields?.some((f: any) => f.A_Star)) {
    if (targets.length > 1) throw new SqlError(SQLSTATE.syntaxError, 'subquery must return only one column', { position: link.location + 1 });
    throw unsupported('ARRAY(subquery) over anything but one named select-list column', link.location);
  }
  const target = targets[0].ResTarget;
  const plain = isPlain(stmt, target);
  const element = plain ? target.val : { ColumnRef: { fields: [name(ALIAS), name(ELEMENT)], location: -1 } };
  const order = (stmt.sortClause ?? []).map((s: any) => {
    const node = s.SortBy.node;
    const byPosition = node.A_Const?.ival !== undefined && Number(node.A_Const.ival.ival ?? 0) === 1;
    const byName = node.ColumnRef && strings(node.ColumnRef.fields).length === 1 && strings(node.ColumnRef.fields)[0] === outputName(target);
    if (byPosition || byName) return { SortBy: { ...s.SortBy, node: element } };
    if (plain) return s;
    throw unsupported('ARRAY(subquery) ordered by something other than its output column', s.SortBy.location);
  });
  const value = { ResTarget: { val: aggregated(element, order, link.location), location: link.location } };
  if (plain) return { ...link, subLinkType: 'EXPR_SUBLINK', subselect: { SelectStmt: { ...stmt, targetList: [value], sortClause: undefined } } };
  const outer = {
    SelectStmt: {
      targetList: [value],
      fromClause: [{ RangeSubselect: { subquery: link.subselect, alias: { aliasname: ALIAS, colnames: [name(ELEMENT)] } } }],
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    },
  };
  return { ...link, subLinkType: 'EXPR_SUBLINK', subselect: outer };
}
