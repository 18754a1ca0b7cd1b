/**
 * PostgreSQL's real grammar (libpg-query) for one statement, with syntax errors placed in the
 * whole query string. Eddy's own grammars use it for the parts of their statements that are
 * PostgreSQL's (a SUBSCRIBE's query, COPY's and DECLARE's options).
 */
import { loadModule, parseSync } from 'libpg-query';
import { SqlError, SQLSTATE } from '../../errors.js';

await loadModule();

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
