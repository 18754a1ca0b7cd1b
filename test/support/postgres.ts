/**
 * A real PostgreSQL for tests: the oracle of the differential suite and a reference for
 * wire-level behaviour. Either the server named by EDDY_TEST_PG_URL (scripts/test.sh starts one
 * for the whole run so each test file need not pay for initdb), or a throwaway cluster of the
 * machine's Debian PostgreSQL started here and removed by stop().
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface PostgresCluster extends PostgresHandle {
  /** The temp dir holding the cluster (data/, the log, the unix socket); stop() removes it. */
  dir: string;
}

export async function startPostgres(): Promise<PostgresHandle> {
  const given = process.env.EDDY_TEST_PG_URL;
  if (given) {
    const port = Number(new URL(given).port || 5432);
    return { url: given, port, stop: async () => {} };
  }
  return startPostgresCluster({ stopOnExit: true });
}

/** The newest installed major version's bin dir: Debian puts each under /usr/lib/postgresql/<major>. */
function findPostgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`no PostgreSQL server found under ${root}: apt-get install postgresql`);
  }
  return join(root, versions[0], 'bin');
}

// PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
const asRoot = () => process.getuid?.() === 0;

function pgArgv(tool: string, args: string[]): [string, string[]] {
  const path = join(findPostgresBinDir(), tool);
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

const stopArgs = (dir: string) => ['stop', '-D', join(dir, 'data'), '-m', 'immediate', '-w'];

/**
 * initdb + pg_ctl start in a fresh temp dir. With `stopOnExit` the cluster goes away with this
 * process even if stop() is never called; scripts/postgres.ts turns it off so the cluster
 * outlives the script that started it.
 */
export async function startPostgresCluster(opts: { stopOnExit: boolean }): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-pg-'));
  const dataDir = join(dir, 'data');
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const pgTool = (tool: string, args: string[]) => run(...pgArgv(tool, args));
  const stopOnExit = () => stopPostgresClusterSync(dir);
  // Interrupted or timed out (the test runner sends SIGTERM), the process never reaches 'exit'
  // handlers: stop the cluster, then die of the same signal as if nobody had listened.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    stopPostgresClusterSync(dir);
    process.kill(process.pid, signal);
  };
  const listen = () => {
    process.on('exit', stopOnExit);
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
  };
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    await pgTool('pg_ctl', stopArgs(dir)).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // C collation: text orders by code point, the rule Eddy uses, so ORDER BY and min/max over
    // text agree. C.UTF-8 character classes: upper()/lower() map all of Unicode, as Eddy does.
    const ctype = existsSync('/usr/lib/locale/C.utf8') ? 'C.UTF-8' : 'C';
    await pgTool('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--lc-collate=C', `--lc-ctype=${ctype}`, '--no-sync']);
    // Another process may grab a probed port before postgres binds it: try a few.
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${dir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c TimeZone=UTC',
        '-c max_connections=200',
      ].join(' ');
      try {
        await pgTool('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', join(dir, 'postgres.log'), '-o', options]);
        if (opts.stopOnExit) listen();
        const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
        await waitUntilAccepting(url);
        return { url, port, dir, stop };
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Synchronous so it can run in an 'exit' handler; a cluster already stopped is fine. */
export function stopPostgresClusterSync(dir: string): void {
  try {
    execFileSync(...pgArgv('pg_ctl', stopArgs(dir)), { stdio: 'ignore' });
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAccepting(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * A new, empty database on the server at `serverUrl`, so test files sharing one server (as under
 * npm test) never see each other's tables; drop() removes it.
 */
export async function freshDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
