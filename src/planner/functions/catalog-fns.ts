/**
 * Catalog information functions psql's \d family and drivers call: visibility, type and owner
 * names, object definitions (looked up in the session's catalog), comments (Eddy keeps none),
 * privileges (one superuser: always granted) and sizes (state lives in memory: 0 bytes on disk).
 */
import { arrayTypeOf, SqlArray, T, typeByOid } from '../../types/types.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { typeNamed } from '../type-names.js';
import { formatTypeName } from '../../types/type-format.js';
import type { EvalEnv } from '../expr-ir.js';
import { fn, fnEnv, PSEUDO_TYPES, register } from './registry.js';
import { parseIdent, qualifiedName } from './qualified-name.js';
import { quoteIdent } from './strings.js';

const { oid, text, int4, bool, name } = T;

/** The types of the system columns pg_attribute lists (ctid, xmin ...), which Eddy has no values of. */
const SYSTEM_COLUMN_TYPES: Record<number, string> = { 27: 'tid', 28: 'xid', 29: 'cid' };

/** Schemas on the search path: a relation there is visible unqualified. */
const SEARCH_PATH = new Set(['pg_catalog', 'public']);

const catalog = (env: EvalEnv) => env.catalog;

/**
 * pg_size_pretty as PostgreSQL 15 computes it: bytes below 10 kB, then the largest unit (kB .. PB)
 * that keeps the number below 20480 halves, rounded half away from zero.
 */
function sizePretty(bytes: bigint): string {
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const halfRounded = (x: bigint) => (x + (x < 0n ? -1n : 1n)) / 2n;
  if (abs(bytes) < 10240n) return `${bytes} bytes`;
  // division, not shifts, so that negative sizes round like positive ones (toward zero)
  let size = bytes / 512n; // one extra bit for rounding
  for (const unit of ['kB', 'MB', 'GB', 'TB']) {
    if (abs(size) < 20479n) return `${halfRounded(size)} ${unit}`;
    size /= 1024n;
  }
  return `${halfRounded(size)} PB`;
}
/** Reads the catalog, which DDL changes: never constant-folded. */
const readsCatalog = { volatile: true } as const;

/** The oid of the type a name names as regtype input reads it ('int4', 'character varying', 'pg_catalog.int4[]'), else null. */
function typeOidNamed(name: string): number | null {
  const spelled = name.trim();
  const isArray = spelled.endsWith('[]');
  const bare = isArray ? spelled.slice(0, -2) : spelled;
  // Spellings with spaces ('character varying') are one name, not identifiers to split.
  const parts = /^[a-z ]+$/i.test(bare) ? [bare.toLowerCase().replace(/\s+/g, ' ')] : qualifiedName(bare);
  if (parts.length === 0 || parts.length > 2 || (parts.length === 2 && parts[0] !== 'pg_catalog')) return null;
  const type = typeNamed(parts.at(-1)!);
  return (isArray && type ? arrayTypeOf(type) : type)?.oid ?? null;
}

function relationOidNamed(name: string, env: EvalEnv): number | null {
  const parts = qualifiedName(name);
  return parts.length === 0 || parts.length > 2 ? null : (catalog(env)?.relationOid(parts.length === 2 ? parts[0]! : null, parts.at(-1)!) ?? null);
}

/**
 * regclass and regtype input of a value known only when the statement runs ($1::regclass with a
 * text parameter, relname::regclass): the object's oid, a number as itself, and PostgreSQL's
 * error for a name that names nothing. Literals are resolved before binding (object-name-literals.ts).
 */
export const OBJECT_NAME_INPUT: Record<'regclass' | 'regtype', (name: string, env: EvalEnv) => number> = {
  regclass: (name, env) => {
    if (/^\s*\d+\s*$/.test(name)) return Number(name);
    const found = relationOidNamed(name, env);
    if (found === null) throw new SqlError(SQLSTATE.undefinedTable, `relation "${name}" does not exist`);
    return found;
  },
  regtype: (name) => {
    if (/^\s*\d+\s*$/.test(name)) return Number(name);
    const found = typeOidNamed(name);
    if (found === null) throw new SqlError(SQLSTATE.undefinedObject, `type "${name}" does not exist`);
    return found;
  },
};

/** A type's name as format_type prints it without modifier, pseudo-types included; undefined if none. */
function typeName(o: number): string | undefined {
  const type = typeByOid(o) ?? PSEUDO_TYPES.find((t) => t.oid === o);
  return type && formatTypeName(type, -1);
}

/**
 * regclass and regtype output (x::regtype::text, as asyncpg's type introspection prints
 * elemtype::regtype::text): the object's name, qualified when its schema is not on the search
 * path; '-' for 0 and the number itself for an oid that names nothing, as PostgreSQL prints them.
 */
export const OBJECT_NAME_OUTPUT: Record<'regclass' | 'regtype', (oid: number, env: EvalEnv) => string> = {
  regclass: (o, env) => {
    if (o === 0) return '-';
    const place = catalog(env)?.relationPlace(o);
    if (!place) return String(o);
    return SEARCH_PATH.has(place.schema) ? quoteIdent(place.name) : `${quoteIdent(place.schema)}.${quoteIdent(place.name)}`;
  },
  regtype: (o) => (o === 0 ? '-' : (typeName(o) ?? String(o))),
};

register(
  fnEnv('pg_table_is_visible', [oid], bool, ([o], env) => {
    const place = catalog(env)?.relationPlace(o);
    return place ? SEARCH_PATH.has(place.schema) : null;
  }, readsCatalog),
  // to_regclass: the relation's oid, or NULL where ::regclass would fail (reg* types read as oid)
  fnEnv('to_regclass', [text], oid, ([name], env) => relationOidNamed(name, env), readsCatalog),
  // to_regtype: the type's oid, or NULL for a name that is no type (psycopg's TypeInfo.fetch asks
  // for hstore so: SQLAlchemy does at connect); 'int4[]' names the array type
  fn('to_regtype', [text], oid, (name: string) => typeOidNamed(name)),
  // every type and function lives in pg_catalog, which is always on the search path
  fn('pg_type_is_visible', [oid], bool, (o: number) => (typeByOid(o) ? true : null)),
  fn('pg_function_is_visible', [oid], bool, () => true),
  fn('pg_operator_is_visible', [oid], bool, () => true),
  fn('pg_conversion_is_visible', [oid], bool, () => true),
  fn('pg_collation_is_visible', [oid], bool, () => true),
  fn('pg_statistics_obj_is_visible', [oid], bool, () => true),
  {
    name: 'format_type',
    args: [oid, int4],
    returns: text,
    // format_type(type, NULL) is the type without modifier, so NULL is not passed through
    strict: false,
    impl: ([o, typmod]) => {
      if (o === null) return null;
      const type = typeByOid(o as number) ?? PSEUDO_TYPES.find((t) => t.oid === o);
      return type ? formatTypeName(type, typmod === null ? -1 : (typmod as number)) : (SYSTEM_COLUMN_TYPES[o as number] ?? '???');
    },
  },
  fnEnv('pg_get_userbyid', [oid], name, ([o], env) => catalog(env)?.roleName(o) ?? `unknown (OID=${o})`, readsCatalog),
  fn('pg_encoding_to_char', [int4], name, (e: number) => (e === 6 ? 'UTF8' : '')),
  // comments: Eddy has no COMMENT ON
  fn('obj_description', [oid], text, () => null),
  fn('obj_description', [oid, name], text, () => null),
  fn('col_description', [oid, int4], text, () => null),
  fn('shobj_description', [oid, name], text, () => null),
  // pg_attrdef.adbin holds the default's text (Eddy has no node trees), so it is its own rendering
  fn('pg_get_expr', [text, oid], text, (expr: string) => expr),
  fn('pg_get_expr', [text, oid, bool], text, (expr: string) => expr),
  // Eddy has no rules but the views' _RETURN, whose query pg_get_viewdef gives (DBeaver and psql ask for the others)
  fn('pg_get_ruledef', [oid], text, () => null),
  fn('pg_get_ruledef', [oid, bool], text, () => null),
  fnEnv('pg_get_viewdef', [oid], text, ([o], env) => catalog(env)?.viewDefinition(o) ?? null, readsCatalog),
  fnEnv('pg_get_viewdef', [oid, bool], text, ([o], env) => catalog(env)?.viewDefinition(o) ?? null, readsCatalog),
  fnEnv('pg_get_indexdef', [oid], text, ([o], env) => catalog(env)?.indexDefinition(o) ?? null, readsCatalog),
  fnEnv('pg_get_indexdef', [oid, int4, bool], text, ([o, column], env) => catalog(env)?.indexDefinition(o, column) ?? null, readsCatalog),
  fnEnv('pg_get_constraintdef', [oid], text, ([o], env) => catalog(env)?.constraintDefinition(o) ?? null, readsCatalog),
  fnEnv('pg_get_constraintdef', [oid, bool], text, ([o], env) => catalog(env)?.constraintDefinition(o) ?? null, readsCatalog),
  fnEnv('pg_get_function_result', [oid], text, ([o], env) => catalog(env)?.functionSignature(o)?.result ?? null, readsCatalog),
  fnEnv('pg_get_function_arguments', [oid], text, ([o], env) => catalog(env)?.functionSignature(o)?.arguments ?? null, readsCatalog),
  fnEnv('pg_get_function_identity_arguments', [oid], text, ([o], env) => catalog(env)?.functionSignature(o)?.arguments ?? null, readsCatalog),
  // objects Eddy does not have (rules, extended statistics, publications)
  fn('pg_get_ruledef', [oid, bool], text, () => null),
  // Eddy has no sequences (serial columns)
  fn('pg_get_serial_sequence', [text, text], text, () => null),
  fn('pg_get_partkeydef', [oid], text, () => null),
  fn('pg_get_statisticsobjdef_columns', [oid], text, () => null),
  fn('pg_relation_is_publishable', [oid], bool, () => false),
  // one superuser: every privilege is granted
  ...(['has_table_privilege', 'has_schema_privilege', 'has_database_privilege', 'has_column_privilege', 'has_any_column_privilege'] as const).flatMap((f) => [
    fn(f, [text, text], bool, () => true),
    fn(f, [oid, text], bool, () => true),
    fn(f, [name, text, text], bool, () => true),
    fn(f, [name, oid, text], bool, () => true),
  ]),
  // relations live in memory (and tables' rows in SQLite): no per-relation disk size to report
  ...['pg_relation_size', 'pg_total_relation_size', 'pg_table_size', 'pg_indexes_size', 'pg_database_size'].map((f) => fn(f, [oid], T.int8, () => 0n)),
  fn('pg_database_size', [name], T.int8, () => 0n),
  fn('pg_size_pretty', [T.int8], text, sizePretty),
  fn('pg_tablespace_location', [oid], text, () => ''),
  // Grafana's column list splits a table name the user picked with parse_ident
  fn('parse_ident', [text], arrayTypeOf(text)!, (s: string) => identParts(s, true)),
  fn('parse_ident', [text, bool], arrayTypeOf(text)!, (s: string, strict: boolean) => identParts(s, strict)),
  // statistics: Eddy keeps no per-index scan counts (DBeaver's index list reads them)
  fn('pg_stat_get_numscans', [oid], T.int8, () => 0n),
);

function identParts(s: string, strict: boolean): SqlArray {
  const parts = parseIdent(s, strict);
  if (parts === null) throw new SqlError(SQLSTATE.invalidParameterValue, `string is not a valid identifier: "${s}"`);
  return new SqlArray(parts);
}
