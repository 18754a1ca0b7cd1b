/** JSON [AS col]: the whole document as one jsonb value. */
import { parseJsonText } from '../../types/json-text.js';
import { Json } from '../../types/types.js';
import { nullWhenAbsent, type Decoder } from './column.js';
import { DecodeError } from './decode-error.js';
import { decodeUtf8 } from './utf8.js';

/** Parses a message as JSON; numbers a JS number cannot hold exactly stay exact (Decimal). */
export function parseJsonMessage(bytes: Uint8Array): unknown {
  try {
    return parseJsonText(decodeUtf8(bytes), 'jsonb');
  } catch (error) {
    throw DecodeError.wrap('JSON message', error);
  }
}

export function jsonDocumentDecoder(): Decoder {
  return nullWhenAbsent(1, (bytes) => [new Json(parseJsonMessage(bytes))]);
}
