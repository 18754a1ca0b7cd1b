/**
 * A KEY FORMAT or VALUE FORMAT made ready to decode: the built-in formats directly, Avro after
 * fetching its reader schema from the registry. IGNORE gives no decoder at all, so its bytes are
 * never touched.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { createDecoder, type DecodedColumn } from './decode/index.js';
import { createAvroDecoder } from './decode/avro.js';
import type { FormatSpec, KafkaSourceSpec, PreparedDecoder } from './source-spec.js';

export interface ReadyFormat {
  columns: DecodedColumn[];
  decoder: PreparedDecoder | null;
  /** For AVRO: the reader schema's version (what "latest" resolved to). */
  avroVersion?: number;
}

export async function prepareFormat(format: FormatSpec, role: 'key' | 'value', spec: KafkaSourceSpec): Promise<ReadyFormat> {
  if (format.kind === 'builtin') {
    if (format.format.kind === 'ignore') return { columns: [], decoder: null };
    // No session settings: a source decodes the same way whoever created it, and after a restart.
    return { columns: format.columns, decoder: { columns: format.columns, decode: createDecoder(format.format) } };
  }
  const registryUrl = spec.connection.schemaRegistry;
  if (registryUrl === null) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `${role.toUpperCase()} FORMAT AVRO needs a schema registry`, {
      hint: `Add SCHEMA REGISTRY 'http://host:port' to FROM KAFKA (...).`,
    });
  }
  const subject = format.subject ?? `${spec.connection.topic}-${role}`;
  const decoder = await createAvroDecoder(format, { registryUrl, subject, role });
  return { columns: decoder.columns, decoder, avroVersion: decoder.readerVersion };
}
