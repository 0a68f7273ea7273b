import { endOutboundResponse } from "../audio/outbound-queue.ts";
import { sendClientMessage } from "../client-messages.ts";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";

/** The assistant starts a reply: output re-opens, position tracking restarts, the client and room are told. */
export function handleResponseStart(runtime: ChannelRuntime, state: SessionState): void {
  if (!state.isLive) return;
  state.userSpeaking = false;
  state.responseActive = true;
  state.forwardedInResponse = 0;
  state.outboundCarry = -1;
  state.playback?.startResponse();
  sendClientMessage(runtime, state, { type: "speaking", speaking: true, who: "assistant" });
  publishSpeaking(runtime, state, true);
}

/** The reply is complete: end-of-response goes behind its audio; the client and room are told. */
export function handleResponseEnd(runtime: ChannelRuntime, state: SessionState): void {
  if (!state.isLive) return;
  state.responseActive = false;
  state.outboundCarry = -1;
  state.turns?.cancelIfSilent();
  endOutboundResponse(runtime, state);
  runtime.idleWaiters.notify(runtime, state.session.roomId);
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
