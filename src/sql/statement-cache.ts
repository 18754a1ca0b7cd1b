/**
 * A session's recently parsed SQL texts and the plans prepared from them. Drivers send most
 * queries as unnamed statements (node pg and pgjdbc with parameters, psycopg, psql's simple
 * queries), so the same text would be parsed and planned again at every execution: under the
 * 200-session load test (test/faults/load) parsing and planning took a fifth of the server's CPU.
 *
 * Parse trees are never changed once made (rewrites copy), so a text's statements are reused as
 * they are. A plan is reused only while nothing it was made against has changed: no DDL anywhere
 * (the database's catalogVersion) and no SET in the session (its settings' version), for the same
 * parameter types; a prepared statement run after such a change is planned again. Only queries
 * and DML are reused, the statements a named prepared statement runs again and again anyway: the
 * others do their work when prepared or depend on state beyond the catalog and the settings
 * (transaction control, cursors, COPY, SET, DDL).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Statement } from './parse.js';
import type { Prepared } from './prepared.js';

/** How many distinct texts a session keeps (least recently used go first). */
const TEXTS_KEPT = 128;

const REUSABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

interface CachedPlan {
  prepared: Prepared;
  /** The catalog and settings versions it was planned under. */
  version: string;
}

export class StatementCache {
  private readonly texts = new Map<string, Statement[]>();
  private readonly plans = new WeakMap<Statement, Map<string, CachedPlan>>();

  /** The statements of `sql`, parsed by `parse` unless the text was parsed lately. */
  parse(sql: string, parse: (sql: string) => Statement[]): Statement[] {
    const cached = this.texts.get(sql);
    if (cached) {
      // Map order is insertion order: moving the text to the end keeps the oldest first.
      this.texts.delete(sql);
      this.texts.set(sql, cached);
      return cached;
    }
    const statements = parse(sql);
    this.texts.set(sql, statements);
    if (this.texts.size > TEXTS_KEPT) this.texts.delete(this.texts.keys().next().value!);
    return statements;
  }

  /**
   * The plan `prepare` makes for the statement, reused while `version()` (catalog and settings)
   * stays the same. A statement prepared once and run later (a named prepared statement, a portal)
   * is planned again at run time if DDL or SET came between, as PostgreSQL re-plans one whose
   * objects changed; a new plan with other result columns or parameter types is refused with
   * PostgreSQL's 0A000, since the client was told the old ones.
   */
  prepared(statement: Statement, paramTypeOids: number[], version: () => string, prepare: () => Prepared): Prepared {
    const kind = Object.keys(statement.ast)[0];
    if (kind === undefined || !REUSABLE.has(kind)) return prepare();
    const key = paramTypeOids.join(',');
    const first = this.current(statement, key, version(), prepare);
    return {
      statement,
      paramTypes: first.paramTypes,
      columns: first.columns,
      endsTransaction: first.endsTransaction,
      run: (params) => {
        const now = this.current(statement, key, version(), prepare);
        if (now !== first) checkSameShape(first, now);
        return now.run(params);
      },
    };
  }

  /** The statement's plan for these parameter types under `version`, made now if there is none. */
  private current(statement: Statement, key: string, version: string, prepare: () => Prepared): Prepared {
    let byParams = this.plans.get(statement);
    if (!byParams) this.plans.set(statement, (byParams = new Map()));
    const cached = byParams.get(key);
    if (cached && cached.version === version) return cached.prepared;
    const prepared = prepare();
    byParams.set(key, { prepared, version });
    return prepared;
  }
}

function checkSameShape(before: Prepared, after: Prepared): void {
  const columns = (p: Prepared) => JSON.stringify(p.columns?.map((c) => [c.name, c.typeOid, c.typmod]) ?? null);
  if (columns(before) !== columns(after) || before.paramTypes.join(',') !== after.paramTypes.join(',')) {
    throw new SqlError(SQLSTATE.featureNotSupported, 'cached plan must not change result type');
  }
}
