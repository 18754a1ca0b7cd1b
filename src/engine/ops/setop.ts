/**
 * UNION / INTERSECT / EXCEPT [ALL] over two inputs with SQL's multiplicity rules. Each distinct
 * row keeps its multiplicity on both sides; a cycle recomputes the output multiplicity of the
 * touched rows and emits the difference. (UNION ALL needs no state: it is UnionAllOp.)
 */
import type { Batch, Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import type { Operator } from '../operator.js';

export interface SetOpSpec {
  op: 'union' | 'intersect' | 'except';
  all: boolean;
}

interface Counts {
  readonly row: Row;
  left: number;
  right: number;
}

/** The output multiplicity of a row present l times on the left and r times on the right. */
function multiplicity(spec: SetOpSpec, l: number, r: number): number {
  switch (spec.op) {
    case 'union':
      return spec.all ? l + r : l + r > 0 ? 1 : 0;
    case 'intersect':
      return spec.all ? Math.min(l, r) : l > 0 && r > 0 ? 1 : 0;
    case 'except':
      return spec.all ? Math.max(l - r, 0) : l > 0 && r === 0 ? 1 : 0;
  }
}

export class SetOp implements Operator {
  readonly arity = 2;
  private readonly rows = new Map<string, Counts>();
  constructor(private readonly spec: SetOpSpec) {}

  describe(): string {
    return `${this.spec.op[0].toUpperCase()}${this.spec.op.slice(1)}${this.spec.all ? ' All' : ''}`;
  }

  step([left, right]: Batch[]): Batch {
    const before = new Map<string, number>();
    const touch = (k: string, row: Row, dl: number, dr: number): void => {
      let c = this.rows.get(k);
      if (c === undefined) {
        c = { row, left: 0, right: 0 };
        this.rows.set(k, c);
      }
      if (!before.has(k)) before.set(k, multiplicity(this.spec, c.left, c.right));
      c.left += dl;
      c.right += dr;
    };
    for (const c of left) touch(changeKey(c), c.row, c.diff, 0);
    for (const c of right) touch(changeKey(c), c.row, 0, c.diff);
    const out = new BatchBuilder();
    for (const [k, was] of before) {
      const c = this.rows.get(k)!;
      const now = multiplicity(this.spec, c.left, c.right);
      if (now !== was) out.addKeyed(k, c.row, now - was);
      if (c.left === 0 && c.right === 0) this.rows.delete(k);
    }
    return out.finish();
  }
}
