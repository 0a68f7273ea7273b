import { type BargeInEvent, HookTrigger, type VoiceSession } from "@roomkit/spec";
import { discardQueuedAudio } from "../audio/outbound-queue.ts";
import { sendClientMessage } from "../client-messages.ts";
import { hasHooks, scheduleSessionHook } from "../hooks/hook-dispatch.ts";
import { startTurn } from "../metrics/turn-latency.ts";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";

/**
 * The user started speaking (server VAD). Always: stop the reply at once (generation bump, queued audio dropped,
 * `transport.interrupt`, `clear_audio` to the client) and drop provider audio until the user stops. When part of
 * the reply was still unheard (a barge-in): `provider.truncateAudio` with what the caller actually heard, and
 * ON_BARGE_IN with that position and its source.
 */
export function handleSpeechStart(runtime: ChannelRuntime, state: SessionState): void {
  if (!state.isLive) return;
  const session = state.session;
  const now = runtime.clock.now();
  const devicePlayback = runtime.transport.capabilities.playbackCallback;
  const heard = state.playback?.heard(now, devicePlayback);
  const bargeIn = devicePlayback
    ? heard?.playing === true
    : heard?.playing === true || (state.responseActive && state.forwardedInResponse > 0);

  state.userSpeaking = true;
  state.generation++;
  state.speechStartedAt = new Date();
  discardQueuedAudio(state);
  try {
    runtime.transport.interrupt(session);
  } catch (error) {
    runtime.logger.warn("transport.interrupt failed", { sessionId: session.id, error });
  }
  sendClientMessage(runtime, state, { type: "clear_audio" });

  if (bargeIn) {
    const positionMs = heard?.ms ?? 0;
    session.metrics.bargeIns++;
    state.bargeInPending = true;
    truncate(runtime, session, positionMs);
    if (hasHooks(runtime, HookTrigger.ON_BARGE_IN, session.roomId)) {
      const event: BargeInEvent = {
        kind: "barge_in",
        session,
        interruptedText: state.lastAssistantText,
        audioPositionMs: positionMs,
        positionSource: heard?.source ?? "none",
        timestamp: new Date(),
      };
      scheduleSessionHook(runtime, state, HookTrigger.ON_BARGE_IN, event);
    }
  }
  state.playback?.reset();
  state.forwardedInResponse = 0;

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
  state.userSpeaking = false;
  startTurn(runtime, state, "speech_end");
  runtime.idleWaiters.notify(runtime, state.session.roomId);
  if (hasHooks(runtime, HookTrigger.ON_SPEECH_END, state.session.roomId)) {
    scheduleSessionHook(runtime, state, HookTrigger.ON_SPEECH_END, state.session);
  }
  sendClientMessage(runtime, state, { type: "speaking", speaking: false, who: "user" });
}
