/**
 * AVRO [SUBJECT 's'] [VERSION n] [MAPPING (...) | MAPPING ONLY (...)]: messages in Confluent's
 * wire format (a zero magic byte, the writer schema's registry id as 4 big-endian bytes, the
 * Avro binary body), each read with its writer's schema and resolved to the reader schema, the
 * subject's chosen version, so that producers may evolve the schema compatibly while the
 * source's columns stay those of the version chosen at CREATE SOURCE.
 *
 * The registry is asynchronous and decoding is not: `prepare` fetches the writer schemas of a
 * batch's unseen ids (once per id, through the shared registry client) before the batch is
 * decoded, and `decode` only reads the cache.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { schemaRegistry } from '../registry.js';
import type { AvroDecoderContext, AvroFormatSpec, PreparedDecoder } from '../source-spec.js';
import { avroColumns } from './avro-columns.js';
import type { AvroType } from './avro-types.js';
import { nullWhenAbsent } from './column.js';
import { DecodeError, INVALID_BINARY_REPRESENTATION } from './decode-error.js';

const HEADER_BYTES = 5;
/** Ids the registry did not know are remembered, up to this many, so bad data costs one lookup. */
const MAX_UNKNOWN_IDS = 1000;

/** How a message written with one schema id is read: a body decoder, or why it cannot be. */
type WriterReading = { read: (body: Buffer) => unknown } | { error: DecodeError };

/** The writer schema id of a message in the wire format, or a DecodeError saying why not. */
function schemaIdOf(bytes: Uint8Array): number {
  if (bytes.length < HEADER_BYTES) {
    throw new DecodeError(`an Avro message must start with a 5-byte header (magic byte and schema id), this one has ${bytes.length} bytes`, INVALID_BINARY_REPRESENTATION);
  }
  if (bytes[0] !== 0) {
    throw new DecodeError(`an Avro message must start with the magic byte 0, this one starts with ${bytes[0]}`, INVALID_BINARY_REPRESENTATION);
  }
  return new DataView(bytes.buffer, bytes.byteOffset + 1, 4).getInt32(0);
}

export interface AvroPreparedDecoder extends PreparedDecoder {
  /**
   * The version the reader schema was taken from: VERSION's, or the one that was the latest at
   * CREATE. A stored source should name it, so that a restart reads the same columns even after
   * newer versions were registered.
   */
  readerVersion: number;
}

export async function createAvroDecoder(spec: AvroFormatSpec, context: AvroDecoderContext): Promise<AvroPreparedDecoder> {
  const registry = schemaRegistry(context.registryUrl);
  const readerSchema = await registry.subjectVersion(context.subject, spec.version);
  const reader = readerSchema.type;
  const describe = `subject "${context.subject}" version ${readerSchema.version}`;
  const columns = avroColumns(reader, spec, context.role, describe);
  const readers = columns.map((c) => c.read);

  const writers = new Map<number, WriterReading>();
  let unknownIds = 0;

  const readingFor = (id: number, writer: AvroType | null): WriterReading => {
    if (writer === null) {
      return { error: new DecodeError(`schema id ${id} is not in the schema registry at ${context.registryUrl}`, INVALID_BINARY_REPRESENTATION) };
    }
    if (id === readerSchema.id) return { read: (body) => reader.fromBuffer(body) };
    try {
      const resolver = reader.createResolver(writer);
      return { read: (body) => reader.fromBuffer(body, resolver) };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { error: new DecodeError(`a message written with schema id ${id} cannot be read as ${describe}: ${why}`, SQLSTATE.datatypeMismatch) };
    }
  };
  writers.set(readerSchema.id, readingFor(readerSchema.id, reader));

  const remember = (id: number, reading: WriterReading) => {
    if ('error' in reading && ++unknownIds > MAX_UNKNOWN_IDS) {
      // Forget the bad ids seen so far rather than grow without bound on garbage input.
      for (const [known, r] of writers) if ('error' in r) writers.delete(known);
      unknownIds = 1;
    }
    writers.set(id, reading);
  };

  return {
    columns: columns.map(({ name, type, typmod }) => ({ name, type, typmod })),
    readerVersion: readerSchema.version,

    async prepare(payloads) {
      const unseen = new Set<number>();
      for (const bytes of payloads) {
        if (bytes === null || bytes.length < HEADER_BYTES || bytes[0] !== 0) continue;
        const id = schemaIdOf(bytes);
        if (!writers.has(id)) unseen.add(id);
      }
      // A registry failure rejects (the batch is retried); an id the registry does not know, or
      // knows as a schema Eddy cannot read, is the fault of the messages that carry it.
      const fetched = await Promise.all(
        [...unseen].map(async (id): Promise<[number, WriterReading]> => {
          try {
            return [id, readingFor(id, await registry.schemaById(id))];
          } catch (error) {
            if (!(error instanceof SqlError) || error.code === SQLSTATE.connectionFailure) throw error;
            return [id, { error: new DecodeError(error.message, error.code) }];
          }
        }),
      );
      for (const [id, reading] of fetched) remember(id, reading);
    },

    decode: nullWhenAbsent(columns.length, (bytes) => {
      const id = schemaIdOf(bytes);
      const reading = writers.get(id);
      if (reading === undefined) {
        throw new DecodeError(`schema id ${id} was not fetched from the schema registry before decoding`, INVALID_BINARY_REPRESENTATION);
      }
      if ('error' in reading) throw reading.error;
      let message: unknown;
      const body = Buffer.from(bytes.buffer, bytes.byteOffset + HEADER_BYTES, bytes.length - HEADER_BYTES);
      try {
        message = reading.read(body);
      } catch (error) {
        // A SqlError is a logical type's value out of SQL's range (a date past 5874897 AD);
        // anything else is avsc failing on the bytes (truncated, trailing data, bad union index).
        if (error instanceof SqlError) throw DecodeError.wrap(`Avro message with schema id ${id}`, error);
        const why = error instanceof Error ? error.message : String(error);
        throw new DecodeError(`invalid Avro data for schema id ${id}: ${why}`, INVALID_BINARY_REPRESENTATION);
      }
      try {
        return readers.map((read) => read(message));
      } catch (error) {
        throw DecodeError.wrap(`Avro message with schema id ${id}`, error);
      }
    }),
  };
}
