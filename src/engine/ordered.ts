/**
 * Small ordered containers the stateful operators share: a sorted list (min/max multisets,
 * ORDER BY inside string_agg, DISTINCT ON with ORDER BY, top-K, temporal filter schedules), and
 * an arrival log that remembers in which order items arrived while allowing removals (first/last,
 * DISTINCT ON's latest arrived row, string_agg in arrival order).
 */

/** Items per chunk before a chunk splits in two. */
const CHUNK = 512;

function lowerBoundIn<T>(items: T[], x: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A sorted list of items, unique under `compare`, kept as a sequence of sorted chunks of at most
 * CHUNK items: insertion and removal cost a binary search plus a move within one chunk, so
 * loading a million rows (hydrating max() or a top-K over a big table) stays O(n log n) instead
 * of the O(n²) of one flat array.
 */
export class SortedArray<T> {
  private chunks: T[][] = [];
  /** The last item of each chunk, for the binary search over chunks. */
  private maxes: T[] = [];
  private count = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.count;
  }

  /** The item comparing equal to x, if any. */
  find(x: T): T | undefined {
    const c = lowerBoundIn(this.maxes, x, this.compare);
    if (c === this.chunks.length) return undefined;
    const chunk = this.chunks[c];
    const item = chunk[lowerBoundIn(chunk, x, this.compare)];
    return item !== undefined && this.compare(item, x) === 0 ? item : undefined;
  }

  insert(x: T): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([x]);
      this.maxes.push(x);
      return;
    }
    let c = lowerBoundIn(this.maxes, x, this.compare);
    if (c === this.chunks.length) c--;
    const chunk = this.chunks[c];
    chunk.splice(lowerBoundIn(chunk, x, this.compare), 0, x);
    this.maxes[c] = chunk[chunk.length - 1];
    if (chunk.length > CHUNK) {
      const upper = chunk.splice(chunk.length >>> 1);
      this.chunks.splice(c + 1, 0, upper);
      this.maxes.splice(c, 1, chunk[chunk.length - 1], upper[upper.length - 1]);
    }
  }

  /** Removes the item comparing equal to x; returns whether there was one. */
  remove(x: T): boolean {
    const c = lowerBoundIn(this.maxes, x, this.compare);
    if (c === this.chunks.length) return false;
    const chunk = this.chunks[c];
    const i = lowerBoundIn(chunk, x, this.compare);
    if (i === chunk.length || this.compare(chunk[i], x) !== 0) return false;
    chunk.splice(i, 1);
    this.count--;
    this.afterRemoval(c);
    return true;
  }

  /** Removes and returns the smallest item. */
  shift(): T | undefined {
    if (this.chunks.length === 0) return undefined;
    const item = this.chunks[0].shift();
    this.count--;
    this.afterRemoval(0);
    return item;
  }

  /** Keeps only the first n items. */
  truncate(n: number): void {
    if (n >= this.count) return;
    let kept = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      if (kept + chunk.length >= n) {
        chunk.length = n - kept;
        const keepChunks = chunk.length === 0 ? c : c + 1;
        this.chunks.length = keepChunks;
        this.maxes.length = keepChunks;
        if (chunk.length > 0) this.maxes[c] = chunk[chunk.length - 1];
        this.count = n;
        return;
      }
      kept += chunk.length;
    }
  }

  first(): T | undefined {
    return this.chunks.length === 0 ? undefined : this.chunks[0][0];
  }

  last(): T | undefined {
    return this.maxes[this.maxes.length - 1];
  }

  /** The items in order. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }

  private afterRemoval(c: number): void {
    const chunk = this.chunks[c];
    if (chunk.length === 0) {
      this.chunks.splice(c, 1);
      this.maxes.splice(c, 1);
    } else this.maxes[c] = chunk[chunk.length - 1];
  }
}

/**
 * A multiset of values in sorted order, each distinct value once with its multiplicity: min and
 * max under retractions. Order statistics (the k-th value, the mode) are ranked-counts.ts's.
 */
export class SortedCounts<T> {
  private readonly sorted: SortedArray<{ value: T; count: number }>;
  constructor(compare: (a: T, b: T) => number) {
    this.sorted = new SortedArray((a, b) => compare(a.value, b.value));
  }

  add(value: T, diff: number): void {
    const probe = { value, count: diff };
    const slot = this.sorted.find(probe);
    if (slot === undefined) {
      if (diff !== 0) this.sorted.insert(probe);
      return;
    }
    slot.count += diff;
    if (slot.count === 0) this.sorted.remove(slot);
  }

  min(): T | undefined {
    return this.sorted.first()?.value;
  }

  max(): T | undefined {
    return this.sorted.last()?.value;
  }
}

/** Something present in a number of copies. */
export interface Counted {
  count: number;
}

/**
 * Counted items grouped by identity (a rowKey), each identity's in arrival order. Retracting n
 * copies of an identity takes its earliest arrivals first, as a ring or stream evicts its oldest
 * rows; the queues advance a head index, so this stays O(1) per item however many copies of one
 * identity pile up.
 */
export class CopiesById<T extends Counted> {
  private readonly queues = new Map<string, { items: T[]; head: number }>();

  add(id: string, item: T): void {
    const queue = this.queues.get(id);
    if (queue === undefined) this.queues.set(id, { items: [item], head: 0 });
    else queue.items.push(item);
  }

  /**
   * Removes up to `copies` copies of id, earliest first, calling `exhausted` for every item whose
   * count reaches zero; returns how many copies were removed.
   */
  remove(id: string, copies: number, exhausted: (item: T) => void): number {
    const queue = this.queues.get(id);
    if (queue === undefined) return 0;
    let removed = 0;
    while (queue.head < queue.items.length && removed < copies) {
      const item = queue.items[queue.head];
      const take = Math.min(item.count, copies - removed);
      item.count -= take;
      removed += take;
      if (item.count === 0) {
        queue.head++;
        exhausted(item);
      }
    }
    if (queue.head === queue.items.length) this.queues.delete(id);
    else if (queue.head > 32 && queue.head * 2 > queue.items.length) {
      queue.items = queue.items.slice(queue.head);
      queue.head = 0;
    }
    return removed;
  }
}

interface LogItem<T> {
  readonly seq: number;
  readonly value: T;
  /** Copies still present; 0 once removed. */
  count: number;
}

/**
 * Items in arrival order, each under an identity (a rowKey). Removing n copies of an identity
 * removes its earliest arrivals first, as a ring or stream evicts its oldest rows.
 */
export class ArrivalLog<T> {
  private items: LogItem<T>[] = [];
  private head = 0;
  private dead = 0;
  private readonly byId = new CopiesById<LogItem<T>>();
  private alive = 0;
  private readonly markDead = (): void => {
    this.dead++;
  };

  /** Copies present. */
  get size(): number {
    return this.alive;
  }

  add(id: string, value: T, seq: number, copies = 1): void {
    const item: LogItem<T> = { seq, value, count: copies };
    this.items.push(item);
    this.byId.add(id, item);
    this.alive += copies;
  }

  /** Removes up to `copies` copies of id, earliest first; returns how many were removed. */
  remove(id: string, copies = 1): number {
    const removed = this.byId.remove(id, copies, this.markDead);
    this.alive -= removed;
    if (this.dead > 32 && this.dead * 2 > this.items.length - this.head) this.compact();
    return removed;
  }

  /** The earliest arrived item still present. */
  first(): T | undefined {
    while (this.head < this.items.length && this.items[this.head].count === 0) {
      this.head++;
      this.dead--;
    }
    return this.head < this.items.length ? this.items[this.head].value : undefined;
  }

  /** The latest arrived item still present. */
  last(): T | undefined {
    while (this.items.length > this.head && this.items[this.items.length - 1].count === 0) {
      this.items.pop();
      this.dead--;
    }
    return this.items.length > this.head ? this.items[this.items.length - 1].value : undefined;
  }

  /** Items present, in arrival order, each with its number of copies. */
  *entries(): IterableIterator<[T, number]> {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item.count > 0) yield [item.value, item.count];
    }
  }

  private compact(): void {
    this.items = this.items.slice(this.head).filter((item) => item.count > 0);
    this.head = 0;
    this.dead = 0;
  }
}
