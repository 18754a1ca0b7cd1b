/**
 * The PostgreSQL oracle for the expression tests: runs a query on a real PostgreSQL 15 and gives
 * back raw text results with their type OIDs, or the SQLSTATE of the error.
 */
import pg from 'pg';
import { startPostgres, type PostgresHandle } from '../support/postgres.js';

export type OracleResult =
  | { ok: true; text: string | null; typeOid: number; typmod: number }
  | { ok: false; code: string; message: string; position?: number };

export interface Oracle {
  /** Runs a one-column, one-row query (parameters in text) and returns its single value as text. */
  value(sql: string, params?: (string | null)[]): Promise<OracleResult>;
  close(): Promise<void>;
}

// Keep every value as PostgreSQL's own text: no client-side parsing.
const rawText = { getTypeParser: () => (text: string) => text };

export async function startOracle(): Promise<Oracle> {
  const server: PostgresHandle = await startPostgres();
  const client = new pg.Client({ connectionString: server.url, types: rawText as never });
  await client.connect();
  await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1");
  return {
    async value(sql, params = []) {
      try {
        const r = await client.query({ text: sql, values: params, rowMode: 'array' });
        return { ok: true, text: (r.rows[0]?.[0] ?? null) as string | null, typeOid: r.fields[0]?.dataTypeID ?? 0, typmod: r.fields[0]?.dataTypeModifier ?? -1 };
      } catch (err) {
        const e = err as { code?: string; message: string; position?: string };
        if (!e.code) throw err;
        return { ok: false, code: e.code, message: e.message, ...(e.position ? { position: Number(e.position) } : {}) };
      }
    },
    async close() {
      await client.end();
      await server.stop();
    },
  };
}
