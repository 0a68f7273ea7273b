import type { Logger } from "@roomkit/spec";
import type { ConnectionEvents, GeminiSessionStats } from "./connection-events.ts";
import type { LiveSessionLike } from "./live-connector.ts";
import { LARGE_TOOL_RESULT_CHARS, toolResultToResponse } from "./wire/tool-response.ts";

export interface PendingToolCallsOptions {
  sessionId: string;
  logger: Logger;
  stats: GeminiSessionStats;
  events: Pick<ConnectionEvents, "toolCallCancel">;
}

/**
 * The tool calls of a session's current connection that await a result: the server-event handler adds and cancels
 * them (`byId`); a result goes out on the connection that asked, and calls of a lost connection are withdrawn.
 */
export class PendingToolCalls {
  /** callId → function name. */
  readonly byId = new Map<string, string>();
  readonly #options: PendingToolCallsOptions;

  constructor(options: PendingToolCallsOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * Sends the result of a pending call on `live` (the open connection, or undefined when none is open); a result for
   * a cancelled call or one from an earlier connection is dropped, logged and counted. True when it was sent.
   */
  submit(live: LiveSessionLike | undefined, callId: string, result: string): boolean {
    const { logger, stats } = this.#options;
    const name = this.byId.get(callId);
    if (name === undefined || live === undefined) {
      stats.staleToolResults++;
      const message = "Gemini: dropping a result for a cancelled call or one from an earlier connection";
      logger.warn(message, { sessionId: this.#options.sessionId, callId });
      return false;
    }
    this.byId.delete(callId);
    if (result.length > LARGE_TOOL_RESULT_CHARS) {
      logger.warn("Gemini: large tool result; long results make the model read them out", {
        callId,
        chars: result.length,
      });
    }
    stats.toolResultBytes += result.length;
    live.sendToolResponse({ functionResponses: [{ id: callId, name, response: toolResultToResponse(result) }] });
    return true;
  }

  /** Forgets every pending call and returns their ids (the connection that asked is gone). */
  takeAll(): string[] {
    const ids = [...this.byId.keys()];
    this.byId.clear();
    return ids;
  }

  /** Reports calls taken from a lost connection as cancelled (`toolCallCancel`), if any. */
  withdraw(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.#options.stats.toolCallsCancelled += ids.length;
    this.#options.events.toolCallCancel(ids);
  }
}
