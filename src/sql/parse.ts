/**
 * Turns a query string into parsed statements: our splitter finds the statements, Eddy's own
 * statements are recognised by eddy-grammar.ts, everything else goes to PostgreSQL's real
 * grammar (libpg-query). Syntax errors carry their position in the whole query string.
 */
import type { ParsedStatement } from '../wire/session-api.js';
import { splitStatements } from './split.js';
import { parseEddyStatement } from './eddy-grammar.js';
import { parsePostgres } from './grammar/postgres.js';

export interface Statement extends ParsedStatement {
  /** The statement's node: one of libpg-query's (e.g. { SelectStmt: {...} }) or Eddy's own. */
  readonly ast: Record<string, any>;
}

export function parseQuery(query: string): Statement[] {
  return splitStatements(query).map(({ sql, offset }) => {
    const eddy = parseEddyStatement(sql, offset);
    if (eddy) return { sql, offset, ast: eddy };
    return { sql, offset, ast: parsePostgres(sql, offset) };
  });
}
