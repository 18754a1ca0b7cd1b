/**
 * Eddy's own statements, which PostgreSQL's grammar does not know: the SHOW forms of SQL.md's
 * catalog section. Each returns null when the text is not one of ours, so the caller falls back
 * to PostgreSQL's grammar.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { isCreateSource, parseCreateSource, type CreateSourceStatement } from './grammar/create-source.js';
import { isCreateSink, parseCreateSink, type CreateSinkStatement } from './grammar/create-sink.js';
import { isDropSource, parseDropSource } from './grammar/drop-source.js';
import { leadingWords } from './grammar/tokens.js';
import { parseSubscribeFamily, type SubscribeFamilyStatement } from './grammar/subscribe.js';

export type EddyStatement =
  | { EddyShowObjects: { kind: 'tables' | 'views' | 'materialized-views' | 'sources' | 'sinks' } }
  | { EddyShowColumns: { relation: string; location: number } }
  | { EddyShowCreate: { kind: 'table' | 'view' | 'materialized-view' | 'source' | 'sink'; name: string; location: number } }
  | { EddyCreateSource: CreateSourceStatement }
  | { EddyCreateSink: CreateSinkStatement }
  /** DROP SOURCE / SINK, in the shape of PostgreSQL's DropStmt (removeType OBJECT_SOURCE / OBJECT_SINK). */
  | { DropStmt: Record<string, unknown> }
  | SubscribeFamilyStatement;

interface Token {
  text: string;
  /** The identifier as SQL folds it: lower case unless quoted. */
  ident: string;
  offset: number;
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  // Whitespace and comments match no group, so they make no token.
  const re = /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_$]*)|(.)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(sql)) !== null) {
    if (m[1] !== undefined) tokens.push({ text: m[0], ident: m[1].replace(/""/g, '"'), offset: m.index });
    else if (m[2] !== undefined) tokens.push({ text: m[0], ident: m[2].toLowerCase(), offset: m.index });
    else if (m[3] !== undefined) tokens.push({ text: m[0], ident: m[0], offset: m.index });
  }
  return tokens;
}

const SHOW_LISTS: Record<string, EddyStatement> = {
  tables: { EddyShowObjects: { kind: 'tables' } },
  views: { EddyShowObjects: { kind: 'views' } },
  sources: { EddyShowObjects: { kind: 'sources' } },
  sinks: { EddyShowObjects: { kind: 'sinks' } },
};

const SHOW = leadingWords('show');

/**
 * Recognises Eddy's statements by their leading words (cheaply: most statements are PostgreSQL's,
 * and a 1 MB INSERT must not be tokenized to find that out), then parses them.
 */
export function parseEddyStatement(sql: string, offset: number): EddyStatement | null {
  if (SHOW.test(sql)) return parseShow(sql, offset);
  if (isCreateSource(sql)) return { EddyCreateSource: parseCreateSource(sql, offset) };
  if (isCreateSink(sql)) return { EddyCreateSink: parseCreateSink(sql, offset) };
  if (isDropSource(sql)) return parseDropSource(sql, offset);
  return parseSubscribeFamily(sql, offset);
}

function parseShow(sql: string, offset: number): EddyStatement | null {
  const tokens = tokenize(sql).filter((t) => t.ident !== ';');
  const words = tokens.map((t) => (t.text.startsWith('"') ? '\u0000' : t.ident));
  if (words[0] !== 'show') return null;
  const end = (n: number) => {
    if (tokens.length > n) {
      throw new SqlError(SQLSTATE.syntaxError, `syntax error at or near "${tokens[n]!.text}"`, {
        position: offset + tokens[n]!.offset + 1,
      });
    }
  };
  const list = SHOW_LISTS[words[1] ?? ''];
  if (list) {
    end(2);
    return list;
  }
  if (words[1] === 'materialized' && words[2] === 'views') {
    end(3);
    return { EddyShowObjects: { kind: 'materialized-views' } };
  }
  if (words[1] === 'columns' && (words[2] === 'from' || words[2] === 'in') && tokens[3]) {
    end(4);
    return { EddyShowColumns: { relation: tokens[3].ident, location: tokens[3].offset } };
  }
  if (words[1] === 'create') {
    const kindAt = words[2] === 'materialized' && words[3] === 'view' ? 4 : 3;
    const kind = kindAt === 4 ? 'materialized-view' : words[2];
    if (kind === 'table' || kind === 'view' || kind === 'materialized-view' || kind === 'source' || kind === 'sink') {
      const name = tokens[kindAt];
      if (!name) throw new SqlError(SQLSTATE.syntaxError, 'syntax error at end of input', { position: offset + sql.length + 1 });
      end(kindAt + 1);
      return { EddyShowCreate: { kind, name: name.ident, location: name.offset } };
    }
  }
  return null;
}
