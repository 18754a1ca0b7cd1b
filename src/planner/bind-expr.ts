/**
 * Binds a libpg-query expression node to the typed expression tree (expr-ir.ts), with
 * PostgreSQL's rules: literal typing (integers int4/int8/numeric, decimals numeric, quoted
 * strings unknown until their context types them), implicit casts, operator and function
 * overload resolution, common types for CASE/COALESCE/UNION, and parameter type inference.
 * Subqueries and aggregate/window calls belong to the planner, reached through hooks.
 */
import { SqlError, SQLSTATE, withErrorPosition } from '../errors.js';
import { SqlArray, T, arrayTypeOf, typeByOid, type SqlType, type Value } from '../types/types.js';
import { canCast, cannotCast, castIsImmutable, castValue, type CoercionContext } from '../types/casts.js';
import { applyCharLength, parseValue } from '../types/text-io.js';
import { parseNumericText } from '../types/numeric.js';
import type { Expr } from './expr-ir.js';
import { resolveTypeName } from './type-names.js';
import { OBJECT_NAME_INPUT, OBJECT_NAME_OUTPUT } from './functions/catalog-fns.js';
import { CONSTANT_ENV, compileExpr, isConstantTree } from './compile-expr.js';
import { anyAll, arrayConstructor, slice, subscript } from './functions/arrays.js';
import { functionsNamed, isPolymorphic, takesAsIs, implFor, isPreferred, resolveOverload, returnTypeFor, type FunctionDef, type Resolution } from './functions/index.js';

export interface Scope {
  /** Resolves a (possibly qualified) column name; throws 42703 (unknown) or 42702 (ambiguous). */
  resolveColumn(fields: string[], location: number): { index: number; type: SqlType };
}

export interface BindHooks {
  /** A subquery expression (EXISTS, IN (SELECT ...), scalar subquery). */
  subLink?(node: any, ctx: BindContext): Expr;
  /** Called for every function call first: aggregates and window calls; undefined = not mine. */
  funcCall?(node: any, ctx: BindContext): Expr | undefined;
}

export interface BindContext {
  scope: Scope;
  params: ParamTypes;
  hooks?: BindHooks;
}

/**
 * The types of a statement's $n parameters: those the client gave win, the others are inferred
 * from the first context that types them, and any still unknown at the end are text.
 */
export class ParamTypes {
  private readonly types: (SqlType | undefined)[] = [];
  private count = 0;

  /** `given`: the client's parameter type OIDs, 0 for "infer it". */
  constructor(given: readonly number[] = []) {
    given.forEach((oid, i) => {
      if (oid === 0) return;
      const type = typeByOid(oid);
      if (!type) throw new SqlError(SQLSTATE.featureNotSupported, `parameter type with OID ${oid} is not supported`);
      this.types[i] = type.oid === T.unknown.oid ? undefined : type;
    });
    this.count = given.length;
  }

  /** The type of $n+1 so far, undefined while unknown; notes that the statement uses it. */
  get(index: number): SqlType | undefined {
    this.count = Math.max(this.count, index + 1);
    return this.types[index];
  }

  /** Records the type inferred for $n+1 unless it already has one. */
  infer(index: number, type: SqlType): void {
    if (this.types[index] === undefined && type.oid !== T.unknown.oid) this.types[index] = type;
    this.count = Math.max(this.count, index + 1);
  }

  /** Every parameter's final type (text where nothing typed it). */
  resolved(): SqlType[] {
    return Array.from({ length: this.count }, (_, i) => this.types[i] ?? T.text);
  }

  oids(): number[] {
    return this.resolved().map((t) => t.oid);
  }
}

// Where each literal and parameter came from (for error positions) and which statement's
// parameters a param node belongs to (so coerce() can record what it infers).
const locations = new WeakMap<Expr, number>();
const paramOwners = new WeakMap<Expr, ParamTypes>();

const position = (location: number | undefined) => (location !== undefined && location >= 0 ? location + 1 : undefined);

function located<E extends Expr>(e: E, location: number | undefined): E {
  if (location !== undefined && location >= 0) locations.set(e, location);
  return e;
}

const isUnknown = (t: SqlType) => t.oid === T.unknown.oid;

/**
 * Literals whose value depends on the session wait until run time: any timestamptz (read in the
 * session's TimeZone), and dates and timestamps spelled as the clock ('now', 'today'...).
 */
function sessionDependent(t: SqlType, text: string): boolean {
  if (t.oid === T.timestamptz.oid) return true;
  return (t.oid === T.date.oid || t.oid === T.timestamp.oid) && /^\s*(now|today|tomorrow|yesterday)\s*$/i.test(text);
}

// ---- coercion ---------------------------------------------------------------------------------

/**
 * Converts an expression to a type in a coercion context: literals of unknown type are parsed
 * now, untyped parameters take the type, other expressions get a cast node. 42846 when no cast
 * exists, 42804 when one exists only in a stronger context.
 */
export function coerce(expr: Expr, target: SqlType, context: CoercionContext = 'implicit', typmod = -1): Expr {
  return coerceAt(expr, target, context, typmod, locations.get(expr));
}

/** coerce(), with the position a failing cast reports (an explicit cast's own `::`). */
/**
 * x::regclass and x::regtype of a string known only when the statement runs ($1::regclass with a
 * text parameter, as SQLAlchemy sends): the name is looked up then. The reg* types read as oid,
 * so an oid or integer argument is cast as to oid, and a literal was already resolved before binding.
 */
function objectNameCast(n: any, arg: Expr): Expr | undefined {
  const kind = objectNameKind(n);
  if (!kind || (!isUnknown(arg.type) && arg.type.category !== 'S')) return undefined;
  const name = coerceAt(arg, T.text, 'explicit', -1, n.location);
  const input = OBJECT_NAME_INPUT[kind];
  return located(
    { kind: 'call', name: kind, args: [name], type: T.oid, strict: true, volatile: true, impl: ([v], env) => input(v as string, env) },
    n.location >= 0 ? n.location : undefined,
  );
}

/** The reg* type a TypeCast node casts to (regclass, regtype), if it is one of those with an output here. */
function objectNameKind(n: any): 'regclass' | 'regtype' | undefined {
  const names: any[] = n?.typeName?.names ?? [];
  const kind: unknown = names.at(-1)?.String?.sval;
  const schema = names.length > 1 ? names.at(-2)?.String?.sval : 'pg_catalog';
  return (kind === 'regclass' || kind === 'regtype') && schema === 'pg_catalog' && !n.typeName.arrayBounds?.length ? kind : undefined;
}

/**
 * x::regtype::text and x::regclass::text: the reg* types read as oid in Eddy, but cast to a
 * string they print the object's name, as PostgreSQL's output functions do.
 */
function objectNameText(n: any, target: SqlType, arg: Expr): Expr | undefined {
  const kind = target.category === 'S' ? objectNameKind(n.arg?.TypeCast) : undefined;
  if (!kind) return undefined;
  const output = OBJECT_NAME_OUTPUT[kind];
  return { kind: 'call', name: `${kind}out`, args: [arg], type: T.text, strict: true, volatile: true, impl: ([v], env) => output(v as number, env) };
}

function coerceAt(expr: Expr, target: SqlType, context: CoercionContext, typmod: number, castLocation: number | undefined): Expr {
  if (takesAsIs(target)) return isUnknown(expr.type) ? coerce(expr, T.text, context) : expr;
  const location = locations.get(expr);
  if (expr.type.oid === target.oid && typmod < 0) return expr;

  if (isUnknown(expr.type) && expr.kind === 'const') {
    if (expr.value === null) return located({ kind: 'const', value: null, type: target }, location);
    const text = expr.value as string;
    // INTERVAL '1' DAY: the field range decides what a bare number means, so it goes to the parser
    const parseTypmod = target.oid === T.interval.oid ? typmod : -1;
    const parsed = withErrorPosition(position(location), () => parseValue(target, text, parseTypmod, { timeZone: 'UTC' }));
    if (sessionDependent(target, text)) return lengthCoercion(located({ kind: 'cast', arg: expr, type: target, typmod: -1 }, location), target, typmod, context);
    const value = withErrorPosition(position(location), () => applyTypmod(parsed, target, typmod, context));
    return located({ kind: 'const', value, type: target }, location);
  }
  if (isUnknown(expr.type) && expr.kind === 'param') {
    paramOwners.get(expr)?.infer(expr.index, target);
    const typed = located({ kind: 'param', index: expr.index, type: target }, location) as Expr;
    paramOwners.set(typed, paramOwners.get(expr)!);
    return lengthCoercion(typed, target, typmod, context);
  }

  const from = isUnknown(expr.type) ? T.text : expr.type;
  if (!canCast(from, target, 'explicit')) {
    throw cannotCast(from, target, position(castLocation));
  }
  if (!canCast(from, target, context)) {
    throw new SqlError(SQLSTATE.datatypeMismatch, `expression is of type ${from.name} but type ${target.name} is expected`, {
      position: position(castLocation),
      hint: 'You will need to rewrite or cast the expression.',
    });
  }
  const arg = isUnknown(expr.type) ? ({ ...expr, type: T.text } as Expr) : expr;
  // casting to varchar(n)/char(n) truncates only when explicit; otherwise too long is an error
  const castTypmod = isCharType(target) && context !== 'explicit' ? -1 : typmod;
  let cast: Expr = from.oid === target.oid && castTypmod < 0 ? arg : located({ kind: 'cast', arg, type: target, typmod: castTypmod }, location);
  // a constant converts once, here, rather than for every row; one that fails stays a cast that
  // raises if it ever runs (CASE WHEN false THEN 99999999999::int END is fine in PostgreSQL)
  if (cast.kind === 'cast' && arg.kind === 'const' && castIsImmutable(from, target)) {
    try {
      cast = located({ kind: 'const', value: castValue(arg.value, from, target, castTypmod, CONSTANT_ENV), type: target }, location);
    } catch (err) {
      if (!(err instanceof SqlError)) throw err;
    }
  }
  return castTypmod === typmod ? cast : lengthCoercion(cast, target, typmod, context);
}

const isCharType = (t: SqlType) => t.oid === T.varchar.oid || t.oid === T.bpchar.oid;

function applyTypmod(value: Value, type: SqlType, typmod: number, context: CoercionContext): Value {
  if (typmod < 0 || value === null) return value;
  if (isCharType(type)) return applyCharLength(type, value as string, typmod, context === 'explicit');
  return castValue(value, type, type, typmod, CONSTANT_ENV);
}

/** Applies a typmod to an expression already of the target type. */
function lengthCoercion(expr: Expr, type: SqlType, typmod: number, context: CoercionContext): Expr {
  if (typmod < 0) return expr;
  if (!isCharType(type)) return { kind: 'cast', arg: expr, type, typmod };
  const explicit = context === 'explicit';
  return {
    kind: 'call',
    name: type.typname,
    args: [expr],
    type,
    strict: true,
    volatile: false,
    impl: ([v]) => applyCharLength(type, v as string, typmod, explicit),
  };
}

/**
 * PostgreSQL's select_common_type for UNION, CASE, COALESCE, VALUES...: the first known type,
 * replaced by a later one of the same category that it converts to implicitly (and not back)
 * unless it is the category's preferred type. All unknown → text. 42804 across categories.
 */
export function commonType(items: readonly (Expr | SqlType)[], context: string): SqlType {
  const types = items.map((i) => ('kind' in i ? i.type : i));
  let common: SqlType | undefined;
  for (const t of types) {
    if (isUnknown(t)) continue;
    if (!common) {
      common = t;
      continue;
    }
    if (t.oid === common.oid) continue;
    if (t.category !== common.category) {
      const located_ = items.find((i) => 'kind' in i && i.type.oid === t.oid) as Expr | undefined;
      throw new SqlError(SQLSTATE.datatypeMismatch, `${context} types ${common.name} and ${t.name} cannot be matched`, {
        position: position(located_ ? locations.get(located_) : undefined),
      });
    }
    if (!isPreferred(common) && canCast(common, t, 'implicit') && !canCast(t, common, 'implicit')) common = t;
  }
  return common ?? T.text;
}

/** Coerces every expression to their common type (CASE results, COALESCE arguments...). */
function coerceAll(exprs: Expr[], context: string): { exprs: Expr[]; type: SqlType } {
  const type = commonType(exprs, context);
  return {
    type,
    exprs: exprs.map((e) => {
      if (!isUnknown(e.type) && e.type.oid !== type.oid && !canCast(e.type, type, 'implicit')) {
        throw new SqlError(SQLSTATE.datatypeMismatch, `${context} could not convert type ${e.type.name} to ${type.name}`, {
          position: position(locations.get(e)),
        });
      }
      return coerce(e, type);
    }),
  };
}

function requireBool(e: Expr, what: string): Expr {
  if (isUnknown(e.type) || e.type.oid === T.bool.oid) return coerce(e, T.bool);
  throw new SqlError(SQLSTATE.datatypeMismatch, `argument of ${what} must be type boolean, not type ${e.type.name}`, {
    position: position(locations.get(e)),
  });
}

// ---- calls ------------------------------------------------------------------------------------

function constantThatFails(e: Expr): boolean {
  if (e.kind === 'const' || !isConstantTree(e)) return false;
  try {
    compileExpr(e)([], CONSTANT_ENV);
    return false;
  } catch (err) {
    if (err instanceof SqlError) return true;
    throw err;
  }
}

function makeCall(def: FunctionDef, args: Expr[], targets: SqlType[]): Expr {
  const coerced = args.map((a, i) => coerce(a, targets[i]!));
  const types = coerced.map((a) => a.type);
  const strict = def.strict ?? true;
  if (def.setReturning) {
    const name = def.name;
    const impl = () => {
      throw new SqlError(SQLSTATE.featureNotSupported, `set-returning function ${name} is not supported in this context`);
    };
    return { kind: 'call', name, args: coerced, type: returnTypeFor(def, types), strict, volatile: def.volatile ?? false, impl, setReturning: def.setReturning(types) };
  }
  // a strict function of a NULL constant is NULL, as PostgreSQL's planner simplifies it, and
  // nothing downstream should ever call the function with it. Only a constant argument that
  // raises an error keeps the call: PostgreSQL would have raised it while folding that argument.
  if (strict && coerced.some((a) => a.kind === 'const' && a.value === null) && !coerced.some(constantThatFails)) {
    return { kind: 'const', value: null, type: returnTypeFor(def, types) };
  }
  return {
    kind: 'call',
    name: def.name,
    args: coerced,
    type: returnTypeFor(def, types),
    strict,
    volatile: def.volatile ?? false,
    impl: implFor(def, types),
  };
}

const typeList = (args: Expr[]) => args.map((a) => a.type.name).join(', ');

/** Resolves and builds an operator call; 42883 when no operator fits, 42725 when several do. */
export function bindOperator(name: string, args: Expr[], location?: number): Expr {
  const r = resolveOperator(name, args, location);
  return makeCall(r.def, args, r.targets);
}

/** The arguments of an operator, coerced to the types its resolved definition takes. */
function operatorArgs(name: string, args: Expr[], location?: number): Expr[] {
  const r = resolveOperator(name, args, location);
  return args.map((a, i) => coerce(a, r.targets[i]!));
}

function resolveOperator(name: string, args: Expr[], location?: number): Resolution {
  const r = resolveOverload(name, args.map((a) => a.type), true);
  const shown = args.length === 2 ? `${args[0]!.type.name} ${name} ${args[1]!.type.name}` : `${name} ${args[0]!.type.name}`;
  if (r === undefined) {
    throw new SqlError(SQLSTATE.undefinedFunction, `operator does not exist: ${shown}`, {
      position: position(location),
      hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  if (r === 'ambiguous') {
    throw new SqlError(SQLSTATE.ambiguousFunction, `operator is not unique: ${shown}`, {
      position: position(location),
      hint: 'Could not choose a best candidate operator. You might need to add explicit type casts.',
    });
  }
  return r;
}

/** Whether some definition would fit but for its polymorphic parameters, whose arguments are all untyped literals. */
function onlyUnknownPolymorphic(name: string, args: Expr[]): boolean {
  return functionsNamed(name).some(
    (d) => d.args.length === args.length && d.args.some(isPolymorphic) && d.args.every((p, i) => !isPolymorphic(p) || isUnknown(args[i]!.type)),
  );
}

/** Resolves and builds a function call by name (set-returning ones included: the planner expands those). */
export function bindFunction(name: string, args: Expr[], location?: number): Expr {
  const r = resolveOverload(name, args.map((a) => a.type), false);
  if (r === undefined && onlyUnknownPolymorphic(name, args)) {
    throw new SqlError(SQLSTATE.datatypeMismatch, 'could not determine polymorphic type because input has type unknown', { position: position(location) });
  }
  if (r === undefined) {
    // a type's name called on one value is a cast, as in PostgreSQL: bpchar(r.ev_type), int4('7')
    const type = args.length === 1 ? Object.values(T).find((t) => t.typname === name) : undefined;
    if (type && (isUnknown(args[0]!.type) || canCast(args[0]!.type, type, 'explicit'))) return coerce(args[0]!, type, 'explicit');
    throw new SqlError(SQLSTATE.undefinedFunction, `function ${name}(${typeList(args)}) does not exist`, {
      position: position(location),
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  if (r === 'ambiguous') {
    throw new SqlError(SQLSTATE.ambiguousFunction, `function ${name}(${typeList(args)}) is not unique`, {
      position: position(location),
      hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
    });
  }
  return makeCall(r.def, args, r.targets);
}

// ---- nodes ------------------------------------------------------------------------------------

const strings = (list: any[] | undefined): string[] => (list ?? []).map((n) => String(n.String?.sval ?? ''));
const BOOL = T.bool;

/** AND/OR of tests; a single test stands alone rather than in a one-argument junction. */
function junction(kind: 'and' | 'or', args: Expr[]): Expr {
  return args.length === 1 ? args[0]! : { kind, args, type: BOOL };
}

function unsupported(what: string, location?: number): SqlError {
  return new SqlError(SQLSTATE.featureNotSupported, `${what} is not supported`, { position: position(location) });
}

function bindConst(n: any): Expr {
  const loc: number | undefined = n.location;
  if (n.isnull) return located({ kind: 'const', value: null, type: T.unknown }, loc);
  if (n.ival !== undefined) return located({ kind: 'const', value: Number(n.ival.ival ?? 0), type: T.int4 }, loc);
  if (n.fval !== undefined) {
    const text = String(n.fval.fval);
    if (/^[+-]?\d+$/.test(text)) {
      const big = BigInt(text);
      // an integer the lexer saw as too big for int4 may fit after negation (-2147483648);
      // beyond int4 it is int8, beyond int8 numeric (PostgreSQL's make_const)
      if (big >= -(2n ** 31n) && big < 2n ** 31n) return located({ kind: 'const', value: Number(big), type: T.int4 }, loc);
      if (big >= -(2n ** 63n) && big < 2n ** 63n) return located({ kind: 'const', value: big, type: T.int8 }, loc);
    }
    return located({ kind: 'const', value: parseNumericText(text)!, type: T.numeric }, loc);
  }
  if (n.sval !== undefined) return located({ kind: 'const', value: String(n.sval.sval ?? ''), type: T.unknown }, loc);
  if (n.boolval !== undefined) return located({ kind: 'const', value: Boolean(n.boolval.boolval), type: BOOL }, loc);
  throw unsupported('bit string literals', loc);
}

function bindAExpr(n: any, ctx: BindContext): Expr {
  const name = strings(n.name).at(-1) ?? '';
  const loc: number | undefined = n.location;
  switch (n.kind) {
    case 'AEXPR_OP': {
      if (n.lexpr?.RowExpr && n.rexpr?.RowExpr) return bindRowComparison(name, n.lexpr.RowExpr, n.rexpr.RowExpr, loc, ctx);
      const args = n.lexpr ? [bindExpr(n.lexpr, ctx), bindExpr(n.rexpr, ctx)] : [bindExpr(n.rexpr, ctx)];
      return bindOperator(name, args, loc);
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
    case 'AEXPR_SIMILAR':
      return bindOperator(name, [bindExpr(n.lexpr, ctx), bindExpr(n.rexpr, ctx)], loc);
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT': {
      const [left, right] = operatorArgs('=', [bindExpr(n.lexpr, ctx), bindExpr(n.rexpr, ctx)], loc) as [Expr, Expr];
      return { kind: 'distinct', negate: n.kind === 'AEXPR_NOT_DISTINCT', left, right, type: BOOL };
    }
    case 'AEXPR_NULLIF': {
      const [left, right] = operatorArgs('=', [bindExpr(n.lexpr, ctx), bindExpr(n.rexpr, ctx)], loc) as [Expr, Expr];
      return { kind: 'nullif', left, right, type: left.type };
    }
    case 'AEXPR_IN':
      return bindIn(n, name === '<>', ctx);
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      return bindAnyAll(n, name, n.kind === 'AEXPR_OP_ALL', ctx);
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM': {
      const items = n.rexpr.List?.items ?? n.rexpr;
      const a = bindExpr(n.lexpr, ctx);
      const lo = bindExpr(items[0], ctx);
      const hi = bindExpr(items[1], ctx);
      const negate = n.kind === 'AEXPR_NOT_BETWEEN' || n.kind === 'AEXPR_NOT_BETWEEN_SYM';
      const range = (x: Expr, y: Expr): Expr =>
        negate
          ? { kind: 'or', args: [bindOperator('<', [a, x], loc), bindOperator('>', [a, y], loc)], type: BOOL }
          : { kind: 'and', args: [bindOperator('>=', [a, x], loc), bindOperator('<=', [a, y], loc)], type: BOOL };
      if (n.kind === 'AEXPR_BETWEEN' || n.kind === 'AEXPR_NOT_BETWEEN') return range(lo, hi);
      return { kind: negate ? 'and' : 'or', args: [range(lo, hi), range(hi, lo)], type: BOOL };
    }
    default:
      throw unsupported(`expression kind ${n.kind}`, loc);
  }
}

/**
 * (a, b) op (c, d): = and <> compare every pair; < <= > >= order the rows by their first unequal
 * pair, which with SQL's NULLs is (a < c) OR (a = c AND b < d).
 */
function bindRowComparison(op: string, left: any, right: any, location: number | undefined, ctx: BindContext): Expr {
  const l: Expr[] = (left.args ?? []).map((a: any) => bindExpr(a, ctx));
  const r: Expr[] = (right.args ?? []).map((a: any) => bindExpr(a, ctx));
  if (l.length !== r.length) throw new SqlError(SQLSTATE.syntaxError, 'unequal number of entries in row expressions', { position: position(location) });
  if (l.length === 0) throw unsupported('comparison of empty rows', location);
  const pairs = (pairOp: string) => l.map((x, i) => bindOperator(pairOp, [x, r[i]!], location));
  if (op === '=') return junction('and', pairs('='));
  if (op === '<>') return junction('or', pairs('<>'));
  if (!['<', '<=', '>', '>='].includes(op)) throw unsupported(`row comparison with operator ${op}`, location);
  const strict = op[0]!;
  const equal = pairs('=');
  const terms = l.map((x, i) => junction('and', [...equal.slice(0, i), bindOperator(i === l.length - 1 ? op : strict, [x, r[i]!], location)]));
  return junction('or', terms);
}

/** x [NOT] IN (list): one common type for all when there is one, else a chain of = / <>. */
function bindIn(n: any, negate: boolean, ctx: BindContext): Expr {
  if (n.lexpr?.RowExpr) {
    const items: any[] = n.rexpr.List?.items ?? n.rexpr;
    const tests = items.map((item) => {
      if (!item.RowExpr) throw new SqlError(SQLSTATE.syntaxError, 'unequal number of entries in row expressions', { position: position(n.location) });
      return bindRowComparison(negate ? '<>' : '=', n.lexpr.RowExpr, item.RowExpr, n.location, ctx);
    });
    return junction(negate ? 'and' : 'or', tests);
  }
  const arg = bindExpr(n.lexpr, ctx);
  const items: any[] = n.rexpr.List?.items ?? n.rexpr;
  const list = items.map((i) => bindExpr(i, ctx));
  let type: SqlType | undefined;
  try {
    type = commonType([arg, ...list], 'IN');
    if (![arg, ...list].every((e) => isUnknown(e.type) || canCast(e.type, type!, 'implicit'))) type = undefined;
  } catch {
    type = undefined;
  }
  if (type && resolveOverload('=', [type, type], true) !== undefined) {
    return { kind: 'inlist', arg: coerce(arg, type), list: list.map((e) => coerce(e, type!)), negate, type: BOOL };
  }
  return junction(negate ? 'and' : 'or', list.map((e) => bindOperator(negate ? '<>' : '=', [arg, e], n.location)));
}

/**
 * x op ANY/ALL (array). Over ARRAY[...] the elements are a list, like IN; over any other array
 * the operator is resolved against the element type (an untyped literal '{a,b}' takes the array
 * type of the operator's right side, as PostgreSQL's make_scalar_array_op does).
 */
function bindAnyAll(n: any, op: string, all: boolean, ctx: BindContext): Expr {
  const array = n.rexpr.A_ArrayExpr;
  if (array && !(array.elements ?? []).some((e: any) => e.A_ArrayExpr)) {
    // = ANY is IN and <> ALL is NOT IN, which may become an inlist
    if (op === (all ? '<>' : '=')) return bindIn({ ...n, rexpr: array.elements ?? [] }, all, ctx);
    const arg = bindExpr(n.lexpr, ctx);
    const tests = (array.elements ?? []).map((e: any) => bindOperator(op, [arg, bindExpr(e, ctx)], n.location));
    if (tests.length === 0) return { kind: 'const', value: all, type: BOOL };
    return junction(all ? 'and' : 'or', tests);
  }
  const left = bindExpr(n.lexpr, ctx);
  const right = bindExpr(n.rexpr, ctx);
  const element = isUnknown(right.type) ? T.unknown : right.type.element;
  if (!element) {
    throw new SqlError(SQLSTATE.wrongObjectType, `op ANY/ALL (array) requires array on right side`, { position: position(n.location) });
  }
  const r = resolveOperator(op, [left, { kind: 'const', value: null, type: element }], n.location);
  if (returnTypeFor(r.def, r.targets).oid !== BOOL.oid) {
    throw new SqlError(SQLSTATE.wrongObjectType, `op ANY/ALL (array) requires operator to yield boolean`, { position: position(n.location) });
  }
  const arrayType = arrayTypeOf(r.targets[1]!);
  if (!arrayType) throw unsupported(`ANY/ALL over an array of ${r.targets[1]!.name}`, n.location);
  return {
    kind: 'call',
    name: all ? `${op} ALL` : `${op} ANY`,
    args: [coerce(left, r.targets[0]!), coerce(right, arrayType)],
    type: BOOL,
    strict: false,
    volatile: false,
    impl: anyAll(implFor(r.def, r.targets), all),
  };
}

/** ARRAY[...]; `target` is the array type of a cast around it (ARRAY[]::int[]), which types the elements. */
function bindArrayExpr(n: any, ctx: BindContext, target?: SqlType): Expr {
  const items: any[] = n.elements ?? [];
  if (items.some((e) => e.A_ArrayExpr)) throw unsupported('multidimensional arrays', n.location);
  const bound = items.map((e) => bindExpr(e, ctx));
  let element: SqlType;
  let elements: Expr[];
  if (target?.element) {
    element = target.element;
    elements = bound.map((e) => coerce(e, element, 'explicit'));
  } else {
    if (bound.length === 0) {
      throw new SqlError(SQLSTATE.indeterminateDatatype, 'cannot determine type of empty array', {
        position: position(n.location),
        hint: 'Explicitly cast to the desired type, for example ARRAY[]::integer[].',
      });
    }
    ({ exprs: elements, type: element } = coerceAll(bound, 'ARRAY'));
  }
  if (element.element) throw unsupported('multidimensional arrays', n.location);
  const type = arrayTypeOf(element);
  if (!type) throw new SqlError(SQLSTATE.undefinedObject, `could not find array type for data type ${element.name}`, { position: position(n.location) });
  return located({ kind: 'call', name: 'array', args: elements, type, strict: false, volatile: false, impl: arrayConstructor }, n.location);
}

/** a[i] and a[lo:hi] over one-dimensional arrays; the subscripts are integers. */
function bindIndirection(n: any, ctx: BindContext): Expr {
  const ops: any[] = n.indirection ?? [];
  const loc = exprLocation(n.arg);
  if (ops.some((o) => !o.A_Indices)) throw unsupported('field selection from a composite value', loc);
  if (ops.length > 1) throw unsupported('subscripts of more than one dimension (multidimensional arrays)', loc);
  const arg = bindExpr(n.arg, ctx);
  const idx = ops[0].A_Indices;
  if (!arg.type.element) {
    throw new SqlError(SQLSTATE.datatypeMismatch, `cannot subscript type ${arg.type.name} because it does not support subscripting`, { position: position(loc) });
  }
  const index = (node: any): Expr | undefined => (node ? coerce(bindExpr(node, ctx), T.int4) : undefined);
  const hi = index(idx.uidx);
  if (!idx.is_slice) {
    return { kind: 'call', name: 'subscript', args: [arg, hi!], type: arg.type.element, strict: true, volatile: false, impl: ([a, i]) => subscript(a as SqlArray, i as number) };
  }
  const lo = index(idx.lidx);
  // an omitted bound is the array's own; a NULL bound makes the slice NULL (the call is strict)
  const args = [arg, ...(lo ? [lo] : []), ...(hi ? [hi] : [])];
  const impl = (v: Value[]) => slice(v[0] as SqlArray, lo ? (v[1] as number) : undefined, hi ? (v[lo ? 2 : 1] as number) : undefined);
  return { kind: 'call', name: 'slice', args, type: arg.type, strict: true, volatile: false, impl };
}

/** The leftmost location inside a node, for error positions. */
function exprLocation(node: any): number | undefined {
  const n = node ? node[Object.keys(node)[0]!] : undefined;
  return typeof n?.location === 'number' ? n.location : undefined;
}

function bindCase(n: any, ctx: BindContext): Expr {
  const subject = n.arg ? bindExpr(n.arg, ctx) : undefined;
  const whens = (n.args ?? []).map((w: any) => {
    const cw = w.CaseWhen;
    const cond = subject ? bindOperator('=', [subject, bindExpr(cw.expr, ctx)], cw.location) : requireBool(bindExpr(cw.expr, ctx), 'CASE/WHEN');
    return { when: cond, then: bindExpr(cw.result, ctx) };
  });
  const elseExpr = n.defresult ? bindExpr(n.defresult, ctx) : null;
  // PostgreSQL weighs the ELSE result first (transformCaseExpr): CASE WHEN .. THEN text ELSE name END is name
  const thens = whens.map((w: { then: Expr }) => w.then);
  const { exprs, type } = coerceAll(elseExpr ? [elseExpr, ...thens] : thens, 'CASE');
  const first = elseExpr ? 1 : 0;
  return {
    kind: 'case',
    whens: whens.map((w: { when: Expr }, i: number) => ({ when: w.when, then: exprs[first + i]! })),
    else: elseExpr ? exprs[0]! : null,
    type,
  };
}

const SQL_VALUE_FUNCTIONS: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIMESTAMP: 'now',
  SVFOP_CURRENT_TIMESTAMP_N: 'now',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_user',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'current_user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_database',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

function bindFuncCall(node: any, ctx: BindContext): Expr {
  const n = node.FuncCall;
  const hooked = ctx.hooks?.funcCall?.(node, ctx);
  if (hooked) return hooked;
  const names = strings(n.funcname);
  const name = names.at(-1)!;
  const shown = names.join('.');
  if (n.over) throw unsupported('window functions', n.location);
  if (n.agg_star || n.agg_distinct || n.agg_order || n.agg_filter) {
    throw new SqlError(SQLSTATE.undefinedFunction, `function ${shown}(${n.agg_star ? '*' : '...'}) does not exist`, { position: position(n.location) });
  }
  if (names.length > 1 && names[0] !== 'pg_catalog') {
    throw new SqlError(SQLSTATE.undefinedFunction, `function ${shown} does not exist`, { position: position(n.location) });
  }
  const named = (n.args ?? []).find((a: any) => a.NamedArgExpr);
  if (named) throw unsupported('named function arguments', named.NamedArgExpr.location);
  const args = (n.args ?? []).map((a: any) => bindExpr(a, ctx));
  return bindFunction(name, args, n.location);
}

/** Binds one expression node. */
export function bindExpr(node: any, ctx: BindContext): Expr {
  const kind = Object.keys(node)[0]!;
  const n = node[kind];
  switch (kind) {
    case 'A_Const':
      return bindConst(n);
    case 'ColumnRef': {
      const fields = n.fields ?? [];
      if (fields.some((f: any) => f.A_Star)) {
        throw new SqlError(SQLSTATE.syntaxError, `"*" is not allowed here`, { position: position(n.location) });
      }
      const { index, type } = ctx.scope.resolveColumn(strings(fields), n.location ?? -1);
      return located({ kind: 'column', index, type }, n.location);
    }
    case 'ParamRef': {
      const index = Number(n.number ?? 0) - 1;
      if (index < 0) throw new SqlError(SQLSTATE.undefinedParameter, `there is no parameter $${index + 1}`, { position: position(n.location) });
      const e = located({ kind: 'param', index, type: ctx.params.get(index) ?? T.unknown }, n.location) as Expr;
      paramOwners.set(e, ctx.params);
      return e;
    }
    case 'A_Expr':
      return bindAExpr(n, ctx);
    case 'BoolExpr': {
      const what = n.boolop === 'AND_EXPR' ? 'AND' : n.boolop === 'OR_EXPR' ? 'OR' : 'NOT';
      const args = (n.args ?? []).map((a: any) => requireBool(bindExpr(a, ctx), what));
      if (what === 'NOT') return { kind: 'not', arg: args[0]!, type: BOOL };
      return { kind: what === 'AND' ? 'and' : 'or', args, type: BOOL };
    }
    case 'NullTest': {
      const arg = bindExpr(n.arg, ctx);
      return { kind: n.nulltesttype === 'IS_NOT_NULL' ? 'isnotnull' : 'isnull', arg, type: BOOL };
    }
    case 'BooleanTest': {
      const tests: Record<string, Extract<Expr, { kind: 'booltest' }>['test']> = {
        IS_TRUE: 'true',
        IS_NOT_TRUE: 'nottrue',
        IS_FALSE: 'false',
        IS_NOT_FALSE: 'notfalse',
        IS_UNKNOWN: 'unknown',
        IS_NOT_UNKNOWN: 'notunknown',
      };
      const what = n.booltesttype.replace(/^IS_/, 'IS ').replace(/_/g, ' ');
      return { kind: 'booltest', test: tests[n.booltesttype]!, arg: requireBool(bindExpr(n.arg, ctx), what), type: BOOL };
    }
    case 'TypeCast': {
      const { type, typmod } = resolveTypeName(n.typeName);
      const arg = n.arg.A_ArrayExpr && type.element ? bindArrayExpr(n.arg.A_ArrayExpr, ctx, type) : bindExpr(n.arg, ctx);
      const byName = objectNameCast(n, arg);
      if (byName) return byName;
      const castLocation: number | undefined = n.location >= 0 ? n.location : n.typeName?.location;
      const named = objectNameText(n, type, arg);
      if (named) return located(coerceAt(named, type, 'explicit', typmod, castLocation), locations.get(arg) ?? castLocation);
      // the whole expression is reported at its leftmost token, a failing cast at its `::`
      const argLocation = locations.get(arg);
      const leftmost = argLocation === undefined ? castLocation : Math.min(argLocation, castLocation ?? argLocation);
      return located(coerceAt(arg, type, 'explicit', typmod, castLocation), leftmost);
    }
    case 'CaseExpr':
      return bindCase(n, ctx);
    case 'CoalesceExpr': {
      const { exprs, type } = coerceAll((n.args ?? []).map((a: any) => bindExpr(a, ctx)), 'COALESCE');
      return { kind: 'coalesce', args: exprs, type };
    }
    case 'MinMaxExpr': {
      const what = n.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST';
      const { exprs, type } = coerceAll((n.args ?? []).map((a: any) => bindExpr(a, ctx)), what);
      if (resolveOverload('<', [type, type], true) === undefined) {
        throw new SqlError(SQLSTATE.undefinedFunction, `could not identify a comparison function for type ${type.name}`, { position: position(n.location) });
      }
      return { kind: what === 'GREATEST' ? 'greatest' : 'least', args: exprs, type };
    }
    case 'FuncCall':
      return bindFuncCall(node, ctx);
    case 'SQLValueFunction': {
      const fname = SQL_VALUE_FUNCTIONS[n.op];
      if (!fname) throw unsupported(n.op.replace(/^SVFOP_/, '').toLowerCase().replace(/_n$/, ''), n.location);
      return bindFunction(fname, [], n.location);
    }
    case 'SubLink':
      if (!ctx.hooks?.subLink) throw unsupported('subqueries in this context', n.location);
      return ctx.hooks.subLink(node, ctx);
    case 'CollateClause':
      return bindExpr(n.arg, ctx);
    case 'A_ArrayExpr':
      return bindArrayExpr(n, ctx);
    case 'A_Indirection':
      return bindIndirection(n, ctx);
    default:
      throw unsupported(`expression ${kind}`, n?.location);
  }
}
