// Background processes that outlive the command that started them, found again through pid
// files. A pid alone can be reused by an unrelated process after a crash, so a pid only counts
// when that process's command line still contains the daemon's marker (a path unique to it).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { waitUntil } from './wait-until.js';

export interface Daemon {
  /** Human-readable name for messages ("kafka", "schema registry"). */
  name: string;
  pidFile: string;
  logFile: string;
  /** A string that appears in the process's command line and in no other process's. */
  marker: string;
}

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/** The daemon's pid if it is running, else undefined (and a stale pid file is removed). */
export function runningPid(daemon: Daemon): number | undefined {
  if (!existsSync(daemon.pidFile)) return undefined;
  const pid = Number(readFileSync(daemon.pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && commandLineOf(pid)?.includes(daemon.marker)) return pid;
  rmSync(daemon.pidFile, { force: true });
  return undefined;
}

/** Starts the command detached, its output appended to the daemon's log file. */
export function spawnDaemon(
  daemon: Daemon,
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): number {
  const log = openSync(daemon.logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    // A command that cannot be spawned has no pid and emits 'error' later; the throw below
    // reports it, and without a listener that event would crash this process.
    child.on('error', () => {});
    if (child.pid === undefined) throw new Error(`could not start ${daemon.name} (${command})`);
    child.unref();
    writeFileSync(daemon.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the daemon with SIGTERM (Kafka shuts down cleanly on it), escalating to SIGKILL when it
 * does not exit in time. Returns false when it was not running.
 */
export async function stopDaemon(daemon: Daemon, timeoutMs: number): Promise<boolean> {
  const pid = runningPid(daemon);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  try {
    await waitUntil(() => !isAlive(pid), { timeoutMs, what: `stopping ${daemon.name}` });
  } catch {
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !isAlive(pid), { timeoutMs: 5000, what: `killing ${daemon.name}` });
  }
  rmSync(daemon.pidFile, { force: true });
  return true;
}

/**
 * The last lines of the daemon's log, for error messages when it fails to start. Java stack
 * frames are left out: the exception lines ("Caused by: ...") say what went wrong.
 */
export function logTail(daemon: Daemon, lines = 20): string {
  if (!existsSync(daemon.logFile)) return '(no log)';
  const meaningful = readFileSync(daemon.logFile, 'utf8')
    .split('\n')
    .filter((line) => !/^\s+(at |\.\.\. \d+ more)/.test(line));
  return meaningful.slice(-lines).join('\n');
}
