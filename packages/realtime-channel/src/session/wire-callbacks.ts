import { ChannelDirection, HookTrigger, type ProviderErrorEvent, type VoiceSession } from "@roomkit/spec";
import { channelTextEvent } from "../hooks/channel-event.ts";
import { handleInboundAudio } from "../audio/inbound-path.ts";
import { meterOutputLevel } from "../audio/level-meter.ts";
import { handleProviderAudio } from "../audio/outbound-queue.ts";
import { fireAsyncHook, hasHooks } from "../hooks/hook-dispatch.ts";
import type { ChannelRuntime } from "../runtime.ts";
import { handleResponseEnd, handleResponseStart } from "../speech/response-events.ts";
import { handleSpeechEnd, handleSpeechStart } from "../speech/speech-events.ts";
import { PlaybackTracker } from "../speech/playback-tracker.ts";
import { handleToolCall, handleToolCallCancel } from "../tools/tool-call-handler.ts";
import { handleTranscription } from "../transcription/transcription-handler.ts";
import type { SessionState } from "./session-state.ts";

/**
 * Registers the channel on the provider's and the transport's callbacks. Every callback looks the session up and
 * returns synchronously; callbacks for unknown sessions are ignored. Optional transport callbacks are subscribed
 * only when the transport declares the capability (`playbackCallback`, `playbackPosition`, `dtmf`). Returns the
 * unsubscribe functions.
 */
export function wireCallbacks(runtime: ChannelRuntime): Array<() => void> {
  const { provider, transport, sessions } = runtime;
  const capabilities = transport.capabilities;
  const find = (session: VoiceSession): SessionState | undefined =>
    session === undefined || session === null ? undefined : sessions.get(session.id);
  const unsubscribe = [
    transport.onAudioReceived((session, frame) => {
      const state = find(session);
      if (state !== undefined) handleInboundAudio(runtime, state, frame);
    }),
    transport.onClientDisconnected((session) => {
      const state = find(session);
      if (state !== undefined) void runtime.endSession(state, "client_disconnected");
    }),
    provider.onAudio((session, chunk) => {
      const state = find(session);
      if (state !== undefined) handleProviderAudio(runtime, state, chunk);
    }),
    provider.onTranscription((session, text, role, isFinal, details) => {
      const state = find(session);
      if (state !== undefined) handleTranscription(runtime, state, text, role, isFinal, details);
    }),
    provider.onSpeechStart((session) => {
      const state = find(session);
      if (state !== undefined) handleSpeechStart(runtime, state);
    }),
    provider.onSpeechEnd((session) => {
      const state = find(session);
      if (state !== undefined) handleSpeechEnd(runtime, state);
    }),
    provider.onToolCall((session, callId, name, args) => {
      const state = find(session);
      if (state !== undefined) handleToolCall(runtime, state, callId, name, args);
    }),
    provider.onToolCallCancel((session, callIds) => {
      const state = find(session);
      if (state !== undefined && Array.isArray(callIds)) handleToolCallCancel(state, callIds);
    }),
    provider.onResponseStart((session) => {
      const state = find(session);
      if (state !== undefined) handleResponseStart(runtime, state);
    }),
    provider.onResponseEnd((session) => {
      const state = find(session);
      if (state !== undefined) handleResponseEnd(runtime, state);
    }),
    provider.onError((session, error) => {
      const state = find(session);
      if (state !== undefined) handleProviderError(runtime, state, error);
    }),
  ];
  if (capabilities.playbackCallback) {
    unsubscribe.push(
      transport.onAudioPlayed((session, played) => {
        const state = find(session);
        if (state === undefined || !state.isLive || !played || !(played.audio instanceof Uint8Array)) return;
        const rate = played.sampleRate > 0 ? played.sampleRate : state.rates.transportOut;
        (state.outbound.playback ??= new PlaybackTracker()).onPlayed(played.audio, rate, played.playbackEnded === true);
        if (played.audio.byteLength > 0) meterOutputLevel(runtime, state, played.audio);
      }),
    );
  }
  if (capabilities.playbackPosition) {
    unsubscribe.push(
      transport.onPlaybackPosition((session, position) => {
        const state = find(session);
        if (state === undefined || !state.isLive || !position) return;
        (state.outbound.playback ??= new PlaybackTracker()).onPosition(position);
      }),
    );
  }
  if (capabilities.dtmf) {
    unsubscribe.push(
      transport.onDtmf((session, digit) => {
        const state = find(session);
        if (state === undefined || !state.isLive || !hasHooks(runtime, HookTrigger.ON_DTMF, session.roomId)) return;
        void fireAsyncHook(runtime, session.roomId, HookTrigger.ON_DTMF, {
          kind: "dtmf",
          session,
          digit: digit.digit,
          durationMs: digit.durationMs,
          timestamp: new Date(),
        });
      }),
    );
  }
  return unsubscribe;
}

/** Every provider error reaches ON_ERROR; a non-recoverable one ends the session. */
function handleProviderError(runtime: ChannelRuntime, state: SessionState, error: ProviderErrorEvent): void {
  const session = state.session;
  const code = String(error?.code ?? "unknown");
  const message = String(error?.message ?? "Provider error");
  const recoverable = error?.recoverable !== false;
  runtime.logger.warn("Realtime provider error", { sessionId: session.id, code, message, recoverable });
  if (hasHooks(runtime, HookTrigger.ON_ERROR, session.roomId)) {
    const event = channelTextEvent(runtime, session, {
      body: message,
      direction: ChannelDirection.INBOUND,
      metadata: {
        error: message,
        error_type: code,
        error_category: "realtime_provider",
        recoverable,
        session_id: session.id,
      },
    });
    void fireAsyncHook(runtime, session.roomId, HookTrigger.ON_ERROR, event);
  }
  if (!recoverable) void runtime.endSession(state, "provider_error");
}
