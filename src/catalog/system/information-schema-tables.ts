/**
 * information_schema, following PostgreSQL's definitions: tables lists tables and views (not
 * materialized views, as in PostgreSQL), columns their columns, views the plain views'
 * definitions. Its domains (sql_identifier, character_data, cardinal_number, yes_or_no) are shown
 * as their base types.
 */
import type { Row } from '../../engine/batch.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import { T } from '../../types/types.js';
import { primaryKeyName, type CatalogRelation } from './catalog-relation.js';
import { DATABASE_NAME, FIRST_EDDY_SYSTEM_OID, NAMESPACE, OWNER_NAME } from './oids.js';
import { columns, NO_ROWS, type SystemTable } from './system-table.js';

/** Relations information_schema.tables and .columns show: PostgreSQL leaves out materialized views. */
const listed = (r: CatalogRelation): boolean => r.relkind === 'r' || r.relkind === 'v';
const yesNo = (b: boolean): string => (b ? 'YES' : 'NO');

/** numeric_precision, numeric_precision_radix, numeric_scale, as PostgreSQL reports them. */
function numericFacts(c: RelationColumn): [number | null, number | null, number | null] {
  switch (c.type.oid) {
    case T.int2.oid: return [16, 2, 0];
    case T.int4.oid: return [32, 2, 0];
    case T.int8.oid: return [64, 2, 0];
    case T.float4.oid: return [24, 2, null];
    case T.float8.oid: return [53, 2, null];
    case T.numeric.oid:
      return c.typmod < 0 ? [null, 10, null] : [((c.typmod - 4) >> 16) & 0xffff, 10, (c.typmod - 4) & 0xffff];
    default: return [null, null, null];
  }
}

function datetimePrecision(c: RelationColumn): number | null {
  if (c.type.oid === T.date.oid) return 0;
  if (c.type.oid === T.timestamp.oid || c.type.oid === T.timestamptz.oid) return c.typmod < 0 ? 6 : c.typmod;
  if (c.type.oid === T.interval.oid) return 6;
  return null;
}

const characterLength = (c: RelationColumn): number | null =>
  (c.type.oid === T.varchar.oid || c.type.oid === T.bpchar.oid) && c.typmod >= 4 ? c.typmod - 4 : null;

function columnRows(relations: readonly CatalogRelation[]): Row[] {
  const rows: Row[] = [];
  for (const r of relations.filter(listed)) {
    r.columns.forEach((c, i) => {
      const length = characterLength(c);
      const isText = c.type.oid === T.text.oid || c.type.oid === T.varchar.oid || c.type.oid === T.bpchar.oid;
      rows.push([
        DATABASE_NAME, r.schema, r.name, c.name, i + 1, r.defaults.get(c.name) ?? null, yesNo(!c.notNull), c.type.name,
        length, isText ? (length !== null ? length * 4 : 1073741824) : null, ...numericFacts(c), datetimePrecision(c), null,
        DATABASE_NAME, 'pg_catalog', c.type.typname, 'NO', 'NEVER', yesNo(r.writable),
      ]);
    });
  }
  return rows;
}

/** PostgreSQL's NOT NULL pseudo-constraints of tables, named as it names them: <schema oid>_<table oid>_<attnum>_not_null. */
function notNullChecks(relations: readonly CatalogRelation[]): { r: CatalogRelation; name: string; column: string }[] {
  return relations
    .filter((r) => r.relkind === 'r')
    .flatMap((r) => r.columns.flatMap((c, i) => (c.notNull ? [{ r, name: `${NAMESPACE[r.schema]}_${r.oid}_${i + 1}_not_null`, column: c.name }] : [])));
}

const TABLE_PRIVILEGES = ['INSERT', 'SELECT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];

const table = (name: string, oid: number, spec: string, rows: SystemTable['rows']): SystemTable => ({
  schema: 'information_schema', name, oid, columns: columns(spec), rows,
});

export const INFORMATION_SCHEMA_TABLES: readonly SystemTable[] = [
  table(
    'schemata', FIRST_EDDY_SYSTEM_OID + 100,
    'catalog_name:name schema_name:name schema_owner:name default_character_set_catalog:name default_character_set_schema:name ' +
      'default_character_set_name:name sql_path:varchar',
    () => Object.keys(NAMESPACE).map((s) => [DATABASE_NAME, s, OWNER_NAME, null, null, null, null]),
  ),
  table(
    'tables', FIRST_EDDY_SYSTEM_OID + 101,
    'table_catalog:name table_schema:name table_name:name table_type:varchar self_referencing_column_name:name ' +
      'reference_generation:varchar user_defined_type_catalog:name user_defined_type_schema:name user_defined_type_name:name ' +
      'is_insertable_into:varchar is_typed:varchar commit_action:varchar',
    ({ relations }) =>
      relations.filter(listed).map((r) => {
        const isTable = r.relkind === 'r';
        return [DATABASE_NAME, r.schema, r.name, isTable ? 'BASE TABLE' : 'VIEW', null, null, null, null, null, yesNo(r.writable), 'NO', null];
      }),
  ),
  table(
    'columns', FIRST_EDDY_SYSTEM_OID + 102,
    'table_catalog:name table_schema:name table_name:name column_name:name ordinal_position:int4 column_default:varchar ' +
      'is_nullable:varchar data_type:varchar character_maximum_length:int4 character_octet_length:int4 numeric_precision:int4 ' +
      'numeric_precision_radix:int4 numeric_scale:int4 datetime_precision:int4 interval_type:varchar udt_catalog:name ' +
      'udt_schema:name udt_name:name is_identity:varchar is_generated:varchar is_updatable:varchar',
    ({ relations }) => columnRows(relations),
  ),
  table(
    'views', FIRST_EDDY_SYSTEM_OID + 103,
    'table_catalog:name table_schema:name table_name:name view_definition:varchar check_option:varchar is_updatable:varchar ' +
      'is_insertable_into:varchar is_trigger_updatable:varchar is_trigger_deletable:varchar is_trigger_insertable_into:varchar',
    ({ relations }) =>
      relations.filter((r) => r.relkind === 'v').map((r) => [DATABASE_NAME, r.schema, r.name, r.viewQuery, 'NONE', 'NO', 'NO', 'NO', 'NO', 'NO']),
  ),
  table(
    'table_constraints', FIRST_EDDY_SYSTEM_OID + 104,
    'constraint_catalog:name constraint_schema:name constraint_name:name table_catalog:name table_schema:name table_name:name ' +
      'constraint_type:varchar is_deferrable:varchar initially_deferred:varchar enforced:varchar nulls_distinct:varchar',
    ({ relations }) => [
      ...relations
        .filter((r) => r.primaryKey.length > 0)
        .map((r) => [DATABASE_NAME, r.schema, primaryKeyName(r), DATABASE_NAME, r.schema, r.name, 'PRIMARY KEY', 'NO', 'NO', 'YES', null]),
      ...notNullChecks(relations).map(({ r, name }) => [DATABASE_NAME, r.schema, name, DATABASE_NAME, r.schema, r.name, 'CHECK', 'NO', 'NO', 'YES', null]),
    ],
  ),
  table(
    'check_constraints', FIRST_EDDY_SYSTEM_OID + 106,
    'constraint_catalog:name constraint_schema:name constraint_name:name check_clause:varchar',
    ({ relations }) => notNullChecks(relations).map(({ r, name, column }) => [DATABASE_NAME, r.schema, name, `${column} IS NOT NULL`]),
  ),
  table(
    'constraint_column_usage', FIRST_EDDY_SYSTEM_OID + 107,
    'table_catalog:name table_schema:name table_name:name column_name:name constraint_catalog:name constraint_schema:name constraint_name:name',
    ({ relations }) =>
      relations.flatMap((r) => r.primaryKey.map((pos) => [DATABASE_NAME, r.schema, r.name, r.columns[pos]!.name, DATABASE_NAME, r.schema, primaryKeyName(r)])),
  ),
  table(
    'referential_constraints', FIRST_EDDY_SYSTEM_OID + 108,
    'constraint_catalog:name constraint_schema:name constraint_name:name unique_constraint_catalog:name unique_constraint_schema:name ' +
      'unique_constraint_name:name match_option:varchar update_rule:varchar delete_rule:varchar',
    NO_ROWS,
  ),
  table(
    'table_privileges', FIRST_EDDY_SYSTEM_OID + 109,
    'grantor:name grantee:name table_catalog:name table_schema:name table_name:name privilege_type:varchar is_grantable:varchar with_hierarchy:varchar',
    // the owner holds every privilege on each table and view (Eddy has no GRANT)
    ({ relations }) =>
      relations.filter(listed).flatMap((r) =>
        TABLE_PRIVILEGES.map((p) => [OWNER_NAME, OWNER_NAME, DATABASE_NAME, r.schema, r.name, p, 'YES', p === 'SELECT' ? 'YES' : 'NO']),
      ),
  ),
  table(
    'key_column_usage', FIRST_EDDY_SYSTEM_OID + 105,
    'constraint_catalog:name constraint_schema:name constraint_name:name table_catalog:name table_schema:name table_name:name ' +
      'column_name:name ordinal_position:int4 position_in_unique_constraint:int4',
    ({ relations }) =>
      relations.flatMap((r) =>
        r.primaryKey.map((pos, i) => [DATABASE_NAME, r.schema, primaryKeyName(r), DATABASE_NAME, r.schema, r.name, r.columns[pos]!.name, i + 1, null]),
      ),
  ),
];
