/**
 * Message encoders for Kafka sinks: one per KEY FORMAT / VALUE FORMAT of SQL.md's "Sinks"
 * section, beside the decoders of src/kafka/decode. prepareSinkFormat resolves the format's
 * columns against the sink's input (42703, 42804 at CREATE), registers an Avro schema, and
 * returns a function from a row to the message part's bytes (null: no key / no value).
 * Encoders throw EncodeError for a row they cannot write.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Row } from '../../engine/batch.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import { schemaRegistry } from '../registry.js';
import type { SinkFormatSpec } from '../sink-spec.js';
import { avroEncoder } from './avro.js';
import { resolveColumn, resolveColumns, type FormatContext } from './columns.js';
import { jsonObjectEncoder } from './json.js';
import { singleColumnEncoder } from './single-column.js';

export { EncodeError } from './encode-error.js';
export { jsonObjectEncoder } from './json.js';
export { resolveColumns } from './columns.js';

export interface SinkFormatContext extends FormatContext {
  topic: string;
  registryUrl: string | null;
}

export interface PreparedEncoder {
  /** The row's key or value bytes; null for IGNORE (and a NULL single column). */
  encode: (row: Row) => Buffer | null;
  /** For AVRO: the registered schema's id. */
  schemaId?: number;
}

export async function prepareSinkFormat(format: SinkFormatSpec, columns: RelationColumn[], ctx: SinkFormatContext): Promise<PreparedEncoder> {
  switch (format.kind) {
    case 'ignore':
      return { encode: () => null };
    case 'json': {
      const text = jsonObjectEncoder(resolveColumns(format.columns, columns, ctx));
      return { encode: (row) => Buffer.from(text(row), 'utf8') };
    }
    case 'avro': {
      const resolved = resolveColumns(format.columns, columns, ctx);
      if (ctx.registryUrl === null) {
        throw new SqlError(SQLSTATE.invalidParameterValue, `${ctx.role.toUpperCase()} FORMAT AVRO needs a schema registry`, {
          hint: `Add SCHEMA REGISTRY 'http://host:port' to INTO KAFKA (...).`,
        });
      }
      const subject = format.subject ?? `${ctx.topic}-${ctx.role}`;
      return avroEncoder(resolved, ctx.role, schemaRegistry(ctx.registryUrl), subject);
    }
    default:
      return { encode: singleColumnEncoder(format.kind, resolveColumn(format.column, columns, ctx), format.column.location, ctx) };
  }
}
