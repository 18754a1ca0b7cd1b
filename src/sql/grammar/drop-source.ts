/**
 * DROP SOURCE and DROP SINK [IF EXISTS] name [, ...] [CASCADE | RESTRICT], which PostgreSQL's
 * grammar does not know. They are parsed into the shape libpg-query gives other DROP statements
 * (a DropStmt with removeType OBJECT_SOURCE or OBJECT_SINK), so that one DROP handler serves
 * every kind of object.
 */
import { leadingWords, TokenCursor } from './tokens.js';

const DROP_SOURCE = leadingWords('drop', 'source');
const DROP_SINK = leadingWords('drop', 'sink');

export function isDropSource(sql: string): boolean {
  return DROP_SOURCE.test(sql) || DROP_SINK.test(sql);
}

export function parseDropSource(sql: string, offset: number): { DropStmt: Record<string, unknown> } {
  const c = TokenCursor.of(sql, offset);
  c.expectWords('drop');
  const removeType = c.acceptWords('sink') ? 'OBJECT_SINK' : (c.expectWords('source'), 'OBJECT_SOURCE');
  const missingOk = c.acceptWords('if', 'exists');
  const objects: unknown[] = [];
  do {
    const name = c.identifier();
    objects.push({ List: { items: [{ String: { sval: name.value } }] }, location: name.offset });
  } while (c.acceptPunct(','));
  let behavior = 'DROP_RESTRICT';
  if (c.acceptWords('cascade')) behavior = 'DROP_CASCADE';
  else c.acceptWords('restrict');
  c.expectEnd();
  return { DropStmt: { removeType, objects, missing_ok: missingOk, behavior } };
}
