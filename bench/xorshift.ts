/** A seeded xorshift32 generator of numbers in [0, 1): the benches' inputs are the same every run. */
export function xorshift(seed: number): () => number {
  return () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
}
