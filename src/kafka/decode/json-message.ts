/**
 * One Kafka message as a JSON document, parsed the way jsonb parses it (parseJsonText): numbers
 * that a JS number cannot reproduce exactly (1.50, 1e3, 2^63) stay exact Decimals, \u0000 is
 * refused. JSON.parse is several times faster but turns every number into a double, so it is
 * used only when its result is provably the same: every number literal in the text is already
 * its double's shortest form, and no \u0000 escape occurs. Everything else, including every
 * invalid document (for jsonb's error message), goes through parseJsonText.
 */
import { parseJsonText } from '../../types/json-text.js';
import { DecodeError } from './decode-error.js';
import { decodeUtf8 } from './utf8.js';

// Whole strings (skipped, so digits inside them are not numbers) and number literals. Applied
// only to text JSON.parse accepted, where digits outside strings belong to numbers.
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g;

function numbersAreShortestDoubles(text: string): boolean {
  STRING_OR_NUMBER.lastIndex = 0;
  for (let match = STRING_OR_NUMBER.exec(text); match !== null; match = STRING_OR_NUMBER.exec(text)) {
    const token = match[0];
    if (token.charCodeAt(0) !== 0x22 /* " */ && String(Number(token)) !== token) return false;
  }
  return true;
}

function parseFast(text: string): { ok: true; value: unknown } | { ok: false } {
  // A false alarm (an escaped backslash before "u0000") only costs the slow path.
  if (text.includes('\\u0000')) return { ok: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  return numbersAreShortestDoubles(text) ? { ok: true, value } : { ok: false };
}

export function parseJsonMessage(bytes: Uint8Array): unknown {
  try {
    const text = decodeUtf8(bytes);
    const fast = parseFast(text);
    return fast.ok ? fast.value : parseJsonText(text, 'jsonb');
  } catch (error) {
    throw DecodeError.wrap('JSON message', error);
  }
}
