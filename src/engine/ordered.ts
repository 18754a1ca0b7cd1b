/**
 * Small ordered containers the stateful operators share: a sorted array with binary search
 * (min/max multisets, ORDER BY inside string_agg, DISTINCT ON with ORDER BY, top-K), and an
 * arrival log that remembers in which order items arrived while allowing removals (first/last,
 * DISTINCT ON's latest arrived row, string_agg in arrival order).
 *
 * The sorted array inserts with splice: O(n) moves of pointers, which stays cheap for the group
 * sizes these operators see and keeps iteration and rank lookups trivial.
 */

export class SortedArray<T> {
  readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  /** The first index whose item is not less than x. */
  lowerBound(x: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.items[mid], x) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The index of an item comparing equal to x, or -1. */
  indexOf(x: T): number {
    const i = this.lowerBound(x);
    return i < this.items.length && this.compare(this.items[i], x) === 0 ? i : -1;
  }

  insert(x: T): number {
    const i = this.lowerBound(x);
    this.items.splice(i, 0, x);
    return i;
  }

  removeAt(i: number): T {
    return this.items.splice(i, 1)[0];
  }

  first(): T | undefined {
    return this.items[0];
  }

  last(): T | undefined {
    return this.items[this.items.length - 1];
  }
}

/** A multiset of values in sorted order: each distinct value once, with its multiplicity. */
export class SortedCounts<T> {
  private readonly sorted: SortedArray<{ value: T; count: number }>;
  constructor(compare: (a: T, b: T) => number) {
    this.sorted = new SortedArray((a, b) => compare(a.value, b.value));
  }

  add(value: T, diff: number): void {
    const probe = { value, count: diff };
    const i = this.sorted.indexOf(probe);
    if (i < 0) {
      if (diff !== 0) this.sorted.insert(probe);
      return;
    }
    const slot = this.sorted.items[i];
    slot.count += diff;
    if (slot.count === 0) this.sorted.removeAt(i);
  }

  min(): T | undefined {
    return this.sorted.first()?.value;
  }

  max(): T | undefined {
    return this.sorted.last()?.value;
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
  private readonly byId = new Map<string, LogItem<T>[]>();
  private alive = 0;

  /** Copies present. */
  get size(): number {
    return this.alive;
  }

  add(id: string, value: T, seq: number, copies = 1): void {
    const item: LogItem<T> = { seq, value, count: copies };
    this.items.push(item);
    const queue = this.byId.get(id);
    if (queue === undefined) this.byId.set(id, [item]);
    else queue.push(item);
    this.alive += copies;
  }

  /** Removes up to `copies` copies of id, earliest first; returns how many were removed. */
  remove(id: string, copies = 1): number {
    const queue = this.byId.get(id);
    let removed = 0;
    while (queue !== undefined && queue.length > 0 && removed < copies) {
      const item = queue[0];
      const take = Math.min(item.count, copies - removed);
      item.count -= take;
      removed += take;
      if (item.count === 0) {
        queue.shift();
        this.dead++;
      }
    }
    if (queue !== undefined && queue.length === 0) this.byId.delete(id);
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
