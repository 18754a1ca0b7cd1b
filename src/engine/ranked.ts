/**
 * A sorted list that also answers positions: the window operator needs "which row is at
 * position i of its partition" and "at which position does this row sit" in O(log n), counting
 * each item as many times as its multiplicity (`count`). Items live in sorted chunks (as in
 * SortedArray); two Fenwick trees over the chunks sum their weights (copies) and their item
 * counts. A chunk splitting or disappearing rebuilds the trees, which happens at most once per
 * CHUNK / 2 insertions into that chunk, so it is amortized O(1) per insertion.
 */

/** Items per chunk before a chunk splits in two. */
const CHUNK = 256;

export interface Weighted {
  /** Copies of the item; at least 1 while it is in the list. */
  count: number;
}

/** Where an item sits: its chunk and index in it, and the copies and items before it. */
export interface Place<T> {
  readonly item: T;
  /** Copies of all items before this one. */
  readonly position: number;
  /** Items before this one. */
  readonly index: number;
}

class Fenwick {
  private tree: number[] = [0];

  rebuild(values: number[]): void {
    const n = values.length;
    const tree = new Array<number>(n + 1).fill(0);
    for (let i = 1; i <= n; i++) {
      tree[i] += values[i - 1];
      const parent = i + (i & -i);
      if (parent <= n) tree[parent] += tree[i];
    }
    this.tree = tree;
  }

  add(i: number, delta: number): void {
    for (let k = i + 1; k < this.tree.length; k += k & -k) this.tree[k] += delta;
  }

  /** The sum of values[0..i). */
  prefix(i: number): number {
    let s = 0;
    for (let k = i; k > 0; k -= k & -k) s += this.tree[k];
    return s;
  }

  /** The largest i with prefix(i) <= target (values are non-negative), and that prefix. */
  descend(target: number): { index: number; before: number } {
    let index = 0;
    let before = 0;
    let step = 1;
    while (step * 2 < this.tree.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = index + step;
      if (next < this.tree.length && before + this.tree[next] <= target) {
        index = next;
        before += this.tree[next];
      }
    }
    return { index, before };
  }
}

export class RankedList<T extends Weighted> {
  private chunks: T[][] = [];
  private maxes: T[] = [];
  /** Copies per chunk. */
  private weights: number[] = [];
  private readonly byWeight = new Fenwick();
  private readonly byItems = new Fenwick();
  private copies = 0;
  private items = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** Copies of all items. */
  get total(): number {
    return this.copies;
  }

  /** Distinct items. */
  get size(): number {
    return this.items;
  }

  /** The item comparing equal to x, if any. */
  find(x: T): T | undefined {
    const c = this.chunkFor((m) => this.compare(m, x) >= 0);
    if (c === this.chunks.length) return undefined;
    const chunk = this.chunks[c];
    const item = chunk[lowerBound(chunk, (y) => this.compare(y, x) >= 0)];
    return item !== undefined && this.compare(item, x) === 0 ? item : undefined;
  }

  /** Inserts x (not present yet) with its count. */
  insert(x: T): void {
    this.copies += x.count;
    this.items++;
    if (this.chunks.length === 0) {
      this.chunks.push([x]);
      this.maxes.push(x);
      this.weights.push(x.count);
      this.rebuild();
      return;
    }
    let c = this.chunkFor((m) => this.compare(m, x) >= 0);
    if (c === this.chunks.length) c--;
    const chunk = this.chunks[c];
    chunk.splice(lowerBound(chunk, (y) => this.compare(y, x) >= 0), 0, x);
    this.maxes[c] = chunk[chunk.length - 1];
    this.weights[c] += x.count;
    if (chunk.length <= CHUNK) {
      this.byWeight.add(c, x.count);
      this.byItems.add(c, 1);
      return;
    }
    const upper = chunk.splice(chunk.length >>> 1);
    this.chunks.splice(c + 1, 0, upper);
    this.maxes.splice(c, 1, chunk[chunk.length - 1], upper[upper.length - 1]);
    const upperWeight = upper.reduce((n, y) => n + y.count, 0);
    this.weights.splice(c, 1, this.weights[c] - upperWeight, upperWeight);
    this.rebuild();
  }

  /** Changes a present item's count by diff (it must stay positive; use remove otherwise). */
  reweigh(x: T, diff: number): void {
    const c = this.chunkFor((m) => this.compare(m, x) >= 0);
    x.count += diff;
    this.copies += diff;
    this.weights[c] += diff;
    this.byWeight.add(c, diff);
  }

  /** Removes the item comparing equal to x (which must be present). */
  remove(x: T): void {
    const c = this.chunkFor((m) => this.compare(m, x) >= 0);
    const chunk = this.chunks[c];
    const i = lowerBound(chunk, (y) => this.compare(y, x) >= 0);
    const [item] = chunk.splice(i, 1);
    this.copies -= item.count;
    this.items--;
    this.weights[c] -= item.count;
    if (chunk.length > 0) {
      this.maxes[c] = chunk[chunk.length - 1];
      this.byWeight.add(c, -item.count);
      this.byItems.add(c, -1);
      return;
    }
    this.chunks.splice(c, 1);
    this.maxes.splice(c, 1);
    this.weights.splice(c, 1);
    this.rebuild();
  }

  /**
   * The first item for which `atOrAfter` holds (it must be false, then true, along the order),
   * with its place; null when it holds for none (then everything is before).
   */
  search(atOrAfter: (item: T) => boolean): Place<T> | null {
    const c = this.chunkFor(atOrAfter);
    if (c === this.chunks.length) return null;
    const chunk = this.chunks[c];
    const i = lowerBound(chunk, atOrAfter);
    return this.placeIn(c, i);
  }

  /** The number of copies before the first item for which `atOrAfter` holds (total if none). */
  positionWhere(atOrAfter: (item: T) => boolean): number {
    return this.search(atOrAfter)?.position ?? this.copies;
  }

  /** The item covering copy number `position` (0-based), and the place of that item. */
  at(position: number): Place<T> {
    if (position < 0 || position >= this.copies) throw new Error(`position ${position} outside 0..${this.copies}`);
    const { index: c, before } = this.byWeight.descend(position);
    const chunk = this.chunks[c];
    let pos = before;
    if (this.weights[c] === chunk.length) return this.placeIn(c, position - before);
    for (let i = 0; ; i++) {
      if (pos + chunk[i].count > position) return { item: chunk[i], position: pos, index: this.byItems.prefix(c) + i };
      pos += chunk[i].count;
    }
  }

  /** The item number `index` (0-based) in order. */
  itemAt(index: number): Place<T> {
    if (index < 0 || index >= this.items) throw new Error(`index ${index} outside 0..${this.items}`);
    const { index: c, before } = this.byItems.descend(index);
    return this.placeIn(c, index - before);
  }

  /** Items in order starting with the one covering copy `position`, each with its place. */
  *from(position: number): IterableIterator<Place<T>> {
    if (position >= this.copies) return;
    const start = this.at(position);
    let { index } = start;
    let pos = start.position;
    let { index: c } = this.byItems.descend(index);
    let i = index - this.byItems.prefix(c);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c];
      for (; i < chunk.length; i++) {
        yield { item: chunk[i], position: pos, index };
        pos += chunk[i].count;
        index++;
      }
    }
  }

  private placeIn(c: number, i: number): Place<T> {
    const chunk = this.chunks[c];
    let position = this.byWeight.prefix(c);
    if (this.weights[c] === chunk.length) position += i;
    else for (let k = 0; k < i; k++) position += chunk[k].count;
    return { item: chunk[i], position, index: this.byItems.prefix(c) + i };
  }

  /** The first chunk whose last item satisfies the (monotone) predicate. */
  private chunkFor(atOrAfter: (item: T) => boolean): number {
    return lowerBound(this.maxes, atOrAfter);
  }

  private rebuild(): void {
    this.byWeight.rebuild(this.weights);
    this.byItems.rebuild(this.chunks.map((c) => c.length));
  }
}

/** The first index whose item satisfies the (false..., true...) predicate. */
function lowerBound<T>(items: T[], atOrAfter: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (atOrAfter(items[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
