/**
 * What a query's parse tree needs before binding so that clients' catalog queries run on Eddy:
 * object-name literals ('pg_class'::regclass) become oids, and in queries that read the system
 * catalog, array constructs over its (NULL) array columns become their known values and the expansion of
 * index keys by information_schema._pg_expandarray becomes a join; and in every query,
 * the array-free forms of constructs over current_schemas() replace them. In queries over system
 * tables, a system table's tableoid, and pgAdmin's (SELECT oid FROM pg_class WHERE relname = 'pg_x'),
 * become its oid. The tree is
 * copied where it changes (parsed statements are reused by prepared statements).
 */
import { CatalogArrays, readsCatalog, type IsCatalogRelation } from './catalog-arrays.js';
import { currentSchemasConstruct } from './current-schemas.js';
import { compositeColumns, compositeElement, expandArrays } from './expand-array.js';
import { objectNameLiteral, systemTableOidSubquery, type ObjectNames } from './object-name-literals.js';
import { tableOidReferences } from './table-oid.js';

export interface CatalogNames extends ObjectNames {
  isSystemTable: IsCatalogRelation;
  /** A system table whose rows are always empty in Eddy (pg_policy, pg_auth_members ...). */
  isAlwaysEmptyTable: IsCatalogRelation;
}

export function rewriteForCatalog(query: any, catalog: CatalogNames): any {
  const readsCatalogTables = readsCatalog(query, (schema, name) => catalog.isSystemTable(schema, name));
  const arrays = new CatalogArrays((schema, name) => catalog.isAlwaysEmptyTable(schema, name));
  const composites = readsCatalogTables ? compositeColumns(query) : new Set<string>();
  const rewrite = (node: any): any => {
    if (Array.isArray(node)) {
      const items = node.map(rewrite);
      return items.some((x, i) => x !== node[i]) ? items : node;
    }
    if (node === null || typeof node !== 'object') return node;
    const schemasFree = currentSchemasConstruct(node);
    if (schemasFree !== undefined) return rewrite(schemasFree);
    const replaced =
      (readsCatalogTables ? (compositeElement(node, composites) ?? arrays.replacement(node) ?? systemTableOidSubquery(node, catalog)) : undefined) ??
      objectNameLiteral(node, catalog);
    if (replaced !== undefined) return replaced;
    // a SELECT may have its index keys expanded; its parts are rewritten all the same
    const expanded: any = (readsCatalogTables ? expandArrays(node) : undefined) ?? node;
    // and a system table's tableoid is its oid
    const source: any = (readsCatalogTables ? tableOidReferences(expanded, catalog) : undefined) ?? expanded;
    let copy: any = source;
    for (const [key, value] of Object.entries(source)) {
      const next = rewrite(value);
      if (next !== value) {
        if (copy === source) copy = { ...source };
        copy[key] = next;
      }
    }
    return copy;
  };
  return rewrite(query);
}
