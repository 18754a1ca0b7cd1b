/**
 * A small seeded PRNG (mulberry32): the differential suite's random DML must be reproducible
 * from the seed it prints, so Math.random is not used anywhere in it.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/**
 * The seed of a randomized suite: EDDY_DIFF_SEED when given (to reproduce a printed failure);
 * a fixed one under CI, so whether a submission lands does not depend on luck; otherwise a new
 * one each run, so developers' runs keep exploring.
 */
export function suiteSeed(): number {
  if (process.env.EDDY_DIFF_SEED) return Number(process.env.EDDY_DIFF_SEED);
  if (process.env.CI) return 20261127;
  return Math.floor(Math.random() * 2 ** 31);
}
