/**
 * EXPLAIN: the dataflow a query becomes, as an indented tree of operators with their keys,
 * conditions and table types. Column references print as the input column's name.
 */
import type { Expr } from './expr-ir.js';
import { planInputs, type LogicalPlan, type PlanColumn, type SortKey, type WindowBound, type WindowFnCall, type WindowFrame } from './logical.js';
import type { TableType } from './catalog-api.js';
import { OUTER_BASE } from './scope.js';
import { formatValue } from '../types/text-io.js';

function typeLabel(t: TableType): string {
  return typeof t === 'object' ? `ring ${t.ring}` : t;
}

function literal(e: Extract<Expr, { kind: 'const' }>): string {
  if (e.value === null) return 'NULL';
  if (typeof e.value === 'boolean') return e.value ? 'true' : 'false';
  const text = formatValue(e.type, e.value);
  return e.type.category === 'N' || e.type.category === 'B' ? text : `'${text.replace(/'/g, "''")}'`;
}

/** Prints an expression whose column references index `columns`. */
export function formatExpr(e: Expr, columns: PlanColumn[]): string {
  const f = (x: Expr) => formatExpr(x, columns);
  switch (e.kind) {
    case 'column':
      return e.index < OUTER_BASE ? (columns[e.index]?.name ?? `#${e.index}`) : `outer#${e.index - OUTER_BASE}`;
    case 'const':
      return literal(e);
    case 'param':
      return `$${e.index + 1}`;
    case 'call':
      return /^[a-z_][a-z0-9_]*$/i.test(e.name) || e.args.length > 2
        ? `${e.name}(${e.args.map(f).join(', ')})`
        : e.args.length === 2
          ? `(${f(e.args[0]!)} ${e.name} ${f(e.args[1]!)})`
          : `${e.name}${f(e.args[0]!)}`;
    case 'cast':
      return `${f(e.arg)}::${e.type.name}`;
    case 'and':
    case 'or':
      return `(${e.args.map(f).join(` ${e.kind.toUpperCase()} `)})`;
    case 'not':
      return `NOT ${f(e.arg)}`;
    case 'isnull':
      return `${f(e.arg)} IS NULL`;
    case 'isnotnull':
      return `${f(e.arg)} IS NOT NULL`;
    case 'booltest':
      return `${f(e.arg)} IS ${e.test.replace('not', 'NOT ').toUpperCase()}`;
    case 'distinct':
      return `${f(e.left)} IS ${e.negate ? 'NOT ' : ''}DISTINCT FROM ${f(e.right)}`;
    case 'case':
      return `CASE ${e.whens.map((w) => `WHEN ${f(w.when)} THEN ${f(w.then)}`).join(' ')}${e.else ? ` ELSE ${f(e.else)}` : ''} END`;
    case 'coalesce':
    case 'greatest':
    case 'least':
      return `${e.kind}(${e.args.map(f).join(', ')})`;
    case 'nullif':
      return `nullif(${f(e.left)}, ${f(e.right)})`;
    case 'inlist':
      return `${f(e.arg)} ${e.negate ? 'NOT IN' : 'IN'} (${e.list.map(f).join(', ')})`;
  }
}

function formatOrder(order: SortKey[], columns: PlanColumn[]): string {
  return order.map((k) => `${formatExpr(k.expr, columns)}${k.desc ? ' DESC' : ''}${k.nullsFirst !== k.desc ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`).join(', ');
}

function keys(left: Expr[], right: Expr[], l: PlanColumn[], r: PlanColumn[]): string {
  return left.map((k, i) => `${formatExpr(k, l)} = ${formatExpr(right[i]!, r)}`).join(' AND ');
}

function describe(p: LogicalPlan): string {
  switch (p.op) {
    case 'get': {
      if (!p.lookup) return `Read ${p.relationName}`;
      const key = p.lookup.index.columns.map((c, i) => `${p.columns[c]!.name} = ${formatExpr(p.lookup!.key[i]!, [])}`).join(' AND ');
      return `Index Lookup using ${p.lookup.index.name} on ${p.relationName} (${key})`;
    }
    case 'srf':
      return `${p.outer ? 'Outer ' : ''}Set-returning ${p.calls.map((c) => `${c.name}(${c.args.map((a) => formatExpr(a, p.input.columns)).join(', ')})`).join(', ')}${p.ordinality ? ' WITH ORDINALITY' : ''}`;
    case 'values':
      return `Values (${p.rows.length} row${p.rows.length === 1 ? '' : 's'})`;
    case 'filter':
      return `Filter ${formatExpr(p.predicate, p.input.columns)}`;
    case 'temporal':
      return `Temporal Filter ${p.bounds.map((b) => `${b.side === 'from' ? 'from' : 'until'} ${formatExpr(b.at, p.input.columns)}${b.plusOne ? ' + 1µs' : ''}`).join(', ')}`;
    case 'project':
      return `Map ${p.exprs.map((e, i) => {
        const text = formatExpr(e, p.input.columns);
        return text === p.columns[i]!.name ? text : `${text} AS ${p.columns[i]!.name}`;
      }).join(', ')}`;
    case 'join': {
      const both = [...p.left.columns, ...p.right.columns];
      const on = [p.leftKey.length > 0 ? keys(p.leftKey, p.rightKey, p.left.columns, p.right.columns) : '', p.residual ? formatExpr(p.residual, both) : '']
        .filter((s) => s)
        .join(' AND ');
      const kind = p.kind === 'inner' && !on ? 'Cross' : p.kind[0]!.toUpperCase() + p.kind.slice(1);
      const shared = p.share ? ` (${p.share.side} side read from index ${p.share.index.name})` : '';
      return `${kind}${p.probe ? ' Index' : ''} Join${on ? ` ON ${on}` : ''}${shared}`;
    }
    case 'semijoin': {
      const both = [...p.left.columns, ...p.right.columns];
      const on = [p.leftKey.length > 0 ? keys(p.leftKey, p.rightKey, p.left.columns, p.right.columns) : '', p.residual ? formatExpr(p.residual, both) : '']
        .filter((s) => s)
        .join(' AND ');
      return `${p.anti ? (p.nullAwareNotIn ? 'Anti Join (NOT IN)' : 'Anti Join') : 'Semi Join'}${on ? ` ON ${on}` : ''}`;
    }
    case 'aggregate': {
      const groups = p.groupKey.map((g) => formatExpr(g, p.input.columns));
      const aggs = p.aggregates.map((a) => {
        const args = a.args.length === 0 ? '*' : a.args.map((x) => formatExpr(x, p.input.columns)).join(', ');
        const order = a.orderBy.length > 0 ? ` ORDER BY ${formatOrder(a.orderBy, p.input.columns)}` : '';
        const filter = a.filter ? ` FILTER (WHERE ${formatExpr(a.filter, p.input.columns)})` : '';
        return `${a.name}(${a.distinct ? 'DISTINCT ' : ''}${args}${order})${filter}`;
      });
      const mode = p.mode === 'general' ? '' : ` over ${p.mode}`;
      return `Aggregate${groups.length > 0 ? ` GROUP BY ${groups.join(', ')}` : ''}: ${aggs.join(', ') || '(none)'}${mode}`;
    }
    case 'distinct':
      return 'Distinct';
    case 'distinctOn':
      return `Distinct On (${p.key.map((k) => formatExpr(k, p.input.columns)).join(', ')})${p.order.length > 0 ? ` ORDER BY ${formatOrder(p.order, p.input.columns)}` : ' latest arrived'}`;
    case 'topk': {
      const limit = p.limit ? ` LIMIT ${formatExpr(p.limit, [])}` : '';
      const offset = p.offset ? ` OFFSET ${formatExpr(p.offset, [])}` : '';
      const partition = p.partition.length > 0 ? ` PARTITION BY ${p.partition.map((k) => formatExpr(k, p.input.columns)).join(', ')}` : '';
      return `TopK${partition}${p.order.length > 0 ? ` ORDER BY ${formatOrder(p.order, p.input.columns)}` : ''}${limit}${offset}`;
    }
    case 'setop':
      return `${p.kind[0]!.toUpperCase() + p.kind.slice(1)}${p.all ? ' All' : ''}`;
    case 'recursive':
      return `Recursive ${p.name} (${p.distinct ? 'Union' : 'Union All'})`;
    case 'workingTable':
      return `Working Table ${p.name}`;
    case 'window': {
      const cols = p.input.columns;
      const partition = p.partition.length > 0 ? ` PARTITION BY ${p.partition.map((k) => formatExpr(k, cols)).join(', ')}` : '';
      const order = p.order.length > 0 ? ` ORDER BY ${formatOrder(p.order, cols)}` : '';
      return `Window${partition}${order}: ${p.functions.map((f) => formatWindowCall(f, cols)).join(', ')}`;
    }
  }
}

function formatWindowCall(f: WindowFnCall, cols: PlanColumn[]): string {
  const a = f.aggregate;
  const args = a
    ? a.args.length === 0 ? '*' : a.args.map((x) => formatExpr(x, cols)).join(', ')
    : [...f.args.slice(0, 1), ...(f.count ? [f.count] : []), ...f.args.slice(1)].map((x) => formatExpr(x, cols)).join(', ');
  const filter = a?.filter ? ` FILTER (WHERE ${formatExpr(a.filter, cols)})` : '';
  const framed = a !== null || f.fn === 'first_value' || f.fn === 'last_value' || f.fn === 'nth_value';
  return `${a ? a.name : f.fn}(${args})${filter}${framed ? ` ${formatFrame(f.frame, cols)}` : ''}`;
}

function formatFrame(frame: WindowFrame, cols: PlanColumn[]): string {
  const bound = (b: WindowBound, start: boolean) => {
    if (b.kind === 'unbounded') return start ? 'UNBOUNDED PRECEDING' : 'UNBOUNDED FOLLOWING';
    if (b.kind === 'current') return 'CURRENT ROW';
    return `${formatExpr(b.offset!, cols)} ${b.kind.toUpperCase()}`;
  };
  const exclude = frame.exclude === 'no others' ? '' : ` EXCLUDE ${frame.exclude.toUpperCase()}`;
  return `${frame.unit.toUpperCase()} BETWEEN ${bound(frame.start, true)} AND ${bound(frame.end, false)}${exclude}`;
}

/**
 * The line of an index join's probed relation: which index, and the outer side's key expressions
 * giving its columns their values (looked up once per outer row).
 */
function probeLine(p: Extract<LogicalPlan, { op: 'join' }>, get: Extract<LogicalPlan, { op: 'get' }>): string {
  const probe = p.probe!;
  const [outerKey, outer] = probe.side === 'left' ? [p.rightKey, p.right] : [p.leftKey, p.left];
  const key = probe.index.columns.map((c, j) => `${get.columns[c]!.name} = ${formatExpr(outerKey[probe.keys[j]!]!, outer.columns)}`).join(' AND ');
  return `Index Probe using ${probe.index.name} on ${get.relationName} (${key}) per outer row`;
}

/** The plan as an indented tree, one operator per line with its table type. */
export function explainPlan(plan: LogicalPlan): string {
  const lines: string[] = [];
  // `probe`: under an index join's probed side, the line its relation read prints instead.
  const walk = (p: LogicalPlan, depth: number, probe?: (get: Extract<LogicalPlan, { op: 'get' }>) => string) => {
    const line = probe && p.op === 'get' ? probe(p) : describe(p);
    lines.push(`${'  '.repeat(depth)}${depth > 0 ? '-> ' : ''}${line}  [${typeLabel(p.tableType)}]`);
    if (p.op === 'join' && p.probe) {
      const probed = p.probe.side === 'left' ? p.left : p.right;
      for (const i of planInputs(p)) walk(i, depth + 1, i === probed ? (get) => probeLine(p, get) : undefined);
      return;
    }
    for (const i of planInputs(p)) walk(i, depth + 1, p.op === 'filter' ? probe : undefined);
  };
  walk(plan, 0);
  return lines.join('\n');
}
