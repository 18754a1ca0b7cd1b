/**
 * What every driver test shares: one Eddy and one fresh PostgreSQL database holding the same
 * fidelity table, and the environment a driver program reads their addresses from.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEddy, type EddyHandle } from '../support/eddy.js';
import { freshDatabase, startPostgres, type PostgresHandle } from '../support/postgres.js';
import { startRealListener } from '../wire/real-listener.js';
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

/**
 * Two more listeners on a real database for the connection checks: one that takes only
 * SCRAM-SHA-256 with a password, one that requires TLS with a throwaway certificate for
 * "localhost" (as test/wire/auth.test.ts and tls.test.ts start them).
 */
export interface SecureListeners {
  /** postgresql://drv:...@127.0.0.1:port/eddy */
  scramUrl: string;
  /** postgresql://eddy@localhost:port/eddy?sslmode=verify-full&sslrootcert=... */
  tlsUrl: string;
  tlsPort: number;
  certPath: string;
  cert: string;
  stop(): Promise<void>;
}

export const SCRAM_USER = 'drv';
export const SCRAM_PASSWORD = 'pa ss:w@rd';

export async function startSecureListeners(): Promise<SecureListeners> {
  const certDir = mkdtempSync(join(tmpdir(), 'eddy-drivers-tls-'));
  const certPath = join(certDir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(certDir, 'key.pem'), '-out', certPath,
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
  ], { stdio: 'ignore' });
  const cert = readFileSync(certPath, 'utf8');
  const [scram, tls] = await Promise.all([
    startRealListener({ auth: { password: (user) => (user === SCRAM_USER ? SCRAM_PASSWORD : undefined) } }),
    startRealListener({ tls: { key: readFileSync(join(certDir, 'key.pem')), cert, required: true } }),
  ]);
  return {
    scramUrl: `postgresql://${SCRAM_USER}:${encodeURIComponent(SCRAM_PASSWORD)}@127.0.0.1:${scram.port}/eddy`,
    tlsUrl: `postgresql://eddy@localhost:${tls.port}/eddy?sslmode=verify-full&sslrootcert=${encodeURIComponent(certPath)}`,
    tlsPort: tls.port,
    certPath,
    cert,
    async stop() {
      await Promise.all([scram.close(), tls.close()]);
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}
