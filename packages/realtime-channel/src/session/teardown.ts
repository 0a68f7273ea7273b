import { HookTrigger, type SessionEndedEvent, VoiceSessionEndedError, VoiceSessionState } from "@roomkit/spec";
import { sendClientMessage } from "../client-messages.ts";
import { emitFrameworkEvent, hasHooks, scheduleSessionHook } from "../hooks/hook-dispatch.ts";
import type { ChannelRuntime } from "../runtime.ts";
import { SessionPhase, type SessionState } from "./session-state.ts";

export interface TeardownOptions {
  reason: string;
  /** Send `session_ended` to the client first (not on a failed start). */
  notifyClient: boolean;
}

/**
 * Ends a session once, whatever asks first (endSession, client disconnect, fatal provider error, close, a failed
 * start). A session still starting has its start aborted. Each side is disconnected exactly once; every
 * per-session structure is released; errors are logged, never thrown.
 */
export function teardownSession(runtime: ChannelRuntime, state: SessionState, options: TeardownOptions): Promise<void> {
  if (state.endPromise) return state.endPromise;
  state.endPromise = run(runtime, state, options);
  return state.endPromise;
}

async function run(runtime: ChannelRuntime, state: SessionState, options: TeardownOptions): Promise<void> {
  const session = state.session;
  const wasLive = state.phase === SessionPhase.LIVE;
  state.phase = SessionPhase.ENDING;
  state.startAbort?.abort(
    new VoiceSessionEndedError(`Voice session ${session.id} ended while starting (${options.reason})`),
  );
  state.startAbort = undefined;
  state.preConnect = undefined;
  state.preConnectBytes = 0;
  state.inboundWaiting = undefined;
  state.outboundItems = undefined;
  state.outboundGenerations = undefined;
  state.transcriptions?.close();
  state.generation++;

  if (wasLive && options.notifyClient) {
    await sendClientMessage(runtime, state, { type: "session_ended", session_id: session.id, reason: options.reason });
  }
  if (state.providerTouched) {
    try {
      await runtime.provider.disconnect(session);
    } catch (error) {
      runtime.logger.warn("provider.disconnect failed", { sessionId: session.id, error });
    }
  }
  try {
    await runtime.transport.disconnect(session);
  } catch (error) {
    runtime.logger.warn("transport.disconnect failed", { sessionId: session.id, error });
  }
  try {
    session.state = VoiceSessionState.ENDED;
  } catch {
    // already ended
  }
  state.phase = SessionPhase.ENDED;
  state.inboundResampler = undefined;
  state.outboundResampler = undefined;
  state.playback = undefined;
  runtime.sessions.remove(state);

  if (state.announced) {
    if (hasHooks(runtime, HookTrigger.ON_SESSION_ENDED, session.roomId)) {
      const event: SessionEndedEvent = {
        kind: "session_ended",
        roomId: session.roomId,
        channelId: runtime.channelId,
        participantId: session.participantId,
        session,
        reason: options.reason,
        timestamp: new Date(),
      };
      scheduleSessionHook(runtime, state, HookTrigger.ON_SESSION_ENDED, event);
    }
    emitFrameworkEvent(runtime, "voice_session_ended", session.roomId, {
      session_id: session.id,
      participant_id: session.participantId,
      channel_id: runtime.channelId,
      reason: options.reason,
    });
  }
}
