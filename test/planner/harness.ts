/**
 * Planner test support: an in-memory catalog of real Dataflow input nodes (the planner's
 * RelationResolver), queries parsed by the real PostgreSQL grammar, and helpers that maintain a
 * query as a materialized relation and evaluate it once, so tests can compare both with hand
 * computed results and with each other.
 */
import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { Dataflow, type InputNode } from '../../src/engine/dataflow.js';
import type { Arrangement } from '../../src/engine/arrangement.js';
import type { Row } from '../../src/engine/batch.js';
import { SqlError, SQLSTATE } from '../../src/errors.js';
import type { RelationResolver, ResolvedRelation, TableType } from '../../src/planner/catalog-api.js';
import type { EvalEnv } from '../../src/planner/expr-ir.js';
import { ParamTypes } from '../../src/planner/bind-expr.js';
import { planQuery, type PlannedQuery } from '../../src/planner/plan-query.js';
import { rowKey } from '../../src/types/compare.js';
import type { SqlType, Value } from '../../src/types/types.js';

await loadModule();

export function parseSelect(sql: string): any {
  return parseSync(sql).stmts[0].stmt;
}

export function env(params: Value[] = []): EvalEnv {
  return { params, setting: (name) => (name.toLowerCase() === 'timezone' ? 'UTC' : undefined), now: Date.now() * 1000 };
}

export class TestCatalog implements RelationResolver {
  readonly df = new Dataflow();
  private readonly relations = new Map<string, ResolvedRelation>();
  private cycleTime = 1_000_000;

  table(name: string, columns: [string, SqlType][], tableType: TableType = 'general'): InputNode {
    const node = this.df.input(name, tableType);
    this.relations.set(name, {
      kind: tableType === 'general' ? 'table' : 'source',
      name,
      columns: columns.map(([n, type]) => ({ name: n, type, typmod: -1 })),
      tableType,
      node,
    });
    return node;
  }

  view(name: string, sql: string): void {
    const plan = planQuery(parseSelect(sql), { relations: this, params: new ParamTypes(), settings: { get: () => undefined } });
    this.relations.set(name, { kind: 'view', name, columns: plan.columns, query: parseSelect(sql) });
  }

  resolve(schema: string | null, name: string, location: number): ResolvedRelation {
    const rel = schema === null || schema === 'public' ? this.relations.get(name) : undefined;
    if (!rel) throw new SqlError(SQLSTATE.undefinedTable, `relation "${name}" does not exist`, { position: location + 1 });
    return rel;
  }

  /** Plans `sql`; its parameters' types are inferred. */
  plan(sql: string): PlannedQuery {
    return planQuery(parseSelect(sql), { relations: this, params: new ParamTypes(), settings: { get: () => undefined } });
  }

  /** Plans `sql` as a materialized view on the shared dataflow. */
  maintain(sql: string): { plan: PlannedQuery; arrangement: Arrangement } {
    const plan = this.plan(sql);
    const node = plan.build(this.df, env());
    return { plan, arrangement: this.df.materialize(node) };
  }

  /** Runs an update cycle, one second after the last unless a time (ms since the epoch) is given. */
  cycle(atMs = this.cycleTime + 1000): void {
    this.cycleTime = atMs;
    this.df.runCycle(this.cycleTime);
  }

  /** Evaluates `sql` once over the relations' current contents. */
  read(sql: string, params: Value[] = []): Row[] {
    return this.plan(sql).read(env(params));
  }
}

/** Rows as sorted printable keys: multiset equality regardless of order. */
export function bag(rows: Row[]): string[] {
  return rows.map((r) => rowKey(r)).sort();
}

export function assertSameRows(actual: Row[], expected: Row[], message?: string): void {
  assert.deepEqual(bag(actual), bag(expected), message);
}

export function assertSqlError(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof SqlError, `expected SqlError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}
