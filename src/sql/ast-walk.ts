/**
 * Small read-only walks over libpg-query parse trees.
 */

/** Calls `visit` on every object node of a parse tree (depth first). */
export function walkAst(node: unknown, visit: (key: string, value: any) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walkAst(item, visit);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (value !== null && typeof value === 'object') {
        visit(key, value);
        walkAst(value, visit);
      }
    }
  }
}

/**
 * The relation names a query reads (RangeVar nodes), without the names its own CTEs define: what
 * a view depends on, for DROP's dependency check.
 */
export function referencedRelations(query: unknown): string[] {
  const names = new Set<string>();
  const cteNames = new Set<string>();
  walkAst(query, (key, value) => {
    if (key === 'RangeVar' && typeof value.relname === 'string') names.add(value.relname);
    if (key === 'CommonTableExpr' && typeof value.ctename === 'string') cteNames.add(value.ctename);
  });
  return [...names].filter((n) => !cteNames.has(n));
}
