/**
 * Overload resolution, following PostgreSQL's rules (docs: "Type Conversion", func_select_candidate):
 * an exact match wins; otherwise among candidates reachable by implicit casts keep those with the
 * most exact matches, then the most preferred types, then settle unknown-typed arguments (literals,
 * untyped parameters) by type category, preferring the string category.
 */
import { T, arrayTypeOf, type SqlType } from '../../types/types.js';
import { canCast } from '../../types/casts.js';
import { ANYARRAY, ANYELEMENT, ANYNONARRAY, functionsNamed, isPolymorphic, takesAsIs, type FunctionDef } from './registry.js';

export interface Resolution {
  def: FunctionDef;
  /** The type each argument must be coerced to. */
  targets: SqlType[];
}

const PREFERRED = new Map<string, number>([
  ['N', T.float8.oid],
  ['S', T.text.oid],
  ['D', T.timestamptz.oid],
  ['T', T.interval.oid],
  ['B', T.bool.oid],
]);

export function isPreferred(type: SqlType): boolean {
  return PREFERRED.get(type.category) === type.oid;
}

/** The declared parameter types of a candidate for n arguments, or undefined if n does not fit. */
function paramTypes(def: FunctionDef, n: number): readonly SqlType[] | undefined {
  if (!def.variadic) return def.args.length === n ? def.args : undefined;
  // as in PostgreSQL, a variadic parameter takes at least one argument
  const fixed = def.args.length - 1;
  if (n <= fixed) return undefined;
  return [...def.args.slice(0, fixed), ...Array<SqlType>(n - fixed).fill(def.args[fixed]!)];
}

const isUnknown = (t: SqlType) => t.oid === T.unknown.oid;

/**
 * The concrete parameter types of a polymorphic candidate (PostgreSQL's
 * enforce_generic_type_consistency): the known anyarray and anyelement arguments must agree on
 * one element type, which then types every polymorphic parameter, the unknown ones included.
 * Undefined when they disagree or nothing fixes the type (all unknown).
 */
function concretize(params: readonly SqlType[], args: SqlType[]): readonly SqlType[] | undefined {
  if (!params.some(isPolymorphic)) return params;
  let elem: SqlType | undefined;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    const a = args[i]!;
    if (!isPolymorphic(p) || isUnknown(a)) continue;
    const e = p === ANYARRAY ? a.element : a;
    if (!e || (p === ANYELEMENT && a.element)) return undefined;
    // as anycompatible: mixed element types meet at the one the other converts to implicitly
    if (elem && elem.oid !== e.oid && !canCast(elem, e, 'implicit')) {
      if (!canCast(e, elem, 'implicit')) return undefined;
      continue;
    }
    elem = e;
  }
  const array = elem && arrayTypeOf(elem);
  if (!elem || !array) return undefined;
  return params.map((p) => (p === ANYARRAY ? array : p === ANYELEMENT ? elem! : p));
}

function accepts(param: SqlType, arg: SqlType): boolean {
  if (param === ANYNONARRAY && arg.element) return false;
  return takesAsIs(param) || isUnknown(arg) || param.oid === arg.oid || canCast(arg, param, 'implicit');
}

// As in PostgreSQL, a polymorphic ("any") parameter accepts everything but never counts as an exact match.
const exactCount = (params: readonly SqlType[], args: SqlType[]) =>
  params.reduce((n, p, i) => n + (!isUnknown(args[i]!) && !takesAsIs(p) && !isPolymorphic(p) && p.oid === args[i]!.oid ? 1 : 0), 0);

/** Picks the candidate, or undefined when none fits; throws nothing (the binder words the error). */
export function resolveOverload(name: string, args: SqlType[], isOperator: boolean): Resolution | 'ambiguous' | undefined {
  // declared: the parameter types as registered (polymorphic ones are never an exact match and
  // count as their own category when unknown arguments are settled); params: made concrete
  type Cand = { def: FunctionDef; params: readonly SqlType[]; declared: readonly SqlType[] };
  const all: Cand[] = [];
  for (const def of functionsNamed(name)) {
    const declared = paramTypes(def, args.length);
    const params = declared && concretize(declared, args);
    if (declared && params) all.push({ def, params, declared });
  }
  const done = (c: Cand): Resolution => ({
    def: c.def,
    targets: c.params.map((p, i) => (takesAsIs(p) ? (isUnknown(args[i]!) ? T.text : args[i]!) : p)),
  });

  // exact match; for a binary operator with one unknown side, assume it has the other side's type
  const exact = all.find((c) => c.declared.every((p, i) => !takesAsIs(p) && p.oid === args[i]!.oid));
  if (exact) return done(exact);
  if (isOperator && args.length === 2 && isUnknown(args[0]!) !== isUnknown(args[1]!)) {
    const known = isUnknown(args[0]!) ? args[1]! : args[0]!;
    const same = all.find((c) => c.declared.every((p) => p.oid === known.oid));
    if (same) return done(same);
  }

  let cands = all.filter((c) => c.params.every((p, i) => accepts(p, args[i]!)));
  if (cands.length <= 1) return cands[0] ? done(cands[0]) : undefined;

  const keepMax = (score: (c: Cand) => number) => {
    const best = Math.max(...cands.map(score));
    cands = cands.filter((c) => score(c) === best);
  };
  keepMax((c) => exactCount(c.declared, args));
  if (cands.length === 1) return done(cands[0]!);
  keepMax((c) => c.params.reduce((n, p, i) => n + (!isUnknown(args[i]!) && p.oid !== args[i]!.oid && isPreferred(p) ? 1 : 0), 0));
  if (cands.length === 1) return done(cands[0]!);

  // unknown arguments: choose a category per position (string if any candidate takes one, else
  // the one category all candidates agree on), then prefer that category's preferred type
  for (let i = 0; i < args.length; i++) {
    if (!isUnknown(args[i]!)) continue;
    const categories = new Set(cands.map((c) => c.declared[i]!.category));
    const category = categories.has('S') ? 'S' : categories.size === 1 ? [...categories][0]! : undefined;
    if (category === undefined) continue;
    let inCategory = cands.filter((c) => c.declared[i]!.category === category);
    if (inCategory.some((c) => isPreferred(c.declared[i]!))) inCategory = inCategory.filter((c) => isPreferred(c.declared[i]!));
    if (inCategory.length > 0) cands = inCategory;
  }
  if (cands.length === 1) return done(cands[0]!);

  // unknowns beside known arguments that all share one type: assume the unknowns have it too
  const known = args.filter((a) => !isUnknown(a));
  if (known.length > 0 && known.every((a) => a.oid === known[0]!.oid)) {
    const same = cands.filter((c) => c.params.every((p, i) => !isUnknown(args[i]!) || accepts(p, known[0]!)));
    if (same.length === 1) return done(same[0]!);
  }
  return 'ambiguous';
}
