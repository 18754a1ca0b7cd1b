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

export async function startPostgres(): Promise<PostgresHandle> {
  const given = process.env.EDDY_TEST_PG_URL;
  if (given) {
    const port = Number(new URL(given).port || 5432);
    return { url: given, port, stop: async () => {} };
  }
  return startThrowawayCluster();
}

/** The newest installed major version's bin dir: Debian puts each under /usr/lib/postgresql/<major>. */
export function findPostgresBinDir(): string {
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

async function startThrowawayCluster(): Promise<PostgresHandle> {
  const bin = findPostgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'eddy-pg-'));
  const dataDir = join(dir, 'data');
  // PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const pgCmd = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  let started = false;
  const stop = async () => {
    if (started) {
      started = false;
      process.removeListener('exit', stopSync);
      await pgCmd('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that dies without calling stop() must not leave a postmaster behind.
  const stopSync = () => {
    try {
      const argv = ['stop', '-D', dataDir, '-m', 'immediate', '-w'];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...argv], { stdio: 'ignore' });
      else execFileSync(join(bin, 'pg_ctl'), argv, { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // C collation and UTF-8: text ordering by code point, the same rule Eddy uses, so ORDER BY
    // and min/max over text agree between the two.
    await pgCmd('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
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
        '-c max_connections=50',
      ].join(' ');
      try {
        await pgCmd('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', join(dir, 'postgres.log'), '-o', options]);
        started = true;
        process.on('exit', stopSync);
        const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
        await waitUntilAccepting(url);
        return { url, port, stop };
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
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
