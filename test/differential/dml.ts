/**
 * Random DML for the differential suite: the statements of one round, as SQL text that both
 * servers run verbatim. Table sizes hover around each table's target so views neither starve
 * nor grow without bound.
 */
import type { Prng } from './prng.js';
import { TABLES, type KeySets, type TableSpec } from './schema.js';

/** Keys handed out so far, so inserts never collide; deleted keys are sometimes reused. */
export class KeyAllocator {
  private next = new Map<string, number>();

  constructor(keys: KeySets) {
    for (const t of TABLES) this.next.set(t.name, Math.max(0, ...keys[t.name]) + 1);
  }

  fresh(table: TableSpec, rng: Prng, present: number[]): number {
    const next = this.next.get(table.name)!;
    // Reinserting a key that was deleted checks that a view forgets the old row for good.
    if (next > 1 && rng.chance(0.2)) {
      const candidate = rng.int(1, next - 1);
      if (!present.includes(candidate)) return candidate;
    }
    this.next.set(table.name, next + 1);
    return next;
  }
}

/**
 * A statement for both servers. Some INSERTs also come with a parameterized form ($n and values
 * in text format, types left to the server to infer), which is what drivers send through the
 * extended protocol; the plain text is what a failure report shows and a batched round sends.
 */
export interface DmlStatement {
  sql: string;
  params?: { text: string; values: (string | null)[] };
}

function insertStatement(table: TableSpec, rows: string[][]): string {
  return `INSERT INTO ${table.name} VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}`;
}

/** The value a literal of schema.ts stands for, as a text-format parameter. */
function literalValue(literal: string): string | null {
  if (literal === 'NULL') return null;
  if (literal.startsWith("'")) return literal.slice(1, -1).replace(/''/g, "'");
  return literal;
}

function parameterizedInsert(table: TableSpec, rows: string[][]): DmlStatement['params'] {
  let n = 0;
  const text = `INSERT INTO ${table.name} VALUES ${rows.map((r) => `(${r.map(() => `$${++n}`).join(', ')})`).join(', ')}`;
  return { text, values: rows.flat().map(literalValue) };
}

export const describeStatement = (s: DmlStatement) =>
  s.params ? `${s.params.text} -- with ${JSON.stringify(s.params.values)}` : s.sql;

/** The initial contents: each table filled to its target size, in a few multi-row INSERTs. */
export function initialLoad(rng: Prng): string[] {
  const keys: KeySets = { customers: [], products: [], orders: [], line_items: [] };
  const statements: string[] = [];
  for (const table of TABLES) {
    const rows = Array.from({ length: table.targetRows }, (_, i) => table.row(rng, i + 1, keys));
    keys[table.name] = rows.map((_, i) => i + 1);
    for (let i = 0; i < rows.length; i += 20) statements.push(insertStatement(table, rows.slice(i, i + 20)));
  }
  return statements;
}

/** One round: a handful of INSERT / UPDATE / DELETE statements over random tables. */
export function roundStatements(rng: Prng, keys: KeySets, allocator: KeyAllocator): DmlStatement[] {
  const count = rng.int(5, 14);
  const statements: DmlStatement[] = [];
  // Keys inserted or deleted earlier in this round, so later statements of it stay valid.
  const present: KeySets = {
    customers: [...keys.customers],
    products: [...keys.products],
    orders: [...keys.orders],
    line_items: [...keys.line_items],
  };
  for (let i = 0; i < count; i++) {
    const table = rng.pick([...TABLES, TABLES[2], TABLES[3], TABLES[3]]);
    const ids = present[table.name];
    const fill = ids.length / table.targetRows;
    const insertP = fill < 0.7 ? 0.7 : fill > 1.3 ? 0.15 : 0.4;
    const deleteP = fill > 1.3 ? 0.5 : fill < 0.7 ? 0.05 : 0.25;
    const roll = rng.next();
    const someKey = () => (ids.length > 0 ? rng.pick(ids) : 1);
    if (roll < insertP) {
      const rows = Array.from({ length: rng.int(1, 3) }, () => {
        const id = allocator.fresh(table, rng, ids);
        ids.push(id);
        return table.row(rng, id, present);
      });
      const sql = insertStatement(table, rows);
      statements.push(rng.chance(0.3) ? { sql, params: parameterizedInsert(table, rows) } : { sql });
    } else if (roll < insertP + deleteP) {
      if (rng.chance(0.03)) {
        // Emptying a table drives every view above it through its empty state.
        statements.push({ sql: `DELETE FROM ${table.name}` });
        present[table.name] = [];
      } else if (rng.chance(0.6)) {
        const id = someKey();
        statements.push({ sql: `DELETE FROM ${table.name} WHERE id = ${id}` });
        present[table.name] = ids.filter((k) => k !== id);
      } else {
        // Which rows a predicate removes is not tracked here; keys are re-read after the round.
        statements.push({ sql: `DELETE FROM ${table.name} WHERE ${table.predicate(rng, present)}` });
      }
    } else if (rng.chance(0.04)) {
      // A key change is a delete plus an insert to every view downstream.
      const from = someKey();
      const to = allocator.fresh(table, rng, ids);
      statements.push({ sql: `UPDATE ${table.name} SET id = ${to} WHERE id = ${from}` });
      present[table.name] = ids.map((k) => (k === from ? to : k));
    } else if (rng.chance(0.03)) {
      // Every row at once: one cycle retracts and re-adds a whole table.
      statements.push({ sql: `UPDATE ${table.name} SET ${table.assignment(rng, present)}` });
    } else if (rng.chance(0.5)) {
      statements.push({ sql: `UPDATE ${table.name} SET ${table.assignment(rng, present)} WHERE id = ${someKey()}` });
    } else {
      statements.push({ sql: `UPDATE ${table.name} SET ${table.assignment(rng, present)} WHERE ${table.predicate(rng, present)}` });
    }
  }
  return statements;
}
