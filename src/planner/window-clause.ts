/**
 * Binding a window function call: its OVER clause (a named window of the WINDOW clause, or one
 * that extends a named window, PARTITION BY, ORDER BY and the frame with its EXCLUDE), and the
 * function itself (ranking, offset and value functions, or an aggregate), with PostgreSQL's
 * argument types and errors. The query binder supplies expression binding through WindowBinder.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { T, type SqlType } from '../types/types.js';
import type { Expr } from './expr-ir.js';
import { bindOperator, coerce, commonType } from './bind-expr.js';
import { columnsUsed } from './expr-utils.js';
import type { AggCall, SortKey, WindowBound, WindowFnCall, WindowFnName, WindowFrame } from './logical.js';
import { exprLocation, strings, unsupported } from './parse-nodes.js';
import type { WindowCall } from './windows.js';

/** What binding a window call needs from the query binder. */
export interface WindowBinder {
  /** Binds an expression of the window call (arguments, PARTITION BY, ORDER BY) over the query's row. */
  bind(node: any): Expr;
  sortKey(sortBy: any, expr: Expr): SortKey;
  /** The call as an aggregate (its arguments bound as by `bind`), or undefined when it names none. */
  aggregate(n: any): AggCall | undefined;
}

// PostgreSQL's FRAMEOPTION_* bits (nodes/parsenodes.h).
const NONDEFAULT = 0x1;
const ROWS = 0x4;
const GROUPS = 0x8;
const START_UNBOUNDED_PRECEDING = 0x20;
const START_OFFSET_PRECEDING = 0x800;
const END_OFFSET_PRECEDING = 0x1000;
const START_OFFSET_FOLLOWING = 0x2000;
const END_OFFSET_FOLLOWING = 0x4000;
const END_UNBOUNDED_FOLLOWING = 0x100;
const EXCLUDE_CURRENT_ROW = 0x8000;
const EXCLUDE_GROUP = 0x10000;
const EXCLUDE_TIES = 0x20000;

/** A window definition with its references to named windows resolved. */
interface WindowDef {
  partitionClause?: any[];
  orderClause?: any[];
  frameOptions: number;
  startOffset?: any;
  endOffset?: any;
  location?: number;
}

const windowError = (message: string, location?: number) =>
  new SqlError(SQLSTATE.windowingError, message, location === undefined || location < 0 ? {} : { position: location + 1 });

/** The WINDOW clause's definitions by name; each may extend one defined before it. */
export function windowDefinitions(clause: any[] | undefined): Map<string, WindowDef> {
  const defs = new Map<string, WindowDef>();
  for (const item of clause ?? []) {
    const def = item.WindowDef;
    if (defs.has(def.name)) throw windowError(`window "${def.name}" is already defined`, def.location);
    defs.set(def.name, resolveDefinition(def, defs));
  }
  return defs;
}

/** A definition extending `refname` takes its PARTITION BY and ORDER BY, and may only add what it lacks. */
function resolveDefinition(def: any, defs: Map<string, WindowDef>): WindowDef {
  if (!def.refname) return def;
  const base = defs.get(def.refname);
  if (!base) throw new SqlError(SQLSTATE.undefinedObject, `window "${def.refname}" does not exist`, { position: def.location + 1 });
  if (def.partitionClause) throw windowError(`cannot override PARTITION BY clause of window "${def.refname}"`, exprLocation(def.partitionClause[0]));
  if (def.orderClause && base.orderClause) throw windowError(`cannot override ORDER BY clause of window "${def.refname}"`, exprLocation(def.orderClause[0]));
  if (base.frameOptions & NONDEFAULT) throw windowError(`cannot copy window "${def.refname}" because it has a frame clause`, def.location);
  return { ...def, partitionClause: base.partitionClause, orderClause: def.orderClause ?? base.orderClause };
}

const RANKING = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist']);
const WINDOW_ONLY = new Set([...RANKING, 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value']);

/** Binds `fn(...) OVER (...)`. */
export function bindWindowCall(n: any, defs: Map<string, WindowDef>, b: WindowBinder): WindowCall {
  const over = n.over;
  let def: WindowDef;
  if (over.name) {
    const named = defs.get(over.name);
    if (!named) throw new SqlError(SQLSTATE.undefinedObject, `window "${over.name}" does not exist`, { position: over.location + 1 });
    def = named;
  } else def = resolveDefinition(over, defs);
  const partition = (def.partitionClause ?? []).map((p: any) => b.bind(p));
  const order: SortKey[] = (def.orderClause ?? []).map((s: any) => b.sortKey(s.SortBy, b.bind(s.SortBy.node)));
  const frame = bindFrame(def, order, b);
  return { partition, order, call: bindFunction(n, frame, b) };
}

function bindFunction(n: any, frame: WindowFrame, b: WindowBinder): WindowFnCall {
  const funcname = strings(n.funcname);
  const name = funcname[funcname.length - 1]!;
  const qualified = funcname.length === 1 || (funcname.length === 2 && funcname[0] === 'pg_catalog');
  // As in PostgreSQL, an ordered-set aggregate with OVER fails as such (0A000) before the checks of its clauses.
  if (n.agg_within_group) {
    b.aggregate(n);
    throw unsupported('WITHIN GROUP in a window function call', n.location);
  }
  if (n.agg_distinct) throw new SqlError(SQLSTATE.featureNotSupported, 'DISTINCT is not implemented for window functions', { position: n.location + 1 });
  if (n.agg_order) throw new SqlError(SQLSTATE.featureNotSupported, 'aggregate ORDER BY is not implemented for window functions', { position: n.location + 1 });
  if (!qualified || !WINDOW_ONLY.has(name)) {
    const aggregate = b.aggregate(n);
    if (!aggregate) {
      throw new SqlError(SQLSTATE.wrongObjectType, `OVER specified, but ${funcname.join('.')} is not a window function nor an aggregate function`, {
        position: n.location + 1,
      });
    }
    return { fn: 'aggregate', args: [], count: null, aggregate, frame, type: aggregate.type };
  }
  if (n.agg_filter) throw new SqlError(SQLSTATE.featureNotSupported, 'FILTER is not implemented for non-aggregate window functions', { position: n.location + 1 });
  if (n.agg_star) throw new SqlError(SQLSTATE.wrongObjectType, `${name}(*) must be used to call a parameterless aggregate function`, { position: n.location + 1 });
  const args: Expr[] = (n.args ?? []).map((a: any) => b.bind(a));
  const noSuch = () =>
    new SqlError(SQLSTATE.undefinedFunction, `function ${name}(${args.map((a) => a.type.name).join(', ')}) does not exist`, {
      position: n.location + 1,
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  const fn = name as WindowFnName;
  const call = (rest: Partial<WindowFnCall> & { type: SqlType }): WindowFnCall => ({ fn, args: [], count: null, aggregate: null, frame, ...rest });
  const constant = (e: Expr, what: string, node: any) => {
    if (columnsUsed(e).size > 0) throw unsupported(`${name} with ${what} that is not a constant`, exprLocation(node));
    return e;
  };
  if (RANKING.has(name)) {
    if (args.length > 0) throw noSuch();
    return call({ type: name === 'percent_rank' || name === 'cume_dist' ? T.float8 : T.int8 });
  }
  switch (name) {
    case 'ntile':
      if (args.length !== 1) throw noSuch();
      return call({ count: constant(coerce(args[0]!, T.int4), 'a bucket count', n.args[0]), type: T.int4 });
    case 'lag':
    case 'lead': {
      if (args.length < 1 || args.length > 3) throw noSuch();
      const type = resolveUnknown(args.length === 3 ? commonType([args[0]!, args[2]!], name) : args[0]!.type);
      const count = args.length > 1 ? constant(coerce(args[1]!, T.int4), 'an offset', n.args[1]) : { kind: 'const' as const, value: 1, type: T.int4 };
      const values = [coerce(args[0]!, type), ...(args.length === 3 ? [coerce(args[2]!, type)] : [])];
      return call({ args: values, count, type });
    }
    case 'first_value':
    case 'last_value': {
      if (args.length !== 1) throw noSuch();
      const type = resolveUnknown(args[0]!.type);
      return call({ args: [coerce(args[0]!, type)], type });
    }
    case 'nth_value': {
      if (args.length !== 2) throw noSuch();
      const type = resolveUnknown(args[0]!.type);
      return call({ args: [coerce(args[0]!, type)], count: constant(coerce(args[1]!, T.int4), 'a position', n.args[1]), type });
    }
  }
  throw noSuch();
}

function resolveUnknown(t: SqlType): SqlType {
  return t.oid === T.unknown.oid ? T.text : t;
}

function bindFrame(def: WindowDef, order: SortKey[], b: WindowBinder): WindowFrame {
  const opts = def.frameOptions;
  const unit = opts & ROWS ? 'rows' : opts & GROUPS ? 'groups' : 'range';
  if (unit === 'groups' && order.length === 0) throw windowError('GROUPS mode requires an ORDER BY clause', def.location);
  const hasOffset = (opts & (START_OFFSET_PRECEDING | START_OFFSET_FOLLOWING | END_OFFSET_PRECEDING | END_OFFSET_FOLLOWING)) !== 0;
  let rangeValue: Expr | null = null;
  let offsetType: SqlType = T.int8;
  if (unit === 'range' && hasOffset) {
    if (order.length !== 1) throw windowError('RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column', def.location);
    ({ value: rangeValue, offset: offsetType } = rangeTypes(order[0]!.expr, def.location));
  }
  const bound = (start: boolean): WindowBound => {
    const node = start ? def.startOffset : def.endOffset;
    const [unbounded, preceding, following] = start
      ? [START_UNBOUNDED_PRECEDING, START_OFFSET_PRECEDING, START_OFFSET_FOLLOWING]
      : [END_UNBOUNDED_FOLLOWING, END_OFFSET_PRECEDING, END_OFFSET_FOLLOWING];
    if (opts & unbounded) return { kind: 'unbounded', offset: null, value: null };
    // CURRENT ROW, also where the frame gives only a start (`ROWS 2 PRECEDING`).
    if (!(opts & (preceding | following))) return { kind: 'current', offset: null, value: null };
    const kind = opts & preceding ? 'preceding' : 'following';
    const raw = b.bind(node);
    if (columnsUsed(raw).size > 0) {
      throw new SqlError(SQLSTATE.invalidColumnReference, `argument of ${unit.toUpperCase()} must not contain variables`, { position: exprLocation(node) + 1 });
    }
    const offset = coerce(raw, offsetType);
    if (unit !== 'range') return { kind, offset, value: null };
    // The bound's value for the current row: the ORDER BY value moved by the offset towards the
    // bound, which is downwards for PRECEDING in ascending order.
    const down = (kind === 'preceding') !== order[0]!.desc;
    return { kind, offset, value: bindOperator(down ? '-' : '+', [rangeValue!, offset]) };
  };
  const exclude = opts & EXCLUDE_CURRENT_ROW ? 'current row' : opts & EXCLUDE_GROUP ? 'group' : opts & EXCLUDE_TIES ? 'ties' : 'no others';
  return { unit, start: bound(true), end: bound(false), exclude, rangeValue };
}

/**
 * RANGE offsets per ORDER BY type, as PostgreSQL's in_range functions take them: integers by
 * integers, numeric by numeric, floats by double precision, dates and timestamps and intervals by
 * intervals. The ORDER BY value is compared with the bounds in the bounds' type.
 */
function rangeTypes(key: Expr, location?: number): { value: Expr; offset: SqlType } {
  const t = key.type;
  if (t.oid === T.int2.oid || t.oid === T.int4.oid || t.oid === T.int8.oid) return { value: coerce(key, T.int8), offset: T.int8 };
  if (t.oid === T.numeric.oid) return { value: key, offset: T.numeric };
  if (t.oid === T.float4.oid || t.oid === T.float8.oid) return { value: coerce(key, T.float8), offset: T.float8 };
  if (t.oid === T.date.oid) return { value: coerce(key, T.timestamp), offset: T.interval };
  if (t.oid === T.timestamp.oid || t.oid === T.timestamptz.oid || t.oid === T.interval.oid) return { value: key, offset: T.interval };
  throw new SqlError(SQLSTATE.featureNotSupported, `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${t.name}`, {
    ...(location === undefined || location < 0 ? {} : { position: location + 1 }),
  });
}
