import { HookTrigger, type SessionEndedEvent, VoiceSessionEndedError, VoiceSessionState } from "@roomkit/spec";
import { sendClientMessage } from "../client-messages.ts";
import { emitFrameworkEvent, hasHooks, scheduleSessionHook } from "../hooks/hook-dispatch.ts";
import type { ChannelRuntime } from "../runtime.ts";
import { clearInbound } from "../audio/inbound-path.ts";
import { clearOutbound } from "../audio/outbound-queue.ts";
import { SessionPhase } from "./lifecycle-state.ts";
import type { SessionState } from "./session-state.ts";

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
  const lifecycle = state.lifecycle;
  lifecycle.endPromise ??= run(runtime, state, options);
  return lifecycle.endPromise;
}

async function run(runtime: ChannelRuntime, state: SessionState, options: TeardownOptions): Promise<void> {
  const session = state.session;
  const lifecycle = state.lifecycle;
  const wasLive = lifecycle.phase === SessionPhase.LIVE;
  lifecycle.phase = SessionPhase.ENDING;
  lifecycle.startAbort?.abort(
    new VoiceSessionEndedError(`Voice session ${session.id} ended while starting (${options.reason})`),
  );
  lifecycle.startAbort = undefined;
  clearInbound(state);
  clearOutbound(state);
  // The transcription queue is not closed: finals already received are still stored; partials and tool calls
  // waiting in it see the session ended (tool calls are aborted just below) and do nothing.
  state.tools?.calls?.abortAll(new VoiceSessionEndedError(`Voice session ${session.id} ended (${options.reason})`));

  const limit = runtime.options.disconnectTimeoutMs;
  if (wasLive && options.notifyClient) {
    await bounded(
      runtime,
      () =>
        sendClientMessage(runtime, state, { type: "session_ended", session_id: session.id, reason: options.reason }),
      limit,
      "session_ended message",
      session.id,
    );
  }
  const inFlight = lifecycle.startStep;
  lifecycle.startStep = undefined;
  if (inFlight !== undefined) {
    // Disconnecting while accept/connect is still running would let it finish afterwards and leak the socket.
    await bounded(runtime, () => inFlight.then(ignore, ignore), limit, "the start step in flight", session.id);
  }
  if (lifecycle.providerTouched) {
    await bounded(runtime, () => runtime.provider.disconnect(session), limit, "provider.disconnect", session.id);
  }
  await bounded(runtime, () => runtime.transport.disconnect(session), limit, "transport.disconnect", session.id);
  try {
    session.state = VoiceSessionState.ENDED;
  } catch {
    // already ended
  }
  lifecycle.phase = SessionPhase.ENDED;
  state.inbound.resampler = undefined;
  state.outbound.resampler = undefined;
  state.outbound.playback = undefined;
  runtime.sessions.remove(state);
  runtime.idleWaiters.notify(session.roomId);

  if (lifecycle.announced) {
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

function ignore(): void {}

/** Runs a teardown step and waits for it, at most `limitMs`; failures (sync or async) and hangs are logged, never thrown. */
async function bounded(
  runtime: ChannelRuntime,
  run: () => unknown,
  limitMs: number,
  what: string,
  sessionId: string,
): Promise<void> {
  let step: unknown;
  try {
    step = run();
  } catch (error) {
    runtime.logger.warn(`${what} failed`, { sessionId, error });
    return;
  }
  if (step === undefined) return;
  let timer: unknown;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = runtime.clock.setTimeout(() => resolve("timeout"), limitMs);
  });
  try {
    const outcome = await Promise.race([Promise.resolve(step).then(() => "done" as const), timeout]);
    if (outcome === "timeout")
      runtime.logger.warn(`${what} did not finish in time; continuing teardown`, { sessionId, limitMs });
  } catch (error) {
    runtime.logger.warn(`${what} failed`, { sessionId, error });
  } finally {
    runtime.clock.clearTimeout(timer);
  }
}
