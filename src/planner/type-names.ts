/**
 * Resolves a type name as written in SQL (a libpg-query TypeName node) to a SqlType and its
 * typmod, encoded as PostgreSQL encodes it so that it can go to clients as atttypmod.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { ARRAY_TYPES, arrayTypeOf, T, type SqlType } from '../types/types.js';
import { numericTypmod } from '../types/numeric.js';

/** pg_type names (and the aliases the grammar does not rewrite) to types. */
const TYPES_BY_NAME = new Map<string, SqlType>([
  ['bool', T.bool],
  ['boolean', T.bool],
  ['bytea', T.bytea],
  ['char', T.char],
  ['name', T.name],
  ['int8', T.int8],
  ['bigint', T.int8],
  ['int2', T.int2],
  ['smallint', T.int2],
  ['int4', T.int4],
  ['int2vector', T.int2vector],
  ['oidvector', T.oidvector],
  ['int', T.int4],
  ['integer', T.int4],
  ['text', T.text],
  ['oid', T.oid],
  ['json', T.json],
  ['float4', T.float4],
  ['real', T.float4],
  ['float8', T.float8],
  ['float', T.float8],
  ['unknown', T.unknown],
  ['bpchar', T.bpchar],
  ['varchar', T.varchar],
  ['date', T.date],
  ['timestamp', T.timestamp],
  ['timestamptz', T.timestamptz],
  ['interval', T.interval],
  ['numeric', T.numeric],
  ['decimal', T.numeric],
  ['jsonb', T.jsonb],
  // Object identifier aliases (catalog queries cast oids to them): read as plain oids, so they
  // compare and join like PostgreSQL's, but print as numbers and do not look up names.
  // the array types by their pg_type names: _int4, _text ...
  ...ARRAY_TYPES.map((a): [string, SqlType] => [a.typname, a]),
  ...['regclass', 'regtype', 'regproc', 'regprocedure', 'regnamespace', 'regrole', 'regoper', 'regconfig'].map((n): [string, SqlType] => [n, T.oid]),
]);

/** The type a name names as to_regtype reads it (pg_type names, aliases, format_type's spelling); undefined if none. */
export function typeNamed(name: string): SqlType | undefined {
  return TYPES_BY_NAME.get(name) ?? [...TYPES_BY_NAME.values()].find((t) => t.name === name);
}

export interface ResolvedType {
  type: SqlType;
  typmod: number;
}

function typmodArgs(typeName: any): number[] {
  return ((typeName.typmods ?? []) as any[]).map((m) => {
    const c = m.A_Const;
    if (c?.ival === undefined) {
      throw new SqlError(SQLSTATE.syntaxError, 'type modifiers must be simple constants or identifiers', {
        position: (typeName.location ?? -1) + 1 || undefined,
      });
    }
    return Number(c.ival.ival ?? 0);
  });
}

function invalidTypmod(message: string, location: number): SqlError {
  return new SqlError(SQLSTATE.invalidParameterValue, message, { position: location >= 0 ? location + 1 : undefined });
}

function encodeTypmod(type: SqlType, args: number[], location: number): number {
  if (args.length === 0) return -1;
  switch (type.oid) {
    case T.numeric.oid: {
      const [precision, scale = 0] = args as [number, number?];
      if (args.length > 2) throw invalidTypmod('invalid NUMERIC type modifier', location);
      if (precision < 1 || precision > 1000) throw invalidTypmod(`NUMERIC precision ${precision} must be between 1 and 1000`, location);
      if (scale < -1000 || scale > 1000) throw invalidTypmod(`NUMERIC scale ${scale} must be between -1000 and 1000`, location);
      return numericTypmod(precision, scale);
    }
    case T.varchar.oid:
    case T.bpchar.oid: {
      const name = type.oid === T.varchar.oid ? 'varchar' : 'char';
      if (args.length > 1) throw invalidTypmod(`invalid type modifier`, location);
      if (args[0]! < 1) throw invalidTypmod(`length for type ${name} must be at least 1`, location);
      if (args[0]! > 10485760) throw invalidTypmod(`length for type ${name} cannot exceed 10485760`, location);
      return args[0]! + 4;
    }
    case T.timestamp.oid:
    case T.timestamptz.oid: {
      if (args.length > 1) throw invalidTypmod('invalid type modifier', location);
      if (args[0]! < 0) throw invalidTypmod(`TIMESTAMP(${args[0]}) precision must not be negative`, location);
      return Math.min(args[0]!, 6);
    }
    case T.interval.oid:
      // the grammar encodes INTERVAL's field range (and precision) as PostgreSQL's typmod does
      return args.length === 1 ? ((args[0]! & 0x7fff) << 16) | 0xffff : ((args[0]! & 0x7fff) << 16) | Math.min(args[1]!, 6);
    default:
      throw invalidTypmod(`type modifier is not allowed for type "${type.typname}"`, location);
  }
}

/** Resolves a libpg-query TypeName node; 42704 for unknown types. */
export function resolveTypeName(typeName: any): ResolvedType {
  const names = ((typeName.names ?? []) as any[]).map((n) => String(n.String?.sval ?? ''));
  const location: number = typeName.location ?? -1;
  const position = location >= 0 ? location + 1 : undefined;
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const name = names[names.length - 1] ?? '';
  const type = schema === undefined || schema === 'pg_catalog' ? TYPES_BY_NAME.get(name) : undefined;
  if (!type || typeName.setof) {
    throw new SqlError(SQLSTATE.undefinedObject, `type "${names.join('.')}" does not exist`, { position });
  }
  const typmod = encodeTypmod(type, typmodArgs(typeName), location);
  // int[] and int[][] name one type, as in PostgreSQL; its typmod is the element's
  if (typeName.arrayBounds?.length) {
    const array = arrayTypeOf(type);
    if (!array) throw new SqlError(SQLSTATE.undefinedObject, `could not find array type for data type ${type.name}`, { position });
    return { type: array, typmod };
  }
  return { type, typmod };
}
