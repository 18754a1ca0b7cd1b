/**
 * The input columns a sink format names, resolved against the relation the sink reads: 42703
 * for a name it does not have, with the position where the format names it.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import type { SinkColumnRef } from '../sink-spec.js';

export interface EncodedColumn extends RelationColumn {
  /** Its position in the input's rows. */
  index: number;
}

/** Where errors point: the statement's offset in the query string. */
export interface FormatContext {
  statementOffset: number;
  /** 'key' or 'value', for messages. */
  role: 'key' | 'value';
}

export function resolveColumn(ref: SinkColumnRef, columns: RelationColumn[], ctx: FormatContext): EncodedColumn {
  const index = columns.findIndex((c) => c.name === ref.name);
  if (index < 0) {
    throw new SqlError(SQLSTATE.undefinedColumn, `column "${ref.name}" named in ${ctx.role.toUpperCase()} FORMAT does not exist`, {
      position: ctx.statementOffset + ref.location + 1,
      hint: `The sink's input has ${columns.map((c) => `"${c.name}"`).join(', ')}.`,
    });
  }
  return { ...columns[index]!, index };
}

/** The named columns, or every column of the input when the format names none. */
export function resolveColumns(refs: SinkColumnRef[] | null, columns: RelationColumn[], ctx: FormatContext): EncodedColumn[] {
  if (refs === null) return columns.map((c, index) => ({ ...c, index }));
  return refs.map((ref) => resolveColumn(ref, columns, ctx));
}
