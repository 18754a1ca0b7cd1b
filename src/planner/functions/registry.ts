/**
 * The catalogue of built-in functions and operators (operators are functions named by their
 * symbol). Each family module registers its definitions; overload resolution (resolve.ts)
 * picks among the definitions of one name.
 */
import type { SqlType, Value } from '../../types/types.js';
import type { EvalEnv, SetReturning } from '../expr-ir.js';

/** PostgreSQL's "any" pseudo-type: a parameter that takes a value of any type, as it is. */
export const ANY: SqlType = { oid: 2276, name: '"any"', typname: 'any', typlen: 4, category: 'P', arrayOid: 0 };

/**
 * PostgreSQL's polymorphic pseudo-types: in one call every anyarray argument has one array type
 * and every anyelement argument its element type; resolution (resolve.ts) replaces them by the
 * concrete types the known arguments fix.
 */
export const ANYARRAY: SqlType = { oid: 2277, name: 'anyarray', typname: 'anyarray', typlen: -1, category: 'P', arrayOid: 0 };
export const ANYELEMENT: SqlType = { oid: 2283, name: 'anyelement', typname: 'anyelement', typlen: 4, category: 'P', arrayOid: 0 };

/** Any type but an array (textanycat's `text || anynonarray`, which must not catch array || text). */
export const ANYNONARRAY: SqlType = { oid: 2776, name: 'anynonarray', typname: 'anynonarray', typlen: 4, category: 'P', arrayOid: 0 };

/**
 * PostgreSQL's cstring: no SQL value has it in Eddy, but an index stores a name key as one (its
 * pg_attribute row, which psql's \d of the index shows), and the type I/O functions take it.
 */
export const CSTRING: SqlType = { oid: 2275, name: 'cstring', typname: 'cstring', typlen: -2, category: 'P', arrayOid: 1263 };

/** The pseudo-types, as pg_type and format_type know them. */
export const PSEUDO_TYPES: readonly SqlType[] = [ANY, ANYARRAY, ANYELEMENT, ANYNONARRAY, CSTRING];

/** A parameter that takes its argument as it is: "any" and anynonarray. */
export const takesAsIs = (t: SqlType) => t === ANY || t === ANYNONARRAY;

export const isPolymorphic = (t: SqlType) => t === ANYARRAY || t === ANYELEMENT;

export type Impl = (args: Value[], env: EvalEnv) => Value;

export interface FunctionDef {
  readonly name: string;
  readonly args: readonly SqlType[];
  /** The last argument type repeats any number of times (VARIADIC). */
  readonly variadic?: boolean;
  /** The result type, or how to derive it from the (resolved) argument types. */
  readonly returns: SqlType | ((argTypes: SqlType[]) => SqlType);
  /** The implementation; `specialize` builds one per call site when it depends on argument types. */
  readonly impl?: Impl;
  readonly specialize?: (argTypes: SqlType[]) => Impl;
  /** NULL in, NULL out without calling impl (PostgreSQL's STRICT); default true. */
  readonly strict?: boolean;
  /**
   * Not immutable: the result may change between evaluations with the same arguments (random(),
   * now(), anything reading session settings), so it is never constant-folded.
   */
  readonly volatile?: boolean;
  /** A set-returning function: its columns and rows for the resolved argument types. */
  readonly setReturning?: (argTypes: SqlType[]) => SetReturning;
}

/** A definition whose implementation takes its (non-null) arguments as parameters. */
export function fn(name: string, args: SqlType[], returns: SqlType, impl: (...a: any[]) => Value, extra: Partial<FunctionDef> = {}): FunctionDef {
  return { name, args, returns, impl: (a) => impl(...a), ...extra };
}

/** A definition whose implementation reads its arguments as an array, and the session's environment. */
export function fnEnv(name: string, args: SqlType[], returns: SqlType, impl: (a: any[], env: EvalEnv) => Value, extra: Partial<FunctionDef> = {}): FunctionDef {
  return { name, args, returns, impl, ...extra };
}

type Columns = { name?: string; type: SqlType }[];

/** A set-returning function: its output columns (fixed or from the argument types) and its rows for non-null arguments. */
export function srf(
  name: string,
  args: SqlType[],
  columns: Columns | ((argTypes: SqlType[]) => Columns),
  rows: (a: any, env: EvalEnv) => Value[][],
  extra: Partial<FunctionDef> = {},
): FunctionDef {
  const columnsFor = typeof columns === 'function' ? columns : () => columns;
  return {
    name,
    args,
    returns: (types) => columnsFor(types)[0]!.type,
    setReturning: (types) => ({ columns: columnsFor(types), rows }),
    ...extra,
  };
}

const byName = new Map<string, FunctionDef[]>();

export function register(...defs: FunctionDef[]): void {
  for (const d of defs) {
    const list = byName.get(d.name) ?? [];
    list.push(d);
    byName.set(d.name, list);
  }
}

/** Every definition, in registration order (pg_proc lists them). */
export function registeredFunctions(): FunctionDef[] {
  return [...byName.values()].flat();
}

export function functionsNamed(name: string): readonly FunctionDef[] {
  return byName.get(name) ?? [];
}

/** The implementation for resolved argument types. */
export function implFor(def: FunctionDef, argTypes: SqlType[]): Impl {
  if (def.specialize) return def.specialize(argTypes);
  if (def.impl) return def.impl;
  throw new Error(`function ${def.name} has no implementation`);
}

export function returnTypeFor(def: FunctionDef, argTypes: SqlType[]): SqlType {
  return typeof def.returns === 'function' ? def.returns(argTypes) : def.returns;
}
