/**
 * Pieces of a relation's creating statement as text, for pg_get_viewdef, pg_attrdef and
 * information_schema: Eddy stores definitions as the statements that created them, so the text
 * the user wrote is the most faithful definition there is (PostgreSQL deparses its own tree,
 * which normalizes spelling; we show the user's).
 */
import { parseSync } from 'libpg-query';

/** The query of CREATE [MATERIALIZED] VIEW name [(cols)] AS query: everything after that AS. */
export function viewQueryText(createSql: string): string {
  const match = /\bAS\s+(?=[(]|SELECT\b|WITH\b|VALUES\b|TABLE\b)/i.exec(createSql);
  const query = match ? createSql.slice(match.index + match[0].length) : createSql;
  return query.trim().replace(/;\s*$/, '');
}

/** Parentheses opened minus closed, outside quoted strings and identifiers. */
function parenDepth(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null; // a doubled quote closes and reopens: the same count
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  return depth;
}

/** Drops trailing commas, a statement's ';' and closing parentheses that the text does not open. */
function trimDefault(text: string): string {
  let s = text.trim().replace(/[;,\s]+$/, '');
  while (s.endsWith(')') && parenDepth(s) < 0) s = s.slice(0, -1).trimEnd().replace(/,$/, '').trimEnd();
  return s;
}

/** Each column's DEFAULT expression as written in CREATE TABLE, by column name. */
export function columnDefaultTexts(createSql: string): Map<string, string> {
  const defaults = new Map<string, string>();
  const stmt = parseSync(createSql).stmts[0]?.stmt?.CreateStmt;
  if (!stmt) return defaults;
  const elements: any[] = stmt.tableElts ?? [];
  const elementStart = (e: any): number => e.ColumnDef?.location ?? e.Constraint?.location ?? createSql.length;
  elements.forEach((elt, i) => {
    const def = elt.ColumnDef;
    if (!def) return;
    const constraints: any[] = (def.constraints ?? []).map((c: any) => c.Constraint);
    const next = elements[i + 1];
    constraints.forEach((con, j) => {
      if (con.contype !== 'CONSTR_DEFAULT') return;
      const start = con.location + 'DEFAULT'.length;
      const end = constraints[j + 1]?.location ?? (next ? elementStart(next) : createSql.length);
      defaults.set(def.colname, trimDefault(createSql.slice(start, end)));
    });
  });
  return defaults;
}

/** An identifier as PostgreSQL prints it: quoted unless it is a plain lower-case name. */
export const quoteIdent = (name: string): string => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/** What pg_get_indexdef prints for an index: CREATE [UNIQUE] INDEX name ON schema.table USING method (cols). */
export function indexDefinitionText(index: { name: string; schema: string; table: string; method: string; columns: readonly string[]; unique: boolean }): string {
  const keys = index.columns.map(quoteIdent).join(', ');
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${index.schema}.${quoteIdent(index.table)} USING ${index.method} (${keys})`;
}
