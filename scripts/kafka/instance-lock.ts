// Serializes start/stop of one instance across processes: node's test runner runs test files in
// parallel, and each may call `kafka start` at the same moment. Without the lock two brokers
// would race for the same port and data directory.
import { openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { waitUntil } from './wait-until.js';

function holderIsAlive(lockFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile, 'utf8').trim());
  } catch {
    return false; // released between our attempt and this read
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tryAcquire(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A holder that died (killed test run) must not block every later start.
    if (!holderIsAlive(lockFile)) rmSync(lockFile, { force: true });
    return false;
  }
}

export async function withInstanceLock<T>(lockFile: string, timeoutMs: number, body: () => Promise<T>): Promise<T> {
  await waitUntil(() => tryAcquire(lockFile), { timeoutMs, intervalMs: 200, what: `waiting for lock ${lockFile}` });
  try {
    return await body();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
