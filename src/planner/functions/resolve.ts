/**
 * Overload resolution, following PostgreSQL's rules (docs: "Type Conversion", func_select_candidate):
 * an exact match wins; otherwise among candidates reachable by implicit casts keep those with the
 * most exact matches, then the most preferred types, then settle unknown-typed arguments (literals,
 * untyped parameters) by type category, preferring the string category.
 */
import { T, type SqlType } from '../../types/types.js';
import { canCast } from '../../types/casts.js';
import { ANY, functionsNamed, type FunctionDef } from './registry.js';

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

function accepts(param: SqlType, arg: SqlType): boolean {
  return param === ANY || isUnknown(arg) || param.oid === arg.oid || canCast(arg, param, 'implicit');
}

// As in PostgreSQL, a polymorphic ("any") parameter accepts everything but never counts as an exact match.
const exactCount = (params: readonly SqlType[], args: SqlType[]) =>
  params.reduce((n, p, i) => n + (!isUnknown(args[i]!) && p !== ANY && p.oid === args[i]!.oid ? 1 : 0), 0);

/** Picks the candidate, or undefined when none fits; throws nothing (the binder words the error). */
export function resolveOverload(name: string, args: SqlType[], isOperator: boolean): Resolution | 'ambiguous' | undefined {
  type Cand = { def: FunctionDef; params: readonly SqlType[] };
  const all: Cand[] = [];
  for (const def of functionsNamed(name)) {
    const params = paramTypes(def, args.length);
    if (params) all.push({ def, params });
  }
  const done = (c: Cand): Resolution => ({
    def: c.def,
    targets: c.params.map((p, i) => (p === ANY ? (isUnknown(args[i]!) ? T.text : args[i]!) : p)),
  });

  // exact match; for a binary operator with one unknown side, assume it has the other side's type
  const exact = all.find((c) => c.params.every((p, i) => p !== ANY && p.oid === args[i]!.oid));
  if (exact) return done(exact);
  if (isOperator && args.length === 2 && isUnknown(args[0]!) !== isUnknown(args[1]!)) {
    const known = isUnknown(args[0]!) ? args[1]! : args[0]!;
    const same = all.find((c) => c.params.every((p) => p.oid === known.oid));
    if (same) return done(same);
  }

  let cands = all.filter((c) => c.params.every((p, i) => accepts(p, args[i]!)));
  if (cands.length <= 1) return cands[0] ? done(cands[0]) : undefined;

  const keepMax = (score: (c: Cand) => number) => {
    const best = Math.max(...cands.map(score));
    cands = cands.filter((c) => score(c) === best);
  };
  keepMax((c) => exactCount(c.params, args));
  if (cands.length === 1) return done(cands[0]!);
  keepMax((c) => c.params.reduce((n, p, i) => n + (!isUnknown(args[i]!) && p.oid !== args[i]!.oid && isPreferred(p) ? 1 : 0), 0));
  if (cands.length === 1) return done(cands[0]!);

  // unknown arguments: choose a category per position (string if any candidate takes one, else
  // the one category all candidates agree on), then prefer that category's preferred type
  for (let i = 0; i < args.length; i++) {
    if (!isUnknown(args[i]!)) continue;
    const categories = new Set(cands.map((c) => c.params[i]!.category));
    const category = categories.has('S') ? 'S' : categories.size === 1 ? [...categories][0]! : undefined;
    if (category === undefined) continue;
    let inCategory = cands.filter((c) => c.params[i]!.category === category);
    if (inCategory.some((c) => isPreferred(c.params[i]!))) inCategory = inCategory.filter((c) => isPreferred(c.params[i]!));
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
