/**
 * The catalog queries BI tools send at connect and while browsing a schema, as their public
 * sources write them (test data, not code of theirs: each cites the file and commit it came from).
 * Placeholders the tools fill in are filled here the way the tool fills them: `$n` parameters
 * (pgjdbc's `?`), and for tools that splice values into the text (pgAdmin's Jinja templates,
 * Grafana's meta queries) the spliced text is written out.
 *
 * `params` name values per server: a number or string is sent as is; `{ oid: 'rel' }` is that
 * relation's oid on the server asked (user objects' oids differ between Eddy and PostgreSQL), and
 * `{ database: true }` the current database's.
 * `compare` lists the columns whose values are compared when others hold values that cannot match
 * (oids of user objects, sizes, counters); column names and types are always compared in full.
 */

export type Param = number | string | { oid: string } | { database: true };

export interface ToolQuery {
  tool: 'Metabase' | 'Grafana' | 'DBeaver' | 'pgAdmin' | 'Superset';
  /** What the tool does with it. */
  name: string;
  /** Where it came from: repository, path, commit. */
  source: string;
  sql: string;
  params?: Param[];
  /** Compare only these columns' values (others are PostgreSQL-specific), with the reason. */
  compare?: { columns: string[]; why: string };
  /** Compare every column but these (PostgreSQL-specific), with the reason. */
  ignore?: { columns: string[]; why: string };
  /** Why the number of rows may differ too (each server's own databases); the columns still must not. */
  countDiffers?: string;
  /** Compare only PostgreSQL's rows whose `column` is one of `values` (objects Eddy has), with the reason. */
  only?: { column: string; values: unknown[]; why: string };
}

// metabase/metabase src/metabase/driver/postgres.clj at 008fd6675457cdd62da2265628bed3b725a607ea:
// HoneySQL forms, written here as HoneySQL renders them for :postgres (quoted identifiers for
// describe-fields/fks/indexes, :ansi for get-tables), with the sync filters for schema 'public'.
const METABASE = 'metabase/metabase src/metabase/driver/postgres.clj @008fd6675457cdd62da2265628bed3b725a607ea';
// grafana/grafana public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts
const GRAFANA_META = 'grafana/grafana public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts @12f912ab8d010f4d95a4043a0efaa20fc4ca0100';
// dbeaver/dbeaver plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/*.java
const DBEAVER = (file: string) => `dbeaver/dbeaver plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/${file} @2428359b748778a5a345432906ab3da69289c20c (24.2.3+)`;
// pgadmin-org/pgadmin4 web/pgadmin/browser/server_groups/servers/databases/...
// apache/superset superset/db_engine_specs/postgres.py (its schema browsing is SQLAlchemy's inspector, test/drivers)
const SUPERSET = 'apache/superset superset/db_engine_specs/postgres.py @007e4f5f4b4a4b08b24b1f2fc14bcf5abb16237d';
const PGADMIN = (file: string) => `pgadmin-org/pgadmin4 web/pgadmin/${file} @bc58657d3d3ab4209cdadea6d191b632cf1572cc (9.x)`;

/** Grafana's search-path schema constraint (buildSchemaConstraint), spliced into its queries. */
const GRAFANA_SCHEMA_CONSTRAINT = `
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )`;

export const TOOL_QUERIES: ToolQuery[] = [
  // ---------------------------------------------------------------- Metabase
  {
    tool: 'Metabase', name: 'db-default-timezone', source: METABASE,
    sql: 'show timezone;',
  },
  {
    tool: 'Metabase', name: 'enum-types', source: METABASE,
    sql: 'SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e)',
  },
  {
    tool: 'Metabase', name: 'get-tables (describe-database)', source: METABASE,
    sql: `SELECT n.nspname AS schema, c.relname AS name, CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS type, d.description AS description, stat.n_live_tup AS estimated_row_count FROM pg_catalog.pg_class AS c INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid LEFT JOIN pg_catalog.pg_description AS d ON (c.oid = d.objoid) AND (d.objsubid = 0) AND (d.classoid = 'pg_class'::regclass) LEFT JOIN pg_stat_user_tables AS stat ON (n.nspname = stat.schemaname) AND (c.relname = stat.relname) WHERE (c.relnamespace = n.oid) AND (n.nspname !~ '^pg_') AND (n.nspname <> 'information_schema') AND c.relkind in ('r', 'p', 'v', 'f', 'm') AND (n.nspname IN ('public')) ORDER BY type ASC, schema ASC, name ASC`,
    compare: { columns: ['schema', 'name', 'type', 'description'], why: 'estimated_row_count is the statistics collector\'s n_live_tup' },
  },
  {
    tool: 'Metabase', name: 'current-user-table-privileges', source: METABASE,
    sql: `with table_privileges as (
 select
   NULL as role,
   t.schemaname as schema,
   t.objectname as table,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'update') as update,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'select') as select,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'insert') as insert,
   pg_catalog.has_table_privilege(     current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'delete') as delete
 from (
   select schemaname, tablename as objectname from pg_catalog.pg_tables
   union
   select schemaname, viewname as objectname from pg_catalog.pg_views
   union
   select schemaname, matviewname as objectname from pg_catalog.pg_matviews
 ) t
 where t.schemaname !~ '^pg_'
   and t.schemaname <> 'information_schema'
   and pg_catalog.has_schema_privilege(current_user, t.schemaname, 'usage')
)
select t.*
from table_privileges t ORDER BY 2, 3`,
  },
  {
    tool: 'Metabase', name: 'describe-fields', source: METABASE,
    sql: `SELECT "c"."column_name" AS "name", CASE WHEN "c"."udt_schema" IN ('public', 'pg_catalog') THEN FORMAT('%s', "c"."udt_name") ELSE FORMAT('"%s"."%s"', "c"."udt_schema", "c"."udt_name") END AS "database-type", "c"."ordinal_position" - 1 AS "database-position", "c"."table_schema" AS "table-schema", "c"."table_name" AS "table-name", "pk"."column_name" IS NOT NULL AS "pk?", COL_DESCRIPTION(CAST(CAST(FORMAT('%I.%I', CAST("c"."table_schema" AS TEXT), CAST("c"."table_name" AS TEXT)) AS REGCLASS) AS OID), "c"."ordinal_position") AS "field-comment", (("column_default" IS NULL) OR (LOWER("column_default") = 'null')) AND ("is_nullable" = 'NO') AND NOT ((("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO')) AS "database-required", (("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO') AS "database-is-auto-increment" FROM "information_schema"."columns" AS "c" LEFT JOIN (SELECT "tc"."table_schema", "tc"."table_name", "kc"."column_name" FROM "information_schema"."table_constraints" AS "tc" INNER JOIN "information_schema"."key_column_usage" AS "kc" ON ("tc"."constraint_name" = "kc"."constraint_name") AND ("tc"."table_schema" = "kc"."table_schema") AND ("tc"."table_name" = "kc"."table_name") WHERE "tc"."constraint_type" = 'PRIMARY KEY') AS "pk" ON ("c"."table_schema" = "pk"."table_schema") AND ("c"."table_name" = "pk"."table_name") AND ("c"."column_name" = "pk"."column_name") WHERE c.table_schema !~ '^information_schema|catalog_history|pg_' AND ("c"."table_schema" IN ('public')) UNION ALL SELECT "pa"."attname" AS "name", CASE WHEN "ptn"."nspname" IN ('public', 'pg_catalog') THEN FORMAT('%s', "pt"."typname") ELSE FORMAT('"%s"."%s"', "ptn"."nspname", "pt"."typname") END AS "database-type", "pa"."attnum" - 1 AS "database-position", "pn"."nspname" AS "table-schema", "pc"."relname" AS "table-name", FALSE AS "pk?", NULL AS "field-comment", FALSE AS "database-required", FALSE AS "database-is-auto-increment" FROM "pg_catalog"."pg_class" AS "pc" INNER JOIN "pg_catalog"."pg_namespace" AS "pn" ON "pn"."oid" = "pc"."relnamespace" INNER JOIN "pg_catalog"."pg_attribute" AS "pa" ON "pa"."attrelid" = "pc"."oid" INNER JOIN "pg_catalog"."pg_type" AS "pt" ON "pt"."oid" = "pa"."atttypid" INNER JOIN "pg_catalog"."pg_namespace" AS "ptn" ON "ptn"."oid" = "pt"."typnamespace" WHERE ("pc"."relkind" = 'm') AND ("pa"."attnum" >= 1) AND ("pn"."nspname" IN ('public')) ORDER BY "table-schema" ASC, "table-name" ASC, "database-position" ASC`,
  },
  {
    tool: 'Metabase', name: 'describe-fks', source: METABASE,
    sql: `SELECT "fk_ns"."nspname" AS "fk-table-schema", "fk_table"."relname" AS "fk-table-name", "fk_column"."attname" AS "fk-column-name", "pk_ns"."nspname" AS "pk-table-schema", "pk_table"."relname" AS "pk-table-name", "pk_column"."attname" AS "pk-column-name" FROM "pg_constraint" AS "c" INNER JOIN "pg_class" AS "fk_table" ON "c"."conrelid" = "fk_table"."oid" INNER JOIN "pg_namespace" AS "fk_ns" ON "c"."connamespace" = "fk_ns"."oid" INNER JOIN "pg_attribute" AS "fk_column" ON "c"."conrelid" = "fk_column"."attrelid" INNER JOIN "pg_class" AS "pk_table" ON "c"."confrelid" = "pk_table"."oid" INNER JOIN "pg_namespace" AS "pk_ns" ON "pk_table"."relnamespace" = "pk_ns"."oid" INNER JOIN "pg_attribute" AS "pk_column" ON "c"."confrelid" = "pk_column"."attrelid" WHERE fk_ns.nspname !~ '^information_schema|catalog_history|pg_' AND ("c"."contype" = 'f'::char) AND ("fk_column"."attnum" = ANY(c.conkey)) AND ("pk_column"."attnum" = ANY(c.confkey)) AND ("fk_ns"."nspname" IN ('public')) ORDER BY "fk-table-schema" ASC, "fk-table-name" ASC`,
  },
  {
    tool: 'Metabase', name: 'describe-indexes', source: METABASE,
    sql: `SELECT "tmp"."table-schema", "tmp"."table-name", TRIM(BOTH '"' FROM PG_CATALOG.PG_GET_INDEXDEF("tmp"."ci_oid", "tmp"."pos", FALSE)) AS "field-name" FROM (SELECT "n"."nspname" AS "table-schema", "ct"."relname" AS "table-name", "ci"."oid" AS "ci_oid", (INFORMATION_SCHEMA._PG_EXPANDARRAY("i"."indkey")).N AS "pos" FROM "pg_catalog"."pg_class" AS "ct" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "ct"."relnamespace" = "n"."oid" INNER JOIN "pg_catalog"."pg_index" AS "i" ON "ct"."oid" = "i"."indrelid" INNER JOIN "pg_catalog"."pg_class" AS "ci" ON "ci"."oid" = "i"."indexrelid" WHERE (PG_CATALOG.PG_GET_EXPR("i"."indpred", "i"."indrelid") IS NULL) AND n.nspname !~ '^information_schema|catalog_history|pg_' AND ("n"."nspname" IN ('public'))) AS "tmp" WHERE "tmp"."pos" = 1 ORDER BY 2, 3`,
  },

  {
    tool: 'Metabase', name: 'have-select-privilege? (the select probe)', source: 'metabase/metabase src/metabase/driver/sql_jdbc/sync/describe_database.clj (simple-select-probe-query, as its tests render it)',
    sql: 'SELECT TRUE AS "_" FROM "public"."bi_orders" WHERE 1 <> 1 LIMIT 0',
  },
  {
    tool: 'Metabase', name: 'fallback field metadata (SELECT * probe)', source: 'metabase/metabase src/metabase/driver/sql_jdbc/sync/describe_table.clj (fallback-fields-metadata-from-select-query)',
    sql: 'SELECT * FROM "public"."bi_big_orders" WHERE 1 <> 1 LIMIT 0',
  },

  // ---------------------------------------------------------------- Grafana (frontend meta queries)
  {
    tool: 'Grafana', name: 'getVersion', source: GRAFANA_META,
    sql: "SELECT current_setting('server_version_num')::int/100 as version",
    compare: { columns: [], why: 'the version number is the server\'s own (Eddy reports the PostgreSQL release it follows)' },
  },
  {
    tool: 'Grafana', name: 'getTimescaleDBVersion', source: GRAFANA_META,
    sql: "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'",
  },
  {
    tool: 'Grafana', name: 'showSchemas', source: GRAFANA_META,
    sql: `SELECT schema_name AS "name"
    FROM information_schema.schemata
    WHERE schema_name NOT IN ('information_schema',
                              'pg_catalog',
                              'pg_toast',
                              '_timescaledb_cache',
                              '_timescaledb_catalog',
                              '_timescaledb_internal',
                              '_timescaledb_config',
                              'timescaledb_information',
                              'timescaledb_experimental')
    ORDER BY schema_name`,
  },
  {
    tool: 'Grafana', name: 'showTables (no schema chosen)', source: GRAFANA_META,
    sql: `SELECT
    CASE WHEN ${GRAFANA_SCHEMA_CONSTRAINT}
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN ${GRAFANA_SCHEMA_CONSTRAINT} THEN 0 ELSE 1 END, 1`,
  },
  {
    tool: 'Grafana', name: "showTables('public')", source: GRAFANA_META,
    sql: `SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 'public'
      ORDER BY 1`,
  },
  {
    tool: 'Grafana', name: "getSchema('bi_metrics')", source: GRAFANA_META,
    sql: `SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('bi_metrics'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('bi_metrics'))[1]
          AND quote_ident(table_name) = (parse_ident('bi_metrics'))[2]
        ELSE quote_ident(table_name) = 'bi_metrics'
          AND ${GRAFANA_SCHEMA_CONSTRAINT}
      END ORDER BY 1`,
  },
  {
    tool: 'Grafana', name: "getSchema('public.bi_orders')", source: GRAFANA_META,
    sql: `SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('public.bi_orders'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('public.bi_orders'))[1]
          AND quote_ident(table_name) = (parse_ident('public.bi_orders'))[2]
        ELSE quote_ident(table_name) = 'public.bi_orders'
          AND ${GRAFANA_SCHEMA_CONSTRAINT}
      END ORDER BY 1`,
  },

  // ---------------------------------------------------------------- DBeaver
  {
    tool: 'DBeaver', name: 'connect: current database', source: DBEAVER('PostgreDataSource.java'),
    sql: 'SELECT current_database()',
    compare: { columns: [], why: 'the database name is the one each server was reached with' },
  },
  {
    tool: 'DBeaver', name: 'connect: current schema and user', source: DBEAVER('PostgreExecutionContext.java'),
    sql: 'SELECT current_schema(),session_user',
    compare: { columns: ['current_schema'], why: 'the user is the one each server was reached with' },
  },
  {
    tool: 'DBeaver', name: 'connect: search path', source: DBEAVER('PostgreExecutionContext.java'),
    sql: 'SHOW search_path',
  },
  {
    tool: 'DBeaver', name: 'schemas', source: DBEAVER('PostgreDatabase.java'),
    sql: `SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass
WHERE nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%' ORDER BY nspname`,
    compare: { columns: ['nspname', 'description'], why: 'information_schema\'s oid is assigned by initdb, nspowner is the owning role\'s' },
  },
  {
    tool: 'DBeaver', name: 'tables of a schema', source: DBEAVER('PostgreSchema.java'),
    sql: `SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key 
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace=$1 AND c.relkind not in ('i','I','c') ORDER BY c.relname`,
    params: [2200],
    compare: { columns: ['relname', 'relnamespace', 'relkind', 'relam', 'relhasindex', 'relpersistence', 'relnatts', 'relchecks', 'relhasrules', 'relhastriggers', 'relrowsecurity', 'relispartition', 'relreplident', 'reloptions', 'relacl', 'description', 'partition_expr', 'partition_key'], why: 'oids, relfilenode, reltype, sizes (relpages, reltuples), relowner and xids are PostgreSQL\'s own' },
  },
  {
    tool: 'DBeaver', name: 'columns of a table', source: DBEAVER('PostgreSchema.java'),
    sql: `SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid=$1
ORDER BY a.attnum`,
    params: [{ oid: 'bi_orders' }],
    compare: { columns: ['relname', 'attname', 'atttypid', 'attlen', 'attnum', 'atttypmod', 'attbyval', 'attalign', 'attstorage', 'attnotnull', 'atthasdef', 'attidentity', 'attgenerated', 'attisdropped', 'attislocal', 'attinhcount', 'attcollation', 'def_value', 'description', 'objid'], why: 'attrelid is the table\'s oid' },
  },
  {
    tool: 'DBeaver', name: 'constraints of a schema', source: DBEAVER('PostgreSchema.java'),
    sql: `SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE t.relnamespace=$1
ORDER BY c.oid`,
    params: [2200],
    compare: { columns: ['conname', 'connamespace', 'contype', 'condeferrable', 'condeferred', 'convalidated', 'conkey', 'confkey', 'tabrelname', 'refnamespace', 'description', 'consrc_copy'], why: 'oids of the constraint, its table and index are PostgreSQL\'s own' },
  },
  {
    tool: 'DBeaver', name: 'indexes of a schema', source: DBEAVER('PostgreSchema.java'),
    sql: `SELECT i.*,i.indkey as keys,c.relname,c.relnamespace,c.relam,c.reltablespace,tc.relname as tabrelname,dsc.description,pg_catalog.pg_get_expr(i.indpred, i.indrelid) as pred_expr,pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) as expr,pg_catalog.pg_relation_size(i.indexrelid) as index_rel_size,pg_catalog.pg_stat_get_numscans(i.indexrelid) as index_num_scans
FROM pg_catalog.pg_index i
INNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid
INNER JOIN pg_catalog.pg_class tc ON tc.oid=i.indrelid
LEFT OUTER JOIN pg_catalog.pg_description dsc ON i.indexrelid=dsc.objoid
WHERE  c.relnamespace=$1 ORDER BY c.relname`,
    params: [2200],
    compare: { columns: ['indnatts', 'indnkeyatts', 'indisunique', 'indisprimary', 'indisexclusion', 'indimmediate', 'indisclustered', 'indisvalid', 'indcheckxmin', 'indisready', 'indislive', 'indisreplident', 'indkey', 'indcollation', 'indclass', 'indoption', 'keys', 'relname', 'relnamespace', 'relam', 'reltablespace', 'tabrelname', 'description', 'pred_expr', 'expr', 'index_num_scans'], why: 'indexrelid and indrelid are oids, index_rel_size the index\'s size on disk' },
  },
  {
    tool: 'DBeaver', name: 'data types', source: DBEAVER('PostgreDataTypeCache.java'),
    sql: `SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem 
LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid
WHERE t.typname IS NOT NULL
AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C') AND t.oid IN (16, 20, 23, 25, 700, 701, 1043, 1082, 1114, 1184, 1186, 1700, 3802, 1007, 1009)
ORDER BY t.oid`,
    compare: { columns: ['oid', 'typname', 'typnamespace', 'typlen', 'typbyval', 'typtype', 'typcategory', 'typispreferred', 'typisdefined', 'typdelim', 'typrelid', 'typelem', 'typarray', 'typalign', 'typstorage', 'typnotnull', 'typbasetype', 'typtypmod', 'typndims', 'typcollation', 'relkind', 'base_type_name', 'description'], why: 'the I/O functions are regproc (Eddy prints oids)' },
  },
  {
    tool: 'DBeaver', name: 'roles', source: DBEAVER('PostgreDatabase.java'),
    sql: `SELECT a.oid,a.*,pd.description FROM pg_catalog.pg_roles a 
left join pg_catalog.pg_shdescription pd on a.oid = pd.objoid
WHERE a.rolname = current_user ORDER BY a.rolname`,
    compare: { columns: ['rolsuper', 'rolinherit', 'rolcreaterole', 'rolcreatedb', 'rolcanlogin', 'description'], why: 'the role is the one each server was reached with' },
  },
  {
    tool: 'DBeaver', name: 'access methods', source: DBEAVER('PostgreDatabase.java'),
    sql: `SELECT am.oid,am.* FROM pg_catalog.pg_am am 
ORDER BY am.oid`,
    only: { column: 'amname', values: ['heap', 'btree', 'hash'], why: 'Eddy has no GiST, GIN, SP-GiST or BRIN indexes' },
  },
  {
    tool: 'DBeaver', name: 'extensions of a schema', source: DBEAVER('PostgreSchema.java'),
    sql: `SELECT e.oid,e.* FROM pg_catalog.pg_extension e WHERE e.extnamespace=$1 ORDER BY e.oid`,
    params: [2200],
  },

  {
    tool: 'DBeaver', name: 'table statistics', source: DBEAVER('PostgreTableReal.java'),
    sql: 'select pg_catalog.pg_total_relation_size($1) as total_rel_size,pg_catalog.pg_relation_size($2) as rel_size',
    params: [{ oid: 'bi_orders' }, { oid: 'bi_orders' }],
    compare: { columns: [], why: 'sizes on disk: Eddy keeps relations in memory (0)' },
  },
  {
    tool: 'DBeaver', name: 'triggers of a table', source: DBEAVER('PostgreTableReal.java'),
    sql: `SELECT x.oid,x.*,p.pronamespace as func_schema_id,d.description
FROM pg_catalog.pg_trigger x
LEFT OUTER JOIN pg_catalog.pg_proc p ON p.oid=x.tgfoid 
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=x.oid AND d.objsubid=0 
WHERE x.tgrelid = $1 AND NOT x.tgisinternal`,
    params: [{ oid: 'bi_orders' }],
  },
  {
    tool: 'DBeaver', name: 'rules of a view', source: DBEAVER('PostgreTableReal.java'),
    // DBeaver splices the view's oid into the text; here it is a parameter
    sql: `SELECT r.oid,r.*, pg_get_ruledef(r.oid) AS definition
FROM pg_rewrite r
WHERE r.ev_class=$1 AND r.rulename <> '_RETURN'::name`,
    params: [{ oid: 'bi_big_orders' }],
  },
  {
    tool: 'DBeaver', name: 'view definition', source: DBEAVER('PostgreViewBase.java'),
    // DBeaver splices the oid in as a number; a parameter typed oid is the same call
    sql: 'SELECT pg_get_viewdef($1::oid, true)',
    params: [{ oid: 'bi_big_orders' }],
    compare: { columns: [], why: 'Eddy gives the query as written, PostgreSQL deparses it' },
  },
  {
    tool: 'DBeaver', name: 'parents and partitions of a table', source: DBEAVER('PostgreTable.java'),
    sql: `SELECT i.*,c.relnamespace FROM pg_catalog.pg_inherits i,pg_catalog.pg_class c WHERE i.inhrelid=$1 AND c.oid=i.inhparent ORDER BY i.inhseqno`,
    params: [{ oid: 'bi_orders' }],
  },
  {
    tool: 'DBeaver', name: 'schemas referencing a table', source: DBEAVER('PostgreTable.java'),
    sql: 'SELECT DISTINCT connamespace FROM pg_catalog.pg_constraint WHERE confrelid=$1',
    params: [{ oid: 'bi_orders' }],
  },
  {
    tool: 'DBeaver', name: 'policies of a table', source: DBEAVER('PostgreTable.java'),
    sql: 'select * from pg_catalog.pg_policies where schemaname=$1 and tablename=$2',
    params: ['public', 'bi_orders'],
  },

  // ---------------------------------------------------------------- Superset
  {
    tool: 'Superset', name: 'get_catalog_names', source: SUPERSET,
    sql: `
SELECT datname FROM pg_database
WHERE datistemplate = false;
            `,
    compare: { columns: [], why: 'each server lists its own databases' },
    countDiffers: 'Eddy lists eddy and the database names clients connected with, PostgreSQL its databases',
  },
  {
    tool: 'Superset', name: 'get_prequeries (SQL Lab schema)', source: SUPERSET,
    sql: 'set search_path = "public"',
  },
  {
    tool: 'Superset', name: 'get_cancel_query_id', source: SUPERSET,
    sql: 'SELECT pg_backend_pid()',
    compare: { columns: [], why: 'the pid is each server\'s own' },
  },
  {
    tool: 'Superset', name: 'cancel_query (of a session that has ended)', source: SUPERSET,
    sql: "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid='0'",
  },

  // ---------------------------------------------------------------- pgAdmin
  {
    tool: 'pgAdmin', name: 'connect: GSSAPI state', source: PGADMIN('utils/driver/psycopg3/connection.py'),
    sql: `
        SELECT
             gss_authenticated, encrypted
        FROM
            pg_catalog.pg_stat_gssapi
        WHERE pid = pg_backend_pid()`,
  },
  {
    tool: 'pgAdmin', name: 'connect: bytea_output', source: PGADMIN('utils/driver/psycopg3/connection.py'),
    sql: "SELECT set_config('bytea_output','hex',false) FROM pg_show_all_settings() WHERE name = 'bytea_output'",
  },
  {
    tool: 'pgAdmin', name: 'connect: the database', source: PGADMIN('utils/driver/psycopg3/connection.py'),
    sql: `SELECT
    db.oid as did, db.datname, db.datallowconn,
    pg_encoding_to_char(db.encoding) AS serverencoding,
    has_database_privilege(db.oid, 'CREATE') as cancreate,
    datistemplate
FROM
    pg_catalog.pg_database db
WHERE db.datname = current_database()`,
    compare: { columns: ['datallowconn', 'serverencoding', 'cancreate', 'datistemplate'], why: 'the database\'s oid and name are each server\'s own' },
  },
  {
    tool: 'pgAdmin', name: 'schemas (nodes.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/templates/schemas/pg/default/sql/nodes.sql'),
    sql: `SELECT
    nsp.oid,
    nsp.nspname as name,
    pg_catalog.has_schema_privilege(nsp.oid, 'CREATE') as can_create,
    pg_catalog.has_schema_privilege(nsp.oid, 'USAGE') as has_usage,
    des.description
FROM
    pg_catalog.pg_namespace nsp
    LEFT OUTER JOIN pg_catalog.pg_description des ON
        (des.objoid=nsp.oid AND des.classoid='pg_namespace'::regclass)
WHERE
     nspname NOT LIKE E'pg\\\\_%' AND
    NOT (
    (nsp.nspname = 'pg_catalog' AND EXISTS
        (SELECT 1 FROM pg_catalog.pg_class WHERE relname = 'pg_class' AND
            relnamespace = nsp.oid LIMIT 1)) OR
    (nsp.nspname = 'pgagent' AND EXISTS
        (SELECT 1 FROM pg_catalog.pg_class WHERE relname = 'pga_job' AND
            relnamespace = nsp.oid LIMIT 1)) OR
    (nsp.nspname = 'information_schema' AND EXISTS
        (SELECT 1 FROM pg_catalog.pg_class WHERE relname = 'tables' AND
            relnamespace = nsp.oid LIMIT 1))
    )
ORDER BY nspname;`,
  },
  {
    tool: 'pgAdmin', name: 'tables of a schema (nodes.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/tables/templates/tables/sql/default/nodes.sql'),
    sql: `SELECT rel.oid, rel.relname AS name,
    (SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid=rel.oid AND tgisinternal = FALSE) AS triggercount,
    (SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid=rel.oid AND tgisinternal = FALSE AND tgenabled = 'O') AS has_enable_triggers,
    (CASE WHEN rel.relkind = 'p' THEN true ELSE false END) AS is_partitioned,
    (SELECT count(1) FROM pg_catalog.pg_inherits WHERE inhrelid=rel.oid LIMIT 1) as is_inherits,
    (SELECT count(1) FROM pg_catalog.pg_inherits WHERE inhparent=rel.oid LIMIT 1) as is_inherited,
    des.description
FROM pg_catalog.pg_class rel
    LEFT OUTER JOIN pg_catalog.pg_description des ON (des.objoid=rel.oid AND des.objsubid=0 AND des.classoid='pg_class'::regclass)
    WHERE rel.relkind IN ('r','s','t','p') AND rel.relnamespace = 2200::oid
    AND NOT rel.relispartition
    ORDER BY rel.relname;`,
    compare: { columns: ['name', 'triggercount', 'has_enable_triggers', 'is_partitioned', 'is_inherits', 'is_inherited', 'description'], why: 'oid is the table\'s' },
  },
  {
    tool: 'pgAdmin', name: 'table count (count.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/tables/templates/tables/sql/default/count.sql'),
    sql: `SELECT COUNT(*)
FROM pg_catalog.pg_class rel
    WHERE rel.relkind IN ('r','s','t','p') AND rel.relnamespace = 2200::oid
    AND NOT rel.relispartition;`,
  },
  ...(['views', 'mviews'] as const).map((kind): ToolQuery => ({
    tool: 'pgAdmin', name: `${kind === 'views' ? 'views' : 'materialized views'} of a schema (nodes.sql)`,
    source: PGADMIN(`browser/server_groups/servers/databases/schemas/views/templates/${kind}/pg/default/sql/nodes.sql`),
    // the two templates differ only in the relkind
    sql: `SELECT
    c.oid,
    c.relname AS name,
    description AS comment
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description des ON (des.objoid=c.oid and des.objsubid=0 AND des.classoid='pg_class'::regclass)
WHERE
  c.relkind = '${kind === 'views' ? 'v' : 'm'}'
    AND c.relnamespace = 2200::oid
ORDER BY
    c.relname`,
    compare: { columns: ['name', 'comment'], why: 'oid is the view\'s' },
  })),
  {
    tool: 'pgAdmin', name: 'columns of a table (nodes.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/tables/templates/columns/sql/default/nodes.sql'),
    sql: `SELECT DISTINCT att.attname as name, att.attnum as OID, pg_catalog.format_type(ty.oid,NULL) AS datatype,
pg_catalog.format_type(ty.oid,att.atttypmod) AS displaytypname,
att.attnotnull as not_null,
CASE WHEN att.atthasdef OR att.attidentity != '' OR ty.typdefault IS NOT NULL THEN True
ELSE False END as has_default_val, des.description, seq.seqtypid
FROM pg_catalog.pg_attribute att
    JOIN pg_catalog.pg_type ty ON ty.oid=atttypid
    JOIN pg_catalog.pg_namespace tn ON tn.oid=ty.typnamespace
    JOIN pg_catalog.pg_class cl ON cl.oid=att.attrelid
    JOIN pg_catalog.pg_namespace na ON na.oid=cl.relnamespace
    LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=ty.typelem
    LEFT OUTER JOIN pg_catalog.pg_attrdef def ON adrelid=att.attrelid AND adnum=att.attnum
    LEFT OUTER JOIN (pg_catalog.pg_depend JOIN pg_catalog.pg_class cs ON classid='pg_class'::regclass AND objid=cs.oid AND cs.relkind='S') ON refobjid=att.attrelid AND refobjsubid=att.attnum
    LEFT OUTER JOIN pg_catalog.pg_namespace ns ON ns.oid=cs.relnamespace
    LEFT OUTER JOIN pg_catalog.pg_index pi ON pi.indrelid=att.attrelid AND indisprimary
    LEFT OUTER JOIN pg_catalog.pg_description des ON (des.objoid=att.attrelid AND des.objsubid=att.attnum AND des.classoid='pg_class'::regclass)
    LEFT OUTER JOIN pg_catalog.pg_sequence seq ON cs.oid=seq.seqrelid
WHERE

    att.attrelid = $1::oid
    AND att.attnum > 0
    AND att.attisdropped IS FALSE
ORDER BY att.attnum`,
    params: [{ oid: 'bi_orders' }],
  },
  {
    tool: 'pgAdmin', name: 'a table\'s properties (properties.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/tables/templates/tables/sql/default/properties.sql'),
    // did, scid (public), datlastsysoid (16383 for PostgreSQL 15) and tid filled in as pgAdmin renders them
    sql: `SELECT rel.oid, rel.relname AS name, rel.reltablespace AS spcoid,rel.relacl AS relacl_str,
  (CASE WHEN length(spc.spcname::text) > 0 OR rel.relkind = 'p' THEN spc.spcname ELSE
    (SELECT sp.spcname FROM pg_catalog.pg_database dtb
    JOIN pg_catalog.pg_tablespace sp ON dtb.dattablespace=sp.oid
    WHERE dtb.oid = $1::oid)
  END) as spcname,
  (CASE rel.relreplident
          WHEN 'd' THEN 'default'
          WHEN 'n' THEN 'nothing'
          WHEN 'f' THEN 'full'
          WHEN 'i' THEN 'index'
  END) as replica_identity,
  (select nspname FROM pg_catalog.pg_namespace WHERE oid = 2200::oid ) as schema,
  pg_catalog.pg_get_userbyid(rel.relowner) AS relowner, rel.relkind,
  (CASE WHEN rel.relkind = 'p' THEN true ELSE false END) AS is_partitioned,
  rel.relhassubclass, rel.reltuples::bigint, des.description, con.conname, con.conkey,
	EXISTS(select 1 FROM pg_catalog.pg_trigger
			JOIN pg_catalog.pg_proc pt ON pt.oid=tgfoid AND pt.proname='logtrigger'
			JOIN pg_catalog.pg_proc pc ON pc.pronamespace=pt.pronamespace AND pc.proname='slonyversion'
			WHERE tgrelid=rel.oid) AS isrepl,
	(SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid=rel.oid AND tgisinternal = FALSE) AS triggercount,
	(SELECT ARRAY(SELECT CASE WHEN (nspname NOT LIKE 'pg\\_%') THEN
            pg_catalog.quote_ident(nspname)||'.'||pg_catalog.quote_ident(c.relname)
            ELSE pg_catalog.quote_ident(c.relname) END AS inherited_tables
    FROM pg_catalog.pg_inherits i
    JOIN pg_catalog.pg_class c ON c.oid = i.inhparent
    JOIN pg_catalog.pg_namespace n ON n.oid=c.relnamespace
    WHERE i.inhrelid = rel.oid ORDER BY inhseqno)) AS coll_inherits,
  (SELECT count(*)
		FROM pg_catalog.pg_inherits i
      JOIN pg_catalog.pg_class c ON c.oid = i.inhparent
      JOIN pg_catalog.pg_namespace n ON n.oid=c.relnamespace
		WHERE i.inhrelid = rel.oid) AS inherited_tables_cnt,
	(CASE WHEN rel.relpersistence = 'u' THEN true ELSE false END) AS relpersistence,
	(SELECT st.setting from pg_catalog.pg_show_all_settings() st WHERE st.name = 'default_table_access_method') as default_amname,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'fillfactor=([0-9]*)') AS fillfactor,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'parallel_workers=([0-9]*)') AS parallel_workers,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'toast_tuple_target=([0-9]*)') AS toast_tuple_target,
	(substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_enabled=([a-z|0-9]*)'))::BOOL AS autovacuum_enabled,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_vacuum_threshold=([0-9]*)') AS autovacuum_vacuum_threshold,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_vacuum_scale_factor=([0-9]*[.]?[0-9]*)') AS autovacuum_vacuum_scale_factor,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_analyze_threshold=([0-9]*)') AS autovacuum_analyze_threshold,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_analyze_scale_factor=([0-9]*[.]?[0-9]*)') AS autovacuum_analyze_scale_factor,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_vacuum_cost_delay=([0-9]*)') AS autovacuum_vacuum_cost_delay,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_vacuum_cost_limit=([0-9]*)') AS autovacuum_vacuum_cost_limit,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_freeze_min_age=([0-9]*)') AS autovacuum_freeze_min_age,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_freeze_max_age=([0-9]*)') AS autovacuum_freeze_max_age,
	substring(pg_catalog.array_to_string(rel.reloptions, ',') FROM 'autovacuum_freeze_table_age=([0-9]*)') AS autovacuum_freeze_table_age,
	(substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_enabled=([a-z|0-9]*)'))::BOOL AS toast_autovacuum_enabled,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_vacuum_threshold=([0-9]*)') AS toast_autovacuum_vacuum_threshold,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_vacuum_scale_factor=([0-9]*[.]?[0-9]*)') AS toast_autovacuum_vacuum_scale_factor,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_analyze_threshold=([0-9]*)') AS toast_autovacuum_analyze_threshold,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_analyze_scale_factor=([0-9]*[.]?[0-9]*)') AS toast_autovacuum_analyze_scale_factor,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_vacuum_cost_delay=([0-9]*)') AS toast_autovacuum_vacuum_cost_delay,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_vacuum_cost_limit=([0-9]*)') AS toast_autovacuum_vacuum_cost_limit,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_freeze_min_age=([0-9]*)') AS toast_autovacuum_freeze_min_age,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_freeze_max_age=([0-9]*)') AS toast_autovacuum_freeze_max_age,
	substring(pg_catalog.array_to_string(tst.reloptions, ',') FROM 'autovacuum_freeze_table_age=([0-9]*)') AS toast_autovacuum_freeze_table_age,
	rel.reloptions AS reloptions, tst.reloptions AS toast_reloptions, rel.reloftype, am.amname,
	CASE WHEN typ.typname IS NOT NULL THEN (select pg_catalog.quote_ident(nspname) FROM pg_catalog.pg_namespace WHERE oid = 2200::oid )||'.'||pg_catalog.quote_ident(typ.typname) ELSE typ.typname END AS typname,
	typ.typrelid AS typoid, rel.relrowsecurity as rlspolicy, rel.relforcerowsecurity as forcerlspolicy,
	(CASE WHEN rel.reltoastrelid = 0 THEN false ELSE true END) AS hastoasttable,
	(SELECT pg_catalog.array_agg(provider || '=' || label) FROM pg_catalog.pg_seclabels sl1 WHERE sl1.objoid=rel.oid AND sl1.objsubid=0) AS seclabels,
	(CASE WHEN rel.oid <= 16383::oid THEN true ElSE false END) AS is_sys_table
	-- Added for partition table
    , (CASE WHEN rel.relkind = 'p' THEN pg_catalog.pg_get_partkeydef($2::oid) ELSE '' END) AS partition_scheme 
FROM pg_catalog.pg_class rel
  LEFT OUTER JOIN pg_catalog.pg_tablespace spc on spc.oid=rel.reltablespace
  LEFT OUTER JOIN pg_catalog.pg_description des ON (des.objoid=rel.oid AND des.objsubid=0 AND des.classoid='pg_class'::regclass)
  LEFT OUTER JOIN pg_catalog.pg_constraint con ON con.conrelid=rel.oid AND con.contype='p'
  LEFT OUTER JOIN pg_catalog.pg_class tst ON tst.oid = rel.reltoastrelid
  LEFT JOIN pg_catalog.pg_type typ ON rel.reloftype=typ.oid
  LEFT OUTER JOIN pg_catalog.pg_am am ON am.oid = rel.relam
WHERE rel.relkind IN ('r','s','t','p') AND rel.relnamespace = 2200::oid
AND NOT rel.relispartition
  AND rel.oid = $2::oid 
ORDER BY rel.relname;`,
    params: [{ database: true }, { oid: 'bi_orders' }],
    ignore: { columns: ['oid', 'relowner', 'hastoasttable'], why: 'the table\'s oid and owner are each server\'s own; Eddy keeps no TOAST tables' },
  },
  {
    tool: 'pgAdmin', name: 'a table\'s columns\' properties (properties.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/tables/templates/columns/sql/default/properties.sql'),
    // the template's INH_TABLES names a fixed inhrelid (33896), as pgAdmin sends it
    sql: `WITH INH_TABLES AS
    (SELECT
     at.attname AS name, ph.inhparent AS inheritedid, ph.inhseqno,
     pg_catalog.concat(nmsp_parent.nspname, '.',parent.relname ) AS inheritedfrom
    FROM
        pg_catalog.pg_attribute at
    JOIN
        pg_catalog.pg_inherits ph ON ph.inhparent = at.attrelid AND ph.inhrelid = 33896::oid
    JOIN
        pg_catalog.pg_class parent ON ph.inhparent  = parent.oid
    JOIN
        pg_catalog.pg_namespace nmsp_parent ON nmsp_parent.oid  = parent.relnamespace
    GROUP BY at.attname, ph.inhparent, ph.inhseqno, inheritedfrom
    ORDER BY at.attname, ph.inhparent, ph.inhseqno, inheritedfrom
    )
SELECT DISTINCT ON (att.attnum) att.attname as name, att.atttypid, att.attlen, att.attnum, att.attndims,
		att.atttypmod, att.attacl, att.attnotnull, att.attoptions, att.attfdwoptions, att.attstattarget,
		att.attstorage, att.attidentity,
		pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS defval,
		pg_catalog.format_type(ty.oid,NULL) AS typname,
        pg_catalog.format_type(ty.oid,att.atttypmod) AS displaytypname,
		pg_catalog.format_type(ty.oid,att.atttypmod) AS cltype,
		inh.inheritedfrom,
		inh.inheritedid,
        CASE WHEN ty.typelem > 0 THEN ty.typelem ELSE ty.oid END as elemoid,
		(SELECT nspname FROM pg_catalog.pg_namespace WHERE oid = ty.typnamespace) as typnspname,
        ty.typstorage AS defaultstorage,
		description, pi.indkey,
	(SELECT count(1) FROM pg_catalog.pg_type t2 WHERE t2.typname=ty.typname) > 1 AS isdup,
	CASE WHEN length(coll.collname::text) > 0 AND length(nspc.nspname::text) > 0  THEN
	  pg_catalog.concat(pg_catalog.quote_ident(nspc.nspname),'.',pg_catalog.quote_ident(coll.collname))
	ELSE '' END AS collspcname,
	EXISTS(SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid=att.attrelid AND contype='f' AND att.attnum=ANY(conkey)) As is_fk,
	(SELECT pg_catalog.array_agg(provider || '=' || label) FROM pg_catalog.pg_seclabels sl1 WHERE sl1.objoid=att.attrelid AND sl1.objsubid=att.attnum) AS seclabels,
	(CASE WHEN (att.attnum < 1) THEN true ElSE false END) AS is_sys_column,
	(CASE WHEN (att.attidentity in ('a', 'd')) THEN 'i' WHEN (att.attgenerated in ('s')) THEN 'g' ELSE 'n' END) AS colconstype,
	(CASE WHEN (att.attgenerated in ('s')) THEN pg_catalog.pg_get_expr(def.adbin, def.adrelid) END) AS genexpr, tab.relname as relname,
	(CASE WHEN tab.relkind = 'v' THEN true ELSE false END) AS is_view_only,
	(CASE WHEN att.attcompression = 'p' THEN 'pglz' WHEN att.attcompression = 'l' THEN 'lz4' END) AS attcompression,
	(SELECT dsd.refobjid
	 FROM pg_catalog.pg_depend dsd
	   JOIN pg_catalog.pg_class dsc ON dsd.refclassid='pg_catalog.pg_class'::regclass
	     AND dsd.refobjid=dsc.oid AND dsc.relkind='S'
	 WHERE dsd.classid='pg_catalog.pg_attrdef'::regclass
	   AND dsd.objid=def.oid AND dsd.deptype='n'
	 ORDER BY dsd.refobjid
	 LIMIT 1) AS defseqrelid,
	seq.*
FROM pg_catalog.pg_attribute att
  JOIN pg_catalog.pg_type ty ON ty.oid=atttypid
  LEFT OUTER JOIN pg_catalog.pg_attrdef def ON adrelid=att.attrelid AND adnum=att.attnum
  LEFT OUTER JOIN pg_catalog.pg_description des ON (des.objoid=att.attrelid AND des.objsubid=att.attnum AND des.classoid='pg_class'::regclass)
  LEFT OUTER JOIN (pg_catalog.pg_depend dep JOIN pg_catalog.pg_class cs ON dep.classid='pg_class'::regclass AND dep.objid=cs.oid AND cs.relkind='S') ON dep.refobjid=att.attrelid AND dep.refobjsubid=att.attnum
  LEFT OUTER JOIN pg_catalog.pg_index pi ON pi.indrelid=att.attrelid AND indisprimary
  LEFT OUTER JOIN pg_catalog.pg_collation coll ON att.attcollation=coll.oid
  LEFT OUTER JOIN pg_catalog.pg_namespace nspc ON coll.collnamespace=nspc.oid
  LEFT OUTER JOIN pg_catalog.pg_sequence seq ON cs.oid=seq.seqrelid
  LEFT OUTER JOIN pg_catalog.pg_class tab on tab.oid = att.attrelid
  LEFT OUTER join INH_TABLES as INH ON att.attname = INH.name
WHERE att.attrelid = $1::oid
    AND att.attnum > 0
    AND att.attisdropped IS FALSE
    ORDER BY att.attnum;`,
    params: [{ oid: 'bi_orders' }],
  },
  {
    tool: 'pgAdmin', name: 'a table\'s indexes\' properties (15_plus/properties.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/tables/templates/indexes/sql/15_plus/properties.sql'),
    // did, tid and datlastsysoid (16383) filled in as pgAdmin renders them
    sql: `SELECT DISTINCT ON (cls.relname)
  cls.oid,
  cls.relname AS name,
  idx.indrelid,
  idx.indkey,
  idx.indisclustered,
  idx.indisvalid,
  idx.indisunique,
  idx.indisprimary,
  n.nspname,
  idx.indnatts,
  COALESCE(cls.reltablespace, 0) AS spcoid,
  idx.indnullsnotdistinct,
  COALESCE(
    CASE
          WHEN (cls.reltablespace <> 0 OR cls.relkind = 'I') THEN ta.spcname
          ELSE (
              SELECT sp.spcname
              FROM pg_catalog.pg_database dtb
              JOIN pg_catalog.pg_tablespace sp ON dtb.dattablespace = sp.oid
              WHERE dtb.oid = $1::oid
              LIMIT 1
          )
      END, 'pg_default'
  ) AS spcname,
  con.conname,
  tab.relname AS tabname,
  idx.indclass,
  con.oid AS conoid,
  CASE
      WHEN con.contype IN ('p', 'u', 'x') THEN desp.description
      ELSE des.description
  END AS description,
  (
      SELECT array_agg(DISTINCT e.extname)
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_extension e ON d.refobjid = e.oid
      WHERE d.objid = cls.oid
  ) AS dependsonextensions,
  pg_catalog.pg_get_expr(idx.indpred, idx.indrelid, true) AS indconstraint,
  con.contype,
  con.condeferrable,
  con.condeferred,
  am.amname,
  EXISTS (
      SELECT 1 FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = cls.oid
  ) AS is_inherited,
  -- Options (with defaults per index type)
    substring(array_to_string(cls.reloptions, ',') FROM 'fillfactor=([0-9]*)')::int AS fillfactor,
    substring(array_to_string(cls.reloptions, ',') FROM 'deduplicate_items=([a-z]*)')::boolean AS deduplicate_items,
    substring(array_to_string(cls.reloptions, ',') FROM 'gin_pending_list_limit=([0-9]*)')::int AS gin_pending_list_limit,
    substring(array_to_string(cls.reloptions, ',') FROM 'pages_per_range=([0-9]*)')::int AS pages_per_range,
    substring(array_to_string(cls.reloptions, ',') FROM 'buffering=([a-z]*)') AS buffering,
    substring(array_to_string(cls.reloptions, ',') FROM 'fastupdate=([a-z]*)')::boolean AS fastupdate,
    substring(array_to_string(cls.reloptions, ',') FROM 'autosummarize=([a-z]*)')::boolean AS autosummarize,
    substring(array_to_string(cls.reloptions, ',') FROM 'lists=([0-9]*)')::int AS lists
        , (cls.oid <= 16383::oid) AS is_sys_idx
FROM pg_catalog.pg_index idx
    JOIN pg_catalog.pg_class cls ON cls.oid = idx.indexrelid
    JOIN pg_catalog.pg_class tab ON tab.oid = idx.indrelid
    LEFT JOIN pg_catalog.pg_tablespace ta ON ta.oid = cls.reltablespace
    JOIN pg_catalog.pg_namespace n ON n.oid = tab.relnamespace
    JOIN pg_catalog.pg_am am ON am.oid = cls.relam
    LEFT JOIN pg_catalog.pg_depend dep ON dep.classid = cls.tableoid
        AND dep.objid = cls.oid
        AND dep.refobjsubid = 0
        AND dep.refclassid = (SELECT oid FROM pg_catalog.pg_class WHERE relname = 'pg_constraint')
        AND dep.deptype = 'i'
    LEFT JOIN pg_catalog.pg_constraint con ON con.tableoid = dep.refclassid AND con.oid = dep.refobjid
    LEFT JOIN pg_catalog.pg_description des ON des.objoid = cls.oid AND des.classoid = 'pg_class'::regclass
    LEFT JOIN pg_catalog.pg_description desp ON desp.objoid = con.oid AND desp.objsubid = 0 AND desp.classoid = 'pg_constraint'::regclass
WHERE idx.indrelid = $2::OID
    AND con.conname IS NULL
ORDER BY cls.relname;`,
    params: [{ database: true }, { oid: 'bi_orders' }],
    ignore: { columns: ['oid', 'indrelid'], why: 'the index\'s and the table\'s oids are each server\'s own' },
  },
  {
    tool: 'pgAdmin', name: 'a schema\'s views\' properties (15_plus/properties.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/views/templates/views/pg/15_plus/sql/properties.sql'),
    // the branch for a schema (scid: public)
    sql: `SELECT
    c.oid,
    c.xmin,
    c.relkind,
    description AS comment,
    (CASE WHEN length(spc.spcname::text) > 0 THEN spc.spcname ELSE 'pg_default' END) as spcname,
    c.relname AS name,
    c.reltablespace AS spcoid,
    nsp.nspname AS schema,
    c.relispopulated AS ispopulated,
    pg_catalog.pg_get_userbyid(c.relowner) AS owner,
    pg_catalog.array_to_string(c.relacl::text[], ', ') AS acl,
    pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
    (SELECT
        pg_catalog.array_agg(provider || '=' || label)
     FROM
        pg_catalog.pg_seclabels sl1
     WHERE
        sl1.objoid=c.oid AND sl1.objsubid=0
    ) AS seclabels,
    substring(pg_catalog.array_to_string(c.reloptions, ',')
        FROM 'check_option=([a-z]*)') AS check_option,
    (substring(pg_catalog.array_to_string(c.reloptions, ',')
        FROM 'security_barrier=([a-z|0-9]*)'))::boolean AS security_barrier,
    (substring(pg_catalog.array_to_string(c.reloptions, ',')
        FROM 'security_invoker=([a-z|0-9]*)'))::boolean AS security_invoker
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_namespace nsp on nsp.oid = c.relnamespace
LEFT OUTER JOIN pg_catalog.pg_tablespace spc on spc.oid=c.reltablespace
LEFT OUTER JOIN pg_catalog.pg_description des ON (des.objoid=c.oid and des.objsubid=0 AND des.classoid='pg_class'::regclass)
    WHERE ((c.relhasrules AND (EXISTS (
        SELECT
            r.rulename
        FROM
            pg_catalog.pg_rewrite r
        WHERE
            ((r.ev_class = c.oid)
                AND (bpchar(r.ev_type) = '1'::bpchar)) )))
            AND (c.relkind = 'v'::char)
          )
    AND c.relnamespace = 2200::oid
ORDER BY
    c.relname`,
    ignore: { columns: ['oid', 'xmin', 'owner', 'definition'], why: 'oid, xmin and the owner are each server\'s own; the definition is the query as written on Eddy, deparsed on PostgreSQL' },
  },
  {
    tool: 'pgAdmin', name: 'indexes of a table (nodes.sql)', source: PGADMIN('browser/server_groups/servers/databases/schemas/tables/templates/indexes/sql/default/nodes.sql'),
    sql: `SELECT DISTINCT ON(cls.relname) cls.oid, cls.relname as name,
(SELECT (CASE WHEN count(i.inhrelid) > 0 THEN true ELSE false END) FROM pg_catalog.pg_inherits i WHERE i.inhrelid = cls.oid) as is_inherited,
CASE WHEN contype IN ('p', 'u', 'x') THEN desp.description ELSE des.description END AS description
FROM pg_catalog.pg_index idx
    JOIN pg_catalog.pg_class cls ON cls.oid=indexrelid
    JOIN pg_catalog.pg_class tab ON tab.oid=indrelid
    LEFT OUTER JOIN pg_catalog.pg_tablespace ta on ta.oid=cls.reltablespace
    JOIN pg_catalog.pg_namespace n ON n.oid=tab.relnamespace
    JOIN pg_catalog.pg_am am ON am.oid=cls.relam
    LEFT JOIN pg_catalog.pg_depend dep ON (dep.classid = cls.tableoid AND dep.objid = cls.oid AND dep.refobjsubid = '0' AND dep.refclassid=(SELECT oid FROM pg_catalog.pg_class WHERE relname='pg_constraint') AND dep.deptype='i')
    LEFT OUTER JOIN pg_catalog.pg_constraint con ON (con.tableoid = dep.refclassid AND con.oid = dep.refobjid)
    LEFT OUTER JOIN pg_catalog.pg_description des ON (des.objoid=cls.oid AND des.classoid='pg_class'::regclass)
    LEFT OUTER JOIN pg_catalog.pg_description desp ON (desp.objoid=con.oid AND desp.objsubid = 0 AND desp.classoid='pg_constraint'::regclass)
WHERE indrelid = $1::OID
    AND conname is NULL
    ORDER BY cls.relname`,
    params: [{ oid: 'bi_orders' }],
    compare: { columns: ['name', 'is_inherited', 'description'], why: 'oid is the index\'s' },
  },
];
