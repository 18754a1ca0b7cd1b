/**
 * The name PostgreSQL gives an output column that has no alias (FigureColname in
 * parse_target.c): a column reference's last field, a function's name, `case`, `coalesce`, the
 * cast target's type when the cast's argument has no name, and `?column?` for everything else.
 */

const SQL_VALUE_FUNCTION_NAMES: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

export function figureColumnName(node: any): string {
  return nameOf(node) ?? '?column?';
}

function nameOf(node: any): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const [tag] = Object.keys(node);
  const n = node[tag!];
  switch (tag) {
    case 'ColumnRef': {
      const last = n.fields[n.fields.length - 1];
      return last?.String ? last.String.sval : undefined;
    }
    case 'A_Indirection': {
      const last = n.indirection[n.indirection.length - 1];
      if (last?.String) return last.String.sval;
      return nameOf(n.arg);
    }
    case 'FuncCall':
      return n.funcname[n.funcname.length - 1].String.sval;
    case 'TypeCast': {
      const inner = nameOf(n.arg);
      if (inner) return inner;
      const names = n.typeName.names;
      return names[names.length - 1].String.sval;
    }
    case 'CollateClause':
      return nameOf(n.arg);
    case 'CaseExpr':
      return 'case';
    case 'CoalesceExpr':
      return 'coalesce';
    case 'MinMaxExpr':
      return n.op === 'IS_GREATEST' ? 'greatest' : 'least';
    case 'NullIfExpr':
      return 'nullif';
    case 'A_Expr':
      return n.kind === 'AEXPR_NULLIF' ? 'nullif' : undefined;
    case 'A_ArrayExpr':
      return 'array';
    case 'RowExpr':
      return 'row';
    case 'SQLValueFunction':
      return SQL_VALUE_FUNCTION_NAMES[n.op] ? SQL_VALUE_FUNCTION_NAMES[n.op]! : undefined;
    case 'SubLink':
      if (n.subLinkType === 'EXISTS_SUBLINK') return 'exists';
      if (n.subLinkType === 'ARRAY_SUBLINK') return 'array';
      if (n.subLinkType === 'EXPR_SUBLINK') {
        const target = n.subselect?.SelectStmt?.targetList?.[0]?.ResTarget;
        if (!target) return undefined;
        return target.name ? target.name : nameOf(target.val);
      }
      return undefined;
    default:
      return undefined;
  }
}
