/**
 * The fixed object ids of the system catalog. User relations use their catalog ids (which start
 * at PostgreSQL's FirstNormalObjectId, 16384); types use their PostgreSQL OIDs; everything that
 * exists once (the database, the role, the namespaces, access methods, collations) uses the OID
 * it has in a fresh PostgreSQL cluster, so tools that hard-code those (11 = pg_catalog) agree.
 */
export const NAMESPACE = { pg_catalog: 11, public: 2200, information_schema: 13183 } as const;
export type SchemaName = keyof typeof NAMESPACE;

/** The one role (PostgreSQL's bootstrap superuser OID) and the one database. */
export const OWNER_OID = 10;
export const OWNER_NAME = 'eddy';
export const DATABASE_OID = 16383;
export const DATABASE_NAME = 'eddy';

/** Database names and users clients connect with beyond these get ids from here up, in order of arrival. */
export const FIRST_CONNECTED_NAME_OID = 13000;

export const ACCESS_METHOD = { heap: 2, btree: 403, hash: 405 } as const;
export const COLLATION = { default: 100, C: 950, POSIX: 951 } as const;
/** pg_database.encoding for UTF8 (pg_encoding_to_char(6) = 'UTF8'). */
export const UTF8_ENCODING = 6;

/**
 * A primary key is shown as an index (pg_class relkind 'i', pg_index) and a constraint
 * (pg_constraint), which need ids of their own: the table's id plus this offset, far above any
 * id the catalog hands out, so they never collide with a relation's.
 */
export const PRIMARY_KEY_OID_OFFSET = 1 << 30;
/** A view's (and materialized view's) _RETURN rule in pg_rewrite: the view's id + 2^29. */
export const VIEW_RULE_OID_OFFSET = 1 << 29;

/** Ids of system relations in pg_class: PostgreSQL's where it has the relation, else from here up. */
export const FIRST_EDDY_SYSTEM_OID = 12000;
