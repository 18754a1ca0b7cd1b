/**
 * The pg_catalog tables, with the columns psql's \d family, pgjdbc and BI tools read. Tables
 * whose subject Eddy does not have (inheritance, extensions, policies, publications, rules,
 * triggers, comments) exist and are empty, so the queries that join them run. Columns of array
 * type in PostgreSQL that clients read (ACLs, options, policy roles ...) are text and always NULL:
 * Eddy's catalog keeps no array values (see catalog-arrays.ts).
 */
import type { Row } from '../../engine/batch.js';
import { ARRAY_TYPES, SqlArray, T, type SqlType } from '../../types/types.js';
import { indexDefinitionOf, namespaceOid, primaryKeyName, primaryKeyOid, type CatalogIndex, type CatalogRelation } from './catalog-relation.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import { ACCESS_METHOD, COLLATION, FIRST_EDDY_SYSTEM_OID, NAMESPACE, OWNER_NAME, OWNER_OID, UTF8_ENCODING, VIEW_RULE_OID_OFFSET } from './oids.js';
import { ANY, CSTRING, PSEUDO_TYPES } from '../../planner/functions/index.js';
import { builtinFunctions } from './builtin-functions.js';
import { TYPE_IO_FUNCTIONS, typeIo } from './type-io-functions.js';
import { TYPE_DESCRIPTIONS } from './type-descriptions.js';
import { defaultOperatorClass, OPERATOR_CLASSES } from './opclasses.js';
import { columns, inPostgresOrder, NO_ROWS, type CatalogContents, type SystemTable } from './system-table.js';
import { typeAlign, typeByValue, typeCollation, typeElement, typeStorage } from './type-properties.js';

/** The types pg_type lists: every type Eddy has, their array types, and the pseudo-types of polymorphic functions. */
export const CATALOG_TYPES: readonly SqlType[] = [...Object.values(T), ...ARRAY_TYPES, ...PSEUDO_TYPES];

/** pg_language's "internal": functions implemented inside the server. */
const INTERNAL_LANGUAGE = 12;

/** The catalogs' own oids, as pg_description.classoid and pg_depend.classid name them. */
const PG_NAMESPACE_OID = 2615;
const PG_AM_OID = 2601;
const PG_TYPE_OID = 1247;
const PG_CLASS_OID = 1259;
const PG_CONSTRAINT_OID = 2606;

const relam = (r: CatalogRelation): number => (r.relkind === 'r' || r.relkind === 'm' ? ACCESS_METHOD.heap : 0);

/** pg_class rows: the relations and the indexes. */
function classRows({ relations, indexes }: CatalogContents): Row[] {
  const rows: Row[] = [];
  // relhasrules: a view and a materialized view have their _RETURN rule (pg_rewrite lists it)
  // replica identity: user tables and materialized views have the default ('d'); views, indexes
  // and PostgreSQL's system tables none ('n')
  // relpages and reltuples as PostgreSQL has them before any VACUUM or ANALYZE: a table 0 and -1
  // (never counted), an index built with its table 1 (its metapage) and 0 (pgjdbc's getIndexInfo
  // reports them as PAGES and CARDINALITY).
  const row = (oid: number, name: string, nsp: number, kind: string, am: number, natts: number, hasIndex: boolean): Row => [
    oid, name, nsp, 0, null, null, 0, OWNER_OID, am, oid, 0, kind === 'i' ? 1 : 0, kind === 'i' ? 0 : -1, 0, 0, hasIndex, false, 'p', kind, natts, 0, kind === 'v' || kind === 'm', false, false, false, false, true,
    (kind === 'r' || kind === 'm') && nsp !== NAMESPACE.pg_catalog ? 'd' : 'n', false, null,
  ];
  const indexed = new Set(indexes.map((i) => i.table));
  for (const r of relations) rows.push(row(r.oid, r.name, namespaceOid(r), r.relkind, relam(r), r.columns.length, indexed.has(r)));
  for (const i of indexes) rows.push(row(i.oid, i.name, namespaceOid(i.table), 'i', ACCESS_METHOD[i.method], i.columns.length, false));
  return rows;
}

/**
 * The type an index stores a key column as (its pg_attribute row): a hash index its hash codes
 * (int4), a btree the column's type but a name as cstring (name_ops' opckeytype), as PostgreSQL does.
 */
function indexKeyType(method: CatalogIndex['method'], column: RelationColumn): { type: SqlType; typmod: number } {
  if (method === 'hash') return { type: T.int4, typmod: -1 };
  if (column.type.oid === T.name.oid) return { type: CSTRING, typmod: -1 };
  return column;
}

/**
 * The system columns PostgreSQL lists (attnum < 0) for every table and materialized view, which
 * clients that read pg_attribute without `attnum > 0` see (DBeaver): tid, xid and cid are not
 * Eddy types (no pg_type rows), and Eddy's rows have no such columns to select.
 */
const SYSTEM_COLUMNS: readonly [name: string, typeOid: number, len: number][] = [
  ['ctid', 27, 6], ['xmin', 28, 4], ['cmin', 29, 4], ['xmax', 28, 4], ['cmax', 29, 4], ['tableoid', T.oid.oid, 4],
];

const systemColumnRows = (relid: number): Row[] =>
  SYSTEM_COLUMNS.map(([name, typeOid, len], i) => [
    relid, name, typeOid, 0, len, -(i + 1), 0, -1, name !== 'ctid', name === 'ctid' ? 's' : 'i', 'p', '', true, false, false, '', '', false, true, 0, 0,
  ]);

function attributeRows({ relations, indexes }: CatalogContents): Row[] {
  const rows: Row[] = [];
  const row = (relid: number, name: string, type: SqlType, typmod: number, num: number, notNull: boolean, hasDefault: boolean, collation = typeCollation(type)): Row => [
    relid, name, type.oid, -1, type.typlen, num, 0, typmod, typeByValue(type), typeAlign(type), typeStorage(type), '', notNull, hasDefault, false, '', '', false, true, 0, collation,
  ];
  for (const r of relations) {
    if (r.relkind === 'r' || r.relkind === 'm') rows.push(...systemColumnRows(r.oid));
    r.columns.forEach((c, i) => rows.push(row(r.oid, c.name, c.type, c.typmod, i + 1, c.notNull ?? false, r.defaults.has(c.name))));
  }
  for (const index of indexes) {
    index.columns.forEach((pos, i) => {
      const c = index.table.columns[pos]!;
      const key = indexKeyType(index.method, c);
      // the key keeps the column's collation, whatever type it is stored as
      rows.push(row(index.oid, c.name, key.type, key.typmod, i + 1, false, false, typeCollation(c.type)));
    });
  }
  return rows;
}

function attrdefRows({ relations }: CatalogContents): Row[] {
  const rows: Row[] = [];
  for (const r of relations) {
    r.columns.forEach((c, i) => {
      const text = r.defaults.get(c.name);
      // adbin holds the expression's text: pg_get_expr returns it as it is
      if (text !== undefined) rows.push([r.oid * 1000 + i + 1, r.oid, i + 1, text]);
    });
  }
  return rows;
}

function indexRows({ indexes }: CatalogContents): Row[] {
  return indexes.map((i) => {
    const keys = i.columns.map((p) => i.table.columns[p]!.type);
    // int2vectors and oidvectors, subscripted from 0 (pgjdbc reads indoption[position - 1]): the
    // key columns, their collations and default operator classes, and every key ascending
    const vector = (elements: number[]) => new SqlArray(elements, 0);
    return [
      i.oid, i.table.oid, i.columns.length, i.columns.length, i.unique, false, i.primary, false, true, false, true, false, true, true, false,
      vector(i.columns.map((p) => p + 1)), vector(keys.map(typeCollation)), vector(keys.map((t) => defaultOperatorClass(i.method, t))),
      vector(keys.map(() => 0)), null, null,
    ];
  });
}

const opclassRows = (): Row[] =>
  OPERATOR_CLASSES.map((o) => [o.oid, ACCESS_METHOD[o.method], o.name, NAMESPACE.pg_catalog, OWNER_OID, o.family, o.inputType, o.isDefault, o.keyType]);

/** pg_indexes: one row per index, with the definition pg_get_indexdef prints. */
function indexesViewRows({ indexes }: CatalogContents): Row[] {
  return indexes.map((i) => [i.table.schema, i.table.name, i.name, null, indexDefinitionOf(i)]);
}

function constraintRows({ relations }: CatalogContents): Row[] {
  return relations
    .filter((r) => r.primaryKey.length > 0)
    .map((r) => [primaryKeyOid(r), primaryKeyName(r), namespaceOid(r), 'p', false, false, true, r.oid, 0, primaryKeyOid(r), 0, 0, ' ', ' ', ' ', true, 0, true, new SqlArray(r.primaryKey.map((p) => p + 1)), null]);
}

/** The preferred type of each category PostgreSQL's implicit casts lean to (typispreferred). */
const PREFERRED_TYPES = new Set([T.bool.oid, T.text.oid, T.oid.oid, T.float8.oid, T.timestamptz.oid, T.interval.oid]);

function typeRows(): Row[] {
  return CATALOG_TYPES.map((t) => [
    t.oid, t.typname, NAMESPACE.pg_catalog, OWNER_OID, t.typlen, typeByValue(t), t.category === 'P' || t.oid === T.unknown.oid ? 'p' : 'b', t.category, PREFERRED_TYPES.has(t.oid), true, ',', 0, typeElement(t), t.arrayOid, 0, -1, 0, typeCollation(t), false, null, typeAlign(t), typeStorage(t),
    ...((io) => [io.input, io.output, io.receive, io.send])(typeIo(t)),
  ]);
}

const empty = NO_ROWS;

const table = (name: string, oid: number, spec: string, rows: SystemTable['rows']): SystemTable => ({
  schema: 'pg_catalog', name, oid, columns: columns(spec), rows,
});

export const PG_CATALOG_TABLES: readonly SystemTable[] = [
  table('pg_namespace', 2615, 'oid:oid nspname:name nspowner:oid nspacl:text', () =>
    Object.entries(NAMESPACE).map(([name, oid]) => [oid, name, OWNER_OID, null])),
  inPostgresOrder(
    table(
      'pg_class', 1259,
      'oid:oid relname:name relnamespace:oid reltype:oid relacl:text reloptions:text reloftype:oid relowner:oid relam:oid relfilenode:oid reltablespace:oid ' +
        'relpages:int4 reltuples:float4 relallvisible:int4 reltoastrelid:oid relhasindex:bool relisshared:bool relpersistence:char ' +
        'relkind:char relnatts:int2 relchecks:int2 relhasrules:bool relhastriggers:bool relhassubclass:bool relrowsecurity:bool ' +
        'relforcerowsecurity:bool relispopulated:bool relreplident:char relispartition:bool relpartbound:text',
      classRows,
    ),
    'oid relname relnamespace reltype reloftype relowner relam relfilenode reltablespace relpages reltuples relallvisible ' +
      'reltoastrelid relhasindex relisshared relpersistence relkind relnatts relchecks relhasrules relhastriggers relhassubclass ' +
      'relrowsecurity relforcerowsecurity relispopulated relreplident relispartition relrewrite:oid relfrozenxid:oid relminmxid:oid ' +
      'relacl reloptions relpartbound', { relrewrite: 0, relfrozenxid: 0, relminmxid: 0 },
  ),
  inPostgresOrder(
    table(
      'pg_attribute', 1249,
      'attrelid:oid attname:name atttypid:oid attstattarget:int4 attlen:int2 attnum:int2 attndims:int4 atttypmod:int4 attbyval:bool ' +
        'attalign:char attstorage:char attcompression:char attnotnull:bool atthasdef:bool atthasmissing:bool attidentity:char ' +
        'attgenerated:char attisdropped:bool attislocal:bool attinhcount:int4 attcollation:oid',
      attributeRows,
    ),
    'attrelid attname atttypid attstattarget attlen attnum attndims attcacheoff:int4 atttypmod attbyval attalign attstorage ' +
      'attcompression attnotnull atthasdef atthasmissing attidentity attgenerated attisdropped attislocal attinhcount attcollation ' +
      'attacl:text attoptions:text attfdwoptions:text attmissingval:text', { attcacheoff: -1 },
  ),
  table('pg_attrdef', 2604, 'oid:oid adrelid:oid adnum:int2 adbin:text', attrdefRows),
  inPostgresOrder(
    table(
      'pg_type', 1247,
      'oid:oid typname:name typnamespace:oid typowner:oid typlen:int2 typbyval:bool typtype:char typcategory:char typispreferred:bool ' +
        'typisdefined:bool typdelim:char typrelid:oid typelem:oid typarray:oid typbasetype:oid typtypmod:int4 typndims:int4 ' +
        'typcollation:oid typnotnull:bool typdefault:text typalign:char typstorage:char typinput:oid typoutput:oid typreceive:oid typsend:oid',
      typeRows,
    ),
    'oid typname typnamespace typowner typlen typbyval typtype typcategory typispreferred typisdefined typdelim typrelid ' +
      'typsubscript:oid typelem typarray typinput typoutput typreceive typsend typmodin:oid typmodout:oid typanalyze:oid typalign ' +
      'typstorage typnotnull typbasetype typtypmod typndims typcollation typdefaultbin:text typdefault typacl:text', { typsubscript: 0, typmodin: 0, typmodout: 0, typanalyze: 0 },
  ),
  table(
    'pg_index', 2610,
    'indexrelid:oid indrelid:oid indnatts:int2 indnkeyatts:int2 indisunique:bool indnullsnotdistinct:bool indisprimary:bool ' +
      'indisexclusion:bool indimmediate:bool indisclustered:bool indisvalid:bool indcheckxmin:bool indisready:bool indislive:bool ' +
      'indisreplident:bool indkey:int2vector indcollation:oidvector indclass:oidvector indoption:int2vector indexprs:text indpred:text',
    indexRows,
  ),
  inPostgresOrder(
    table(
      'pg_constraint', 2606,
      'oid:oid conname:name connamespace:oid contype:char condeferrable:bool condeferred:bool convalidated:bool conrelid:oid ' +
        'contypid:oid conindid:oid conparentid:oid confrelid:oid confupdtype:char confdeltype:char confmatchtype:char conislocal:bool ' +
        'coninhcount:int4 connoinherit:bool conkey:_int2 confkey:_int2',
      constraintRows,
    ),
    'oid conname connamespace contype condeferrable condeferred convalidated conrelid contypid conindid conparentid confrelid ' +
      'confupdtype confdeltype confmatchtype conislocal coninhcount connoinherit conkey confkey conpfeqop:text conppeqop:text ' +
      'conffeqop:text confdelsetcols:text conexclop:text conbin:text',
  ),
  table(
    'pg_proc', 1255,
    'oid:oid proname:name pronamespace:oid proowner:oid prolang:oid prokind:char prosecdef:bool proretset:bool provolatile:char ' +
      'pronargs:int2 prorettype:oid proargtypes:text prosrc:text',
    () => [
      ...builtinFunctions().map((f) => [
        f.oid, f.name, NAMESPACE.pg_catalog, OWNER_OID, INTERNAL_LANGUAGE, 'f', false, f.setReturning, f.volatile ? 'v' : 'i',
        f.args.length, (f.returns ?? ANY).oid, f.args.map((a) => a.oid).join(' '), f.name,
      ]),
      // the types' I/O functions: not callable from SQL, listed for the drivers that look them up
      ...TYPE_IO_FUNCTIONS.map(({ oid, name }) => [oid, name, NAMESPACE.pg_catalog, OWNER_OID, INTERNAL_LANGUAGE, 'f', false, false, 'i', 1, 0, '', name]),
    ],
  ),
  table(
    'pg_database', 1262,
    'oid:oid datname:name datdba:oid encoding:int4 datlocprovider:char datistemplate:bool datallowconn:bool datconnlimit:int4 ' +
      'dattablespace:oid datcollate:text datctype:text daticulocale:text datcollversion:text datacl:text',
    ({ databases }) => databases.map(({ oid, name }) => [oid, name, OWNER_OID, UTF8_ENCODING, 'c', false, true, -1, 1663, 'C', 'C', null, null, null]),
  ),
  inPostgresOrder(
    table(
      'pg_roles', FIRST_EDDY_SYSTEM_OID + 1,
      'oid:oid rolname:name rolsuper:bool rolinherit:bool rolcreaterole:bool rolcreatedb:bool rolcanlogin:bool rolreplication:bool ' +
        'rolconnlimit:int4 rolpassword:text rolvaliduntil:timestamptz rolbypassrls:bool',
      // Eddy has no privileges to grant: every role is a superuser
      ({ roles }) => roles.map(({ oid, name }) => [oid, name, true, true, true, true, true, true, -1, '********', null, true]),
    ),
    'rolname rolsuper rolinherit rolcreaterole rolcreatedb rolcanlogin rolreplication rolconnlimit rolpassword rolvaliduntil ' +
      'rolbypassrls rolconfig:text oid',
  ),
  table(
    'pg_user', FIRST_EDDY_SYSTEM_OID + 2,
    'usename:name usesysid:oid usecreatedb:bool usesuper:bool userepl:bool usebypassrls:bool passwd:text valuntil:timestamptz',
    ({ roles }) => roles.map(({ oid, name }) => [name, oid, true, true, true, true, '********', null]),
  ),
  // PostgreSQL's own comments on the schemas, access methods and types Eddy has (pgAdmin and DBeaver show them)
  table('pg_description', 2609, 'objoid:oid classoid:oid objsubid:int4 description:text', () => [
    [NAMESPACE.pg_catalog, PG_NAMESPACE_OID, 0, 'system catalog schema'],
    [NAMESPACE.public, PG_NAMESPACE_OID, 0, 'standard public schema'],
    [ACCESS_METHOD.heap, PG_AM_OID, 0, 'heap table access method'],
    [ACCESS_METHOD.btree, PG_AM_OID, 0, 'b-tree index access method'],
    [ACCESS_METHOD.hash, PG_AM_OID, 0, 'hash index access method'],
    ...TYPE_DESCRIPTIONS.map(([oid, description]) => [oid, PG_TYPE_OID, 0, description]),
  ]),
  table('pg_shdescription', 2396, 'objoid:oid classoid:oid description:text', empty),
  table('pg_am', 2601, 'oid:oid amname:name amhandler:text amtype:char', () => [
    [ACCESS_METHOD.heap, 'heap', 'heap_tableam_handler', 't'],
    [ACCESS_METHOD.btree, 'btree', 'bthandler', 'i'],
    [ACCESS_METHOD.hash, 'hash', 'hashhandler', 'i'],
  ]),
  table('pg_opclass', 2616, 'oid:oid opcmethod:oid opcname:name opcnamespace:oid opcowner:oid opcfamily:oid opcintype:oid opcdefault:bool opckeytype:oid', opclassRows),
  table('pg_enum', 3501, 'oid:oid enumtypid:oid enumsortorder:float4 enumlabel:name', empty),
  table('pg_inherits', 2611, 'inhrelid:oid inhparent:oid inhseqno:int4 inhdetachpending:bool', empty),
  table('pg_extension', 3079, 'oid:oid extname:name extowner:oid extnamespace:oid extrelocatable:bool extversion:text extconfig:text extcondition:text', empty),
  table(
    'pg_collation', 3456,
    'oid:oid collname:name collnamespace:oid collowner:oid collprovider:char collisdeterministic:bool collencoding:int4 collcollate:text collctype:text',
    () => [
      [COLLATION.default, 'default', NAMESPACE.pg_catalog, OWNER_OID, 'd', true, -1, null, null],
      [COLLATION.C, 'C', NAMESPACE.pg_catalog, OWNER_OID, 'c', true, -1, 'C', 'C'],
      [COLLATION.POSIX, 'POSIX', NAMESPACE.pg_catalog, OWNER_OID, 'c', true, -1, 'POSIX', 'POSIX'],
    ],
  ),
  table('pg_tablespace', 1213, 'oid:oid spcname:name spcowner:oid', () => [[1663, 'pg_default', OWNER_OID], [1664, 'pg_global', OWNER_OID]]),
  // a view's query is its _RETURN rule (ev_type '1': SELECT), which pgAdmin's view properties look for
  // (ev_qual is PostgreSQL's empty tree '<>'; ev_action, a tree there, the query as written, as adbin holds expressions)
  table('pg_rewrite', 2618, 'oid:oid rulename:name ev_class:oid ev_type:char ev_enabled:char is_instead:bool ev_qual:text ev_action:text', ({ relations }) =>
    relations.filter((r) => r.relkind === 'v' || r.relkind === 'm').map((r) => [r.oid + VIEW_RULE_OID_OFFSET, '_RETURN', r.oid, '1', 'O', true, '<>', r.viewQuery])),
  table(
    'pg_trigger', 2620,
    'oid:oid tgrelid:oid tgparentid:oid tgname:name tgfoid:oid tgtype:int2 tgenabled:char tgisinternal:bool tgconstrrelid:oid ' +
      'tgconstrindid:oid tgconstraint:oid tgdeferrable:bool tginitdeferred:bool tgnargs:int2 tgattr:int2vector tgargs:bytea tgqual:text ' +
      'tgoldtable:name tgnewtable:name',
    empty,
  ),
  table('pg_policies', FIRST_EDDY_SYSTEM_OID + 33, 'schemaname:name tablename:name policyname:name permissive:text roles:text cmd:text qual:text with_check:text', empty),
  table('pg_policy', 3256, 'oid:oid polname:name polrelid:oid polcmd:char polpermissive:bool polroles:text polqual:text polwithcheck:text', empty),
  table('pg_statistic_ext', 3381, 'oid:oid stxrelid:oid stxname:name stxnamespace:oid stxowner:oid stxstattarget:int4 stxkeys:text stxkind:text', empty),
  table('pg_publication', 6104, 'oid:oid pubname:name pubowner:oid puballtables:bool pubinsert:bool pubupdate:bool pubdelete:bool pubtruncate:bool pubviaroot:bool', empty),
  table('pg_publication_rel', 6106, 'oid:oid prpubid:oid prrelid:oid prqual:text prattrs:text', empty),
  table('pg_publication_namespace', 6237, 'oid:oid pnpubid:oid pnnspid:oid', empty),
  // Eddy has no range types; asyncpg's type introspection joins it (rngcanonical, rngsubdiff: regproc in PostgreSQL)
  table('pg_range', 3541, 'rngtypid:oid rngsubtype:oid rngmultitypid:oid rngcollation:oid rngsubopc:oid rngcanonical:oid rngsubdiff:oid', empty),
  // GRANT SET ON PARAMETER: Eddy has no privileges to grant; psql's \dconfig+ joins it
  table('pg_parameter_acl', 6243, 'oid:oid parname:text paracl:text', empty),
  table('pg_cast', 2605, 'oid:oid castsource:oid casttarget:oid castfunc:oid castcontext:char castmethod:char', empty),
  table('pg_operator', 2617, 'oid:oid oprname:name oprnamespace:oid oprowner:oid oprkind:char oprcanmerge:bool oprcanhash:bool oprleft:oid oprright:oid oprresult:oid oprcode:oid', empty),
  table('pg_sequence', 2224, 'seqrelid:oid seqtypid:oid seqstart:int8 seqincrement:int8 seqmax:int8 seqmin:int8 seqcache:int8 seqcycle:bool', empty),
  // a primary key's index is internal to its constraint ('i'), which pgAdmin's index list reads to leave it out
  table('pg_depend', 2608, 'classid:oid objid:oid objsubid:int4 refclassid:oid refobjid:oid refobjsubid:int4 deptype:char', ({ relations }) =>
    relations.filter((r) => r.primaryKey.length > 0).map((r) => [PG_CLASS_OID, primaryKeyOid(r), 0, PG_CONSTRAINT_OID, primaryKeyOid(r), 0, 'i'])),
  table('pg_language', 2612, 'oid:oid lanname:name lanowner:oid lanispl:bool lanpltrusted:bool lanplcallfoid:oid laninline:oid lanvalidator:oid', () => [
    [INTERNAL_LANGUAGE, 'internal', OWNER_OID, false, false, 0, 0, 0],
    [13, 'c', OWNER_OID, false, false, 0, 0, 0],
    [14, 'sql', OWNER_OID, false, true, 0, 0, 0],
  ]),
  table('pg_auth_members', 1261, 'roleid:oid member:oid grantor:oid admin_option:bool', empty),
  // security labels: Eddy has no label providers (pgAdmin's property panes read them)
  table('pg_seclabels', FIRST_EDDY_SYSTEM_OID + 32, 'objoid:oid classoid:oid objsubid:int4 objtype:text objnamespace:oid objname:text provider:text label:text', empty),
  table('pg_db_role_setting', 2964, 'setdatabase:oid setrole:oid setconfig:text', empty),
  table('pg_subscription', 6100, 'oid:oid subdbid:oid subname:name subowner:oid subenabled:bool subpublications:text', empty),
  table('pg_conversion', 2607, 'oid:oid conname:name connamespace:oid conowner:oid conforencoding:int4 contoencoding:int4 conproc:oid condefault:bool', empty),
  table('pg_foreign_data_wrapper', 2328, 'oid:oid fdwname:name fdwowner:oid fdwhandler:oid fdwvalidator:oid', empty),
  table('pg_foreign_server', 1417, 'oid:oid srvname:name srvowner:oid srvfdw:oid srvtype:text srvversion:text', empty),
  table('pg_foreign_table', 3118, 'ftrelid:oid ftserver:oid', empty),
  table('pg_user_mappings', FIRST_EDDY_SYSTEM_OID + 7, 'umid:oid srvid:oid srvname:name umuser:oid usename:name', empty),
  table('pg_matviews', FIRST_EDDY_SYSTEM_OID + 4, 'schemaname:name matviewname:name matviewowner:name tablespace:name hasindexes:bool ispopulated:bool definition:text', ({ relations, indexes }) =>
    relations.filter((r) => r.relkind === 'm').map((r) => [r.schema, r.name, OWNER_NAME, null, indexes.some((i) => i.table === r), true, r.viewQuery])),
  table('pg_views', FIRST_EDDY_SYSTEM_OID + 5, 'schemaname:name viewname:name viewowner:name definition:text', ({ relations }) =>
    relations.filter((r) => r.relkind === 'v').map((r) => [r.schema, r.name, OWNER_NAME, r.viewQuery])),
  table('pg_tables', FIRST_EDDY_SYSTEM_OID + 6, 'schemaname:name tablename:name tableowner:name tablespace:name hasindexes:bool hasrules:bool hastriggers:bool rowsecurity:bool', ({ relations, indexes }) =>
    relations.filter((r) => r.relkind === 'r').map((r) => [r.schema, r.name, OWNER_NAME, null, indexes.some((i) => i.table === r), false, false, false])),
  // the statistics collector's view: Eddy counts no scans or tuples, and never vacuums
  table(
    'pg_stat_user_tables', FIRST_EDDY_SYSTEM_OID + 30,
    'relid:oid schemaname:name relname:name seq_scan:int8 seq_tup_read:int8 idx_scan:int8 idx_tup_fetch:int8 n_tup_ins:int8 ' +
      'n_tup_upd:int8 n_tup_del:int8 n_tup_hot_upd:int8 n_live_tup:int8 n_dead_tup:int8 n_mod_since_analyze:int8 n_ins_since_vacuum:int8 ' +
      'last_vacuum:timestamptz last_autovacuum:timestamptz last_analyze:timestamptz last_autoanalyze:timestamptz ' +
      'vacuum_count:int8 autovacuum_count:int8 analyze_count:int8 autoanalyze_count:int8',
    ({ relations, indexes }) =>
      relations.filter((r) => (r.relkind === 'r' || r.relkind === 'm') && r.schema !== 'pg_catalog' && r.schema !== 'information_schema').map((r) => {
        const indexScans = indexes.some((i) => i.table === r) ? 0n : null;
        return [r.oid, r.schema, r.name, 0n, 0n, indexScans, indexScans, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, null, null, null, null, 0n, 0n, 0n, 0n];
      }),
  ),
  table('pg_indexes', FIRST_EDDY_SYSTEM_OID + 20, 'schemaname:name tablename:name indexname:name tablespace:name indexdef:text', indexesViewRows),
];
