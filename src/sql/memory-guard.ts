/**
 * --max-memory: a runaway statement fails with 53200 instead of the process dying when V8's heap
 * runs out. Statements check the guard where they check statement_timeout (every few thousand
 * rows built or produced: src/engine/interrupt.ts), so the throw abandons the statement's
 * throwaway dataflow and its rows become garbage; other sessions and the shared dataflow (whose
 * cycles are never interrupted) carry on.
 *
 * What is measured is V8's used heap, not RSS: the rows a query builds live there, and its limit
 * is what kills Node; RSS also counts pages V8 keeps after freeing them, so it would stay high
 * after a big statement and fail the next ones for memory no longer in use. Used heap includes
 * garbage not collected yet, so past the limit the guard first runs a full collection and fails
 * the statement only if the heap is still over: a statement fails for what is live.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SqlError, SQLSTATE } from '../errors.js';

const UNITS: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** '200MB', '1.5GB', '512kB' (1024-based, as PostgreSQL's memory settings) in bytes, or null. */
export function parseMemorySize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(kB|MB|GB|TB)\s*$/i.exec(text);
  if (!m) return null;
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
  return bytes > 0 ? bytes : null;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;

/**
 * The share of V8's heap limit --max-memory may take: the heap grows past the limit between two
 * checks, and a collection needs room to run.
 */
const HEAP_LIMIT_SHARE = 0.75;

/** Why `limitBytes` cannot be guarded under this process's heap limit, or null when it can. */
export function memoryLimitProblem(limitBytes: number): string | null {
  const heapLimit = getHeapStatistics().heap_size_limit;
  if (limitBytes <= heapLimit * HEAP_LIMIT_SHARE) return null;
  const needed = Math.ceil(limitBytes / HEAP_LIMIT_SHARE / 1024 ** 2);
  return (
    `--max-memory ${mib(limitBytes)} is more than ${HEAP_LIMIT_SHARE * 100}% of Node's heap limit (${mib(heapLimit)}), ` +
    `so the process could run out of heap before the guard fails a statement: give a smaller --max-memory, ` +
    `or raise Node's limit (NODE_OPTIONS=--max-old-space-size=${needed})`
  );
}

export class MemoryGuard {
  private readonly collect: () => void;

  constructor(readonly limitBytes: number) {
    // A full collection on demand: Node offers it only under --expose-gc, which can be set now.
    setFlagsFromString('--expose-gc');
    this.collect = runInNewContext('gc') as () => void;
  }

  /** Throws 53200 when the live heap is over the limit. */
  readonly check = (): void => {
    if (getHeapStatistics().used_heap_size <= this.limitBytes) return;
    this.collect();
    const used = getHeapStatistics().used_heap_size;
    if (used <= this.limitBytes) return;
    throw new SqlError(
      SQLSTATE.outOfMemory,
      `out of memory: the server's heap (${mib(used)}) exceeds --max-memory (${mib(this.limitBytes)}); the statement was stopped and what it built dropped`,
    );
  };
}
