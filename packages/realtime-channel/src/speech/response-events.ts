import { endOutboundResponse, startOutboundResponse } from "../audio/outbound-queue.ts";
import { sendClientMessage } from "../client-messages.ts";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";

/** The assistant starts a reply: output re-opens, position tracking restarts, the client and room are told. */
export function handleResponseStart(runtime: ChannelRuntime, state: SessionState): void {
  if (!state.isLive) return;
  state.speech.userSpeaking = false;
  state.speech.responseActive = true;
  startOutboundResponse(state);
  sendClientMessage(runtime, state, { type: "speaking", speaking: true, who: "assistant" });
  publishSpeaking(runtime, state, true);
}

/** The reply is complete: end-of-response goes behind its audio; the client and room are told. */
export function handleResponseEnd(runtime: ChannelRuntime, state: SessionState): void {
  if (!state.isLive) return;
  state.speech.responseActive = false;
  state.outbound.aligner?.reset();
  state.turns?.cancelIfSilent();
  endOutboundResponse(runtime, state);
  runtime.idleWaiters.notify(state.session.roomId);
  sendClientMessage(runtime, state, { type: "speaking", speaking: false, who: "assistant" });
  publishSpeaking(runtime, state, false);
}

function publishSpeaking(runtime: ChannelRuntime, state: SessionState, speaking: boolean): void {
  const framework = runtime.framework();
  if (!framework) return;
  try {
    framework.publishTyping(state.session.roomId, "assistant", speaking, {
      session_id: state.session.id,
      source: "realtime_voice",
    });
  } catch (error) {
    runtime.logger.warn("publishTyping failed", { sessionId: state.session.id, error });
  }
}
