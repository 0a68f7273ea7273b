import type { ClientControlMessage } from "@roomkit/spec";
import type { ChannelRuntime } from "./runtime.ts";
import type { SessionState } from "./session/session-state.ts";

/**
 * Sends a control message to the caller. Errors (sync or async) are logged, never thrown, except when
 * `rethrow` is set (the `session_started` message: a failure there rolls the session back).
 */
export function sendClientMessage(
  runtime: ChannelRuntime,
  state: SessionState,
  message: ClientControlMessage,
): void | Promise<void> {
  let result: unknown;
  try {
    result = runtime.transport.sendMessage(state.session, message);
  } catch (error) {
    runtime.logger.warn("Client message failed", { type: message.type, sessionId: state.session.id, error });
    return;
  }
  if (result && typeof (result as Promise<void>).then === "function") {
    return (result as Promise<void>).catch((error) => {
      runtime.logger.warn("Client message failed", { type: message.type, sessionId: state.session.id, error });
    });
  }
}

/** Like `sendClientMessage` but failures propagate. */
export async function sendClientMessageStrict(
  runtime: ChannelRuntime,
  state: SessionState,
  message: ClientControlMessage,
): Promise<void> {
  await runtime.transport.sendMessage(state.session, message);
}
