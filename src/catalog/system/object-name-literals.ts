/**
 * 'pg_class'::regclass, 'public.t'::regclass, 'int4'::regtype, 'public'::regnamespace,
 * 'array_in'::regproc: drivers
 * name catalog objects by literals cast to an object identifier type (pgjdbc's getTables joins
 * pg_description on classoid = 'pg_class'::regclass). Eddy reads the reg* types as plain oids, so
 * such a literal is resolved to its object's oid here, before binding, as PostgreSQL resolves it
 * when the constant is evaluated; an unknown name fails as it does there.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { CATALOG_TYPES } from './pg-catalog-tables.js';
import { NAMESPACE } from './oids.js';
import { qualifiedName } from '../../planner/functions/qualified-name.js';
import { T } from '../../types/types.js';

export interface ObjectNames {
  /** The oid of the relation [schema.]name, resolved along the search path when unqualified. */
  relationOid(schema: string | null, name: string): number | null;
  /** The oids of the functions named so (pg_proc). */
  functionOids(name: string): readonly number[];
}

/**
 * Type names as regtype input reads them: pg_type names, format_type spellings, and the grammar's
 * aliases (as in SQL, plain char is character(1), while "char" is the one-byte type).
 */
const TYPE_OIDS = new Map<string, number>([
  ...CATALOG_TYPES.flatMap((t): [string, number][] => [[t.typname, t.oid], [t.name, t.oid]]),
  ['char', T.bpchar.oid],
  ['int', T.int4.oid],
  ['decimal', T.numeric.oid],
  ['float', T.float8.oid],
]);

function resolve(kind: string, text: string, names: ObjectNames, location: number): number | undefined {
  const position = location >= 0 ? location + 1 : undefined;
  const parts = qualifiedName(text);
  const name = parts.at(-1) ?? '';
  const schema = parts.length > 1 ? parts.at(-2)! : null;
  switch (kind) {
    case 'regclass': {
      const oid = names.relationOid(schema, name);
      if (oid === null) throw new SqlError(SQLSTATE.undefinedTable, `relation "${text}" does not exist`, { position });
      return oid;
    }
    case 'regtype': {
      const oid = schema === null || schema === 'pg_catalog' ? TYPE_OIDS.get(text.trim().toLowerCase().replace(/^pg_catalog\./, '')) : undefined;
      if (oid === undefined) throw new SqlError(SQLSTATE.undefinedObject, `type "${text}" does not exist`, { position });
      return oid;
    }
    case 'regproc': {
      const oids = schema === null || schema === 'pg_catalog' ? names.functionOids(name) : [];
      if (oids.length === 0) throw new SqlError(SQLSTATE.undefinedFunction, `function "${text}" does not exist`, { position });
      if (oids.length > 1) throw new SqlError('42725', `more than one function named "${text}"`, { position });
      return oids[0]!;
    }
    case 'regnamespace': {
      const oid = NAMESPACE[name as keyof typeof NAMESPACE];
      if (oid === undefined) throw new SqlError('3F000', `schema "${text}" does not exist`, { position });
      return oid;
    }
    default:
      return undefined;
  }
}

/** The TypeCast node as an oid constant when it casts a string literal to regclass/regtype/regproc/regnamespace. */
export function objectNameLiteral(node: any, names: ObjectNames): any | undefined {
  const cast = node.TypeCast;
  const text = cast?.arg?.A_Const?.sval?.sval;
  if (typeof text !== 'string' || cast.typeName?.arrayBounds?.length) return undefined;
  const kind: string = cast.typeName?.names?.at(-1)?.String?.sval ?? '';
  const oid = resolve(kind, text, names, cast.arg.A_Const.location ?? -1);
  if (oid === undefined) return undefined;
  return { TypeCast: { arg: { A_Const: { ival: { ival: oid }, location: cast.arg.A_Const.location } }, typeName: cast.typeName, location: cast.location } };
}

const columnName = (node: any): string | undefined => {
  const fields = node?.ColumnRef?.fields;
  return fields?.length === 1 ? fields[0]?.String?.sval : undefined;
};

/**
 * pgAdmin names a system table by a scalar subquery, `(SELECT oid FROM pg_catalog.pg_class WHERE
 * relname='pg_constraint')`, in a join condition, where Eddy takes no subqueries: when the name is
 * a system table's, and no user relation shares it (the subquery would then have two rows), it is
 * that table's oid, as 'pg_catalog.name'::regclass.
 */
export function systemTableOidSubquery(node: any, names: ObjectNames): any | undefined {
  const link = node.SubLink;
  if (link?.subLinkType !== 'EXPR_SUBLINK') return undefined;
  const select = link.subselect?.SelectStmt;
  const from = select?.fromClause;
  const where = select?.whereClause?.A_Expr;
  if (!select || from?.length !== 1 || select.targetList?.length !== 1 || select.groupClause || select.limitCount || select.distinctClause) return undefined;
  const range = from[0].RangeVar;
  if (range?.relname !== 'pg_class' || (range.schemaname && range.schemaname !== 'pg_catalog') || range.alias) return undefined;
  if (columnName(select.targetList[0].ResTarget?.val) !== 'oid') return undefined;
  if (where?.kind !== 'AEXPR_OP' || where.name?.[0]?.String?.sval !== '=' || columnName(where.lexpr) !== 'relname') return undefined;
  const name = where.rexpr?.A_Const?.sval?.sval;
  if (typeof name !== 'string' || names.relationOid('public', name) !== null) return undefined;
  const oid = names.relationOid('pg_catalog', name);
  if (oid === null) return undefined;
  const location = link.location ?? -1;
  return { TypeCast: { arg: { A_Const: { ival: { ival: oid }, location } }, typeName: { names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: 'oid' } }], typemod: -1, location: -1 }, location } };
}
