/**
 * DROP SOURCE [IF EXISTS] name [, ...] [CASCADE | RESTRICT], which PostgreSQL's grammar does not
 * know. It is parsed into the shape libpg-query gives other DROP statements (a DropStmt with
 * removeType OBJECT_SOURCE), so that one DROP handler serves every kind of relation.
 */
import { leadingWords, TokenCursor } from './tokens.js';

const DROP_SOURCE = leadingWords('drop', 'source');

export function isDropSource(sql: string): boolean {
  return DROP_SOURCE.test(sql);
}

export function parseDropSource(sql: string, offset: number): { DropStmt: Record<string, unknown> } {
  const c = TokenCursor.of(sql, offset);
  c.expectWords('drop', 'source');
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
  return { DropStmt: { removeType: 'OBJECT_SOURCE', objects, missing_ok: missingOk, behavior } };
}
