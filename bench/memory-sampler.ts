/**
 * Loaded into a benchmark's Eddy process (`node --expose-gc --import bench/memory-sampler.ts`):
 * every EDDY_BENCH_MEMORY_MS (default 10 s) runs a full garbage collection and writes the live
 * heap and the RSS to stderr, where bench/eddy-process.ts reads them. The heap after a full
 * collection is what still holds memory; heapUsed sampled at a random moment mostly shows how
 * much garbage the young generation had at that moment.
 */
const every = Number(process.env.EDDY_BENCH_MEMORY_MS ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;

setInterval(() => {
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  process.stderr.write(`eddy-bench-memory heap=${heapUsed} rss=${rss} gc=${gc ? 1 : 0}\n`);
}, every).unref();
