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

/**
 * parse_ident(text, strict): the parts of a qualified identifier, quoted parts as written and the
 * others folded to lower case, as PostgreSQL splits them; null where the text is no valid
 * identifier list (strict also refuses anything after it).
 */
export function parseIdent(text: string, strict: boolean): string[] | null {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")+)"|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*))\s*/y;
  for (;;) {
    const m = re.exec(text);
    if (!m) return null;
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase());
    if (text[re.lastIndex] !== '.') break;
    re.lastIndex++;
  }
  return !strict || re.lastIndex === text.length ? parts : null;
}
