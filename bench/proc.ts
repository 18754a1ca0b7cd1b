/**
 * CPU time of processes from Linux's /proc, for benchmarks that compare cost rather than wall
 * time on a shared machine: one process (all its threads), or a process and every descendant
 * (a peer's Python process and the JVM it starts), counting children already reaped too.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Stat {
  ppid: number;
  /** utime + stime, and cutime + cstime (children waited for), in seconds. */
  own: number;
  children: number;
}

/** Fields of /proc/<pid>/stat; clock ticks are Linux's USER_HZ of 1/100 s. */
function stat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // The command name may hold spaces: the fields after it are counted from its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), own: (Number(fields[11]) + Number(fields[12])) / 100, children: (Number(fields[13]) + Number(fields[14])) / 100 };
}

/** CPU seconds (user + system) one process has used so far. */
export function cpuSeconds(pid: number): number {
  return stat(pid)?.own ?? NaN;
}

/** CPU seconds of `root` and all its descendants, alive or reaped. */
export function treeCpuSeconds(root: number): number {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s) stats.set(Number(entry), s);
  }
  const rootStat = stats.get(root);
  if (!rootStat) return NaN;
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const s = stats.get(pid)!;
    total += s.own + s.children;
    for (const [child, cs] of stats) if (cs.ppid === pid) pending.push(child);
  }
  return total;
}
