/**
 * Rows grouped by SQL equality, for the operators whose output has one row per equal group
 * (DISTINCT, UNION, INTERSECT, EXCEPT): numeric 1.0 and 1.00 are one value there, as in
 * PostgreSQL, yet each prints as itself. A class keeps its members as printed (by identity key,
 * in arrival order, each with its counts); what the operator outputs for the class is one
 * member, its representative, and when that member goes while others stay, the output changes
 * to one of those.
 */
import type { Row } from '../batch.js';
import { BatchBuilder, changeKey } from '../batch-builder.js';
import type { Change } from '../batch.js';
import { rowKey } from '../../types/compare.js';

export interface Member<C> {
  readonly id: string;
  readonly row: Row;
  counts: C;
}

export class EqualityClasses<C> {
  private readonly classes = new Map<string, Map<string, Member<C>>>();

  constructor(
    private readonly zero: () => C,
    private readonly isEmpty: (counts: C) => boolean,
  ) {}

  /** The class of a change's row, made if new. */
  classOf(change: Change): { key: string; members: Map<string, Member<C>> } {
    const key = rowKey(change.row);
    let members = this.classes.get(key);
    if (!members) this.classes.set(key, (members = new Map()));
    return { key, members };
  }

  /** The change's member of its class, made if new. */
  member(members: Map<string, Member<C>>, change: Change): Member<C> {
    const id = changeKey(change);
    let m = members.get(id);
    if (!m) members.set(id, (m = { id, row: change.row, counts: this.zero() }));
    return m;
  }

  /** Forgets the members left with nothing, and the class once it is empty. */
  prune(key: string, members: Map<string, Member<C>>): void {
    for (const [id, m] of members) if (this.isEmpty(m.counts)) members.delete(id);
    if (members.size === 0) this.classes.delete(key);
  }
}

/** What a class outputs: `count` copies of a representative row. */
export interface ClassOutput {
  member: { id: string; row: Row } | null;
  count: number;
}

/** Adds the change from one output of a class to another to `out`. */
export function emitClassChange(out: BatchBuilder, before: ClassOutput, after: ClassOutput): void {
  if (before.member?.id === after.member?.id && before.count === after.count) return;
  if (before.member && before.count > 0) out.addKeyed(before.member.id, before.member.row, -before.count);
  if (after.member && after.count > 0) out.addKeyed(after.member.id, after.member.row, after.count);
}
