/**
 * Streaming results become visible eventually, not at once: tests poll a condition until it
 * holds or a deadline passes, never sleep a fixed time and hope.
 */
export interface WaitOptions {
  timeoutMs?: number;
  /** Says what was awaited, for the timeout error. */
  message?: string;
  intervalMs?: number;
  /** What the state was when the wait gave up (a table's counts, a log's tail), for the error. */
  describe?: () => string | Promise<string>;
}

/**
 * Calls `cond` until it returns a truthy value (which is returned) or the deadline passes. A
 * throwing `cond` counts as "not yet"; its last error is quoted when the wait times out.
 */
export async function waitFor<T>(cond: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await cond();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const what = opts.message ?? 'condition';
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      const state = opts.describe ? `\n${await Promise.resolve().then(opts.describe).catch((err: unknown) => `(describing the state failed: ${String(err)})`)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${state}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
