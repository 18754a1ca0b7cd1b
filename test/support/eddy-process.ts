/**
 * The real `eddy` command as a child process, for tests that must kill it (SIGKILL is not a
 * clean shutdown) and start it again on the same data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

export interface LaunchOptions {
  /** RLIMIT_FSIZE in 1 KiB blocks: a bigger file cannot be written (EFBIG), as on a full disk. */
  fileSizeLimitKb?: number;
  /** Run as this user (and group): a root test's way to have permissions apply. */
  uid?: number;
  /** Flags for node itself (--max-old-space-size=...). */
  nodeFlags?: string[];
}

/** The command line that runs `eddy` with these arguments (under a file-size limit if asked). */
function eddyCommand(args: string[], opts: LaunchOptions): [string, string[]] {
  const node = [process.execPath, ...(opts.nodeFlags ?? []), '--import', 'tsx', 'src/cli.ts', ...args];
  if (opts.fileSizeLimitKb === undefined) return [node[0]!, node.slice(1)];
  // SIGXFSZ ignored, so a write past the limit fails with EFBIG instead of killing the process.
  return ['bash', ['-c', `trap '' XFSZ; ulimit -f ${opts.fileSizeLimitKb}; exec "$0" "$@"`, ...node]];
}

const asUser = (opts: LaunchOptions) => (opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid });

/** Runs `eddy` on a free port (with more flags if given) and waits for it to say where it listens. */
export async function launch(dataDir: string, flags: string[] = [], opts: LaunchOptions = {}): Promise<ServerProcess> {
  const [command, args] = eddyCommand(['--port', '0', '--data-dir', dataDir, ...flags], opts);
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    ...asUser(opts),
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

/** Runs `eddy` that is expected to refuse to start: its exit code and what it wrote. */
export function runToExit(dataDir: string, flags: string[] = [], opts: LaunchOptions = {}): Promise<{ code: number | null; stderr: string }> {
  const [command, args] = eddyCommand(['--port', '0', '--data-dir', dataDir, ...flags], opts);
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], ...asUser(opts) });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, stderr })));
}

/** A process's resident memory in MiB, from /proc. */
export function residentMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
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
