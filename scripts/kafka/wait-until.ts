// Polls a condition until it holds or a deadline passes: the processes started here become
// ready at an unknown moment, and a fixed sleep would be either too short or wasteful.
import { setTimeout as delay } from 'node:timers/promises';

export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  options: { timeoutMs: number; intervalMs?: number; what: string; giveUp?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await condition()) return;
    // giveUp lets a caller stop early with a reason, e.g. when the process it waits for died.
    const reason = options.giveUp?.();
    if (reason !== undefined) throw new Error(`${options.what}: ${reason}`);
    if (Date.now() >= deadline) throw new Error(`${options.what}: not ready after ${options.timeoutMs} ms`);
    await delay(options.intervalMs ?? 250);
  }
}
