/**
 * Turns a query string into parsed statements: our splitter finds the statements, Eddy's own
 * statements are recognised by eddy-grammar.ts, everything else goes to PostgreSQL's real
 * grammar (libpg-query). Syntax errors carry their position in the whole query string.
 */
import { loadModule, parseSync } from 'libpg-query';
import { SqlError, SQLSTATE } from '../errors.js';
import type { ParsedStatement } from '../wire/session-api.js';
import { splitStatements } from './split.js';
import { parseEddyStatement } from './eddy-grammar.js';

await loadModule();

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

/** Parses one PostgreSQL statement; `offset` places error positions in the whole query. */
export function parsePostgres(sql: string, offset: number): { [kind: string]: any } {
  let result: { stmts: { stmt: { [kind: string]: any } }[] };
  try {
    result = parseSync(sql);
  } catch (err) {
    const e = err as { message?: string; sqlDetails?: { cursorPosition?: number }; cursorPosition?: number };
    const cursor = e.sqlDetails?.cursorPosition ?? e.cursorPosition;
    throw new SqlError(SQLSTATE.syntaxError, e.message ?? 'syntax error', {
      position: cursor !== undefined ? offset + cursor + 1 : undefined,
    });
  }
  if (result.stmts.length !== 1) {
    throw new SqlError(SQLSTATE.syntaxError, 'expected exactly one statement');
  }
  return result.stmts[0]!.stmt;
}
