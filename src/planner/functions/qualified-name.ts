/** Object names written as text ('public."My Table"'), as regclass input and to_regclass read them. */

/** Splits a possibly qualified, possibly quoted name as PostgreSQL's parser reads identifiers. */
export function qualifiedName(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(\.|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase());
    if (m[3] === '') break;
  }
  return parts;
}
