import {
  createId,
  HookTrigger,
  type Logger,
  type SessionStartedEvent,
  ChannelType,
  VoiceSession,
  VoiceSessionEndedError,
  VoiceSessionState,
} from "@roomkit/spec";
import { drainOutbound } from "../audio/outbound-queue.ts";
import { flushHeldInbound } from "../audio/inbound-path.ts";
import { LazyResampler } from "../audio/lazy-resampler.ts";
import { sendClientMessageStrict } from "../client-messages.ts";
import { emitFrameworkEvent, hasHooks, scheduleSessionHook } from "../hooks/hook-dispatch.ts";
import type { ChannelRuntime } from "../runtime.ts";
import { abortable, isAbortError } from "./abortable.ts";
import type { SessionConfig } from "./session-config.ts";
import { setToolCatalogue } from "../tools/tool-catalogue.ts";
import { SessionPhase } from "./lifecycle-state.ts";
import { resolveSessionConfig, resolveSessionRates } from "./resolve-session-config.ts";
import { SessionState } from "./session-state.ts";
import { teardownSession } from "./teardown.ts";

export interface StartSessionOptions {
  /** Transport-specific connection handle (socket, WebRTC id, SIP call). */
  connection?: unknown;
  /** Per-session metadata (copied): overrides (`system_prompt`, `voice`, ...) and anything the app wants. */
  metadata?: Record<string, unknown>;
  signal?: AbortSignal;
}

/**
 * The start transaction: create the session (metadata copied) → `transport.accept` (auth may add metadata) →
 * resolve overrides and rates → `provider.connect` → `transport.activate` → live → flush pre-connect audio →
 * hooks and framework events → `session_started` to the client. Any failure or abort (the caller's `signal`, or
 * `endSession` during the handshake) rolls everything back exactly once and rethrows.
 */
export async function startSession(
  runtime: ChannelRuntime,
  defaults: SessionConfig,
  roomId: string,
  participantId: string,
  options: StartSessionOptions,
  sessionLogger: Logger,
): Promise<VoiceSession> {
  const session = new VoiceSession({
    id: createId(),
    roomId,
    participantId,
    channelId: runtime.channelId,
    metadata: options.metadata,
    logger: sessionLogger,
  });
  const state = new SessionState(session, defaults, {
    transportIn: runtime.options.inputSampleRate,
    providerIn: runtime.options.inputSampleRate,
    providerOut: runtime.options.outputSampleRate,
    transportOut: runtime.options.outputSampleRate,
  });
  const lifecycle = state.lifecycle;
  const controller = new AbortController();
  lifecycle.startAbort = controller;
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  runtime.sessions.add(state);
  /** Each side's step is remembered so a teardown can let it settle before disconnecting that side. */
  const step = <Value>(work: Promise<Value> | Value): Promise<Value> => {
    const pending = Promise.resolve(work);
    lifecycle.startStep = pending;
    return abortable(pending, signal);
  };
  try {
    const accepted = await step(runtime.transport.accept(session, options.connection, { signal }));
    state.config = resolveSessionConfig(defaults, session.metadata);
    setToolCatalogue(state, state.config.tools);
    const rates = resolveSessionRates(runtime.options, runtime.provider.capabilities, accepted, session.metadata);
    state.rates = rates;
    if (rates.transportIn !== rates.providerIn) {
      state.inbound.resampler = new LazyResampler(runtime.createResampler, rates.transportIn, rates.providerIn);
    }
    if (rates.providerOut !== rates.transportOut) {
      state.outbound.resampler = new LazyResampler(runtime.createResampler, rates.providerOut, rates.transportOut);
    }
    const framework = runtime.framework();
    if (framework) state.binding = await abortable(framework.getBinding(roomId, runtime.channelId), signal);

    lifecycle.providerTouched = true;
    await step(
      runtime.provider.connect(session, {
        systemPrompt: state.config.systemPrompt,
        voice: state.config.voice,
        tools: state.config.tools,
        temperature: state.config.temperature,
        inputSampleRate: rates.providerIn,
        outputSampleRate: rates.providerOut,
        serverVad: true,
        providerConfig: state.config.providerConfig,
        signal,
      }),
    );
    await step(runtime.transport.activate(session));
    signal.throwIfAborted();
    if (session.state === VoiceSessionState.CONNECTING) session.state = VoiceSessionState.ACTIVE;
    if (session.state !== VoiceSessionState.ACTIVE) {
      throw new VoiceSessionEndedError(`Voice session ${session.id} ended while starting`);
    }
    lifecycle.phase = SessionPhase.LIVE;
    lifecycle.startAbort = undefined;
    lifecycle.startStep = undefined;
    flushHeldInbound(runtime, state);
    drainOutbound(runtime, state);

    lifecycle.announced = true;
    emitFrameworkEvent(runtime, "voice_session_started", roomId, {
      session_id: session.id,
      participant_id: participantId,
      channel_id: runtime.channelId,
      provider: runtime.provider.name,
    });
    if (hasHooks(runtime, HookTrigger.ON_SESSION_STARTED, roomId)) {
      const event: SessionStartedEvent = {
        kind: "session_started",
        roomId,
        channelId: runtime.channelId,
        channelType: ChannelType.REALTIME_VOICE,
        participantId,
        session,
        timestamp: new Date(),
      };
      scheduleSessionHook(runtime, state, HookTrigger.ON_SESSION_STARTED, event);
    }
    emitFrameworkEvent(runtime, "session_started", roomId, { session_id: session.id, channel_id: runtime.channelId });
    await sendClientMessageStrict(runtime, state, { type: "session_started", session_id: session.id });
    if (!state.isLive) throw new VoiceSessionEndedError(`Voice session ${session.id} ended while starting`);
    return session;
  } catch (error) {
    if (isAbortError(error, signal)) {
      runtime.logger.info("startSession cancelled; rolled back", { sessionId: session.id, roomId });
    } else {
      runtime.logger.error("startSession failed; rolled back", { sessionId: session.id, roomId, error });
    }
    await teardownSession(runtime, state, { reason: "start_failed", notifyClient: false });
    throw error;
  }
}
