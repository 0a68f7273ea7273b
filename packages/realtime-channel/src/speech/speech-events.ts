import { type BargeInEvent, HookTrigger, type VoiceSession } from "@roomkit/spec";
import { interruptOutbound } from "../audio/outbound-queue.ts";
import { sendClientMessage } from "../client-messages.ts";
import { hasHooks, scheduleSessionHook } from "../hooks/hook-dispatch.ts";
import { startTurn } from "../metrics/turn-latency.ts";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";

/**
 * The user started speaking (server VAD). Always: stop the reply at once (generation bump, queued audio dropped,
 * `clear_audio` to the client) and drop provider audio until the user stops. A transport with `interrupt` drops
 * what it queued (`transport.interrupt`); without it the channel drops the rest of the interrupted response itself.
 * When part of the reply was still unheard (a barge-in): ON_BARGE_IN with what the caller actually heard and its
 * source, and `provider.truncateAudio` at that position if the provider has `truncation`.
 */
export function handleSpeechStart(runtime: ChannelRuntime, state: SessionState): void {
  if (!state.isLive) return;
  const session = state.session;
  const speech = state.speech;
  const outbound = state.outbound;
  const transport = runtime.transport.capabilities;
  const devicePlayback = transport.playbackCallback;
  const heard = outbound.playback?.heard(runtime.clock.now(), devicePlayback);
  const bargeIn = devicePlayback
    ? heard?.playing === true
    : heard?.playing === true || (speech.responseActive && outbound.forwardedInResponse > 0);
  speech.userSpeaking = true;
  speech.speechStartedAt = new Date();
  // Without `interrupt` the transport keeps what it queued: the channel drops the rest of the response itself.
  interruptOutbound(state, !transport.interrupt && (bargeIn || speech.responseActive));
  if (transport.interrupt) {
    try {
      runtime.transport.interrupt(session);
    } catch (error) {
      runtime.logger.warn("transport.interrupt failed", { sessionId: session.id, error });
    }
  }
  sendClientMessage(runtime, state, { type: "clear_audio" });
  if (bargeIn) {
    const positionMs = heard?.ms ?? 0;
    session.metrics.bargeIns++;
    speech.bargeInPending = true;
    if (runtime.provider.capabilities.truncation) truncate(runtime, session, positionMs);
    if (hasHooks(runtime, HookTrigger.ON_BARGE_IN, session.roomId)) {
      const event: BargeInEvent = {
        kind: "barge_in",
        session,
        interruptedText: speech.lastAssistantText,
        audioPositionMs: positionMs,
        positionSource: heard?.source ?? "none",
        timestamp: new Date(),
      };
      scheduleSessionHook(runtime, state, HookTrigger.ON_BARGE_IN, event);
    }
  }
  if (hasHooks(runtime, HookTrigger.ON_SPEECH_START, session.roomId)) {
    scheduleSessionHook(runtime, state, HookTrigger.ON_SPEECH_START, session);
  }
  sendClientMessage(runtime, state, { type: "speaking", speaking: true, who: "user" });
}

/** `provider.truncateAudio`, never throwing into the barge-in (sync throws and rejections are logged). */
function truncate(runtime: ChannelRuntime, session: VoiceSession, positionMs: number): void {
  const failed = (error: unknown) =>
    runtime.logger.warn("provider.truncateAudio failed", { sessionId: session.id, positionMs, error });
  try {
    const result = runtime.provider.truncateAudio(session, positionMs) as unknown;
    if (typeof (result as Promise<void> | undefined)?.then === "function")
      (result as Promise<void>).then(undefined, failed);
  } catch (error) {
    failed(error);
  }
}

/** The user stopped speaking: provider audio flows again; the turn's latency clock starts. */
export function handleSpeechEnd(runtime: ChannelRuntime, state: SessionState): void {
  if (!state.isLive) return;
  state.speech.userSpeaking = false;
  startTurn(runtime, state, "speech_end");
  runtime.idleWaiters.notify(state.session.roomId);
  if (hasHooks(runtime, HookTrigger.ON_SPEECH_END, state.session.roomId)) {
    scheduleSessionHook(runtime, state, HookTrigger.ON_SPEECH_END, state.session);
  }
  sendClientMessage(runtime, state, { type: "speaking", speaking: false, who: "user" });
}
