import { canSendInboundAudio, type InboundAudio } from "@roomkit/spec";
import type { ChannelRuntime } from "../runtime.ts";
import { SessionPhase } from "../session/lifecycle-state.ts";
import type { SessionState } from "../session/session-state.ts";
import { LazyResampler } from "./lazy-resampler.ts";
import { meterInputLevel } from "./level-meter.ts";

/** Frames queued behind a pending async `provider.sendAudio` before the newest is dropped. */
const MAX_INBOUND_WAITING = 500;

/**
 * Caller → model, for one frame. A plain synchronous call chain: size check → handshake buffer → binding gate →
 * channel gate (a tool runs on a transport without `inputMute`) → resample → level → `provider.sendAudio`. Order is strict per session: a provider whose `sendAudio` returns a
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
  const phase = state.lifecycle.phase;
  if (phase === SessionPhase.LIVE && !state.inbound.holding) forwardInbound(runtime, state, audio);
  else if (phase === SessionPhase.HANDSHAKING || phase === SessionPhase.LIVE) hold(runtime, state, audio);
}

/** Binding and channel gates, then send or queue behind a pending send. Also used to flush held frames. */
function forwardInbound(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  const binding = state.binding;
  if (binding !== undefined && !canSendInboundAudio(binding)) {
    state.session.metrics.inboundDropped++;
    return;
  }
  const inbound = state.inbound;
  if (inbound.gates > 0) {
    state.session.metrics.inboundDropped++;
    return;
  }
  if (inbound.busy) {
    const waiting = (inbound.waiting ??= []);
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
  const inbound = state.inbound;
  const resampler = inbound.resampler;
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
    inbound.busy = true;
    awaitInboundSend(runtime, state, result as Promise<void>);
  }
}

/** Kept apart from `sendInbound` so its closures don't make every synchronous send allocate their scope. */
function awaitInboundSend(runtime: ChannelRuntime, state: SessionState, pending: Promise<void>): void {
  pending.then(
    () => drainInbound(runtime, state),
    (error) => {
      if (state.isLive) runtime.logger.warn("provider.sendAudio failed", { sessionId: state.session.id, error });
      drainInbound(runtime, state);
    },
  );
}

function drainInbound(runtime: ChannelRuntime, state: SessionState): void {
  const inbound = state.inbound;
  inbound.busy = false;
  const waiting = inbound.waiting;
  while (waiting !== undefined && waiting.length > 0 && !inbound.busy) {
    if (!state.isLive) {
      waiting.length = 0;
      return;
    }
    sendInbound(runtime, state, waiting.shift()!);
  }
}

/** Holds a frame while the provider connects (the handshake, or a reconnect to apply a new configuration). */
function hold(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  const inbound = state.inbound;
  if (inbound.heldBytes + audio.byteLength > runtime.options.maxPreConnectBytes) {
    if (inbound.heldDropped++ === 0) {
      runtime.logger.warn("Pre-connect audio buffer full; dropping caller audio until the provider is connected", {
        sessionId: state.session.id,
      });
    }
    state.session.metrics.inboundDropped++;
    return;
  }
  // The transport may reuse its buffer: keep a copy of what we hold across the handshake.
  (inbound.held ??= []).push(audio.slice());
  inbound.heldBytes += audio.byteLength;
}

/** Sends the audio held during the handshake (or a reconnect), in order, through the live path (gated per frame). */
export function flushHeldInbound(runtime: ChannelRuntime, state: SessionState): void {
  const inbound = state.inbound;
  const frames = inbound.held;
  inbound.held = undefined;
  inbound.heldBytes = 0;
  inbound.holding = false;
  if (frames === undefined) return;
  for (const frame of frames) {
    if (!state.isLive) return;
    forwardInbound(runtime, state, frame);
  }
}

/** Forgets everything waiting (teardown). */
export function clearInbound(state: SessionState): void {
  const inbound = state.inbound;
  inbound.held = undefined;
  inbound.heldBytes = 0;
  inbound.waiting = undefined;
}

/**
 * The channel drops the caller's audio itself while at least one gate is closed (e.g. `muteOnToolCall` on a
 * transport without `inputMute`). Dropped frames are counted in `metrics.inboundDropped`.
 */
export function gateInbound(state: SessionState, closed: boolean): void {
  const inbound = state.inbound;
  inbound.gates = closed ? inbound.gates + 1 : Math.max(0, inbound.gates - 1);
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
  state.inbound.resampler = resampler;
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
