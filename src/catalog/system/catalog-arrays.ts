/**
 * Eddy's catalog keeps no array values (its array columns are text), but the catalog queries
 * clients send are full of them: psql's \d reads array_to_string(c.reloptions || ARRAY(SELECT ... unnest(tc.reloptions))), 'd' =
 * ANY(stxkind), ARRAY(SELECT rolname ... WHERE oid = ANY(polroles)), prattrs[s]; \l reads
 * array_to_string(d.datacl, ...); \du ARRAY(SELECT ... FROM pg_auth_members ...).
 *
 * In Eddy's catalog every array column is NULL (no ACLs, options, policies, statistics or
 * publications), and some catalog tables are always empty. From those two facts the value of
 * many array expressions is known before the query runs: a column is NULL; ARRAY(SELECT ...) of a
 * subquery that provably has no rows (it reads an always-empty table, unnests a NULL array, or
 * filters by x = ANY(NULL)) is the empty array; NULL || a is a; and so on. The scalar results
 * clients take from them follow exactly (array_to_string of NULL is NULL, of {} is ''; x =
 * ANY(NULL) is NULL, x = ANY({}) false; NULL[i] is NULL ...). query-rewrite.ts replaces each such
 * construct by its value before binding; an array that is still wanted as a value becomes text
 * (NULL or '{}'), the type the catalog's array columns have in Eddy. A construct whose value is not
 * known this way is left alone and gets Eddy's ordinary "not supported" error: never a wrong answer.
 */

export type IsCatalogRelation = (schema: string | null, name: string) => boolean;

/** Columns that are arrays in PostgreSQL's catalog: text and always NULL in Eddy's, or absent. */
const CATALOG_ARRAY_COLUMNS = new Set([
  'relacl', 'reloptions', 'nspacl', 'datacl', 'datconfig', 'attacl', 'attoptions', 'attfdwoptions', 'typacl', 'proacl',
  'proconfig', 'proargnames', 'proallargtypes', 'proargmodes', 'lanacl', 'spcacl', 'spcoptions', 'rolconfig', 'setconfig',
  'polroles', 'stxkind', 'prattrs', 'subpublications', 'fdwacl', 'fdwoptions', 'srvacl', 'srvoptions', 'ftoptions',
  'umoptions', 'defaclacl', 'initprivs', 'extconfig', 'extcondition', 'paracl', 'confkey', 'conexclop',
  'conpfeqop', 'conppeqop', 'conffeqop', 'confdelsetcols', 'attmissingval',
]);

/** Aggregates return a row even over no rows: a subquery using one is not empty for lack of input. */
const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'string_agg', 'array_agg', 'bool_and', 'bool_or', 'every', 'json_agg', 'jsonb_agg']);

/** A known array value: NULL or empty. */
type ArrayValue = 'null' | 'empty';

const NULL_CONST = { A_Const: { isnull: true, location: -1 } };
const typed = (arg: any, type: string): any => ({
  TypeCast: { arg, typeName: { names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: type } }], typemod: -1, location: -1 }, location: -1 },
});
const typedNull = (type: string) => typed(NULL_CONST, type);
const text = (s: string) => typed({ A_Const: { sval: { sval: s }, location: -1 } }, 'text');
const bool = (b: boolean) => ({ A_Const: { boolval: { boolval: b }, location: -1 } });
const int = (i: number) => typed({ A_Const: { ival: { ival: i }, location: -1 } }, 'int4');

const functionName = (node: any): string | undefined => node?.FuncCall?.funcname?.at(-1)?.String?.sval;

const conjuncts = (node: any): any[] =>
  node?.BoolExpr?.boolop === 'AND_EXPR' ? node.BoolExpr.args.flatMap(conjuncts) : node ? [node] : [];

export class CatalogArrays {
  constructor(private readonly isAlwaysEmpty: IsCatalogRelation) {}

  /** The value of an array-valued expression, when the catalog's facts determine it. */
  arrayValue(node: any): ArrayValue | undefined {
    const column = node?.ColumnRef?.fields?.at(-1)?.String?.sval;
    if (column !== undefined) return CATALOG_ARRAY_COLUMNS.has(column) ? 'null' : undefined;
    if (node?.TypeCast?.typeName?.arrayBounds?.length) return this.arrayValue(node.TypeCast.arg);
    if (node?.SubLink?.subLinkType === 'ARRAY_SUBLINK') return this.hasNoRows(node.SubLink.subselect) ? 'empty' : undefined;
    const e = node?.A_Expr;
    if (e?.kind === 'AEXPR_OP' && e.name?.[0]?.String?.sval === '||' && e.lexpr) return this.concatenation(e.lexpr, e.rexpr);
    const args: any[] = node?.FuncCall?.args ?? [];
    switch (functionName(node)) {
      case 'array_cat':
        return args.length === 2 ? this.concatenation(args[0], args[1]) : undefined;
      case 'array_remove': // removing from NULL is NULL, from {} is {}
        return args.length === 2 ? this.arrayValue(args[0]) : undefined;
      default:
        return undefined;
    }
  }

  /** a || b over arrays: NULL is the identity; {} || {} is {}. */
  private concatenation(a: any, b: any): ArrayValue | undefined {
    const left = this.arrayValue(a);
    const right = this.arrayValue(b);
    if (left === 'null') return right;
    if (right === 'null') return left;
    return left === 'empty' && right === 'empty' ? 'empty' : undefined;
  }

  /** Is the SELECT sure to have no rows: it reads from nothing, or filters everything out? */
  private hasNoRows(node: any): boolean {
    const select = node?.SelectStmt;
    if (!select || (select.op && select.op !== 'SETOP_NONE')) return false;
    if (select.groupClause || (select.targetList ?? []).some((t: any) => AGGREGATES.has(functionName(t.ResTarget?.val) ?? ''))) return false;
    if ((select.fromClause ?? []).some((item: any) => this.itemHasNoRows(item))) return true;
    // a condition known to be NULL or false filters every row out
    return conjuncts(select.whereClause).some((c) => {
      const value = this.scalarValue(c);
      return value === NULL_CONST || value?.A_Const?.boolval?.boolval === false;
    });
  }

  private itemHasNoRows(item: any): boolean {
    const rv = item.RangeVar;
    if (rv) return this.isAlwaysEmpty(rv.schemaname ?? null, rv.relname);
    const fn = item.RangeFunction?.functions?.[0]?.List?.items?.[0];
    if (fn) return functionName(fn) === 'unnest' && fn.FuncCall.args?.length === 1 && this.arrayValue(fn.FuncCall.args[0]) !== undefined;
    if (item.RangeSubselect) return this.hasNoRows(item.RangeSubselect.subquery);
    const join = item.JoinExpr;
    if (!join) return false;
    const [left, right] = [this.itemHasNoRows(join.larg), this.itemHasNoRows(join.rarg)];
    switch (join.jointype) {
      case 'JOIN_INNER': return left || right;
      case 'JOIN_LEFT': return left;
      case 'JOIN_RIGHT': return right;
      default: return left && right;
    }
  }

  /**
   * The replacement of a scalar taken from a known array (array_to_string, = ANY, [i], IS NULL,
   * array_upper ...), the value of the subquery's filter conditions included; else undefined.
   */
  private scalarValue(node: any): any | undefined {
    const e = node?.A_Expr;
    if ((e?.kind === 'AEXPR_OP_ANY' || e?.kind === 'AEXPR_OP_ALL') && !e.rexpr?.A_ArrayExpr) {
      const value = this.arrayValue(e.rexpr);
      if (value === 'null') return NULL_CONST;
      if (value === 'empty') return bool(e.kind === 'AEXPR_OP_ALL');
      return undefined;
    }
    const indirection = node?.A_Indirection;
    if (indirection?.indirection?.some((i: any) => i.A_Indices)) return this.arrayValue(indirection.arg) ? NULL_CONST : undefined;
    const test = node?.NullTest;
    if (test) {
      const value = this.arrayValue(test.arg);
      return value === undefined ? undefined : bool((value === 'null') === (test.nulltesttype === 'IS_NULL'));
    }
    const args: any[] = node?.FuncCall?.args ?? [];
    const value = args.length > 0 ? this.arrayValue(args[0]) : undefined;
    if (value === undefined) return undefined;
    switch (functionName(node)) {
      case 'array_to_string':
        return value === 'null' ? typedNull('text') : text('');
      case 'array_upper':
      case 'array_lower':
      case 'array_length':
      case 'array_ndims':
        return typedNull('int4');
      case 'cardinality':
        return value === 'null' ? typedNull('int4') : int(0);
      default:
        return undefined;
    }
  }

  /**
   * The replacement of a construct over the catalog's arrays: a scalar taken from one, or an array
   * still wanted as a value (as text: NULL or '{}'); undefined for anything else, plain catalog
   * array columns included (they are text columns already).
   */
  replacement(node: any): any | undefined {
    const scalar = this.scalarValue(node);
    if (scalar !== undefined) return scalar;
    if (node?.ColumnRef) return undefined;
    // ARRAY(subquery) as a value of its own is the planner's (an empty one is '{}' of the element's
    // array type, as pgAdmin's coll_inherits reads it); only inside the constructs above is it known here
    if (node?.SubLink?.subLinkType === 'ARRAY_SUBLINK') return undefined;
    const value = this.arrayValue(node);
    return value === undefined ? undefined : value === 'null' ? typedNull('text') : text('{}');
  }
}

export function readsCatalog(node: any, isCatalog: IsCatalogRelation): boolean {
  if (Array.isArray(node)) return node.some((n) => readsCatalog(n, isCatalog));
  if (node === null || typeof node !== 'object') return false;
  const rv = node.RangeVar;
  if (rv && isCatalog(rv.schemaname ?? null, rv.relname)) return true;
  return Object.values(node).some((v) => readsCatalog(v, isCatalog));
}
