/**
 * The simple query protocol: one Query message may hold several statements; each is prepared
 * without parameter types, executed, and its result sent in text format. The first error ends
 * the message: the statements after it do not run.
 */
import { ResultRun } from './result-sender.js';
import type { WireContext } from './wire-context.js';

export async function runSimpleQuery(ctx: WireContext, sql: string): Promise<void> {
  const { session, writer } = ctx;
  let statements;
  try {
    statements = session.parseSimple(sql);
  } catch (err) {
    ctx.reportError(err, 0);
    return;
  }
  if (statements.length === 0) {
    writer.emptyQueryResponse();
    return;
  }
  for (const statement of statements) {
    let run: ResultRun | null = null;
    try {
      const prepared = session.prepare(statement, []);
      const result = await session.execute(prepared, []);
      ctx.sendNotices();
      const textFormats = result.kind === 'rows' ? result.columns.map(() => 0 as const) : [];
      run = new ResultRun(ctx, result, textFormats);
      if (result.kind === 'rows') writer.rowDescription(result.columns, textFormats);
      await run.run(0);
      ctx.sendNotices();
    } catch (err) {
      ctx.reportError(err, statement.offset);
      return;
    } finally {
      run?.close();
    }
  }
}
