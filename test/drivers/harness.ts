/**
 * What every driver test shares: one Eddy and one fresh PostgreSQL database holding the same
 * fidelity table, and the environment a driver program reads their addresses from.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { freshDatabase, startPostgres, type PostgresHandle } from '../support/postgres.js';
import { FIDELITY_COLUMNS, FIDELITY_DDL, FIDELITY_ROW_COUNT, FIDELITY_ROWS } from './fidelity.js';

export interface DriverSides {
  eddy: EddyHandle;
  pgUrl: string;
  /** EDDY_URL, PG_URL and FIDELITY_COLUMNS for a driver program. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSides(prefix: string): Promise<DriverSides> {
  const [eddy, server]: [EddyHandle, PostgresHandle] = await Promise.all([startEddy(), startPostgres()]);
  const database = await freshDatabase(server.url, prefix);
  const oracle = new pg.Client({ connectionString: database.url });
  await oracle.connect();
  const e = await eddy.client();
  for (const sql of [FIDELITY_DDL, FIDELITY_ROWS]) {
    await oracle.query(sql);
    await e.query(sql);
  }
  await oracle.end();
  return {
    eddy,
    pgUrl: database.url,
    env: { EDDY_URL: eddy.url, PG_URL: database.url, FIDELITY_COLUMNS: FIDELITY_COLUMNS.join(',') },
    async stop() {
      await eddy.stop();
      await database.drop();
      await server.stop();
    },
  };
}

/** A fidelity check's result: every column read alike on both sides, and nothing vacuous. */
export function assertFaithful(result: { compared: number; mismatches: unknown[] }, minimumValues: number): void {
  assert.equal(result.mismatches.length, 0, `columns read differently from Eddy and PostgreSQL:\n${result.mismatches.map((m) => JSON.stringify(m)).join('\n')}`);
  assert.ok(result.compared >= minimumValues, `only ${result.compared} values compared, expected at least ${minimumValues}`);
}

/** Values the fidelity table holds: a driver that refuses none of them compares all. */
export const FIDELITY_VALUES = FIDELITY_COLUMNS.length * FIDELITY_ROW_COUNT;
