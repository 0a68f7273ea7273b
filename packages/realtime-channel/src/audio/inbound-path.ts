import { canSendInboundAudio, type InboundAudio } from "@roomkit/spec";
import type { ChannelRuntime } from "../runtime.ts";
import { SessionPhase, type SessionState } from "../session/session-state.ts";
import { LazyResampler } from "./lazy-resampler.ts";
import { meterInputLevel } from "./level-meter.ts";

/** Frames queued behind a pending async `provider.sendAudio` before the newest is dropped. */
const MAX_INBOUND_WAITING = 500;

/**
 * Caller → model, for one frame. A plain synchronous call chain: size check → handshake buffer → binding gate →
 * resample → level → `provider.sendAudio`. Order is strict per session: a provider whose `sendAudio` returns a
 * promise gets the next frame only after it settles (the session's explicit inbound queue).
 */
export function handleInboundAudio(runtime: ChannelRuntime, state: SessionState, input: InboundAudio): void {
  let audio: Uint8Array;
  let rate = 0;
  if (input instanceof Uint8Array) audio = input;
  else {
    audio = input?.data;
    rate = input?.sampleRate ?? 0;
    if (!(audio instanceof Uint8Array)) {
      dropInbound(runtime, state, "not PCM bytes");
      return;
    }
  }
  const length = audio.byteLength;
  if (length === 0) return;
  if (length > runtime.options.maxInboundFrameBytes) {
    dropInbound(runtime, state, "frame too large");
    return;
  }
  if ((length & 1) !== 0) {
    dropInbound(runtime, state, "odd byte count (not PCM16)");
    return;
  }
  if (rate !== 0 && rate !== state.rates.transportIn && !retuneInbound(runtime, state, rate)) {
    dropInbound(runtime, state, `unsupported sample rate ${rate}`);
    return;
  }
  if (state.phase === SessionPhase.HANDSHAKING) {
    bufferPreConnect(runtime, state, audio);
    return;
  }
  if (state.phase !== SessionPhase.LIVE) return;
  forwardInbound(runtime, state, audio);
}

/** Binding gate, then send or queue behind a pending send. Also used to flush the pre-connect buffer. */
export function forwardInbound(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  const binding = state.binding;
  if (binding !== undefined && !canSendInboundAudio(binding)) {
    state.session.metrics.inboundDropped++;
    return;
  }
  if (state.inboundBusy) {
    const waiting = (state.inboundWaiting ??= []);
    if (waiting.length >= MAX_INBOUND_WAITING) {
      dropInbound(runtime, state, "provider send backlog");
      return;
    }
    // The transport may reuse its buffer for the next frame: keep a copy of what waits.
    waiting.push(audio.slice());
    return;
  }
  sendInbound(runtime, state, audio);
}

function sendInbound(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  const resampler = state.inboundResampler;
  const out = resampler === undefined ? audio : resampler.process(audio);
  if (out.byteLength === 0) return;
  meterInputLevel(runtime, state, out);
  state.session.metrics.inboundFrames++;
  let result: unknown;
  try {
    result = runtime.provider.sendAudio(state.session, out);
  } catch (error) {
    if (state.isLive) runtime.logger.warn("provider.sendAudio failed", { sessionId: state.session.id, error });
    return;
  }
  if (result !== undefined && result !== null && typeof (result as Promise<void>).then === "function") {
    state.inboundBusy = true;
    (result as Promise<void>).then(
      () => drainInbound(runtime, state),
      (error) => {
        if (state.isLive) runtime.logger.warn("provider.sendAudio failed", { sessionId: state.session.id, error });
        drainInbound(runtime, state);
      },
    );
  }
}

function drainInbound(runtime: ChannelRuntime, state: SessionState): void {
  state.inboundBusy = false;
  const waiting = state.inboundWaiting;
  while (waiting !== undefined && waiting.length > 0 && !state.inboundBusy) {
    if (!state.isLive) {
      waiting.length = 0;
      return;
    }
    sendInbound(runtime, state, waiting.shift()!);
  }
}

function bufferPreConnect(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  if (state.preConnectBytes + audio.byteLength > runtime.options.maxPreConnectBytes) {
    if (state.preConnectDropped++ === 0) {
      runtime.logger.warn("Pre-connect audio buffer full; dropping caller audio until the provider is connected", {
        sessionId: state.session.id,
      });
    }
    state.session.metrics.inboundDropped++;
    return;
  }
  // The transport may reuse its buffer: keep a copy of what we hold across the handshake.
  (state.preConnect ??= []).push(audio.slice());
  state.preConnectBytes += audio.byteLength;
}

/** Sends the audio buffered during the handshake, in order, through the live path (gated per frame). */
export function flushPreConnect(runtime: ChannelRuntime, state: SessionState): void {
  const frames = state.preConnect;
  state.preConnect = undefined;
  state.preConnectBytes = 0;
  if (frames === undefined) return;
  for (const frame of frames) {
    if (!state.isLive) return;
    forwardInbound(runtime, state, frame);
  }
}

/** The transport's frames changed rate: a new inbound resampler. False (nothing changed) for a rate it cannot take. */
function retuneInbound(runtime: ChannelRuntime, state: SessionState, rate: number): boolean {
  if (!Number.isInteger(rate) || rate <= 0 || rate > 192_000) return false;
  let resampler: LazyResampler | undefined;
  if (rate !== state.rates.providerIn) {
    try {
      resampler = new LazyResampler(runtime.createResampler, rate, state.rates.providerIn);
    } catch {
      return false;
    }
  }
  state.rates.transportIn = rate;
  state.inboundResampler = resampler;
  return true;
}

function dropInbound(runtime: ChannelRuntime, state: SessionState, reason: string): void {
  const metrics = state.session.metrics;
  if (metrics.inboundDropped++ % 100 === 0) {
    runtime.logger.warn("Dropped caller audio", {
      sessionId: state.session.id,
      reason,
      dropped: metrics.inboundDropped,
    });
  }
}
