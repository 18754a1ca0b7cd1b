/**
 * The differential suite's random choices, on the shared seeded generator (test/support/prng.ts):
 * its random DML must be reproducible from the seed it prints, so Math.random is not used in it.
 */
import { mulberry32 } from '../support/prng.js';

export class Prng {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
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
