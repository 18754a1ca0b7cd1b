/**
 * A multiset of values in sorted order that answers order statistics without a walk: the value at
 * position k (copies counted) and the most frequent value (the first in the order among equally
 * frequent ones), both O(log n), as every change is. It is a treap (a binary search tree kept
 * balanced by random priorities) whose nodes hold one distinct value with its multiplicity, and
 * the subtree's total multiplicity and largest multiplicity: the first finds position k by
 * descending, the second finds the mode by descending to the leftmost node whose count reaches
 * the subtree's largest, which stays right under retractions (no count→values index to repair).
 * The ordered-set aggregates (percentile_cont, percentile_disc, mode) keep their groups in one.
 * (ranked.ts's RankedList answers positions too, but its Fenwick trees sum over chunks: a largest
 * count, which does not subtract, has no such sum to keep under retractions.)
 */

interface Node<T> {
  readonly value: T;
  count: number;
  /** Copies in this subtree. */
  weight: number;
  /** The largest count in this subtree. */
  maxCount: number;
  readonly priority: number;
  left: Node<T> | null;
  right: Node<T> | null;
}

const weight = <T>(n: Node<T> | null): number => (n === null ? 0 : n.weight);
const maxCount = <T>(n: Node<T> | null): number => (n === null ? -Infinity : n.maxCount);

function pull<T>(n: Node<T>): Node<T> {
  n.weight = n.count + weight(n.left) + weight(n.right);
  n.maxCount = Math.max(n.count, maxCount(n.left), maxCount(n.right));
  return n;
}

function rotateRight<T>(n: Node<T>): Node<T> {
  const l = n.left!;
  n.left = l.right;
  l.right = pull(n);
  return pull(l);
}

function rotateLeft<T>(n: Node<T>): Node<T> {
  const r = n.right!;
  n.right = r.left;
  r.left = pull(n);
  return pull(r);
}

/** Joins two treaps whose values are all ordered a before b. */
function merge<T>(a: Node<T> | null, b: Node<T> | null): Node<T> | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.priority > b.priority) {
    a.right = merge(a.right, b);
    return pull(a);
  }
  b.left = merge(a, b.left);
  return pull(b);
}

export class RankedCounts<T> {
  private root: Node<T> | null = null;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** Copies present. */
  get size(): number {
    return weight(this.root);
  }

  add(value: T, diff: number): void {
    if (diff !== 0) this.root = this.addAt(this.root, value, diff);
  }

  /** The value at 0-based position k of the multiset in order (copies counted), if k is in range. */
  at(k: number): T | undefined {
    let node = this.root;
    while (node !== null) {
      const before = weight(node.left);
      if (k < before) node = node.left;
      else if (k < before + node.count) return node.value;
      else {
        k -= before + node.count;
        node = node.right;
      }
    }
    return undefined;
  }

  /** The most frequent value, the first in the order among equally frequent ones. */
  mode(): T | undefined {
    const root = this.root;
    if (root === null) return undefined;
    const best = root.maxCount;
    let node: Node<T> | null = root;
    while (node !== null) {
      if (maxCount(node.left) === best) node = node.left;
      else if (node.count === best) return node.value;
      else node = node.right;
    }
    return undefined;
  }

  private addAt(node: Node<T> | null, value: T, diff: number): Node<T> | null {
    if (node === null) return { value, count: diff, weight: diff, maxCount: diff, priority: Math.random(), left: null, right: null };
    const c = this.compare(value, node.value);
    if (c === 0) {
      node.count += diff;
      return node.count === 0 ? merge(node.left, node.right) : pull(node);
    }
    if (c < 0) {
      node.left = this.addAt(node.left, value, diff);
      return node.left !== null && node.left.priority > node.priority ? rotateRight(node) : pull(node);
    }
    node.right = this.addAt(node.right, value, diff);
    return node.right !== null && node.right.priority > node.priority ? rotateLeft(node) : pull(node);
  }
}
