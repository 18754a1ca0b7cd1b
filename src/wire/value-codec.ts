/**
 * Values on the wire: result columns out (text or binary per column) and Bind parameters in.
 * Encoders are made once per result, not looked up per value, because they run for every
 * column of every row.
 */
import { SQLSTATE, SqlError } from '../errors.js';
import { decodeBinary, encodeBinary } from '../types/binary-io.js';
import { formatValue, parseValue, type TextIoSettings } from '../types/text-io.js';
import { T, typeByOid, type SqlType, type Value } from '../types/types.js';
import type { FormatCode } from './frontend-messages.js';

export type ValueEncoder = (value: Value) => Buffer | null;

/**
 * Types Eddy does not know by OID (a catalog column the session types loosely) still reach the
 * client: as text, which every value of theirs is expected to be.
 */
function wireType(oid: number): SqlType {
  return typeByOid(oid) ?? T.text;
}

export function valueEncoder(typeOid: number, format: FormatCode, settings: TextIoSettings): ValueEncoder {
  const type = wireType(typeOid);
  if (format === 1) return (v) => (v === null ? null : encodeBinary(type, v));
  return (v) => (v === null ? null : Buffer.from(formatValue(type, v, settings), 'utf8'));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes one Bind parameter ($n is 1-based in messages, as PostgreSQL words them). */
export function decodeParam(typeOid: number, bytes: Buffer | null, format: FormatCode, n: number, settings: TextIoSettings): Value {
  if (bytes === null) return null;
  const type = wireType(typeOid);
  if (format === 1) {
    try {
      return decodeBinary(type, bytes);
    } catch (err) {
      if (err instanceof SqlError && err.code === '22P03') {
        throw new SqlError('22P03', `incorrect binary data format in bind parameter ${n}`, { detail: err.message });
      }
      throw err;
    }
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new SqlError(SQLSTATE.characterNotInRepertoire, `invalid byte sequence for encoding "UTF8" in bind parameter ${n}`);
  }
  return parseValue(type, text, -1, settings);
}
