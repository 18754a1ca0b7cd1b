/**
 * Eddy has no array values, but the catalog queries clients send are full of them: psql's \d
 * reads array_to_string(c.reloptions || ARRAY(SELECT ... unnest(tc.reloptions))), 'd' =
 * ANY(stxkind), ARRAY(SELECT rolname ... WHERE oid = ANY(polroles)), prattrs[s]; \l reads
 * array_to_string(d.datacl, ...). In Eddy's catalog every such column is NULL (no ACLs, no
 * options, no policies, statistics or publications), and so is every array expression built from
 * them. query-rewrite.ts states exactly that before binding: in a query that reads the system
 * catalog, an array construct that draws on such a column (or on a catalog table that is always
 * empty in Eddy) becomes a typed NULL. Any other array construct is left
 * alone and gets Eddy's ordinary "not supported" error: never a wrong answer for data Eddy has.
 * (The one approximation: an ARRAY(SELECT ...) over an always-empty table is '{}' in PostgreSQL
 * and NULL here.)
 */

export type IsCatalogRelation = (schema: string | null, name: string) => boolean;

/** Columns that are arrays in PostgreSQL's catalog: text and always NULL in Eddy's, or absent. */
const CATALOG_ARRAY_COLUMNS = new Set([
  'relacl', 'reloptions', 'nspacl', 'datacl', 'datconfig', 'attacl', 'attoptions', 'attfdwoptions', 'typacl', 'proacl',
  'proconfig', 'proargnames', 'proallargtypes', 'proargmodes', 'lanacl', 'spcacl', 'spcoptions', 'rolconfig', 'setconfig',
  'polroles', 'stxkind', 'prattrs', 'subpublications', 'fdwacl', 'fdwoptions', 'srvacl', 'srvoptions', 'ftoptions',
  'umoptions', 'defaclacl', 'initprivs', 'extconfig', 'extcondition', 'conkey', 'confkey', 'conexclop',
]);

/**
 * Functions over arrays and the type of their (here always NULL) result; those returning arrays
 * give text, the type the catalog's array columns have in Eddy.
 */
const ARRAY_FUNCTIONS: Record<string, string> = {
  array_to_string: 'text',
  array_remove: 'text',
  array_append: 'text',
  array_prepend: 'text',
  array_cat: 'text',
  array_upper: 'int4',
  array_lower: 'int4',
  array_length: 'int4',
  array_ndims: 'int4',
  cardinality: 'int4',
};

const typedNull = (type: string | null): any => {
  const nul = { A_Const: { isnull: true, location: -1 } };
  if (type === null) return nul;
  return { TypeCast: { arg: nul, typeName: { names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: type } }], typemod: -1, location: -1 }, location: -1 } };
};

/** The typed NULL an array construct stands for, or undefined when the node is not one. */
function arrayConstructReplacement(node: any): any | undefined {
  const kind = Object.keys(node)[0];
  const n = node[kind!];
  switch (kind) {
    case 'FuncCall': {
      const name: string = n.funcname?.at(-1)?.String?.sval ?? '';
      return name in ARRAY_FUNCTIONS ? typedNull(ARRAY_FUNCTIONS[name]!) : undefined;
    }
    case 'A_Expr':
      return (n.kind === 'AEXPR_OP_ANY' || n.kind === 'AEXPR_OP_ALL') && !n.rexpr?.A_ArrayExpr ? typedNull('bool') : undefined;
    case 'SubLink':
      return n.subLinkType === 'ARRAY_SUBLINK' ? typedNull(null) : undefined;
    case 'A_Indirection':
      return (n.indirection ?? []).some((i: any) => i.A_Indices) ? typedNull(null) : undefined;
    case 'TypeCast':
      return n.typeName?.arrayBounds?.length ? typedNull(null) : undefined;
    default:
      return undefined;
  }
}

/** Does the subtree draw on a catalog array column or an always-empty catalog table? */
function drawsOnCatalogArrays(node: any, isAlwaysEmpty: IsCatalogRelation): boolean {
  if (Array.isArray(node)) return node.some((n) => drawsOnCatalogArrays(n, isAlwaysEmpty));
  if (node === null || typeof node !== 'object') return false;
  const column = node.ColumnRef?.fields?.at(-1)?.String?.sval;
  if (column !== undefined && CATALOG_ARRAY_COLUMNS.has(column)) return true;
  const rv = node.RangeVar;
  if (rv && isAlwaysEmpty(rv.schemaname ?? null, rv.relname)) return true;
  return Object.values(node).some((v) => drawsOnCatalogArrays(v, isAlwaysEmpty));
}

/** The typed NULL an array construct over the catalog's (NULL or empty) arrays stands for, else undefined. */
export function arrayConstructNull(node: any, isAlwaysEmpty: IsCatalogRelation): any | undefined {
  const replacement = arrayConstructReplacement(node);
  return replacement !== undefined && drawsOnCatalogArrays(node, isAlwaysEmpty) ? replacement : undefined;
}

export function readsCatalog(node: any, isCatalog: IsCatalogRelation): boolean {
  if (Array.isArray(node)) return node.some((n) => readsCatalog(n, isCatalog));
  if (node === null || typeof node !== 'object') return false;
  const rv = node.RangeVar;
  if (rv && isCatalog(rv.schemaname ?? null, rv.relname)) return true;
  return Object.values(node).some((v) => readsCatalog(v, isCatalog));
}
