/**
 * UNION / INTERSECT / EXCEPT [ALL] over two inputs with SQL's multiplicity rules. Rows are
 * grouped by SQL equality (equality-classes.ts: 1.0 and 1.00 are one value); each class keeps its
 * multiplicity on both sides, and a cycle recomputes the output of the touched classes and emits
 * the difference. (UNION ALL needs no state: it is UnionAllOp.)
 */
import type { Batch, Change } from '../batch.js';
import { BatchBuilder } from '../batch-builder.js';
import { EqualityClasses, emitClassChange, type ClassOutput, type Member } from './equality-classes.js';
import type { Operator } from '../operator.js';

export interface SetOpSpec {
  op: 'union' | 'intersect' | 'except';
  all: boolean;
}

interface Counts {
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
  private readonly classes = new EqualityClasses<Counts>(() => ({ left: 0, right: 0 }), (c) => c.left === 0 && c.right === 0);
  constructor(private readonly spec: SetOpSpec) {}

  describe(): string {
    return `${this.spec.op[0].toUpperCase()}${this.spec.op.slice(1)}${this.spec.all ? ' All' : ''}`;
  }

  step([left, right]: Batch[]): Batch {
    const before = new Map<string, { members: Map<string, Member<Counts>>; output: ClassOutput }>();
    const touch = (c: Change, side: 'left' | 'right'): void => {
      const { key, members } = this.classes.classOf(c);
      if (!before.has(key)) before.set(key, { members, output: this.output(members) });
      this.classes.member(members, c).counts[side] += c.diff;
    };
    for (const c of left) touch(c, 'left');
    for (const c of right) touch(c, 'right');
    const out = new BatchBuilder();
    for (const [key, { members, output }] of before) {
      this.classes.prune(key, members);
      emitClassChange(out, output, this.output(members));
    }
    return out.finish();
  }

  /** A class's output: its multiplicity, as the earliest member on the left (else on the right). */
  private output(members: Map<string, Member<Counts>>): ClassOutput {
    let l = 0;
    let r = 0;
    let leftMember: Member<Counts> | null = null;
    let anyMember: Member<Counts> | null = null;
    for (const m of members.values()) {
      l += m.counts.left;
      r += m.counts.right;
      if (m.counts.left > 0) leftMember ??= m;
      if (m.counts.left > 0 || m.counts.right > 0) anyMember ??= m;
    }
    const count = multiplicity(this.spec, l, r);
    return { member: count > 0 ? (leftMember ?? anyMember) : null, count };
  }
}
