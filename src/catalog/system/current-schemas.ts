/**
 * current_schemas(include_implicit) is an array: the schemas names resolve in, which for Eddy are
 * always pg_catalog (implicit) and public. Drivers use it in three ways, each of which has an
 * exact array-free form given that list: `x = ANY(current_schemas(b))` (pgjdbc: is a type's
 * schema on the path), `array_upper(current_schemas(b), 1)` and `(current_schemas(b))[i]`
 * (pgjdbc's search-path order). These are rewritten before binding.
 */

const schemas = (includeImplicit: boolean): string[] => (includeImplicit ? ['pg_catalog', 'public'] : ['public']);

/** The schema list of a `current_schemas(<boolean constant>)` call, else null. */
function currentSchemasCall(node: any): string[] | null {
  const call = node?.FuncCall;
  if (call?.funcname?.at(-1)?.String?.sval !== 'current_schemas' || call.args?.length !== 1) return null;
  const flag = call.args[0]?.A_Const?.boolval;
  return flag === undefined ? null : schemas(Boolean(flag.boolval));
}

const text = (s: string) => ({ A_Const: { sval: { sval: s }, location: -1 } });
const int = (i: number) => ({ A_Const: { ival: { ival: i }, location: -1 } });

/** The array-free equivalent of a construct over current_schemas(...), else undefined. */
export function currentSchemasConstruct(node: any): any | undefined {
  const expr = node.A_Expr;
  if (expr?.kind === 'AEXPR_OP_ANY') {
    const list = currentSchemasCall(expr.rexpr);
    if (list) return { A_Expr: { ...expr, rexpr: { A_ArrayExpr: { elements: list.map(text), location: -1 } } } };
  }
  const call = node.FuncCall;
  if (call?.funcname?.at(-1)?.String?.sval === 'array_upper' && call.args?.length === 2 && call.args[1]?.A_Const?.ival?.ival === 1) {
    const list = currentSchemasCall(call.args[0]);
    if (list) return int(list.length);
  }
  const indirection = node.A_Indirection;
  const subscript = indirection?.indirection?.length === 1 ? indirection.indirection[0].A_Indices : undefined;
  if (subscript && !subscript.is_slice && subscript.uidx) {
    const list = currentSchemasCall(indirection.arg);
    if (list) {
      return { CaseExpr: { arg: subscript.uidx, args: list.map((s, i) => ({ CaseWhen: { expr: int(i + 1), result: text(s), location: -1 } })), location: -1 } };
    }
  }
  return undefined;
}
