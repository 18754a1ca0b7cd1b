/**
 * What the catalog's SQLite file can fail with, in words that say what to do. At start a damaged
 * file or an unwritable data directory stops Eddy with such a message (it never starts on a
 * catalog it cannot trust or keep); while running, a write that cannot be kept (disk full,
 * directory made read-only) fails its statement with a SQLSTATE, and nothing of it is kept.
 */
import { SqlError, SQLSTATE } from '../errors.js';

/** An error from better-sqlite3 (SqliteError: code 'SQLITE_...') or from the file system (errno code). */
function codeOf(err: unknown): string {
  return typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
}

function detailOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const isDamage = (code: string) => code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
const isFull = (code: string) => code === 'SQLITE_FULL' || code === 'ENOSPC';
const isUnwritable = (code: string) =>
  code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || ['EACCES', 'EROFS', 'EPERM', 'EFBIG'].includes(code);

export function damagedCatalog(file: string, detail: string): Error {
  return new Error(
    `the catalog ${file} is damaged (${detail}). Eddy does not start on a damaged catalog, so nothing more is lost: ` +
      `restore the data directory from a backup, or move ${file} and its -wal and -shm files aside to start with an empty ` +
      'catalog (then create the tables, views, sources and sinks again).',
  );
}

/** An error while opening the catalog, as the reason Eddy does not start. */
export function openError(err: unknown, dataDir: string, file: string): Error {
  const code = codeOf(err);
  const detail = detailOf(err);
  if (isDamage(code)) return damagedCatalog(file, detail);
  if (isFull(code)) return new Error(`the disk holding the data directory ${dataDir} is full (${detail}): free some space and start again`);
  if (isUnwritable(code)) {
    return new Error(
      `cannot write the data directory ${dataDir} (${detail}): Eddy keeps its catalog there and needs it writable. ` +
        'Check its owner and permissions, free space, and that it is not on a read-only file system.',
    );
  }
  return err instanceof Error ? err : new Error(detail);
}

/** An error while writing the catalog, for the statement that wrote. */
export function writeError(err: unknown, dataDir: string): unknown {
  const code = codeOf(err);
  const detail = detailOf(err);
  const kept = 'The statement changed nothing.';
  if (isFull(code)) {
    return new SqlError(SQLSTATE.diskFull, `could not write to the catalog: ${detail}`, { hint: `Free space on the disk holding ${dataDir}. ${kept}` });
  }
  if (isUnwritable(code)) {
    return new SqlError(SQLSTATE.ioError, `could not write to the catalog in ${dataDir}: ${detail}`, {
      hint: `Check that the data directory is writable and its disk is not full. ${kept}`,
    });
  }
  if (isDamage(code)) return new SqlError(SQLSTATE.dataCorrupted, `the catalog is damaged: ${detail}`, { hint: 'Stop Eddy and restore the data directory from a backup.' });
  return err;
}
