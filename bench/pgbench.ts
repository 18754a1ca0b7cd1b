/**
 * pgbench's built-in select-only transaction (`pgbench -S`: one `SELECT abalance FROM
 * pgbench_accounts WHERE aid = :aid` with a random aid) against Eddy and against a local
 * PostgreSQL in the same run, with pgbench's three query modes: simple (the aid inlined in the
 * text), extended (unnamed statements with a parameter) and prepared (named statements). The
 * tables are created with plain SQL on both (pgbench -i uses COPY FREEZE and VACUUM, which Eddy
 * does not have), at scale 1 (100,000 accounts). Prints transactions/s and Eddy's ratio to
 * PostgreSQL per mode. pgbench comes with Debian's postgresql package.
 *
 *   npm run bench -- pgbench [seconds=10] [clients=4]
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { startEddyProcess } from './eddy-process.js';
import { startPostgres } from '../test/support/postgres.js';

const SECONDS = Number(process.argv[2] ?? 10);
const CLIENTS = Number(process.argv[3] ?? 4);
const ACCOUNTS = 100_000;
const MODES = ['simple', 'extended', 'prepared'] as const;

const SCHEMA = [
  'DROP TABLE IF EXISTS pgbench_history, pgbench_accounts, pgbench_tellers, pgbench_branches',
  'CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88))',
  'CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler char(84))',
  'CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))',
  'CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))',
  "INSERT INTO pgbench_branches VALUES (1, 0, '')",
  "INSERT INTO pgbench_tellers SELECT g, 1, 0, '' FROM generate_series(1, 10) g",
  `INSERT INTO pgbench_accounts SELECT g, 1, 0, '' FROM generate_series(1, ${ACCOUNTS}) g`,
];

async function load(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const sql of SCHEMA) await c.query(sql);
  } finally {
    await c.end();
  }
}

/** pgbench's tps (without connection time) for one mode. */
function pgbench(url: string, mode: string): number {
  const u = new URL(url);
  const run = spawnSync(
    'pgbench',
    ['-h', u.hostname, '-p', u.port, '-U', decodeURIComponent(u.username), '-n', '-S', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), '-M', mode, u.pathname.slice(1)],
    { encoding: 'utf8' },
  );
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout);
  if (run.status !== 0 || !m) throw new Error(`pgbench -M ${mode} against ${url} failed:\n${run.stdout}\n${run.stderr}`);
  return Number(m[1]);
}

const eddy = await startEddyProcess();
const postgres = await startPostgres();
try {
  await load(eddy.url);
  await load(postgres.url);
  console.log(`pgbench -S, scale 1 (${ACCOUNTS} accounts), ${CLIENTS} clients, ${SECONDS} s per run`);
  console.log(`${'mode'.padEnd(10)} ${'eddy tps'.padStart(10)} ${'postgres tps'.padStart(13)} ${'ratio'.padStart(7)}`);
  for (const mode of MODES) {
    const e = pgbench(eddy.url, mode);
    const p = pgbench(postgres.url, mode);
    console.log(`${mode.padEnd(10)} ${e.toFixed(0).padStart(10)} ${p.toFixed(0).padStart(13)} ${(e / p).toFixed(2).padStart(7)}`);
  }
} finally {
  await eddy.stop();
  await postgres.stop();
}
