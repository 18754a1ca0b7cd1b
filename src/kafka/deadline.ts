/**
 * A bound on how long Eddy waits for a Kafka broker or a schema registry: their clients retry
 * for much longer than a CREATE SOURCE should hang when the service is not there.
 */

/** Settles as `work` does, or rejects with `timedOut()` if `ms` pass first. */
export async function withDeadline<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  try {
    // The race also takes in a late rejection of `work`: it is not reported as unhandled.
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
