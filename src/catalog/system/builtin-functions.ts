/**
 * The built-in functions as pg_proc lists them: every definition in the function library whose
 * name is an identifier (operators, named by their symbol, are not functions in PostgreSQL's
 * catalog). Ids follow registration order from a fixed base, so they are stable for a given build.
 */
import { ANY, registeredFunctions } from '../../planner/functions/index.js';
import { formatTypeName } from '../../types/type-format.js';
import type { SqlType } from '../../types/types.js';
import { FIRST_EDDY_SYSTEM_OID } from './oids.js';

export interface BuiltinFunction {
  oid: number;
  name: string;
  args: readonly SqlType[];
  variadic: boolean;
  /** Null when the result type depends on the arguments (shown as "any"). */
  returns: SqlType | null;
  volatile: boolean;
  /** A set-returning function (pg_proc.proretset). */
  setReturning: boolean;
}

const FIRST_FUNCTION_OID = FIRST_EDDY_SYSTEM_OID + 3000;

let cached: BuiltinFunction[] | null = null;

/** Computed on first use: the library registers its functions as its modules load. */
export function builtinFunctions(): readonly BuiltinFunction[] {
  cached ??= registeredFunctions()
    .filter((d) => /^[a-z_][a-z0-9_]*$/.test(d.name))
    .map((d, i) => ({
      oid: FIRST_FUNCTION_OID + i,
      name: d.name,
      args: d.args,
      variadic: d.variadic ?? false,
      returns: typeof d.returns === 'function' ? null : d.returns,
      setReturning: d.setReturning !== undefined,
      volatile: d.volatile ?? false,
    }));
  return cached;
}

const typeText = (t: SqlType | null): string => formatTypeName(t ?? ANY, -1);

/** pg_get_function_result and pg_get_function_arguments of a built-in function. */
export function functionSignature(oid: number): { result: string; arguments: string } | null {
  const f = builtinFunctions().find((b) => b.oid === oid);
  if (!f) return null;
  // a variadic parameter is an array of its element type, except "any", which takes the arguments as they are
  const variadic = (a: SqlType) => `VARIADIC ${typeText(a)}${a === ANY ? '' : '[]'}`;
  const args = f.args.map((a, i) => (f.variadic && i === f.args.length - 1 ? variadic(a) : typeText(a)));
  return { result: typeText(f.returns), arguments: args.join(', ') };
}
