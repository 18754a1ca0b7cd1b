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
 *
 * Simple-protocol texts that inline their values (pgbench -S sends `... WHERE aid = 4711` with a
 * new number each time) share a plan too: their literals are found without parsing
 * (literal-scan.ts), the first text of a shape is parsed and its value literals made parameters
 * (literal-lift.ts), and every later text of that shape runs that parameterized statement with
 * its own values.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Statement } from './parse.js';
import type { Prepared } from './prepared.js';
import { scanLiterals, type LiteralClass, type ScannedLiteral } from './literal-scan.js';
import { liftLiterals } from './literal-lift.js';

/** How many distinct texts a session keeps (least recently used go first). */
const TEXTS_KEPT = 128;

const REUSABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

/**
 * A simple-protocol statement whose value literals became parameters: `ast` is the shared
 * parameterized statement's; run it with `values` (the literals' texts, in parameter order).
 */
export interface LiftedStatement extends Statement {
  readonly lifted: {
    readonly statement: Statement;
    /** Parameter types: the literal's own for numbers, 0 (inferred, as for a literal) for strings. */
    readonly paramTypeOids: number[];
    readonly values: string[];
    /** Offsets of the literals in `sql`, for the position of an error in one. */
    readonly starts: number[];
    /** Called when the parameterized statement cannot be planned: this shape goes the plain way. */
    refuse(): void;
  };
}

/** What every text of one shape shares. */
interface Shape {
  statement: Statement;
  literalIndexes: number[];
  paramTypeOids: number[];
  /**
   * The first text's value of each literal left as it is (undefined where lifted): a text of this
   * shape must have the same there.
   */
  fixed: (string | undefined)[];
}

const PARAM_TYPE: Record<LiteralClass, number> = { int4: 23, int8: 20, numeric: 1700, string: 0 };

interface CachedPlan {
  prepared: Prepared;
  /** The catalog and settings versions it was planned under. */
  version: string;
}

export class StatementCache {
  private readonly texts = new Map<string, Statement[]>();
  private readonly plans = new WeakMap<Statement, Map<string, CachedPlan>>();
  /** Simple-protocol shapes by their scan key; null for shapes that have nothing to lift. */
  private readonly shapes = new Map<string, Shape | null>();

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
    remember(this.texts, sql, statements);
    return statements;
  }

  /**
   * A simple-protocol text as one statement with its value literals lifted, or null when it is
   * not one statement, has none, or its plan must be made for its own text.
   */
  lifted(sql: string, parse: (sql: string) => Statement[]): LiftedStatement | null {
    const scanned = scanLiterals(sql);
    if (scanned === null || scanned.literals.length === 0) return null;
    const cached = this.shapes.get(scanned.key);
    const shape = cached === undefined ? this.shapeOf(sql, parse, scanned.literals) : cached;
    this.shapes.delete(scanned.key);
    remember(this.shapes, scanned.key, shape);
    if (shape === null) return null;
    const { literals } = scanned;
    if (literals.some((l, i) => shape.fixed[i] !== undefined && l.value !== shape.fixed[i])) {
      // ORDER BY 2 where the shape's first text had ORDER BY 1: another statement
      this.shapes.delete(scanned.key);
      return null;
    }
    const { statement } = shape;
    return {
      sql,
      offset: statement.offset,
      ast: statement.ast,
      lifted: {
        statement,
        paramTypeOids: shape.paramTypeOids,
        values: shape.literalIndexes.map((i) => literals[i]!.value),
        starts: shape.literalIndexes.map((i) => literals[i]!.start),
        refuse: () => this.shapes.set(scanned.key, null),
      },
    };
  }

  private shapeOf(sql: string, parse: (sql: string) => Statement[], literals: ScannedLiteral[]): Shape | null {
    const statements = this.parse(sql, parse);
    const only = statements.length === 1 ? statements[0]! : undefined;
    if (!only || !REUSABLE.has(Object.keys(only.ast)[0] ?? '')) return null;
    const lifted = liftLiterals(only.ast, only.offset, literals);
    if (!lifted) return null;
    const fixed: (string | undefined)[] = literals.map((l) => l.value);
    for (const i of lifted.literalIndexes) fixed[i] = undefined;
    return {
      statement: { sql, offset: only.offset, ast: lifted.ast },
      literalIndexes: lifted.literalIndexes,
      paramTypeOids: lifted.literalIndexes.map((i) => PARAM_TYPE[literals[i]!.cls]),
      fixed,
    };
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

/** Adds an entry to a cache of TEXTS_KEPT entries, dropping the least recently used. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.set(key, value);
  if (cache.size > TEXTS_KEPT) cache.delete(cache.keys().next().value!);
}

function checkSameShape(before: Prepared, after: Prepared): void {
  const columns = (p: Prepared) => JSON.stringify(p.columns?.map((c) => [c.name, c.typeOid, c.typmod]) ?? null);
  if (columns(before) !== columns(after) || before.paramTypes.join(',') !== after.paramTypes.join(',')) {
    throw new SqlError(SQLSTATE.featureNotSupported, 'cached plan must not change result type');
  }
}
