/**
 * Runs Eddy as its own process for benchmarks, as users run it: a server sharing the
 * benchmark's event loop with its client would measure the client's work as the server's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from './proc.js';

export interface EddyProcess {
  port: number;
  url: string;
  /** The server's resident memory in MiB (from /proc), for memory figures. */
  rssMiB(): number;
  /** CPU time the server has used so far, user + system, in seconds (from /proc). */
  cpuSeconds(): number;
  /**
   * The server's heap after its last full collection, in MiB, as bench/memory-sampler.ts
   * reported it (started with `sampleMemory`); NaN before the first report or without it.
   */
  heapMiB(): number;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

const SAMPLER = fileURLToPath(new URL('./memory-sampler.ts', import.meta.url));

export interface EddyProcessOptions {
  /** Load bench/memory-sampler.ts, with --expose-gc, and report its samples through heapMiB(). */
  sampleMemory?: boolean;
}

/** Starts the server; `extraArgs` are more command-line options (e.g. --max-connections). */
export async function startEddyProcess(extraArgs: string[] = [], options: EddyProcessOptions = {}): Promise<EddyProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-bench-'));
  const nodeArgs = options.sampleMemory ? ['--expose-gc', '--import', 'tsx', '--import', SAMPLER] : ['--import', 'tsx'];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, CLI, '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let heap = NaN;
  const port = await new Promise<number>((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      const text = d.toString();
      for (const m of text.matchAll(/eddy-bench-memory heap=(\d+)/g)) heap = Number(m[1]) / 2 ** 20;
      if (log.length < 1 << 16) log += text;
      const m = /eddy listening on [^:]+:(\d+)/.exec(log);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`eddy exited (${code}) before listening:\n${log}`)));
  });
  return {
    port,
    url: `postgresql://eddy@127.0.0.1:${port}/eddy`,
    rssMiB: () => residentMiB(child.pid!),
    cpuSeconds: () => cpuSeconds(child.pid!),
    heapMiB: () => heap,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function residentMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
