/**
 * What the query-handling modules need from their connection: its session, its output, its next
 * incoming message (COPY FROM STDIN reads CopyData itself) and its liveness.
 */
import type { Frame } from './message-framer.js';
import type { MessageWriter } from './message-writer.js';
import type { SqlSession } from './session-api.js';
import type { TextIoSettings } from '../types/text-io.js';

export interface WireContext {
  readonly session: SqlSession;
  readonly writer: MessageWriter;
  /** Output settings that follow the session's reported parameters (TimeZone). */
  readonly textSettings: TextIoSettings;
  nextFrame(): Promise<Frame | null>;
  /** Sends what is buffered and waits while the client is not reading. */
  flush(): Promise<void>;
  /** Sends the NoticeResponses the session has queued (they precede the statement's CommandComplete). */
  sendNotices(): void;
  /**
   * Sends an ErrorResponse for a failed statement (positions in the statement's own text are
   * shifted by `positionOffset` into the query string) and tells the session. Rethrows FATAL
   * errors, which end the connection instead.
   */
  reportError(err: unknown, positionOffset: number): void;
  /**
   * Calls `stop` if the connection goes away, or the client says goodbye (Terminate, or the end
   * of its input), before the returned unregister function is called.
   */
  onDisconnect(stop: () => void): () => void;
}
