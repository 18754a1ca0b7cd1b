/** UTF-8 text out of message bytes, refusing what PostgreSQL's text types cannot hold. */
import { SQLSTATE } from '../../errors.js';
import { DecodeError } from './decode-error.js';

// fatal: malformed UTF-8 is an error, not U+FFFD; ignoreBOM: the bytes are kept as they are.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeUtf8(bytes: Uint8Array): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new DecodeError('invalid byte sequence for encoding "UTF8"', SQLSTATE.characterNotInRepertoire);
  }
  if (text.includes('\0')) {
    throw new DecodeError('invalid byte sequence for encoding "UTF8": 0x00', SQLSTATE.characterNotInRepertoire);
  }
  return text;
}
