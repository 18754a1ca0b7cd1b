/**
 * The real `eddy` command as a child process, for tests that must kill it (SIGKILL is not a
 * clean shutdown) and start it again on the same data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { waitFor } from './wait.js';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  log: string[];
}

/** Runs `eddy` on a free port (with more flags if given) and waits for it to say where it listens. */
export async function launch(dataDir: string, flags: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--data-dir', dataDir, ...flags], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    log.push(...chunk.split('\n').filter(Boolean));
    if (process.env.EDDY_TEST_LOG) process.stderr.write(chunk);
  });
  const port = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`eddy exited with ${child.exitCode}:\n${log.join('\n')}`);
      const line = log.find((l) => /eddy listening on /.test(l));
      return line ? Number(/:(\d+) /.exec(line)![1]) : null;
    },
    { timeoutMs: 60_000, message: 'eddy to listen' },
  );
  return { port, child, log };
}

/** SIGKILL, and wait for the process to be gone. */
export async function kill(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGKILL');
  await exited;
}

export async function connect(server: ServerProcess): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: `postgresql://eddy@127.0.0.1:${server.port}/eddy` });
  // A kill drops this connection mid-session; that is the point, not an error of the test.
  client.on('error', () => {});
  await client.connect();
  return client;
}
